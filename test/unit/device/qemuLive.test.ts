// The committed device fixtures are what a real CPU produces: the test firmware runs in QEMU
// (an emulated Cortex-M3) under GDB, which dumps its RAM at both checkpoints; the dumps must
// equal test/fixtures/device/dump-{1,2}.bin byte for byte. Skipped, with the reason printed,
// where qemu-system-arm or gdb-multiarch is missing (CI installs both: npm run e2e:setup).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVICE_FIXTURES, QEMU_FIRMWARE, qemuSkipReason, startBoard, type Board } from '../../support/qemuBoard';

function gdb(args: string[], timeoutMs: number): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('gdb-multiarch', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gdb-multiarch did not finish within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

describe('the QEMU test firmware, live', function () {
  this.timeout(60_000);
  let board: Board | undefined;
  before(function () {
    const reason = qemuSkipReason();
    if (reason) {
      console.log(`    (skipped: ${reason})`);
      this.skip();
    }
  });
  afterEach(async () => {
    await board?.stop();
    board = undefined;
  });

  it('stops at both checkpoints with the RAM the fixtures hold', async () => {
    board = await startBoard();
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-qemu-'));
    const { status, output } = await gdb(
      [
        '-q',
        '-batch',
        '-nx',
        '-ex',
        'set confirm off',
        '-ex',
        `target remote 127.0.0.1:${board.port}`,
        '-ex',
        'break checkpoint_one',
        '-ex',
        'continue',
        '-ex',
        `dump binary memory ${join(dir, 'dump-1.bin')} 0x20000000 0x20010000`,
        '-ex',
        'break checkpoint_two',
        '-ex',
        'continue',
        '-ex',
        `dump binary memory ${join(dir, 'dump-2.bin')} 0x20000000 0x20010000`,
        QEMU_FIRMWARE,
      ],
      45_000,
    );
    assert.equal(status, 0, output);
    assert.match(output, /Breakpoint 1, .*checkpoint_one/);
    assert.match(output, /Breakpoint 2, .*checkpoint_two/);
    for (const n of [1, 2]) {
      const live = readFileSync(join(dir, `dump-${n}.bin`));
      const committed = readFileSync(join(DEVICE_FIXTURES, `dump-${n}.bin`));
      assert.ok(live.equals(committed), `dump-${n}.bin from the live run differs from the committed one`);
    }
  });
});
