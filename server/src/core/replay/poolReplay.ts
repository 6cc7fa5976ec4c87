// Exact replay of a heap trace through Drone's pool allocator (drone-core's `pool`
// and `heap` modules), as follows.
//
//  - alloc(size): size 0 touches no pool. Otherwise try the best-fitting pool (smallest
//    block ≥ size), then every larger pool in order; the first with a free block serves.
//    None → failure, even if smaller pools have free blocks.
//  - dealloc(size): the block goes back to the pool that holds it. A trace has no
//    addresses, so the freed allocation is the most recent still-live one of that size
//    (LIFO per size); if none is live the free is counted as unmatched and ignored.
//  - grow/shrink(old, new): the old allocation is identified first (LIFO, like a free),
//    then the new block is taken, then the old one released: both are live for a moment.
//  - A failed allocation stays live as a phantom that holds no block: its later free
//    releases nothing. The first failure is where the real program would have aborted.
//
// Speed (target ≥ 50M events/s, see bench/README-replay.md): no object and no call per
// event. Per-size state sits in typed arrays indexed by a dense size slot; each slot has a
// stack (in one shared arena, see sizeStacks.ts) saying which pool holds each of its live
// allocations (−1: none). The hot loop keeps every array and running total in locals;
// the rare cases (new size, failure, stack growth, leaving a heap peak) call out. What can
// be derived later is not counted per event: blocks taken per pool, overflows and Drone's
// allocation counts all come from one (size, pool) matrix (replayReport.ts).
// The replayer can be fed incrementally (a growing live capture); result() any time.

import { EventKind, type EventBatch, type EventSink } from '../trace/events';
import { DIRECT_SIZES, grown } from '../trace/sizeSlots';
import { bestFitPool, sortPools } from './pools';
import { buildReplayResult } from './replayReport';
import { ReplayState } from './replayState';
import type { PoolSpec, ReplayResult } from './result';
import { BucketSeries } from './timeSeries';

export interface ReplayOptions {
  /** Maximum number of time-series buckets (even, default 1000). */
  seriesBuckets?: number;
  /** How many failure event indices to list (default 1000; all are counted). */
  failureIndexLimit?: number;
  /** How many distinct sizes to list per pool (default 32, the most frequent). */
  sizesPerPool?: number;
  /**
   * Keep the per-event step log (which pool each event took a block from and gave one back
   * to, 2 bytes per event) for traces of at most this many events, so a zoomed chart can be
   * drawn down to single events (core/view/rangeSeries.ts). Default 0: no log. Longer traces
   * drop it and zoom over the buckets.
   */
  stepLogLimit?: number;
  /**
   * Keep the time series (default true). Without it the result's series has no buckets and
   * the replay skips its per-event bookkeeping: for callers that print no chart (the CLI,
   * the optimiser's verifying replays).
   */
  series?: boolean;
}

/** Stack entry of an allocation that holds no block: zero-size, or a failed one (phantom). */
const NO_BLOCK = -1;
/** slotBestPool of size 0: never touches a pool. */
const ZERO_SIZE = -1;
/** A step log entry holds a pool number + 1 in each byte. */
const MAX_LOGGED_POOLS = 255;

export class PoolReplayer implements EventSink {
  /** The pools in allocator order (ascending block). */
  readonly pools: readonly PoolSpec[];
  private readonly state: ReplayState;
  private readonly failureIndexLimit: number;
  private readonly sizesPerPool: number;
  private readonly stepLogLimit: number;
  private readonly trackSeries: boolean;

  constructor(pools: readonly PoolSpec[], options: ReplayOptions = {}) {
    this.pools = sortPools(pools);
    this.state = new ReplayState(this.pools, new BucketSeries(this.pools.length, options.seriesBuckets ?? 1000));
    this.failureIndexLimit = options.failureIndexLimit ?? 1000;
    this.sizesPerPool = options.sizesPerPool ?? 32;
    this.trackSeries = options.series ?? true;
    this.stepLogLimit = this.pools.length <= MAX_LOGGED_POOLS ? Math.max(0, Math.floor(options.stepLogLimit ?? 0)) : 0;
    if (this.stepLogLimit > 0) this.state.steps = new Uint16Array(Math.min(this.stepLogLimit, 1 << 16));
  }

