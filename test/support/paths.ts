// Paths the tests share.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Tests are bundled to different depths under out/, so the root is found, not assumed. */
function findRepoRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'esbuild.mjs'))) return dir;
  }
  throw new Error(`no repository root above ${start}`);
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
/** The real Drone.toml files from public projects (test/fixtures/corpus/README.md says whose). */
export const CORPUS = join(FIXTURES, 'corpus');

export function corpusFiles(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.toml'))
    .sort()
    .map((f) => join(CORPUS, f));
}
