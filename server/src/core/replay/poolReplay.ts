// Exact replay of a heap trace through Drone's pool allocator (reference §2).
//
//  - alloc(size): size 0 touches no pool. Otherwise try the best-fitting pool (smallest
//    block ≥ size), then every larger pool in order; the first with a free block serves.
//    None → failure, even if smaller pools have free blocks.
//  - dealloc(size): the block goes back to the pool that holds it. A trace has no
//    addresses, so the freed allocation is the most recent still-live one of that size
//    (LIFO per size); if none is live the free is counted as unmatched and ignored.
//  - grow/shrink(old, new): the new block is taken before the old one is released, so
//    both are live for a moment; the old allocation is chosen by LIFO like a free.
//  - A failed allocation stays live as a phantom that holds no block: its later free
//    releases nothing. The first failure is where the real program would have aborted.
//
// Speed: no object per event. Per-size state sits in typed arrays indexed by a dense size
// slot; each slot has a stack (Int32Array) of "pool holding it, or −1" for its live
// allocations; per-pool counters are Float64Arrays. The replayer consumes event batches
// and can be fed incrementally (a growing live capture); result() may be called any time.

import { buildDroneStats } from '../trace/droneStats';
import { EventKind, type EventBatch, type EventSink } from '../trace/events';
import { grown, SizeSlots } from '../trace/sizeSlots';
import { bestFitPool, sortPools } from './pools';
import type { PoolReport, PoolSizeCount, PoolSpec, ReplayResult } from './result';
import { BucketSeries } from './timeSeries';

export interface ReplayOptions {
  /** Maximum number of time-series buckets (even, default 1000). */
  seriesBuckets?: number;
  /** How many failure event indices to list (default 1000; all are counted). */
  failureIndexLimit?: number;
  /** How many distinct sizes to list per pool (default 32, the most frequent). */
  sizesPerPool?: number;
}

/** Stack entry of an allocation that holds no block: zero-size, or a failed one (phantom). */
const HOLDS_NO_BLOCK = -1;
/** slotBestPool value of size 0: never touches a pool. */
const ZERO_SIZE = -1;

export class PoolReplayer implements EventSink {
  /** The pools in allocator order (ascending block). */
  readonly pools: readonly PoolSpec[];
  private readonly poolCount: number;
  private readonly block: Float64Array;
  private readonly capacity: Float64Array;
  private readonly live: Float64Array;
  private readonly peak: Float64Array;
  private readonly peakAt: Float64Array;
  private readonly allocations: Float64Array;
  private readonly overflowIn: Float64Array;
  private readonly poolFailures: Float64Array;
  /** Σ requested size over each pool's live blocks. */
  private readonly requestedLive: Float64Array;
  private readonly fragmentationAtPeak: Float64Array;

  // Per size slot.
  private readonly slots = new SizeSlots();
  private slotBestPool = new Int32Array(64);
  /** Live allocations of the size (Drone's "load"), phantoms and zero-size included. */
  private depth = new Int32Array(64);
  private maxLoad = new Int32Array(64);
  private slotAllocations = new Float64Array(64);
  /** Live allocations of the size, oldest first: the pool holding each, or HOLDS_NO_BLOCK. */
  private stacks: Int32Array[] = [];
  /** Blocks taken per (slot, pool), at slot · poolCount + pool. */
  private slotPoolAllocations: Float64Array;

  private events = 0;
  private failures = 0;
  private firstFailure = -1;
  private failuresTooLarge = 0;
  private readonly failureIndices: number[] = [];
  private unmatchedFrees = 0;
  private firstUnmatchedFree = -1;
  private zeroSizeRequests = 0;
  private requested = 0;
  private reserved = 0;
  private peakRequested = 0;
  private peakRequestedAt = -1;
  private peakReserved = 0;
  private peakReservedAt = -1;
  /** The heap is at a new peak whose per-pool fragmentation has not been recorded yet. */
  private peakSnapshotPending = false;
  /** Drone semantics: Σ size over all live allocations, phantoms included. */
  private liveBytes = 0;
  private peakLiveBytes = 0;
  private peakLiveBytesAt = -1;

  private readonly series: BucketSeries;
  private readonly failureIndexLimit: number;
  private readonly sizesPerPool: number;