  consume(batch: EventBatch): void {
    const { series } = this.state;
    if (!this.trackSeries && !this.state.steps) {
      this.replay(batch, 0, batch.length);
      return;
    }
    for (let i = 0; i < batch.length;) {
      // Run the hot loop up to the next time-series bucket, so it can keep the bucket fixed.
      if (this.state.events >= series.nextStart) series.advance(this.state.live);
      const end = Math.min(batch.length, i + (series.nextStart - this.state.events));
      if (this.state.steps) this.roomForSteps(this.state.events + end - i);
      this.replay(batch, i, end);
      i = end;
    }
  }

  /** The figures so far. Feeding more events afterwards is fine. */
  result(): ReplayResult {
    if (this.state.peakSnapshotPending) this.snapshotPeak();
    return buildReplayResult(this.state, this.sizesPerPool, this.trackSeries);
  }

  /** The step log can take events up to `events`; past the limit the log is dropped. */
  private roomForSteps(events: number): void {
    const s = this.state;
    if (!s.steps || events <= s.steps.length) return;
    if (events > this.stepLogLimit) {
      s.steps = null;
      return;
    }
    const grown = new Uint16Array(Math.min(this.stepLogLimit, Math.max(events, 2 * s.steps.length)));
    grown.set(s.steps);
    s.steps = grown;
  }

