// The heap view's data stays small whatever the trace: the replay keeps ≤ 1000 buckets, the
// summary merges them further for the chart's width and bins the sizes. Measured here on a
// 1M-event firmware-like trace and on a trace with hundreds of thousands of distinct sizes;
// HEAP_VIEW_10M=1 also measures 10M-event traces and prints the figures.
import * as assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PoolSpec } from '../../../server/src/core/replay/result';
import { simulateTraceFile } from '../../../server/src/core/replay/simulate';
import { encodeStream, randomEvents } from '../../support/traceGen';
import { workloadPools } from '../../support/traceWorkload';
import { done, droneToml, replayText, replayWorkload, viewOf } from './viewFixtures';

const LIMIT = 1_000_000;
const STARTER = workloadPools(1);

function measure(label: string, pools: readonly PoolSpec[], result: Awaited<ReturnType<typeof replayWorkload>>, buckets: number) {
  const started = process.hrtime.bigint();
  const data = viewOf(droneToml(pools), { status: done('/p/heaptrace', result.events), result, buckets });
  const summariseMs = Number(process.hrtime.bigint() - started) / 1e6;
  const json = JSON.stringify({ type: 'data', data });
  if (process.env.HEAP_VIEW_10M || process.env.HEAP_VIEW_SIZES) {
    console.log(
      `      ${label}: ${result.events} events, message ${json.length} B, summarised in ${summariseMs.toFixed(1)} ms; ${data.series!.buckets} buckets × ${data.series!.pools.length} pools, ${data.histogram!.bins.length} size bins of ${data.histogram!.distinctSizes} sizes, ${data.series!.failureIndices.length}/${data.series!.failureCount} failures listed`,
    );
  }
  return { data, bytes: json.length, summariseMs };
}

describe('heap view: message size', function () {
  this.timeout(300_000);

  it('stays far below 1 MB for a 1M-event trace (wide chart: 1600 buckets asked, ≤ 1000 kept)', async () => {
    const result = await replayWorkload(STARTER, 1_000_000);
    const { data, bytes } = measure('workload 1M', STARTER, result, 1600);
    assert.ok(bytes < LIMIT / 4, `${bytes} B`);
    assert.ok(data.series!.buckets <= 1000);
    assert.ok(data.series!.failureIndices.length <= 1000);
  });

  it('bins hundreds of thousands of distinct sizes into ≤ 120 bars and stays below 1 MB', () => {
    const events = randomEvents(7, 300_000); // 20% of sizes anywhere in u32
    const result = replayText(STARTER, encodeStream(events));
    const { data, bytes } = measure('random u32 sizes', STARTER, result, 1000);
    assert.ok(data.histogram!.distinctSizes > 10_000, String(data.histogram!.distinctSizes));
    assert.ok(data.histogram!.bins.length <= 120);
    assert.ok(bytes < LIMIT, `${bytes} B`);
  });

  (process.env.HEAP_VIEW_10M ? it : it.skip)('10M-event traces (HEAP_VIEW_10M=1): workload and random sizes', async () => {
    const workload = await replayWorkload(STARTER, 10_000_000);
    const a = measure('workload 10M', STARTER, workload, 1600);
    assert.ok(a.bytes < LIMIT);
    // Random sizes, 10M events written in 1M-event pieces (each well-formed on its own).
    const dir = mkdtempSync(join(tmpdir(), 'heapview-random-'));
    try {
      const path = join(dir, 'heaptrace');
      const fd = openSync(path, 'w');
      for (let piece = 0; piece < 10; piece++) writeSync(fd, encodeStream(randomEvents(100 + piece, 1_000_000)));
      closeSync(fd);
      const random = await simulateTraceFile(path, STARTER);
      const b = measure('random 10M', STARTER, random, 1600);
      assert.ok(b.bytes < LIMIT);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