  constructor(pools: readonly PoolSpec[], options: ReplayOptions = {}) {
    this.pools = sortPools(pools);
    const n = (this.poolCount = this.pools.length);
    this.block = Float64Array.from(this.pools, (p) => p.block);
    this.capacity = Float64Array.from(this.pools, (p) => p.capacity);
    this.live = new Float64Array(n);
    this.peak = new Float64Array(n);
    this.peakAt = new Float64Array(n).fill(-1);
    this.allocations = new Float64Array(n);
    this.overflowIn = new Float64Array(n);
    this.poolFailures = new Float64Array(n);
    this.requestedLive = new Float64Array(n);
    this.fragmentationAtPeak = new Float64Array(n);
    this.slotPoolAllocations = new Float64Array(64 * Math.max(n, 1));
    this.series = new BucketSeries(n, options.seriesBuckets ?? 1000);
    this.failureIndexLimit = options.failureIndexLimit ?? 1000;
    this.sizesPerPool = options.sizesPerPool ?? 32;
  }

  consume(batch: EventBatch): void {
    const { kinds, a, b } = batch;
    const length = batch.length;
    const series = this.series;
    let index = this.events;
    for (let i = 0; i < length; i++, index++) {
      if (index >= series.nextStart) series.advance(this.live);
      const kind = kinds[i];
      if (kind === EventKind.Alloc) this.allocate(a[i], index);
      else if (kind === EventKind.Free) this.free(a[i], index);
      else this.reallocate(a[i], b[i], index);
    }
    this.events = index;
  }

  private allocate(size: number, index: number): void {
    let slot = this.slots.find(size);
    if (slot < 0) slot = this.newSlot(size);
    this.push(slot, size, this.take(slot, size, index), index);
  }

  private free(size: number, index: number): void {
    const slot = this.slots.find(size);
    if (slot < 0 || this.depth[slot] === 0) {
      this.unmatched(index);
      return;
    }
    const pool = this.pop(slot, size);
    if (pool >= 0) this.release(pool, size);
  }

  private reallocate(oldSize: number, newSize: number, index: number): void {
    // Which allocation is resized is decided before the new one exists (it could have the same size).
    const oldSlot = this.slots.find(oldSize);
    let oldPool = HOLDS_NO_BLOCK;
    if (oldSlot < 0 || this.depth[oldSlot] === 0) this.unmatched(index);
    else oldPool = this.pop(oldSlot, oldSize);
    this.allocate(newSize, index);
    if (oldPool >= 0) this.release(oldPool, oldSize);
  }

  /** Takes a block for `size`: returns its pool, or HOLDS_NO_BLOCK (zero size, or failure). */
  private take(slot: number, size: number, index: number): number {
    const best = this.slotBestPool[slot];
    if (best === ZERO_SIZE) {
      this.zeroSizeRequests++;
      return HOLDS_NO_BLOCK;
    }
    const { live, capacity, block } = this;
    for (let pool = best; pool < this.poolCount; pool++) {
      if (live[pool] < capacity[pool]) {
        const inUse = ++live[pool];
        this.allocations[pool]++;
        if (block[pool] > block[best]) this.overflowIn[pool]++;
        this.slotPoolAllocations[slot * this.poolCount + pool]++;
        this.requestedLive[pool] += size;
        if (inUse > this.peak[pool]) {
          this.peak[pool] = inUse;
          this.peakAt[pool] = index;
        }
        this.series.rise(pool, inUse);
        this.requested += size;
        this.reserved += block[pool];
        if (this.requested > this.peakRequested) {
          this.peakRequested = this.requested;
          this.peakRequestedAt = index;
        }
        if (this.reserved > this.peakReserved) {
          this.peakReserved = this.reserved;
          this.peakReservedAt = index;
          this.peakSnapshotPending = true;
        }
        return pool;
      }
    }
    this.fail(best, index);
    return HOLDS_NO_BLOCK;
  }

  private release(pool: number, size: number): void {
    if (this.peakSnapshotPending) this.snapshotPeak();
    const inUse = --this.live[pool];
    this.series.fall(pool, inUse);
    this.requestedLive[pool] -= size;
    this.requested -= size;
    this.reserved -= this.block[pool];
  }

  /** Records a new live allocation of `slot` held by `pool` (or HOLDS_NO_BLOCK). */
  private push(slot: number, size: number, pool: number, index: number): void {
    let stack = this.stacks[slot];
    const depth = this.depth[slot];
    if (depth === stack.length) stack = this.stacks[slot] = grown(stack, depth + 1);
    stack[depth] = pool;
    this.depth[slot] = depth + 1;
    if (depth + 1 > this.maxLoad[slot]) this.maxLoad[slot] = depth + 1;
    this.slotAllocations[slot]++;
    this.liveBytes += size;
    if (this.liveBytes > this.peakLiveBytes) {
      this.peakLiveBytes = this.liveBytes;
      this.peakLiveBytesAt = index;
    }
  }

