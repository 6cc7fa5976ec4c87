// Harness self-test: `node test/e2e/run.mjs --inject-failure` sets DRONE_HEAP_E2E_INJECT_FAILURE so
// that one in-host test fails on purpose. Proves a failing test reaches the summary and exit code.
import * as assert from 'node:assert/strict';

export default function register(): void {
  if (!process.env.DRONE_HEAP_E2E_INJECT_FAILURE) return;
  describe('harness self-test', () => {
    it('fails on purpose (--inject-failure)', () => {
      assert.fail('deliberate failure requested by --inject-failure');
    });
  });
}
