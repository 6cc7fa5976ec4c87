// Diagnostics from the real language server, seen through the real vscode API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CLEAN_FIXTURES, activateExtension, codeOf, fixtureUri, heapSizeValueRange, ours, waitForDiagnostics } from './helpers';

export default function register(): void {
  describe('diagnostics', () => {
    before(activateExtension);

    describe('broken/Drone.toml (pool sum 10752 ≠ size "10K")', () => {
      let doc: vscode.TextDocument;
      let diagnostics: vscode.Diagnostic[];

      before(async () => {
        const uri = fixtureUri('broken');
        doc = await vscode.workspace.openTextDocument(uri);
        // The first wait also covers starting the language client and server.
        diagnostics = await waitForDiagnostics(uri, (ds) => ds.length > 0, 'diagnostics of broken/Drone.toml');
      });

      it('is opened with language id toml', () => {
        assert.equal(doc.languageId, 'toml');
      });

      it('gets exactly one pool-sum-mismatch error', () => {
        assert.deepEqual(
          diagnostics.map((d) => [codeOf(d), d.severity]),
          [['pool-sum-mismatch', vscode.DiagnosticSeverity.Error]],
        );
      });

      it('every diagnostic has a string code', () => {
        for (const d of diagnostics) assert.equal(typeof codeOf(d), 'string', `code of "${d.message}"`);
      });

      it('covers the "10K" value of size, quotes included', () => {
        const want = heapSizeValueRange(doc);
        assert.equal(doc.getText(want), '"10K"');
        const got = diagnostics[0].range;
        assert.deepEqual(
          [got.start.line, got.start.character, got.end.line, got.end.character],
          [want.start.line, want.start.character, want.end.line, want.end.character],
        );
      });

      it('names both sums in its message', () => {
        assert.match(diagnostics[0].message, /10752/);
        assert.match(diagnostics[0].message, /10240/);
      });
    });

    describe('corpus files are clean', () => {
      before(async () => {
        // The server publishes diagnostics (possibly none) on didOpen, before it answers any
        // later request for the document; the client handles messages in order. So once a
        // document-symbol request has been answered, the file's diagnostics are in place.
        for (const name of CLEAN_FIXTURES) {
          const uri = fixtureUri(name);
          await vscode.workspace.openTextDocument(uri);
          await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', uri);
        }
      });

      for (const name of CLEAN_FIXTURES) {
        it(`${name}: no drone-heap diagnostics`, () => {
          const ds = ours(fixtureUri(name));
          assert.deepEqual(
            ds.map((d) => `${codeOf(d)} @${d.range.start.line + 1}: ${d.message}`),
            [],
          );
        });
      }
    });
  });
}
