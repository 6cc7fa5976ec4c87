// Hover, inlay hints and document symbols on a clean corpus file (bluepill-blink: 10K, 8 pools).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../client/src/commands';
import { EXTENSION_ID, activateExtension, find, findSymbol, fixtureUri, hoverText, labelText, poolLines } from './helpers';

export default function register(): void {
  describe('language features on bluepill-blink/Drone.toml', () => {
    let doc: vscode.TextDocument;

    before(async () => {
      await activateExtension();
      // Requests follow didOpen on the same connection, so no wait is needed here.
      doc = await vscode.workspace.openTextDocument(fixtureUri('bluepill-blink'));
    });

    it('registers every command: those package.json contributes and the internal ones', async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]).map(
        (c) => c.command,
      );
      const defined = Object.values(COMMANDS) as string[];
      assert.deepEqual(
        contributed.filter((id) => !defined.includes(id)),
        [],
        'contributed but not in client/src/commands.ts',
      );
      assert.deepEqual(
        defined.filter((id) => !registered.has(id)),
        [],
        'defined but not registered',
      );
    });

    it('hover on { block = "336", capacity = 3 } shows 336 × 3 = 1008 B', async () => {
      const at = find(doc, '"336"', (l) => /capacity\s*=\s*3\b/.test(l)).translate(0, 1);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const text = hoverText(hovers ?? []);
      assert.ok(text.includes('336 × 3 = 1008 B'), `hover text was: ${JSON.stringify(text)}`);
    });

    it('one inlay hint per pool, each with a byte figure', async () => {
      const pools = poolLines(doc);
      assert.equal(pools.length, 8, 'fixture should have 8 pools');
      const open = find(doc, 'pools');
      const close = new vscode.Position(pools[pools.length - 1] + 1, 1);
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        doc.uri,
        new vscode.Range(open, close),
      );
      const labels = (hints ?? []).map(labelText);
      assert.equal(labels.length, pools.length, `labels: ${JSON.stringify(labels)}`);
      for (const l of labels) assert.ok(l.includes(' B'), `label without " B": ${JSON.stringify(l)}`);
      // One per pool line, not several on one line.
      assert.deepEqual(
        [...new Set((hints ?? []).map((h) => h.position.line))].sort((a, b) => a - b),
        pools,
      );
    });

    it('document symbols: heap.main with 8 children', async () => {
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      const heap = findSymbol(symbols ?? [], 'heap.main');
      assert.ok(heap, `no heap.main among ${JSON.stringify((symbols ?? []).map((s) => s.name))}`);
      assert.equal(heap.children.length, 8, `children: ${JSON.stringify(heap.children.map((c) => c.name))}`);
    });
  });
}
