// Golden files: compared exactly; written when missing or when UPDATE_SNAPSHOTS=1 (then
// read them before committing: a snapshot is only as good as its review). A mismatch
// shows the first differing lines only, not a wall of shifted ones.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { REPO_ROOT } from './paths';

export function matchSnapshot(path: string, actual: string): void {
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  const expected = readFileSync(path, 'utf8');
  if (expected === actual) return;
  assert.fail(`${relative(REPO_ROOT, path)} is out of date.\n${describeFirstDifferences(expected.split('\n'), actual.split('\n'))}`);
}

export function describeFirstDifferences(expected: string[], actual: string[], maxLines = 12): string {
  let first = 0;
  while (first < expected.length && first < actual.length && expected[first] === actual[first]) first++;
  const out = [`first difference at line ${first + 1} (expected ${expected.length} lines, got ${actual.length}):`];
  for (let i = Math.max(0, first - 2); i < first; i++) out.push(`  ${expected[i]}`);
  const stop = Math.min(Math.max(expected.length, actual.length), first + maxLines);
  for (let i = first; i < stop; i++) {
    if (expected[i] === actual[i]) {
      out.push(`  ${expected[i]}`);
      continue;
    }
    if (i < expected.length) out.push(`- ${expected[i]}`);
    if (i < actual.length) out.push(`+ ${actual[i]}`);
  }
  out.push('(- committed snapshot, + now; if the change is intended, rerun with UPDATE_SNAPSHOTS=1 and review the diff)');
  return out.join('\n');
}
