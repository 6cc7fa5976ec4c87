import * as assert from 'node:assert/strict';
import { allocModels } from '../../../server/src/core/alloc/compare';
import { PoolReplayer } from '../../../server/src/core/replay/poolReplay';
import type { PoolSpec, ReplayResult } from '../../../server/src/core/replay/result';
import { simulateTraceBytes } from '../../../server/src/core/replay/simulate';
import { LOSSY_014_WARNING } from '../../../server/src/core/trace/formats';
import { batchOf, encodeStream, encodeXor014, mulberry32, parseScenario, randomEvents, type Ev } from '../../support/traceGen';
import { referenceReplay } from '../../support/traceReference';

function replay(pools: PoolSpec[], events: readonly Ev[], options = {}): ReplayResult {
  const replayer = new PoolReplayer(pools, options);
  replayer.consume(batchOf(events));
  return replayer.result();
}

function randomPools(seed: number): PoolSpec[] {
  const random = mulberry32(seed);
  const count = 1 + Math.floor(random() * 6);
  return Array.from({ length: count }, () => ({
    block: [8, 16, 16, 24, 32, 64, 100, 128, 256, 512][Math.floor(random() * 10)],
    capacity: Math.floor(random() * 12),
  }));
}

describe('pool replay', () => {
  it('agrees with a naive reference model on random traces and layouts (property, 200 cases)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const pools = randomPools(seed);
      const events = randomEvents(seed, 300, { maxSize: seed % 3 === 0 ? 600 : 300, wellFormed: seed % 5 !== 0 });
      const result = replay(pools, events);
      const ref = referenceReplay(pools, events);
      const context = `seed ${seed}, pools ${JSON.stringify(pools)}`;
      for (const key of [
        'events',
        'failures',
        'firstFailure',
        'failuresTooLarge',
        'unmatchedFrees',
        'firstUnmatchedFree',
        'zeroSizeRequests',
        'peakReservedBytes',
        'peakReservedAt',
        'peakRequestedBytes',
        'peakRequestedAt',
      ] as const) {
        assert.deepEqual(result[key], ref[key], `${key}, ${context}`);
      }
      result.pools.forEach((pool, i) => {
        const r = ref.pools[i];
        assert.deepEqual(
          [
            pool.block,
            pool.capacity,
            pool.peak,
            pool.peakAt,
            pool.allocations,
            pool.overflowIn,
            pool.failures,
            pool.fragmentationAtHeapPeak,
            pool.neverUsed,
          ],
          [r.block, r.capacity, r.peak, r.peakAt, r.allocations, r.overflowIn, r.failures, r.fragmentationAtHeapPeak, r.capacity - r.peak],
          `pool ${i}, ${context}`,
        );
        assert.equal(pool.sizes.reduce((s, x) => s + x.count, 0) + pool.sizesOmittedCount, pool.allocations);
      });
      assert.deepEqual(new Map(result.droneStats.sizes.map((s) => [s.size, s.maxLoad])), ref.maxLoad, context);
      assert.equal(result.failures, result.pools.reduce((s, p) => s + p.failures, 0) + result.failuresTooLarge);
    }
  });

  it('keeps deep LIFO stacks right while they grow and move (agrees with the reference)', () => {
    // Sizes 8 and 4 allocated alternately 200 times each: both stacks outgrow their initial
    // room several times, each move leaving the other behind. Pool 0 (8 B × 20) takes the
    // first 20 blocks, the rest overflow to pool 1 (16 B); then every 8 is freed (LIFO:
    // overflowed ones first), then a third size fills the freed room.
    const events: Ev[] = [];
    for (let i = 0; i < 200; i++) events.push(['alloc', 8], ['alloc', 4]);
    for (let i = 0; i < 200; i++) events.push(['free', 8]);
    for (let i = 0; i < 100; i++) events.push(['alloc', 2], ['grow', 4, 16]);
    const pools = [
      { block: 8, capacity: 20 },
      { block: 16, capacity: 300 },
    ];
    const result = replay(pools, events, { seriesBuckets: 8 });
    const ref = referenceReplay(pools, events);
    assert.deepEqual(
      result.pools.map((p) => [p.peak, p.peakAt, p.allocations, p.overflowIn, p.failures]),
      ref.pools.map((p) => [p.peak, p.peakAt, p.allocations, p.overflowIn, p.failures]),
    );
    assert.deepEqual(
      [result.failures, result.unmatchedFrees, result.peakReservedAt],
      [ref.failures, ref.unmatchedFrees, ref.peakReservedAt],
    );
  });

  it('gives the same result however the events are split into batches (incremental feeding)', () => {
    const pools = [
      { block: 32, capacity: 4 },
      { block: 16, capacity: 6 },
      { block: 128, capacity: 2 },
    ];
    const events = randomEvents(77, 5000, { maxSize: 200 });
    const whole = replay(pools, events, { seriesBuckets: 64 });
    const random = mulberry32(5);
    const replayer = new PoolReplayer(pools, { seriesBuckets: 64 });
    for (let at = 0; at < events.length;) {
      const size = 1 + Math.floor(random() * 300);
      replayer.consume(batchOf(events.slice(at, at + size)));
      at += size;
      replayer.result(); // asking in between changes nothing
    }
    assert.deepEqual(replayer.result(), whole);
  });

  it('keeps equal blocks as separate pools in configuration order', () => {
    // Pools [16×1 (first), 16×2 (second), 8×1] → sorted [8×1, 16×1, 16×2].
    // alloc 16 → pool 1; alloc 16 → pool 1 full → pool 2 (not an overflow: same block);
    // alloc 16 → pool 2; alloc 16 → failure, counted in pool 1 (the first best fit).
    const result = replay(
      [
        { block: 16, capacity: 1 },
        { block: 16, capacity: 2 },
        { block: 8, capacity: 1 },
      ],
      parseScenario('alloc 16\nalloc 16\nalloc 16\nalloc 16'),
    );
    assert.deepEqual(
      result.pools.map((p) => [p.block, p.capacity, p.allocations, p.overflowIn, p.failures]),
      [
        [8, 1, 0, 0, 0],
        [16, 1, 1, 0, 1],
        [16, 2, 2, 0, 0],
      ],
    );
    assert.equal(result.firstFailure, 3);
  });

  it('fails every non-zero request when there are no pools', () => {
    const result = replay([], parseScenario('alloc 1\nalloc 0\nfree 1'));
    assert.deepEqual([result.failures, result.failuresTooLarge, result.zeroSizeRequests, result.heapBytes], [1, 1, 1, 0]);
  });

  it('rejects invalid pools', () => {
    assert.throws(() => new PoolReplayer([{ block: -1, capacity: 1 }]), RangeError);
    assert.throws(() => new PoolReplayer([{ block: 8, capacity: 1.5 }]), RangeError);
    assert.throws(() => new PoolReplayer([{ block: 8, capacity: 1 }], { seriesBuckets: 3 }), RangeError);
  });

  it('replays the lossy 0.14 sizes as decoded, and says so', () => {
    // alloc 300 in the stream format lands in the 512 B pool; the 0.14 encoder writes it as
    // 44 (= (300 >> 24) << 8 | 300 & 0xFF), which lands in the 64 B pool.
    const pools = [
      { block: 64, capacity: 1 },
      { block: 512, capacity: 1 },
    ];
    const events: Ev[] = [['alloc', 300]];
    const exact = simulateTraceBytes(encodeStream(events), pools);
    const lossy = simulateTraceBytes(encodeXor014(events), pools);
    assert.deepEqual(
      exact.pools.map((p) => p.allocations),
      [0, 1],
    );
    assert.deepEqual(exact.warnings, []);
    assert.deepEqual(
      lossy.pools.map((p) => p.allocations),
      [1, 0],
    );
    assert.deepEqual(lossy.pools[0].sizes, [{ size: 44, count: 1 }]);
    assert.deepEqual(lossy.warnings, [LOSSY_014_WARNING]);
  });

  it('produces a plain JSON-serialisable object', () => {
    const result = replay([{ block: 16, capacity: 2 }], randomEvents(3, 100, { maxSize: 32 }));
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });

  it('lists at most sizesPerPool sizes per pool and counts the rest', () => {
    const events = parseScenario('alloc 1\nalloc 2\nalloc 2\nalloc 3\nalloc 3\nalloc 3\nalloc 4');
    const pool = replay([{ block: 8, capacity: 10 }], events, { sizesPerPool: 2 }).pools[0];
    assert.deepEqual(pool.sizes, [
      { size: 2, count: 2 },
      { size: 3, count: 3 },
    ]);
    assert.equal(pool.sizesOmittedCount, 2);
  });

  describe('time series', () => {
    it('merges buckets pairwise and keeps min and max (hand-derived, 4 buckets)', () => {
      // Pools [16×10]; alloc ×5 then free ×5 → blocks in use after each event:
      //   e0..e9: 1 2 3 4 5 4 3 2 1 0
      // A bucket spans the state before its first event through its last event.
      // 4 buckets of width 1 fill at e0..e3; e4 merges them → width 2, bucket 2 = [4,6);
      // e6 → bucket 3 = [6,8); e8 merges again → width 4, bucket 2 = [8,12).
      //   bucket 0 [0,4): states 0..4       → min 0, max 4
      //   bucket 1 [4,8): states 4,5,4,3,2  → min 2, max 5
      //   bucket 2 [8,12): states 2,1,0     → min 0, max 2
      const result = replay([{ block: 16, capacity: 10 }], parseScenario('alloc 8\n'.repeat(5) + 'free 8\n'.repeat(5)), {
        seriesBuckets: 4,
      });
      assert.deepEqual(result.series, {
        bucketWidth: 4,
        buckets: 3,
        failureCount: 0,
        failureIndices: [],
        pools: [{ block: 16, min: [0, 2, 0], max: [4, 5, 2] }],
      });
    });

    it('never hides a peak, whatever the compression (property)', () => {
      for (let seed = 1; seed <= 20; seed++) {
        const pools = randomPools(seed + 1000);
        const events = randomEvents(seed, 20_000, { maxSize: 300 });
        const result = replay(pools, events, { seriesBuckets: 2 * (1 + (seed % 50)) });
        assert.ok(result.series.buckets <= 2 * (1 + (seed % 50)));
        assert.ok(result.series.buckets * result.series.bucketWidth >= events.length);
        result.series.pools.forEach((series, i) => {
          assert.equal(Math.max(0, ...series.max), result.pools[i].peak, `seed ${seed} pool ${i}`);
          assert.equal(Math.min(...series.min), 0);
        });
      }
    });

    it('lists failure indices up to the limit and counts them all', () => {
      const result = replay([{ block: 8, capacity: 1 }], parseScenario('alloc 8\n' + 'alloc 8\n'.repeat(10)), { failureIndexLimit: 3 });
      assert.deepEqual([result.series.failureIndices, result.series.failureCount, result.failures], [[1, 2, 3], 10, 10]);
    });

    it('is empty before any event', () => {
      const result = new PoolReplayer([{ block: 8, capacity: 1 }]).result();
      assert.deepEqual(
        [result.events, result.series.buckets, result.series.pools[0].max, result.firstFailure, result.pools[0].peakAt],
        [0, 0, [], null, null],
      );
    });
  });

  it('handles sizes above the direct lookup table and up to 2^32 − 1', () => {
    const result = replay(
      [
        { block: 0xffffffff, capacity: 2 },
        { block: 70_000, capacity: 1 },
      ],
      parseScenario('alloc 65536\nalloc 4294967295\nalloc 70000\nfree 65536\nfree 70000\nfree 4294967295'),
    );
    assert.deepEqual(
      result.pools.map((p) => [p.block, p.allocations, p.overflowIn, p.peak]),
      [
        [70_000, 1, 0, 1],
        [0xffffffff, 2, 1, 2],
      ],
    );
    assert.equal(result.unmatchedFrees, 0);
  });
});