  /** Replays events [from, to) of the batch, all in the current time-series bucket. */
  private replay(batch: EventBatch, from: number, to: number): void {
    const s = this.state;
    const { kinds, a: firstSizes, b: secondSizes } = batch;
    const poolCount = s.poolCount;
    const { live, capacity, block, peak, peakAt, requestedLive, stacks } = s;
    const direct = s.slots.direct;
    let { slotBestPool, depth, maxLoad, slotPoolTaken } = s;
    let { arena, base: stackBase } = stacks;
    const seriesMin = s.series.min;
    const seriesMax = s.series.max;
    const bucketBase = s.series.bucket * poolCount;
    const steps = s.steps;
    const trackSeries = this.trackSeries;
    let { requested, reserved, peakRequested, peakRequestedAt, peakReserved, peakReservedAt, peakSnapshotPending } = s;
    let { liveBytes, peakLiveBytes, peakLiveBytesAt } = s;
    let index = s.events;

    for (let i = from; i < to; i++, index++) {
      const kind = kinds[i];

      // 1. A free, or the old block of grow/shrink: end the most recent live allocation of that size.
      let oldSize = 0;
      let oldPool = NO_BLOCK;
      if (kind !== EventKind.Alloc) {
        oldSize = firstSizes[i];
        const slot = oldSize < DIRECT_SIZES ? direct[oldSize] - 1 : s.slots.find(oldSize);
        const d = slot < 0 ? 0 : depth[slot];
        if (d === 0) {
          this.unmatched(index);
        } else {
          depth[slot] = d - 1;
          oldPool = arena[stackBase[slot] + d - 1];
          liveBytes -= oldSize;
        }
      }

      // 2. An alloc, or the new block of grow/shrink: take a block before releasing the old one.
      if (kind !== EventKind.Free) {
        const size = kind === EventKind.Alloc ? firstSizes[i] : secondSizes[i];
        let slot = size < DIRECT_SIZES ? direct[size] - 1 : s.slots.find(size);
        if (slot < 0) {
          slot = this.newSlot(size);
          ({ slotBestPool, depth, maxLoad, slotPoolTaken } = s);
          ({ arena, base: stackBase } = stacks);
        }
        const best = slotBestPool[slot];
        let pool = NO_BLOCK;
        if (best !== ZERO_SIZE) {
          for (let p = best; p < poolCount; p++) {
            if (live[p] < capacity[p]) {
              pool = p;
              break;
            }
          }
        }
        if (pool !== NO_BLOCK) {
          const inUse = ++live[pool];
          slotPoolTaken[slot * poolCount + pool]++;
          requestedLive[pool] += size;
          if (inUse > peak[pool]) {
            peak[pool] = inUse;
            peakAt[pool] = index;
          }
          if (trackSeries && inUse > seriesMax[bucketBase + pool]) seriesMax[bucketBase + pool] = inUse;
          if (steps !== null) steps[index] = pool + 1;
          requested += size;
          reserved += block[pool];
          if (requested > peakRequested) {
            peakRequested = requested;
            peakRequestedAt = index;
          }
          if (reserved > peakReserved) {
            peakReserved = reserved;
            peakReservedAt = index;
            peakSnapshotPending = true;
          }
        } else {
          s.slotNoBlock[slot]++;
          if (best === ZERO_SIZE) s.zeroSizeRequests++;
          else this.fail(best, index);
        }
        // Record the live allocation on its size's stack. A stack always has room for one
        // more than the size's max load, so only a new max load needs to check the room.
        const d = depth[slot];
        arena[stackBase[slot] + d] = pool;
        depth[slot] = d + 1;
        if (d >= maxLoad[slot]) {
          maxLoad[slot] = d + 1;
          if (d + 1 === stacks.room[slot]) {
            stacks.grow(slot, d + 1);
            ({ arena, base: stackBase } = stacks);
          }
        }
        liveBytes += size;
        if (liveBytes > peakLiveBytes) {
          peakLiveBytes = liveBytes;
          peakLiveBytesAt = index;
        }
      }

      // 3. Release the block found in step 1.
      if (oldPool !== NO_BLOCK) {
        if (peakSnapshotPending) {
          // Leaving a heap peak: record each pool's fragmentation at it (the arrays are current).
          this.snapshotPeak();
          peakSnapshotPending = false;
        }
        const inUse = --live[oldPool];
        if (trackSeries && inUse < seriesMin[bucketBase + oldPool]) seriesMin[bucketBase + oldPool] = inUse;
        if (steps !== null) steps[index] |= (oldPool + 1) << 8;
        requestedLive[oldPool] -= oldSize;
        requested -= oldSize;
        reserved -= block[oldPool];
      }
    }

    Object.assign(s, { requested, reserved, peakRequested, peakRequestedAt, peakReserved, peakReservedAt, peakSnapshotPending });
    Object.assign(s, { liveBytes, peakLiveBytes, peakLiveBytesAt });
    s.events = index;
  }

  private fail(bestPool: number, index: number): void {
    const s = this.state;
    if (bestPool < s.poolCount) s.poolFailures[bestPool]++;
    else s.failuresTooLarge++;
    if (s.failures++ === 0) s.firstFailure = index;
    if (s.failureIndices.length < this.failureIndexLimit) s.failureIndices.push(index);
  }

  private unmatched(index: number): void {
    const s = this.state;
    if (s.unmatchedFrees++ === 0) s.firstUnmatchedFree = index;
  }

  /** Records each pool's internal fragmentation at the heap's (current) peak. */
  private snapshotPeak(): void {
    const s = this.state;
    for (let pool = 0; pool < s.poolCount; pool++) {
      s.fragmentationAtPeak[pool] = s.live[pool] * s.block[pool] - s.requestedLive[pool];
    }
    s.peakSnapshotPending = false;
  }

  private newSlot(size: number): number {
    const s = this.state;
    const slot = s.slots.add(size);
    const count = slot + 1;
    s.slotBestPool = grown(s.slotBestPool, count);
    s.depth = grown(s.depth, count);
    s.maxLoad = grown(s.maxLoad, count);
    s.slotNoBlock = grown(s.slotNoBlock, count);
    s.slotPoolTaken = grown(s.slotPoolTaken, count * Math.max(s.poolCount, 1));
    s.slotBestPool[slot] = size === 0 ? ZERO_SIZE : bestFitPool(s.block, size);
    s.stacks.addSlot(slot);
    return slot;
  }
}
