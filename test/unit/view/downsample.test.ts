// Downsampling the replay's time series for the heap view's chart: never more buckets than
// asked, aligned on the source's buckets, and no peak (or dip) ever lost.
import * as assert from 'node:assert/strict';
import { PoolReplayer } from '../../../server/src/core/replay/poolReplay';
import type { ReplaySeries } from '../../../server/src/core/replay/result';
import { downsampleMax, downsampleSeries, MAX_BUCKETS } from '../../../server/src/core/view/downsample';
import { batchOf, mulberry32, type Ev } from '../../support/traceGen';

function randomSeries(seed: number, buckets: number, pools: number): ReplaySeries {
  const random = mulberry32(seed);
  return {
    bucketWidth: 1 + Math.floor(random() * 64),
    buckets,
    failureIndices: [],
    failureCount: 0,
    pools: Array.from({ length: pools }, (_, p) => {
      const min: number[] = [];
      const max: number[] = [];
      for (let k = 0; k < buckets; k++) {
        const lo = Math.floor(random() * 100);
        // Rare one-bucket spikes: the thing downsampling must not hide.
        const hi = lo + (random() < 0.01 ? 1000 + Math.floor(random() * 1000) : Math.floor(random() * 20));
        min.push(lo);
        max.push(hi);
      }
      return { block: 4 << p, min, max };
    }),
  };
}

describe('heap view: downsampling the time series', () => {
  it('returns the series unchanged (as a copy) when it already fits', () => {
    const series = randomSeries(1, 500, 3);
    const out = downsampleSeries(series, 1000);
    assert.equal(out.buckets, 500);
    assert.equal(out.bucketWidth, series.bucketWidth);
    assert.deepEqual(
      out.pools,
      series.pools.map(({ block, min, max }) => ({ block, min, max })),
    );
    assert.notEqual(out.pools[0].max, series.pools[0].max);
  });

  it('keeps the min of the mins and the max of the maxes of each group, aligned on source buckets (property, 300 cases)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = mulberry32(seed * 7919);
      const buckets = 1 + Math.floor(random() * 1000);
      const target = 1 + Math.floor(random() * 400);
      const series = randomSeries(seed, buckets, 1 + (seed % 4));
      const out = downsampleSeries(series, target);
      const group = Math.ceil(buckets / target);
      const context = `seed ${seed}, ${buckets} buckets → ≤ ${target}`;
      assert.ok(out.buckets <= target, context);
      assert.equal(out.buckets, Math.ceil(buckets / group), context);
      assert.equal(out.bucketWidth, series.bucketWidth * group, context);
      series.pools.forEach((pool, p) => {
        const got = out.pools[p];
        assert.equal(got.block, pool.block);
        assert.equal(got.min.length, out.buckets);
        for (let k = 0; k < out.buckets; k++) {
          const from = k * group;
          const to = Math.min(buckets, from + group);
          assert.equal(got.max[k], Math.max(...pool.max.slice(from, to)), `${context}, pool ${p}, bucket ${k} max`);
          assert.equal(got.min[k], Math.min(...pool.min.slice(from, to)), `${context}, pool ${p}, bucket ${k} min`);
        }
        // Every peak survives: the overall max and min are the same, and each source bucket's
        // max is ≤ the max of the output bucket covering the same events.
        assert.equal(Math.max(...got.max), Math.max(...pool.max), context);
        assert.equal(Math.min(...got.min), Math.min(...pool.min), context);
        for (let j = 0; j < buckets; j++) {
          const k = Math.floor((j * series.bucketWidth) / out.bucketWidth);
          assert.ok(got.max[k] >= pool.max[j] && got.min[k] <= pool.min[j], `${context}, source bucket ${j} inside output bucket ${k}`);
        }
      });
    }
  });

  it('shows a one-event spike of a long replay in the bucket covering its event', () => {
    // 100 000 events: alloc/free pairs of 8 B, and at event 61 337 a burst of 50 allocations of
    // 16 B, freed at once. The replay keeps ≤ 1000 buckets; a 37-pixel chart still sees 50.
    const events: Ev[] = [];
    while (events.length < 61_337) events.push(events.length % 2 === 0 ? ['alloc', 8] : ['free', 8]);
    for (let i = 0; i < 50; i++) events.push(['alloc', 16]);
    for (let i = 0; i < 50; i++) events.push(['free', 16]);
    while (events.length < 100_000) events.push(events.length % 2 === 0 ? ['alloc', 8] : ['free', 8]);
    const replayer = new PoolReplayer([
      { block: 8, capacity: 4 },
      { block: 16, capacity: 64 },
    ]);
    replayer.consume(batchOf(events));
    const result = replayer.result();
    const out = downsampleSeries(result.series, 37);
    assert.ok(out.buckets <= 37);
    const peakBucket = Math.floor((61_337 + 49) / out.bucketWidth);
    assert.equal(out.pools[1].max[peakBucket], 50);
    assert.equal(Math.max(...out.pools[1].max), 50);
    assert.deepEqual(
      out.pools[1].max.map((v, k) => (v > 0 ? k : -1)).filter((k) => k >= 0),
      [peakBucket],
    );
    // The 8-byte pool breathes between 0 and 1 in every bucket.
    assert.ok(out.pools[0].max.every((v) => v === 1) && out.pools[0].min.every((v) => v === 0));
    // Bucket boundaries: the buckets cover all events, the last one partially at most.
    assert.ok(out.buckets * out.bucketWidth >= result.events && (out.buckets - 1) * out.bucketWidth < result.events);
  });

  it('bounds odd requests: 0, negative, NaN, huge', () => {
    const series = randomSeries(3, 1000, 1);
    assert.equal(downsampleSeries(series, 0).buckets, 1);
    assert.equal(downsampleSeries(series, -5).buckets, 1);
    assert.equal(downsampleSeries(series, 1).pools[0].max[0], Math.max(...series.pools[0].max));
    assert.equal(downsampleSeries(series, Number.NaN).buckets, 1000);
    assert.equal(downsampleSeries(series, 1e9).buckets, 1000);
    assert.ok(MAX_BUCKETS >= 1000);
    const empty = downsampleSeries({ bucketWidth: 1, buckets: 0, pools: [{ block: 4, min: [], max: [] }] }, 100);
    assert.deepEqual(empty, { bucketWidth: 1, buckets: 0, pools: [{ block: 4, min: [], max: [] }] });
  });
});

describe('heap view: downsampling one value per bucket (max)', () => {
  it('merges equal groups keeping the max, never more buckets than asked', () => {
    const random = mulberry32(7);
    const values = Array.from({ length: 1000 }, () => random() * 0.5);
    values[613] = 0.99; // one worst moment
    for (const target of [1, 7, 100, 999, 1000, 5000]) {
      const out = downsampleMax({ bucketWidth: 4, buckets: 1000, values }, target);
      assert.ok(out.buckets <= Math.max(1, target), `target ${target}`);
      assert.equal(out.values.length, out.buckets);
      const group = out.bucketWidth / 4;
      assert.equal(out.buckets, Math.ceil(1000 / group));
      out.values.forEach((v, k) => assert.equal(v, Math.max(...values.slice(k * group, (k + 1) * group))));
      assert.equal(Math.max(...out.values), 0.99);
    }
  });
});
