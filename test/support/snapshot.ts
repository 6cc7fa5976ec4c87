// Golden files: compared exactly; written when missing or when UPDATE_SNAPSHOTS=1 (then
// read them before committing: a snapshot is only as good as its review).
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function matchSnapshot(path: string, actual: string): void {
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(path)) {
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `snapshot ${path} differs (UPDATE_SNAPSHOTS=1 rewrites it)`);
}
