// Device figures from a real debug session: the QEMU test firmware (test/fixtures/device) runs
// on an emulated Cortex-M3 with its GDB stub open; a VS Code debug session through
// cdt-gdb-adapter (the test-only gdb-debugger extension) drives gdb-multiarch against it. At the
// breakpoint on checkpoint_one the extension reads the heap with DAP readMemory and the device
// figures appear inline; continued to checkpoint_two, they update. Skipped, with the reason,
// where qemu-system-arm or gdb-multiarch is missing.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEVICE_FIXTURES, QEMU_FIRMWARE, qemuSkipReason, startBoard, type Board } from '../../support/qemuBoard';
import { activateExtension, codeOf, hintLabels, waitForDiagnostics, WAIT_MS, workspaceRoot } from './helpers';

const TRIPLE = 'thumbv7m-none-eabi';
const DEBUG_TYPE = 'drone-heap-test-gdb';

interface DapEvent {
  type?: string;
  event?: string;
  body?: { threadId?: number; reason?: string };
}

/** The session's `stopped` events, each awaited in turn. */
class StopWatcher implements vscode.Disposable {
  private readonly stops: DapEvent[] = [];
  private waiting: ((event: DapEvent) => void) | null = null;
  private readonly registration = vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (message: DapEvent) => {
        if (message.type !== 'event' || message.event !== 'stopped') return;
        if (this.waiting) {
          this.waiting(message);
          this.waiting = null;
        } else this.stops.push(message);
      },
    }),
  });

  next(what: string): Promise<DapEvent> {
    const queued = this.stops.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no stop within ${WAIT_MS} ms: ${what}`)), WAIT_MS);
      this.waiting = (event) => {
        clearTimeout(timer);
        resolve(event);
      };
    });
  }

  dispose(): void {
    this.registration.dispose();
  }
}

/** The function the session is stopped in (top frame of the stopped thread). */
async function stoppedIn(session: vscode.DebugSession, threadId: number): Promise<string> {
  const trace = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as { stackFrames: { name: string }[] };
  return trace.stackFrames[0]?.name ?? '';
}

export default function register(): void {
  describe('device figures from a paused debug session (QEMU, cdt-gdb-adapter, gdb-multiarch)', function () {
    let board: Board | undefined;
    let stops: StopWatcher | undefined;
    let session: vscode.DebugSession | undefined;
    let uri: vscode.Uri;
    const skipReason = qemuSkipReason();

    const deviceHints = () => hintLabels(uri, 'device:');
    const fullPools = (count: number) => (ds: vscode.Diagnostic[]) => ds.filter((d) => codeOf(d) === 'device-pool-full').length === count;

    /** Continues until the session stops in `name` (the first stop may be at reset, before any breakpoint). */
    async function runTo(name: string): Promise<void> {
      for (let stop = 0; stop < 4; stop++) {
        const event = await stops!.next(`a stop on the way to ${name}`);
        const threadId = event.body?.threadId ?? 1;
        if ((await stoppedIn(session!, threadId)).includes(name)) return;
        await session!.customRequest('continue', { threadId });
      }
      throw new Error(`the session never stopped in ${name}`);
    }

    before(async function () {
      if (skipReason) {
        console.log(`    (skipped: ${skipReason})`);
        this.skip();
      }
      await activateExtension();
      const folder = vscode.Uri.joinPath(workspaceRoot(), 'qemu');
      uri = vscode.Uri.joinPath(folder, 'Drone.toml');
      const write = (target: vscode.Uri, bytes: Uint8Array) => vscode.workspace.fs.writeFile(target, bytes);
      await write(
        vscode.Uri.joinPath(folder, 'Cargo.toml'),
        new TextEncoder().encode('[package]\nname = "qemu-heap"\nversion = "0.1.0"\n'),
      );
      await write(vscode.Uri.joinPath(folder, '.cargo', 'config.toml'), new TextEncoder().encode(`[build]\ntarget = "${TRIPLE}"\n`));
      await write(vscode.Uri.joinPath(folder, 'target', TRIPLE, 'release', 'qemu-heap'), readFileSync(QEMU_FIRMWARE));
      await write(uri, readFileSync(join(DEVICE_FIXTURES, 'Drone.toml')));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      board = await startBoard();
      stops = new StopWatcher();
      vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('checkpoint_one'), new vscode.FunctionBreakpoint('checkpoint_two')]);
      const started = new Promise<vscode.DebugSession>((resolve) => {
        const listener = vscode.debug.onDidStartDebugSession((s) => {
          if (s.type !== DEBUG_TYPE) return;
          listener.dispose();
          resolve(s);
        });
      });
      const ok = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
        type: DEBUG_TYPE,
        request: 'attach',
        name: 'QEMU lm3s6965evb',
        gdb: 'gdb-multiarch',
        program: QEMU_FIRMWARE,
        target: { type: 'remote', parameters: [`127.0.0.1:${board.port}`] },
      });
      assert.ok(ok, 'the debug session starts');
      session = await started;
    });

    after(async () => {
      if (session) await vscode.debug.stopDebugging(session);
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      stops?.dispose();
      await board?.stop();
    });

    it('at the breakpoint on checkpoint_one the device figures appear inline', async () => {
      const atOne = waitForDiagnostics(uri, fullPools(2), 'device-pool-full on the 16 B and 128 B pools');
      await runTo('checkpoint_one');
      await atOne;
      assert.deepEqual(await deviceHints(), [
        'device: peak 8/8 · now 6 · was full',
        'device: peak 5/6 · now 2',
        'device: peak 2/4 · now 2',
        'device: peak 2/2 · now 2 · was full',
      ]);
    });

    it('continued to checkpoint_two, the figures update', async () => {
      const atTwo = waitForDiagnostics(uri, fullPools(3), 'device-pool-full on the 64 B pool too');
      await session!.customRequest('continue', { threadId: 1 });
      await runTo('checkpoint_two');
      await atTwo;
      assert.deepEqual(await deviceHints(), [
        'device: peak 8/8 · now 8 · was full',
        'device: peak 5/6 · now 3',
        'device: peak 4/4 · now 4 · was full',
        'device: peak 2/2 · now 1 · was full',
      ]);
    });
  });
}
