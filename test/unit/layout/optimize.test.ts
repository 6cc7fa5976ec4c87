// The optimiser end to end: every proposal is replayed, must serve the trace, and exact
// mode's capacities are exactly the pools' real peaks.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layoutBytes } from '../../../server/src/core/layout/droneMath';
import { droneSplit } from '../../../server/src/core/layout/droneSplit';
import { layoutTradeoff, optimizeLayout, OptimizeInputError, type OptimizeOptions } from '../../../server/src/core/layout/optimize';
import { bytesTraceSource } from '../../../server/src/core/layout/traceSource';
import { droneUnits } from '../../../server/src/core/layout/units';
import { simulateTraceBytes } from '../../../server/src/core/replay/simulate';
import { FIXTURES } from '../../support/paths';
import { encodeStream, randomEvents } from '../../support/traceGen';
import { completed } from '../../support/optimize';

const fixtureTraces = readdirSync(join(FIXTURES, 'traces'))
  .filter((f) => f.endsWith('.txt'))
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(FIXTURES, 'traces', f))) }));
const randomTraces = Array.from({ length: 12 }, (_, i) => ({
  name: `random seed ${i + 1}`,
  bytes: encodeStream(randomEvents(i + 1, 1500 + i * 250, { maxSize: i % 3 === 0 ? 90 : 600, wellFormed: i % 4 !== 3 })),
}));

const optimize = async (bytes: Uint8Array, options: OptimizeOptions) =>
  completed(await optimizeLayout(bytesTraceSource(bytes), { tradeoffPools: 4, ...options }));

