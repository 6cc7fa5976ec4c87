// The QEMU test firmware (test/fixtures/device) running on an emulated Cortex-M3
// (`qemu-system-arm -M lm3s6965evb`), halted at reset with its GDB stub listening, for tests
// that debug it live: GDB itself, or a VS Code debug session through a debug adapter.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { FIXTURES } from './paths';

export const DEVICE_FIXTURES = join(FIXTURES, 'device');
export const QEMU_FIRMWARE = join(DEVICE_FIXTURES, 'firmware.elf');

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** Why the live tests cannot run here (a tool is missing), or null. */
export function qemuSkipReason(): string | null {
  const missing = ['qemu-system-arm', 'gdb-multiarch'].filter((c) => !has(c));
  return missing.length ? `${missing.join(' and ')} not installed (npm run e2e:setup installs them)` : null;
}

export interface Board {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once the port accepts a connection; each refused attempt retries when it fails. */
function whenListening(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`qemu-system-arm exited with ${child.exitCode} before listening`));
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`QEMU's GDB stub did not listen on port ${port} within ${timeoutMs} ms`));
        else setImmediate(attempt);
      });
    };
    attempt();
  });
}

/** Starts the firmware in QEMU, halted before its first instruction, GDB stub on a free port. */
export async function startBoard(elf = QEMU_FIRMWARE): Promise<Board> {
  const port = await freePort();
  const child = spawn(
    'qemu-system-arm',
    ['-M', 'lm3s6965evb', '-nographic', '-monitor', 'none', '-serial', 'none', '-S', '-gdb', `tcp:127.0.0.1:${port}`, '-kernel', elf],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    await whenListening(port, child, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, process: child, stop };
}
