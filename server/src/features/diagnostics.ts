// Publishes the findings of every open Drone.toml as diagnostics, on open and on each
// change (push model: every LSP client supports it): the checks of the text, plus the
// findings of the latest replay of each heap's current layout. The text's own
// diagnostics never wait for a replay; trace findings follow when it is done.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic } from './convert';
import type { Feature, ServerContext } from './feature';

export function publishDiagnostics(context: ServerContext, document: TextDocument): void {
  const analysis = context.analyses.get(document);
  const lines = analysis.parse.lines;
  const traceFindings = analysis.parse.ok ? context.replays.findings(document.uri, analysis.parse.config, context.settings().wordSize) : [];
  void context.connection.sendDiagnostics({
    uri: document.uri,
    version: document.version,
    diagnostics: [...analysis.findings, ...traceFindings].map((finding) => toDiagnostic(lines, finding)),
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
      void context.connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    });
  },
};
