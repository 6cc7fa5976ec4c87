// The RAM budget in the real extension host: a project whose firmware is built (real linker
// output from test/fixtures/firmware, copied in by this suite as cargo would place it) gets
// the RAM map in the hover on [memory.ram], a stack-room-low warning on the heap's size, and
// ram-overflow once the heap is raised past what RAM holds.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { FIXTURES } from '../../support/paths';
import { activateExtension, codeOf, find, hoverText, waitForDiagnostics, workspaceRoot } from './helpers';

const TRIPLE = 'thumbv7em-none-eabihf';

export default function register(): void {
  describe('the RAM budget on firmware/Drone.toml (written by this suite)', () => {
    let uri: vscode.Uri;
    let doc: vscode.TextDocument;
    const write = (target: vscode.Uri, bytes: Uint8Array) => vscode.workspace.fs.writeFile(target, bytes);
    const has = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);

    before(async () => {
      await activateExtension();
      const folder = vscode.Uri.joinPath(workspaceRoot(), 'firmware');
      uri = vscode.Uri.joinPath(folder, 'Drone.toml');
      await write(vscode.Uri.joinPath(folder, 'Cargo.toml'), new TextEncoder().encode('[package]\nname = "blink"\nversion = "0.1.0"\n'));
      await write(vscode.Uri.joinPath(folder, '.cargo', 'config'), new TextEncoder().encode(`[build]\ntarget = "${TRIPLE}"\n`));
      await write(
        vscode.Uri.joinPath(folder, 'target', TRIPLE, 'release', 'blink'),
        readFileSync(join(FIXTURES, 'firmware', 'arm-tight.elf')),
      );
      await write(uri, readFileSync(join(FIXTURES, 'firmware', 'arm-tight.toml')));
      doc = await vscode.workspace.openTextDocument(uri);
    });

    it('warns on the heap size: the stack keeps 124 B', async () => {
      const ds = await waitForDiagnostics(uri, has('stack-room-low'), 'stack-room-low on firmware/Drone.toml');
      const low = ds.find((d) => codeOf(d) === 'stack-room-low')!;
      assert.equal(low.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(doc.getText(low.range), '"15K"');
      assert.match(low.message, /^The stack keeps 124 B of RAM/);
    });

    it('shows the RAM map in the hover on [memory.ram]', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        find(doc, '[memory.ram]').translate(0, 3),
      );
      const text = hoverText(hovers ?? []);
      assert.match(text, new RegExp(`RAM budget\\*\\* from \`target/${TRIPLE}/release/blink\``));
      assert.match(text, /\| stack room \| 0x20000000\.\.0x2000007C \| 124 B \|/);
    });

    it('raising the heap past what RAM holds is an error on its size', async () => {
      const size = find(doc, '"15K"');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(size, size.translate(0, '"15K"'.length)), '"16K"');
      const overflow = waitForDiagnostics(uri, has('ram-overflow'), 'ram-overflow after raising the heap');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const ds = await overflow;
      const error = ds.find((d) => codeOf(d) === 'ram-overflow')!;
      assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
      assert.match(error.message, /900 B too many, so the link will fail/);
    });
  });
}
