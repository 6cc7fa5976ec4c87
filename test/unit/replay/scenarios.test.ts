// Data-driven: every test/fixtures/traces/NAME.txt is a scenario (its comments derive the
// expected figures by hand) and NAME.json holds the pools and the expected figures. Each
// scenario is replayed from the text file, from its stream encoding and, when its sizes fit
// in a byte (so the 0.14 size loss does not apply), from its 0.14 encoding.

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simulateTraceBytes } from '../../../server/src/core/replay/simulate';
import type { PoolSpec } from '../../../server/src/core/replay/result';
import { LOSSY_014_WARNING } from '../../../server/src/core/trace/formats';
import { encodeStream, encodeXor014, parseScenario } from '../../support/traceGen';
import { assertMatches } from '../../support/traceHelpers';

const FIXTURES = resolve('test/fixtures/traces');

describe('replay scenarios (test/fixtures/traces)', () => {
  const names = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5));
  it('has scenarios', () => assert.ok(names.length >= 10));

  for (const name of names) {
    const { pools, expect } = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as { pools: PoolSpec[]; expect: object };
    const text = readFileSync(join(FIXTURES, `${name}.txt`));
    const events = parseScenario(text.toString('utf8'));

    describe(name, () => {
      it('text trace', () => {
        const result = simulateTraceBytes(text, pools);
        assert.equal(result.format, 'text');
        assert.equal(result.problem, null);
        assertMatches(result, expect);
      });
      it('stream encoding gives the same result', () => {
        const result = simulateTraceBytes(encodeStream(events), pools);
        assert.equal(result.format, 'stream');
        assertMatches(result, expect);
        assert.deepEqual({ ...result, format: 'text' }, simulateTraceBytes(text, pools));
      });
      if (events.every((e) => e.slice(1).every((size) => (size as number) < 256))) {
        it('0.14 encoding gives the same figures, with the lossy-size warning', () => {
          const result = simulateTraceBytes(encodeXor014(events), pools);
          assert.equal(result.format, 'xor-0.14');
          assert.deepEqual(result.warnings, [LOSSY_014_WARNING]);
          assertMatches(result, expect);
        });
      }
    });
  }
});
