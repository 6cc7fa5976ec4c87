// Turns the replay's typed-array state into the plain ReplayResult object. Figures the hot
// loop does not count directly are derived here from the (size, pool) matrix of blocks
// taken: blocks per pool, overflows into a pool, the sizes each pool served, and Drone's
// allocation count per size.

import { buildDroneStats } from '../trace/droneStats';
import type { ReplayState } from './replayState';
import type { PoolReport, PoolSizeCount, ReplayResult } from './result';

/** `withSeries` false: the series was not kept (its buckets are left out). */
export function buildReplayResult(s: ReplayState, sizesPerPool: number, withSeries = true): ReplayResult {
  const sizes = s.slots.sizes;
  const n = s.poolCount;
  const allocationsPerSlot = sizes.map((_, slot) => {
    let taken = s.slotNoBlock[slot];
    for (let pool = 0; pool < n; pool++) taken += s.slotPoolTaken[slot * n + pool];
    return taken;
  });

  const pools: PoolReport[] = s.pools.map(({ block, capacity }, pool) => {
    let allocations = 0;
    let overflowIn = 0;
    const served: PoolSizeCount[] = [];
    sizes.forEach((size, slot) => {
      const count = s.slotPoolTaken[slot * n + pool];
      if (count === 0) return;
      allocations += count;
      // The size's best-fitting pool has a smaller block: this block was taken because that pool was full.
      if (s.block[s.slotBestPool[slot]] < block) overflowIn += count;
      served.push({ size, count });
    });
    const { kept, omitted } = mostFrequent(served, sizesPerPool);
    return {
      block,
      capacity,
      peak: s.peak[pool],
      peakAt: orNull(s.peakAt[pool]),
      allocations,
      overflowIn,
      failures: s.poolFailures[pool],
      fragmentationAtHeapPeak: s.fragmentationAtPeak[pool],
      neverUsed: capacity - s.peak[pool],
      sizes: kept,
      sizesOmittedCount: omitted,
    };
  });

  return {
    format: null,
    warnings: [],
    problem: null,
    cancelled: false,
    events: s.events,
    failures: s.failures,
    firstFailure: orNull(s.firstFailure),
    failuresTooLarge: s.failuresTooLarge,
    unmatchedFrees: s.unmatchedFrees,
    firstUnmatchedFree: orNull(s.firstUnmatchedFree),
    zeroSizeRequests: s.zeroSizeRequests,
    heapBytes: s.pools.reduce((sum, p) => sum + p.block * p.capacity, 0),
    peakRequestedBytes: s.peakRequested,
    peakRequestedAt: orNull(s.peakRequestedAt),
    peakReservedBytes: s.peakReserved,
    peakReservedAt: orNull(s.peakReservedAt),
    fragmentationAtHeapPeak: pools.reduce((sum, p) => sum + p.fragmentationAtHeapPeak, 0),
    pools,
    droneStats: buildDroneStats(sizes, s.maxLoad, allocationsPerSlot, {
      peakLiveBytes: s.peakLiveBytes,
      peakLiveBytesAt: orNull(s.peakLiveBytesAt),
      unmatchedFrees: s.unmatchedFrees,
      firstUnmatchedFree: orNull(s.firstUnmatchedFree),
      events: s.events,
    }),
    series: {
      ...s.series.toJSON(
        withSeries ? s.events : 0,
        s.pools.map((p) => p.block),
      ),
      failureIndices: s.failureIndices.slice(),
      failureCount: s.failures,
    },
    ...(s.steps ? { steps: s.steps.slice(0, s.events) } : {}),
  };
}

/** The `limit` most frequent sizes, ascending by size, and the count of the others. */
function mostFrequent(served: PoolSizeCount[], limit: number): { kept: PoolSizeCount[]; omitted: number } {
  served.sort((x, y) => y.count - x.count || x.size - y.size);
  const kept = served.slice(0, limit).sort((x, y) => x.size - y.size);
  const omitted = served.slice(limit).reduce((sum, s) => sum + s.count, 0);
  return { kept, omitted };
}

function orNull(index: number): number | null {
  return index < 0 ? null : index;
}
