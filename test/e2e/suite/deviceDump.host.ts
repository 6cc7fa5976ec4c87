// Device figures from a RAM dump in the real extension host: "Drone Heap: Load Device Memory
// Dump…" (given the file and address, as the dialogs would) on a project whose firmware is
// real linker output (test/fixtures/firmware/arm-main.elf) and whose RAM was left by the
// firmware's allocator (test/support/boardModel.ts): the full pool gets its warning and the
// device hints appear beside the pools; Clear Device Figures takes them away.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { BoardModel } from '../../support/boardModel';
import { FIXTURES } from '../../support/paths';
import { activateExtension, codeOf, hintLabels, waitForDiagnostics, workspaceRoot } from './helpers';

const TRIPLE = 'thumbv7em-none-eabihf';
const RAM = 0x2000_0000;

export default function register(): void {
  describe('device figures from a RAM dump on device/Drone.toml (written by this suite)', () => {
    let uri: vscode.Uri;
    let dump: vscode.Uri;
    const write = (target: vscode.Uri, bytes: Uint8Array) => vscode.workspace.fs.writeFile(target, bytes);
    const deviceHints = () => hintLabels(uri, 'device:');

    before(async () => {
      await activateExtension();
      const folder = vscode.Uri.joinPath(workspaceRoot(), 'device');
      uri = vscode.Uri.joinPath(folder, 'Drone.toml');
      dump = vscode.Uri.joinPath(folder, 'ram.bin');
      await write(vscode.Uri.joinPath(folder, 'Cargo.toml'), new TextEncoder().encode('[package]\nname = "blink"\nversion = "0.1.0"\n'));
      await write(vscode.Uri.joinPath(folder, '.cargo', 'config'), new TextEncoder().encode(`[build]\ntarget = "${TRIPLE}"\n`));
      await write(
        vscode.Uri.joinPath(folder, 'target', TRIPLE, 'release', 'blink'),
        readFileSync(join(FIXTURES, 'firmware', 'arm-main.elf')),
      );
      await write(uri, readFileSync(join(FIXTURES, 'firmware', 'arm-main.toml')));
      // arm-main.elf's HEAP (nm: 0x20017ecc) over the heap at the end of 128 KiB of RAM: the 4 B pool fills up.
      const board = new BoardModel(
        RAM,
        128 * 1024,
        0x2001_7ecc,
        0x2001_8000,
        [
          { block: 4, capacity: 512 },
          { block: 32, capacity: 256 },
          { block: 256, capacity: 88 },
        ],
        ['size', 'edge', 'free', 'uninit'],
      );
      for (let i = 0; i < 520; i++) board.allocate(4);
      await write(dump, board.ram);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    });

    it('warns on the pool that has been full and shows the device hints', async () => {
      const full = waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'device-pool-full'), 'device-pool-full');
      assert.equal(await vscode.commands.executeCommand('droneHeap.loadDeviceDump', dump, RAM), true);
      const warning = (await full).find((d) => codeOf(d) === 'device-pool-full')!;
      assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(warning.message, /all 512 blocks of the 4 B pool were in use at once/);
      assert.deepEqual(await deviceHints(), [
        'device: peak 512/512 · now 512 · was full',
        'device: peak 8/256 · now 8',
        'device: peak 0/88 · now 0',
      ]);
    });

    it('Clear Device Figures takes them away', async () => {
      const cleared = waitForDiagnostics(uri, (ds) => !ds.some((d) => String(codeOf(d)).startsWith('device-')), 'no device findings');
      await vscode.commands.executeCommand('droneHeap.clearDeviceFigures');
      await cleared;
      assert.deepEqual(await deviceHints(), []);
    });
  });
}
