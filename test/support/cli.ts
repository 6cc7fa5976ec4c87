// Running the bundled CLI (dist/cli.js) as users do: a child process in a folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

export const CLI = join(REPO_ROOT, 'dist', 'cli.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd = REPO_ROOT, env: NodeJS.ProcessEnv = process.env): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same command with helper threads (on a large trace, multi-core) and in one thread (DRONE_HEAP_THREADS=1). */
export function runCliBothWays(args: string[], cwd: string): { threads: CliRun; oneThread: CliRun } {
  const { DRONE_HEAP_THREADS: _, ...env } = process.env;
  return { threads: runCli(args, cwd, env), oneThread: runCli(args, cwd, { ...env, DRONE_HEAP_THREADS: '1' }) };
}

/** A fresh folder holding `Drone.toml` with this text. */
export function projectWith(droneToml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-cli-'));
  writeFileSync(join(dir, 'Drone.toml'), droneToml);
  return dir;
}
