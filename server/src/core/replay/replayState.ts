// The replay's counters, all in typed arrays or plain numbers so the hot loop in
// poolReplay.ts can read them into locals. replayReport.ts turns them into the result.

import { SizeSlots } from '../trace/sizeSlots';
import type { PoolSpec } from './result';
import { SizeStacks } from './sizeStacks';
import type { BucketSeries } from './timeSeries';

/** Everything the replay has counted; read by replayReport.ts to build the result. */
export class ReplayState {
  // Per pool, in allocator order (ascending block).
  readonly poolCount: number;
  readonly block: Float64Array;
  readonly capacity: Float64Array;
  readonly live: Float64Array;
  readonly peak: Float64Array;
  /** Event index at which peak was first reached (−1: never used). */
  readonly peakAt: Float64Array;
  readonly poolFailures: Float64Array;
  /** Σ requested size over the pool's live blocks. */
  readonly requestedLive: Float64Array;
  readonly fragmentationAtPeak: Float64Array;

  // Per size slot.
  readonly slots = new SizeSlots();
  slotBestPool = new Int32Array(64);
  /** Live allocations of the size (Drone's "load"), phantoms and zero-size included. */
  depth = new Int32Array(64);
  maxLoad = new Int32Array(64);
  /** Allocations of the size that got no block (failed, or zero-size). */
  slotNoBlock = new Float64Array(64);
  /** Live allocations of each size, oldest first: the pool holding each, or −1 (no block). */
  readonly stacks = new SizeStacks();
  /** Blocks taken per (slot, pool), at slot · poolCount + pool. */
  slotPoolTaken: Float64Array;

  // Totals.
  events = 0;
  failures = 0;
  firstFailure = -1;
  failuresTooLarge = 0;
  readonly failureIndices: number[] = [];
  unmatchedFrees = 0;
  firstUnmatchedFree = -1;
  zeroSizeRequests = 0;
  requested = 0;
  reserved = 0;
  peakRequested = 0;
  peakRequestedAt = -1;
  peakReserved = 0;
  peakReservedAt = -1;
  /** The heap is at a new peak whose per-pool fragmentation has not been recorded yet. */
  peakSnapshotPending = false;
  /** Drone semantics: Σ size over all live allocations, phantoms included. */
  liveBytes = 0;
  peakLiveBytes = 0;
  peakLiveBytesAt = -1;
  /** Per event: (pool given back + 1) << 8 | (pool taken from + 1), 0 for none; null when not kept. */
  steps: Uint16Array | null = null;

  constructor(
    readonly pools: readonly PoolSpec[],
    readonly series: BucketSeries,
  ) {
    const n = (this.poolCount = pools.length);
    this.block = Float64Array.from(pools, (p) => p.block);
    this.capacity = Float64Array.from(pools, (p) => p.capacity);
    this.live = new Float64Array(n);
    this.peak = new Float64Array(n);
    this.peakAt = new Float64Array(n).fill(-1);
    this.poolFailures = new Float64Array(n);
    this.requestedLive = new Float64Array(n);
    this.fragmentationAtPeak = new Float64Array(n);
    this.slotPoolTaken = new Float64Array(64 * Math.max(n, 1));
  }
}
