// A zoomed range of the series (core/view/rangeSeries.ts): from the replay's per-event steps
// it equals a replay that keeps one bucket per event (random traces and layouts, grows and
// shrinks included); past the step log's limit it falls back to the stored buckets that
// cover the range; the log costs nothing unless asked for.
import * as assert from 'node:assert/strict';
import { PoolReplayer, type ReplayOptions } from '../../../server/src/core/replay/poolReplay';
import type { PoolSpec, ReplayResult } from '../../../server/src/core/replay/result';
import { rangeSeries } from '../../../server/src/core/view/rangeSeries';
import { batchOf, mulberry32, randomEvents, type Ev } from '../../support/traceGen';

function replay(pools: PoolSpec[], events: readonly Ev[], options: ReplayOptions = {}): ReplayResult {
  const replayer = new PoolReplayer(pools, options);
  // In uneven batches, as a file is read.
  for (let i = 0; i < events.length; i += 333) replayer.consume(batchOf(events.slice(i, i + 333)));
  return replayer.result();
}

describe('zoomed range of the time series', () => {
  it('from the step log equals a replay with a bucket per event, merged to the asked width (property, 60 cases)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = mulberry32(seed);
      const pools = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => ({
        block: 8 << i,
        capacity: 1 + Math.floor(random() * 10),
      }));
      const events = randomEvents(seed, 3000, { maxSize: 300, wellFormed: seed % 4 !== 0 });
      const logged = replay(pools, events, { stepLogLimit: 10_000 });
      const fine = replay(pools, events, { seriesBuckets: 4000 });
      assert.equal(fine.series.bucketWidth, 1);
      assert.equal(logged.steps?.length, logged.events);
      const from = Math.floor(random() * 2000);
      const to = from + 1 + Math.floor(random() * 900);
      const target = 1 + Math.floor(random() * 400);
      const range = rangeSeries(logged, from, to, target)!;
      const width = Math.ceil((to - from) / target);
      assert.deepEqual([range.from, range.to, range.bucketWidth, range.fromSteps], [from, to, width, true], `seed ${seed}`);
      assert.equal(range.buckets, Math.ceil((to - from) / width));
      fine.series.pools.forEach((pool, p) => {
        for (let k = 0; k < range.buckets; k++) {
          const a = from + k * width;
          const b = Math.min(to, a + width);
          assert.equal(range.pools[p].max[k], Math.max(...pool.max.slice(a, b)), `seed ${seed}, pool ${p}, bucket ${k}`);
          assert.equal(range.pools[p].min[k], Math.min(...pool.min.slice(a, b)), `seed ${seed}, pool ${p}, bucket ${k}`);
        }
      });
    }
  });

  it('starts a range past the log’s checkpoints (every 64K events) from the right counts', () => {
    const pools = [
      { block: 16, capacity: 6 },
      { block: 64, capacity: 9 },
      { block: 256, capacity: 3 },
    ];
    const events = randomEvents(11, 140_000, { maxSize: 300 });
    const logged = replay(pools, events, { stepLogLimit: 200_000 });
    const fine = replay(pools, events, { seriesBuckets: 140_000 });
    assert.equal(fine.series.bucketWidth, 1);
    for (const from of [65_535, 65_536, 131_071, 139_000]) {
      const range = rangeSeries(logged, from, from + 700, 700)!;
      assert.equal(range.bucketWidth, 1);
      fine.series.pools.forEach((pool, p) => {
        assert.deepEqual(range.pools[p].max, pool.max.slice(from, from + 700), `from ${from}, pool ${p}`);
        assert.deepEqual(range.pools[p].min, pool.min.slice(from, from + 700), `from ${from}, pool ${p}`);
      });
    }
  });

  it('without the log (a trace longer than its limit) merges the stored buckets that cover the range', () => {
    const pools = [
      { block: 16, capacity: 4 },
      { block: 64, capacity: 8 },
    ];
    const events = randomEvents(7, 5000, { maxSize: 60 });
    const result = replay(pools, events, { stepLogLimit: 1000, seriesBuckets: 100 });
    assert.equal(result.steps, undefined, 'the log is dropped past its limit');
    const width = result.series.bucketWidth;
    assert.ok(width > 1);
    const range = rangeSeries(result, 1234, 2345, 1000)!;
    assert.equal(range.fromSteps, false);
    assert.equal(range.bucketWidth, width);
    assert.ok(range.from <= 1234 && range.from % width === 0 && range.to >= 2345);
    const first = range.from / width;
    result.series.pools.forEach((pool, p) => assert.deepEqual(range.pools[p].max, pool.max.slice(first, first + range.buckets)));
  });

  it('keeps no log unless asked, and answers null for an empty range', () => {
    const events = randomEvents(3, 500, { maxSize: 60 });
    const result = replay([{ block: 64, capacity: 8 }], events);
    assert.equal(result.steps, undefined);
    assert.equal(rangeSeries(result, 300, 300, 100), null);
    assert.equal(rangeSeries(result, 600, 900, 100), null, 'past the end');
  });
});
