// The replay result: one plain, JSON-serialisable object (no typed arrays, no Maps, no
// undefined) that hover, inlay hints, diagnostics, the CLI (`simulate --json`) and the heap
// panel all read. Event indices are 0-based positions in the trace; a grow/shrink is one event.

import type { DroneStats } from '../trace/droneStats';
import type { TraceFormat, TraceProblem } from '../trace/formats';

/** One pool of the configuration: `capacity` blocks of `block` bytes. */
export interface PoolSpec {
  block: number;
  capacity: number;
}

/** The pools in replay order as one string: equal for the same pools written in any order. */
export function layoutKey(pools: readonly PoolSpec[]): string {
  return [...pools]
    .sort((a, b) => a.block - b.block || a.capacity - b.capacity)
    .map((p) => `${p.block}x${p.capacity}`)
    .join(',');
}

export interface PoolSizeCount {
  size: number;
  count: number;
}

export interface PoolReport {
  block: number;
  capacity: number;
  /** Most blocks in use at once (a realloc's two blocks included). */
  peak: number;
  /** Event index at which `peak` was first reached; null when the pool was never used. */
  peakAt: number | null;
  /** Blocks taken from this pool, including the new block of grow/shrink. */
  allocations: number;
  /** Blocks taken whose best-fitting pool has a smaller block (it was full). */
  overflowIn: number;
  /** Failed requests whose best-fitting pool is this one. */
  failures: number;
  /** Σ (block − requested size) over this pool's live blocks at the heap's peak (see ReplayResult.peakReservedAt). */
  fragmentationAtHeapPeak: number;
  /** capacity − peak: blocks that were never needed. */
  neverUsed: number;
  /** Requested sizes that landed in this pool, ascending; only the most frequent are kept. */
  sizes: PoolSizeCount[];
  /** Blocks taken for sizes left out of `sizes`. */
  sizesOmittedCount: number;
}

export interface PoolSeries {
  block: number;
  /** Fewest blocks in use at any moment within each bucket. */
  min: number[];
  /** Most blocks in use at any moment within each bucket (so no peak is ever hidden). */
  max: number[];
}

/** Blocks in use over time, for charts. Bucket k covers events [k·bucketWidth, (k+1)·bucketWidth). */
export interface ReplaySeries {
  bucketWidth: number;
  buckets: number;
  /** Same order as ReplayResult.pools. */
  pools: PoolSeries[];
  /** Event indices of the first failures (at most a fixed number). */
  failureIndices: number[];
  /** All failures, including those not listed. */
  failureCount: number;
}

export interface ReplayResult {
  /** Trace format; null when events were fed directly. */
  format: TraceFormat | null;
  /** Plain sentences to show with these figures (e.g. the lossy 0.14 sizes). */
  warnings: string[];
  /** Corrupt data where decoding stopped (the replay covers every event before it), or null. */
  problem: TraceProblem | null;
  /** Reading was cancelled: the figures cover the events read until then. */
  cancelled: boolean;
  events: number;
  /** Failed allocations (the new block of grow/shrink included). */
  failures: number;
  /** Index of the first failing event: where the real program would have aborted. */
  firstFailure: number | null;
  /** Failures of requests larger than every block (counted here, in no pool). */
  failuresTooLarge: number;
  /** Frees (incl. realloc's old block) with no live allocation of that size: capture started late. */
  unmatchedFrees: number;
  firstUnmatchedFree: number | null;
  /** Zero-size requests (they touch no pool). */
  zeroSizeRequests: number;
  /** Σ block × capacity. */
  heapBytes: number;
  /** Peak of Σ requested size over allocations that hold a block. */
  peakRequestedBytes: number;
  peakRequestedAt: number | null;
  /** Peak of Σ block size over blocks in use: the heap's peak. */
  peakReservedBytes: number;
  peakReservedAt: number | null;
  /** Σ over pools of fragmentationAtHeapPeak. */
  fragmentationAtHeapPeak: number;
  /** Ascending block order (pools with equal blocks in configuration order). */
  pools: PoolReport[];
  /** Drone's own per-size statistics, comparable with `drone heap`. */
  droneStats: DroneStats;
  series: ReplaySeries;
  /**
   * Per event, the pools it changed: (pool given back + 1) << 8 | (pool taken from + 1), 0
   * for none (pool numbers in allocator order). Only when the replay was asked to keep it
   * (ReplayOptions.stepLogLimit) and the trace fits; a zoomed chart is drawn from it.
   */
  steps?: Uint16Array;
}