describe('optimised layouts', () => {
  for (const { name, bytes } of [...fixtureTraces, ...randomTraces]) {
    it(`${name}: exact mode serves the trace, with capacities equal to the real peaks`, async () => {
      for (const pools of [1, 3, 8]) {
        const tight = await optimize(bytes, { mode: 'exact', pools, target: 'minimal', marginPercent: 0 });
        assert.equal(tight.offered, true);
        assert.deepEqual(tight.verified, { failures: 0, firstFailure: null });
        assert.equal(tight.size, tight.requiredBytes);
        assert.ok(tight.pools.length <= pools);
        // Independently of the optimiser's own check: replay the proposal.
        const replay = simulateTraceBytes(bytes, tight.pools);
        assert.equal(replay.failures, 0, `${pools} pools: ${JSON.stringify(tight.pools)}`);
        // Tight: every pool is full at its peak, so no capacity could be lower without overflow.
        assert.deepEqual(
          replay.pools.map((p) => p.peak),
          tight.pools.map((p) => p.capacity),
        );
        assert.equal(tight.after!.failures, 0);
        // Fitting a heap 50% larger hands the spare bytes out and still serves the trace.
        const size = Math.floor(tight.requiredBytes * 1.5) + 64;
        const fit = await optimize(bytes, { mode: 'exact', pools, size, target: 'fit' });
        assert.equal(fit.offered, true);
        assert.ok(fit.size <= size && size - fit.size < Math.min(...fit.pools.map((p) => p.block)), `${fit.size} of ${size}`);
        fit.pools.forEach((p, i) => assert.ok(p.capacity >= tight.pools[i].capacity));
        assert.equal(simulateTraceBytes(bytes, fit.pools).failures, 0);
      }
    });
  }

  it("drone mode gives Drone's split with Σ max load capacities", async () => {
    for (const { name, bytes } of randomTraces) {
      const result = await optimize(bytes, { mode: 'drone', pools: 6, target: 'minimal', marginPercent: 0 });
      const stats = simulateTraceBytes(bytes, []).droneStats;
      const units = droneUnits(stats);
      const split = droneSplit(units, 6)!;
      assert.equal(result.fragmentation, split.fragmentation, name);
      assert.equal(result.requiredBytes, split.requiredBytes, name);
      assert.deepEqual(
        result.pools.map((p) => p.block),
        split.grouping.ends.map((end) => units[end - 1].size),
      );
      assert.equal(result.drone, null);
    }
  });

  it('compares exact mode with drone mode and gives the trade-off', async () => {
    const { bytes } = randomTraces[4];
    const result = await optimize(bytes, { mode: 'exact', pools: 4, target: 'minimal', marginPercent: 0, tradeoffPools: 16 });
    const drone = await optimize(bytes, { mode: 'drone', pools: 4, target: 'minimal', marginPercent: 0 });
    assert.equal(result.drone!.requiredBytes, drone.requiredBytes);
    assert.equal(result.tradeoff.length, 16);
    result.tradeoff.forEach((row, i) => {
      assert.equal(row.pools, i + 1);
      assert.ok(row.poolsUsed <= row.pools);
      if (i > 0) assert.ok(row.requiredBytes <= result.tradeoff[i - 1].requiredBytes);
    });
    assert.equal(result.tradeoff[3].requiredBytes, result.requiredBytes);
  });

  it('tabulates the bytes needed by pool count', async () => {
    // 8 B and 24 B, two of each at their peaks, never more than two blocks at once (see test/cli/layout.test.ts).
    const bytes = new TextEncoder().encode('alloc 8\nalloc 8\nfree 8\nfree 8\nalloc 24\nalloc 24\nfree 24\nfree 24\nalloc 8\nalloc 24\n');
    assert.deepEqual(await layoutTradeoff(bytesTraceSource(bytes), { mode: 'drone', maxPools: 3 }), [
      { pools: 1, poolsUsed: 1, requiredBytes: 96, fragmentation: 32 }, // 24 × (2 + 2)
      { pools: 2, poolsUsed: 2, requiredBytes: 64, fragmentation: 0 }, // 8 × 2 + 24 × 2
    ]);
    assert.deepEqual(await layoutTradeoff(bytesTraceSource(bytes), { maxPools: 3 }), [
      { pools: 1, poolsUsed: 1, requiredBytes: 48, fragmentation: 32 }, // 24 × 2: the real peak
      { pools: 2, poolsUsed: 1, requiredBytes: 48, fragmentation: 32 },
    ]);
  });

  it('adds the margin in the minimal target and reports layouts that do not fit', async () => {
    const { bytes } = randomTraces[1];
    const tight = await optimize(bytes, { mode: 'exact', pools: 5, target: 'minimal', marginPercent: 0 });
    const margin = await optimize(bytes, { mode: 'exact', pools: 5, target: 'minimal' });
    assert.equal(margin.marginPercent, 10);
    assert.deepEqual(
      margin.pools.map((p) => p.capacity),
      tight.pools.map((p) => Math.ceil((p.capacity * 11) / 10)),
    );
    assert.equal(margin.size, layoutBytes(margin.pools));
    const tooSmall = await optimize(bytes, { mode: 'exact', pools: 5, target: 'fit', size: tight.requiredBytes - 1 });
    assert.equal(tooSmall.fits, false);
    assert.equal(tooSmall.offered, false);
    assert.equal(tooSmall.verified!.failures, 0, 'the smallest layout is still shown, verified');
  });

  it('replays the current layout for the before figures', async () => {
    const { bytes } = randomTraces[2];
    const current = [
      { block: 16, capacity: 10 },
      { block: 256, capacity: 5 },
    ];
    const result = await optimize(bytes, { mode: 'exact', pools: 2, target: 'minimal', current });
    const replay = simulateTraceBytes(bytes, current);
    assert.deepEqual(result.before, {
      heapBytes: replay.heapBytes,
      failures: replay.failures,
      firstFailure: replay.firstFailure,
      peakReservedBytes: replay.peakReservedBytes,
      fragmentationAtHeapPeak: replay.fragmentationAtHeapPeak,
    });
  });

  it('stops when the source is cancelled, offering nothing', async () => {
    const { bytes } = randomTraces[0];
    const result = await optimizeLayout(bytesTraceSource(bytes, { isCancelled: () => true }), { size: 4096, pools: 3 });
    // Only what was read is said: no layout, nothing to offer.
    assert.deepEqual(Object.keys(result).sort(), ['cancelled', 'mode', 'poolsRequested', 'target', 'trace']);
    assert.deepEqual(
      { ...result, trace: undefined },
      { cancelled: true, mode: 'exact', target: 'fit', poolsRequested: 3, trace: undefined },
    );
    assert.equal((await optimize(bytes, { size: 4096 })).cancelled, false);
  });

  it('refuses input it cannot use', async () => {
    await assert.rejects(optimize(new Uint8Array([0xff, 0xfe, 0x00, 0x13, 0x37, 0x00, 0x42, 0x99]), { size: 1024 }), OptimizeInputError);
    await assert.rejects(optimize(new TextEncoder().encode('alloc 0\nfree 0\n'), { size: 1024 }), /allocates nothing/);
    await assert.rejects(optimize(new TextEncoder().encode('alloc 8\n'), { target: 'fit' }), /needs its size/);
    await assert.rejects(optimize(new TextEncoder().encode('alloc 8\n'), { size: 64, pools: 0 }), /pool count/);
  });
});
