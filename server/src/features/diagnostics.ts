// Publishes the findings of every open Drone.toml as diagnostics, on open and on each
// change (push model: every LSP client supports it), in one piece: the checks of the text,
// the findings of each heap's replay (the previous one until the replay of an edited layout
// is in), the RAM budget's findings against the built firmware, and the device's.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic } from './convert';
import { deviceFindingsOf } from './device';
import type { Feature, ServerContext } from './feature';

export function publishDiagnostics(context: ServerContext, document: TextDocument): void {
  const analysis = context.analyses.get(document);
  const lines = analysis.parse.lines;
  const traceFindings = analysis.parse.ok ? context.replays.findings(document.uri, analysis.parse.config, context.settings().wordSize) : [];
  const ramFindings = analysis.parse.ok ? (context.firmware.budgetOf(document.uri, analysis.parse.config)?.findings ?? []) : [];
  const deviceFindings = analysis.parse.ok ? deviceFindingsOf(context, document.uri, analysis.parse.config) : [];
  void context.connection.sendDiagnostics({
    uri: document.uri,
    version: document.version,
    diagnostics: [...analysis.findings, ...traceFindings, ...ramFindings, ...deviceFindings].map((finding) => toDiagnostic(lines, finding)),
  });
}

export const diagnosticsFeature: Feature = {
  capabilities: {},
  register(context) {
    context.documents.onDidChangeContent((event) => {
      publishDiagnostics(context, event.document);
      const analysis = context.analyses.get(event.document);
      context.replays.update(event.document.uri, analysis.parse.ok ? analysis.parse.config : undefined);
    });
    context.documents.onDidClose((event) => {
      context.analyses.forget(event.document.uri);
      context.replays.close(event.document.uri);
      context.firmware.close(event.document.uri);
      context.device.close(event.document.uri);
      void context.connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    });
  },
};
