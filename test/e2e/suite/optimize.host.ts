// One-click optimisation in the real extension host, on optimized/Drone.toml (a copy of
// examples/sensor-logger, whose trace makes the 336 B pool fail): the code lens offers
// it, the command rewrites only `pools` and `size`, and the fresh replay of the new
// layout shows no failure — the simulator says the new layout serves the trace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeOf, waitForDiagnostics, workspaceRoot } from './helpers';

const hasFailure = (ds: readonly vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === 'trace-failure');

export default function register(): void {
  describe('layout optimisation on optimized/Drone.toml', () => {
    let uri: vscode.Uri;
    let doc: vscode.TextDocument;

    before(async () => {
      await activateExtension();
      uri = vscode.Uri.joinPath(workspaceRoot(), 'optimized', 'Drone.toml');
      doc = await vscode.workspace.openTextDocument(uri);
      await waitForDiagnostics(uri, hasFailure, 'trace-failure on optimized/Drone.toml');
    });

    it('offers "Optimise layout" as a code lens above [heap.main]', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const lens = (lenses ?? []).find((l) => l.command?.command === 'droneHeap.optimizeLayout');
      assert.ok(lens, `lenses: ${JSON.stringify((lenses ?? []).map((l) => l.command?.title))}`);
      assert.match(lens.command!.title, /Optimise layout to serve the trace \(8 pools\)/);
      assert.equal(doc.lineAt(lens.range.start.line).text.trim(), '[heap.main]');
    });

    it('rewrites only pools and size, and the replay of the new layout has no failure', async () => {
      const before = doc.getText();
      const applied = await vscode.commands.executeCommand<boolean>('droneHeap.optimizeLayout', uri.toString(), 'main', { apply: true });
      assert.equal(applied, true);
      const after = doc.getText();
      assert.notEqual(after, before);
      const outside = (text: string) => text.replace(/^size = "[^"]*"/m, 'SIZE').replace(/^pools = \[[\s\S]*?\n\]/m, 'POOLS');
      assert.equal(outside(after), outside(before), 'everything outside pools and size is unchanged');
      assert.match(after, /^size = "10K"$/m, 'the fit target keeps the heap size');
      // The server replays the new layout by itself; wait until its findings say it serves the trace.
      const diagnostics = await waitForDiagnostics(
        uri,
        (ds) => !hasFailure(ds) && !ds.some((d) => codeOf(d) === 'pool-sum-mismatch'),
        'no trace-failure after optimising',
      );
      assert.deepEqual(diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map(codeOf), []);
      // One undo restores the old layout.
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), before);
    });
  });
}