describe('replays without the time series (series: false)', () => {
  it('give the same figures, with no buckets, for the pools and the allocator models', () => {
    for (const seed of [1, 2, 3]) {
      const events = randomEvents(seed, 5000, { maxSize: 300, wellFormed: seed !== 2 });
      const pools = [
        { block: 16, capacity: 6 },
        { block: 64, capacity: 5 },
        { block: 320, capacity: 2 },
      ];
      const withSeries = new PoolReplayer(pools, { seriesBuckets: 8 });
      const without = new PoolReplayer(pools, { seriesBuckets: 8, series: false });
      for (const replayer of [withSeries, without]) replayer.consume(batchOf(events));
      const a = withSeries.result();
      const b = without.result();
      assert.equal(b.series.buckets, 0);
      assert.deepEqual(b.series.failureIndices, a.series.failureIndices);
      assert.deepEqual({ ...b, series: null }, { ...a, series: null });
      const models = [false, true].map((series) => allocModels(600, 6, series));
      for (const set of models) for (const model of Object.values(set)) model.consume(batchOf(events));
      for (const name of ['bestFit', 'defrag', 'defragCompacting'] as const) {
        const full = models[1][name].result();
        const lean = models[0][name].result();
        assert.equal(lean.series.buckets, 0);
        assert.deepEqual({ ...lean, series: null }, { ...full, series: null }, `${name}, seed ${seed}`);
      }
    }
  });
});
