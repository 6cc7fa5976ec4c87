// Per-document analysis cache: each open Drone.toml is parsed and checked once per
// version, and every feature (diagnostics, code actions, hover, hints…) reads the same
// result. Checking a Drone.toml takes well under a millisecond, so it runs eagerly.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkDroneToml, type CheckOptions, type CheckResult } from './core/checks/index';

export interface Analysis extends CheckResult {
  uri: string;
  version: number;
  text: string;
}

export class AnalysisCache {
  private readonly byUri = new Map<string, Analysis>();

  constructor(private readonly options: () => CheckOptions) {}

  get(document: TextDocument): Analysis {
    const cached = this.byUri.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    const analysis: Analysis = { uri: document.uri, version: document.version, text, ...checkDroneToml(text, this.options()) };
    this.byUri.set(document.uri, analysis);
    return analysis;
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /** Settings changed: every result must be recomputed. */
  clear(): void {
    this.byUri.clear();
  }
}
