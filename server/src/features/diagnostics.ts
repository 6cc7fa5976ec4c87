// Publishes the findings of every open Drone.toml as diagnostics, on open and on each
// change (push model: every LSP client supports it).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic } from './convert';
import type { Feature, ServerContext } from './feature';

export function publishDiagnostics(context: ServerContext, document: TextDocument): void {
  const analysis = context.analyses.get(document);
  const lines = analysis.parse.lines;
  void context.connection.sendDiagnostics({
    uri: document.uri,
    version: document.version,
    diagnostics: analysis.findings.map((finding) => toDiagnostic(lines, finding)),
  });
}

export const diagnosticsFeature: Feature = {
  capabilities: {},
  register(context) {
    context.documents.onDidChangeContent((event) => publishDiagnostics(context, event.document));
    context.documents.onDidClose((event) => {
      context.analyses.forget(event.document.uri);
      void context.connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    });
  },
};