  /** Ends the most recent live allocation of `slot`; returns the pool holding it. */
  private pop(slot: number, size: number): number {
    const depth = this.depth[slot] - 1;
    this.depth[slot] = depth;
    this.liveBytes -= size;
    return this.stacks[slot][depth];
  }

  private fail(bestPool: number, index: number): void {
    if (bestPool < this.poolCount) this.poolFailures[bestPool]++;
    else this.failuresTooLarge++;
    if (this.failures++ === 0) this.firstFailure = index;
    if (this.failureIndices.length < this.failureIndexLimit) this.failureIndices.push(index);
  }

  private unmatched(index: number): void {
    if (this.unmatchedFrees++ === 0) this.firstUnmatchedFree = index;
  }

  /** The heap is leaving a peak of reserved bytes: record each pool's internal fragmentation there. */
  private snapshotPeak(): void {
    for (let pool = 0; pool < this.poolCount; pool++) {
      this.fragmentationAtPeak[pool] = this.live[pool] * this.block[pool] - this.requestedLive[pool];
    }
    this.peakSnapshotPending = false;
  }

  private newSlot(size: number): number {
    const slot = this.slots.add(size);
    const count = slot + 1;
    this.slotBestPool = grown(this.slotBestPool, count);
    this.depth = grown(this.depth, count);
    this.maxLoad = grown(this.maxLoad, count);
    this.slotAllocations = grown(this.slotAllocations, count);
    this.slotPoolAllocations = grown(this.slotPoolAllocations, count * Math.max(this.poolCount, 1));
    this.slotBestPool[slot] = size === 0 ? ZERO_SIZE : bestFitPool(this.block, size);
    this.stacks.push(new Int32Array(16));
    return slot;
  }

  /** The figures so far. Feeding more events afterwards is fine. */
  result(): ReplayResult {
    if (this.peakSnapshotPending) this.snapshotPeak();
    const pools: PoolReport[] = this.pools.map(({ block, capacity }, pool) => {
      const { sizes, omitted } = this.sizesOf(pool);
      return {
        block,
        capacity,
        peak: this.peak[pool],
        peakAt: orNull(this.peakAt[pool]),
        allocations: this.allocations[pool],
        overflowIn: this.overflowIn[pool],
        failures: this.poolFailures[pool],
        fragmentationAtHeapPeak: this.fragmentationAtPeak[pool],
        neverUsed: capacity - this.peak[pool],
        sizes,
        sizesOmittedCount: omitted,
      };
    });
    const series = this.series.toJSON(this.events, this.pools.map((p) => p.block));
    return {
      format: null,
      warnings: [],
      problem: null,
      cancelled: false,
      events: this.events,
      failures: this.failures,
      firstFailure: orNull(this.firstFailure),
      failuresTooLarge: this.failuresTooLarge,
      unmatchedFrees: this.unmatchedFrees,
      firstUnmatchedFree: orNull(this.firstUnmatchedFree),
      zeroSizeRequests: this.zeroSizeRequests,
      heapBytes: this.pools.reduce((sum, p) => sum + p.block * p.capacity, 0),
      peakRequestedBytes: this.peakRequested,
      peakRequestedAt: orNull(this.peakRequestedAt),
      peakReservedBytes: this.peakReserved,
      peakReservedAt: orNull(this.peakReservedAt),
      fragmentationAtHeapPeak: pools.reduce((sum, p) => sum + p.fragmentationAtHeapPeak, 0),
      pools,
      droneStats: buildDroneStats(this.slots.sizes, this.maxLoad, this.slotAllocations, {
        peakLiveBytes: this.peakLiveBytes,
        peakLiveBytesAt: orNull(this.peakLiveBytesAt),
        unmatchedFrees: this.unmatchedFrees,
        firstUnmatchedFree: orNull(this.firstUnmatchedFree),
        events: this.events,
      }),
      series: { ...series, failureIndices: this.failureIndices.slice(), failureCount: this.failures },
    };
  }

  /** The most frequent sizes served by `pool`, ascending by size, and the count of the rest. */
  private sizesOf(pool: number): { sizes: PoolSizeCount[]; omitted: number } {
    const all: PoolSizeCount[] = [];
    this.slots.sizes.forEach((size, slot) => {
      const count = this.slotPoolAllocations[slot * this.poolCount + pool];
      if (count > 0) all.push({ size, count });
    });
    all.sort((x, y) => y.count - x.count || x.size - y.size);
    const kept = all.slice(0, this.sizesPerPool);
    const omitted = all.slice(this.sizesPerPool).reduce((sum, s) => sum + s.count, 0);
    return { sizes: kept.sort((x, y) => x.size - y.size), omitted };
  }
}

function orNull(index: number): number | null {
  return index < 0 ? null : index;
}
