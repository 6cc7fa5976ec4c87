// Running the bundled CLI (dist/cli.js) as users do: a child process in a folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

export const CLI = join(REPO_ROOT, 'dist', 'cli.js');

export function runCli(args: string[], cwd = REPO_ROOT): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh folder holding `Drone.toml` with this text. */
export function projectWith(droneToml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-cli-'));
  writeFileSync(join(dir, 'Drone.toml'), droneToml);
  return dir;
}
