// drone-heap in pipelines: a reader that goes away early (`| head -1`) must end the command
// quietly — no "Unhandled 'error' event … EPIPE", no stack trace — with the command's own
// exit status. Run as users do: the bundled CLI as a child process.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, runCli } from '../support/cli';
import { FIXTURES, REPO_ROOT } from '../support/paths';

const EXAMPLE = join(REPO_ROOT, 'examples', 'sensor-logger');
const TRACE = join(EXAMPLE, 'heaptrace');
const BROKEN = join(FIXTURES, 'config', 'sum-over.toml');
const FIRMWARE = join(FIXTURES, 'firmware');
const DEVICE = join(FIXTURES, 'device');

/** Every command that prints, with arguments that make it print (run in the example project). */
const COMMANDS: string[][] = [
  ['--help'],
  ['--version'],
  ['check', BROKEN],
  ['check', '--json', BROKEN],
  ['stats', '--trace', TRACE],
  ['stats', '--trace', TRACE, '--json'],
  ['simulate', '--trace', TRACE],
  ['simulate', '--trace', TRACE, '--json'],
  ['optimize', '--trace', TRACE],
  ['optimize', '--trace', TRACE, '--json'],
  ['compare', '--trace', TRACE],
  ['compare', '--trace', TRACE, '--json'],
  ['starter', '--size', '10K'],
  ['ram', '--config', join(FIRMWARE, 'arm-tight.toml'), '--elf', join(FIRMWARE, 'arm-tight.elf')],
  ['ram', '--config', join(FIRMWARE, 'arm-tight.toml'), '--elf', join(FIRMWARE, 'arm-tight.elf'), '--json'],
  ['device', '--config', join(DEVICE, 'Drone.toml'), '--elf', join(DEVICE, 'firmware.elf'), '--dump', join(DEVICE, 'dump-1.bin')],
  ['device', '--config', join(DEVICE, 'Drone.toml'), '--elf', join(DEVICE, 'firmware.elf'), '--dump', join(DEVICE, 'dump-1.bin'), '--json'],
  ['stats', '--help'],
];

/** Runs the CLI with its stdout closed before it writes a byte: the harshest early reader. */
function runWithClosedStdout(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: EXAMPLE, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('drone-heap in a pipeline whose reader goes away', () => {
  it('has a fixture for every command the CLI lists', () => {
    const listed = [...runCli(['--help']).stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]);
    assert.ok(listed.length >= 6, `commands listed by --help: ${listed}`);
    for (const command of listed)
      assert.ok(
        COMMANDS.some((args) => args[0] === command),
        `no pipeline test runs "${command}"`,
      );
  });

  for (const args of COMMANDS) {
    it(`drone-heap ${args.join(' ').replaceAll(REPO_ROOT, '…')}: quiet, with its own exit status`, async () => {
      const normal = runCli(args, EXAMPLE);
      assert.ok(normal.stdout.length > 0, 'the command prints something to stdout');
      const piped = await runWithClosedStdout(args);
      assert.doesNotMatch(piped.stderr, /EPIPE|Unhandled|^\s+at /m, piped.stderr);
      assert.equal(piped.status, normal.status, piped.stderr);
      // Whatever goes to stderr (a summary line, a usage text) is what a normal run prints there.
      assert.equal(piped.stderr, normal.stderr);
    });
  }

  it('`drone-heap simulate … | true` in a real shell: the reader is gone before the first line, nothing on stderr', () => {
    const script = `"${process.execPath}" "${CLI}" simulate --trace "${TRACE}" | true; echo "status \${PIPESTATUS[0]}" >&2`;
    const result = spawnSync('bash', ['-c', script], { cwd: EXAMPLE, encoding: 'utf8' });
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `status ${runCli(['simulate', '--trace', TRACE], EXAMPLE).status}\n`);
  });
});
