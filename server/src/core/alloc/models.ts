// Two general-purpose allocators, replayed on the same trace as Drone's pools, to compare
// with them ("what if" figures in the heap view and `drone-heap compare`). Both allocate from one region of the heap's size:
//
//  - BestFitModel (orderly-allocator style): metadata outside the region, sizes rounded up
//    to the word (4 B), best fit (smallest free run ≥ request, lowest address on ties),
//    immediate coalescing with both neighbours on free.
//  - DefragModel (the `defrag` crate's style): 8 B of overhead per allocated block, a fixed
//    number of allocation indexes (one per live block), best fit by bins (modelled as exact
//    best fit: searching the smallest bin that holds a large-enough run for its smallest
//    fitting run gives the same block), coalescing on free. Failures are out of indexes,
//    out of memory (total free < need) or fragmented (enough free bytes, no run large
//    enough). With `compact`, a fragmented failure instead runs defrag(): every live block
//    slides down to the start in address order (counted: compactions, bytes moved), and
//    the request is then served from the single free run at the end.
//
// Trace semantics are the pool replay's (poolReplay.ts): a free of size s releases the
// most recent still-live allocation of size s (LIFO per size), else it is unmatched;
// grow/shrink allocates the new block before releasing the old; zero-size requests touch
// nothing; a failed allocation stays a phantom whose later free releases nothing.

import { EventKind, type EventBatch, type EventSink } from '../trace/events';
import { BucketSeries } from '../replay/timeSeries';
import { FreeRuns } from './freeRuns';
import { WordFreeRuns } from './wordFreeRuns';
import type { AllocFailureKinds, AllocModelName, AllocModelResult } from './result';

/** No entry: an empty stack, the end of a list. */
const NONE = -1;
/** Sizes below this have their LIFO stack's top in an array; larger ones in a Map. */
const DIRECT_SIZES = 4096;
export const WORD = 4;
export const DEFRAG_OVERHEAD = 8;
export const DEFAULT_DEFRAG_INDEXES = 256;

export interface AllocModelOptions {
  /** Maximum number of time-series buckets (even, default 1000). */
  seriesBuckets?: number;
  /** Keep the fragmentation series (default true); without it the result's series has no buckets. */
  series?: boolean;
}

export function roundToWord(size: number): number {
  // Integer arithmetic for the sizes a trace holds (u32 below 2^30), the division otherwise.
  return size >= 0 && size < 0x4000_0000 && (size | 0) === size ? (size + 3) & -4 : Math.ceil(size / WORD) * WORD;
}

/**
 * Shared replay: LIFO-per-size matching, block table, allocation, peaks, fragmentation series.
 * The models differ only in data (overhead, indexes, compaction), so allocation is one method
 * here rather than an override: the replay loop has one call target however models are
 * mixed (the heap view feeds three through one pass), not a polymorphic dispatch.
 */
export abstract class AllocModel implements EventSink {
  /** The free runs: WordFreeRuns for any region it can index (needs are whole words), else the general sorted index. */
  readonly free: WordFreeRuns | FreeRuns;
  protected events = 0;
  protected failures = 0;
  protected firstFailure: number | null = null;
  protected readonly kinds: AllocFailureKinds = { outOfMemory: 0, outOfIndexes: 0, fragmented: 0 };
  private unmatchedFrees = 0;
  private firstUnmatchedFree: number | null = null;
  private zeroSizeRequests = 0;
  /**
   * Entry table, one entry per live request (a zero-size or failed one is a phantom:
   * `alive[id]` 0): block address and length, and `below[id]`, the entry under it on its
   * size's LIFO stack (for a recycled entry: the next free one). Stacks and the free list are
   * threaded through `below`, so matching a free costs no array object per size.
   */
  protected blockAddr = new Float64Array(256);
  protected blockLen = new Float64Array(256);
  protected alive = new Uint8Array(256);
  private below = new Int32Array(256);
  private freeIds = NONE;
  private nextId = 0;
  /** Top entry of each size's stack (NONE when empty). */
  private readonly tops = new Int32Array(DIRECT_SIZES).fill(NONE);
  private readonly bigTops = new Map<number, number>();
  protected liveBlocks = 0;
  private peakBlocks = 0;
  private inUse = 0;
  private peakInUse = 0;
  private peakAt: number | null = null;
  private largestAtPeak = 0;
  private freeAtPeak = 0;
  private maxFragmentation = 0;
  private readonly series: BucketSeries;
  private readonly trackSeries: boolean;
  /** What a new bucket starts from: 0, as its max covers only the states after its own events. */
  private readonly bucketStart = new Float64Array(1);
  protected compactions = 0;
  protected bytesMoved = 0;
  /** Live blocks allowed (indexes), Infinity without a limit. */
  private readonly maxBlocks: number;
  /**
   * Compacting models on a WordFreeRuns: the entry of the live block starting at each
   * granule (stale where no live block starts). Free runs and live blocks tile the region,
   * so defrag() walks them in address order instead of sorting the live blocks.
   */
  private readonly idAtGranule: Int32Array | null;

  constructor(
    readonly name: AllocModelName,
    readonly heapBytes: number,
    readonly overhead: number,
    readonly indexes: number | null,
    /** Run defrag() when an allocation would fail because of fragmentation. */
    private readonly compact: boolean,
    options: AllocModelOptions = {},
  ) {
    this.free = WordFreeRuns.fits(0, heapBytes) ? new WordFreeRuns(0, heapBytes) : new FreeRuns(0, heapBytes);
    this.series = new BucketSeries(1, options.seriesBuckets ?? 1000);
    this.trackSeries = options.series ?? true;
    this.maxBlocks = indexes ?? Infinity;
    this.idAtGranule = compact && this.free instanceof WordFreeRuns ? new Int32Array((heapBytes >> 2) + 1) : null;
  }

  consume(batch: EventBatch): void {
    const { kinds, a, b } = batch;
    const series = this.series;
    const free = this.free;
    let index = this.events;
    const trackSeries = this.trackSeries;
    let nextBucket = trackSeries ? series.nextStart : Infinity;
    let maxFragmentation = this.maxFragmentation;
    for (let i = 0; i < batch.length; i++, index++) {
      if (index >= nextBucket) {
        series.advance(this.bucketStart);
        nextBucket = series.nextStart;
      }
      const kind = kinds[i];
      let old = NONE;
      if (kind !== EventKind.Alloc) {
        old = this.pop(a[i]);
        if (old === NONE && this.unmatchedFrees++ === 0) this.firstUnmatchedFree = index;
      }
      if (kind !== EventKind.Free) {
        const size = kind === EventKind.Alloc ? a[i] : b[i];
        let id: number;
        if (size === 0) {
          this.zeroSizeRequests++;
          id = this.newEntry(0, 0, 0);
        } else id = this.allocate(size, index);
        this.push(size, id);
      }
      if (old !== NONE) this.release(old);
      const total = free.total;
      const fragmentation = total > 0 ? 1 - free.largest() / total : 0;
      if (trackSeries) series.rise(0, fragmentation);
      if (fragmentation > maxFragmentation) maxFragmentation = fragmentation;
    }
    this.maxFragmentation = maxFragmentation;
    this.events = index;
  }

  result(): AllocModelResult {
    const json = this.series.toJSON(this.trackSeries ? this.events : 0, [0]);
    return {
      model: this.name,
      heapBytes: this.heapBytes,
      overheadPerBlock: this.overhead,
      indexes: this.indexes,
      events: this.events,
      failures: this.failures,
      firstFailure: this.firstFailure,
      failureKinds: { ...this.kinds },
      unmatchedFrees: this.unmatchedFrees,
      firstUnmatchedFree: this.firstUnmatchedFree,
      zeroSizeRequests: this.zeroSizeRequests,
      peakBytesInUse: this.peakInUse,
      peakAt: this.peakAt,
      largestFreeRunAtPeak: this.largestAtPeak,
      freeBytesAtPeak: this.freeAtPeak,
      peakBlocks: this.peakBlocks,
      maxExternalFragmentation: this.maxFragmentation,
      compactions: this.compactions,
      bytesMoved: this.bytesMoved,
      series: { bucketWidth: json.bucketWidth, buckets: json.buckets, externalFragmentation: json.pools[0]?.max ?? [] },
    };
  }

  /** Live blocks as [address, length) ranges, in address order (tests, debugging). */
  liveRanges(): { addr: number; size: number }[] {
    const out: { addr: number; size: number }[] = [];
    for (let id = 0; id < this.nextId; id++) if (this.alive[id]) out.push({ addr: this.blockAddr[id], size: this.blockLen[id] });
    return out.sort((x, y) => x.addr - y.addr);
  }

  /** Takes a block for `size` (> 0) bytes: its entry, a phantom after recording a failure. */
  private allocate(size: number, index: number): number {
    if (this.liveBlocks >= this.maxBlocks) return this.fail('outOfIndexes', index);
    const need = roundToWord(size) + this.overhead;
    let addr = this.free.take(need);
    if (addr < 0) {
      if (this.free.total < need) return this.fail('outOfMemory', index);
      if (!this.compact) return this.fail('fragmented', index);
      this.defrag();
      addr = this.free.take(need);
    }
    this.inUse += need;
    if (++this.liveBlocks > this.peakBlocks) this.peakBlocks = this.liveBlocks;
    if (this.inUse > this.peakInUse) {
      this.peakInUse = this.inUse;
      this.peakAt = index;
      this.largestAtPeak = this.free.largest();
      this.freeAtPeak = this.free.total;
    }
    const id = this.newEntry(addr, need, 1);
    if (this.idAtGranule) this.idAtGranule[addr >> 2] = id;
    return id;
  }

  private fail(kind: keyof AllocFailureKinds, index: number): number {
    this.kinds[kind]++;
    if (this.failures++ === 0) this.firstFailure = index;
    return this.newEntry(0, 0, 0);
  }

  /** A new entry: block [addr, addr + len) when `alive` is 1, a phantom when 0. */
  private newEntry(addr: number, len: number, alive: number): number {
    let id = this.freeIds;
    if (id !== NONE) this.freeIds = this.below[id];
    else {
      id = this.nextId++;
      if (id === this.alive.length) this.growTable();
    }
    this.blockAddr[id] = addr;
    this.blockLen[id] = len;
    this.alive[id] = alive;
    return id;
  }

  /** Ends entry `id` (matched by a free): releases its block, if any, and recycles the entry. */
  private release(id: number): void {
    if (this.alive[id] === 1) {
      const len = this.blockLen[id];
      this.free.release(this.blockAddr[id], len);
      this.inUse -= len;
      this.liveBlocks--;
      this.alive[id] = 0;
    }
    this.below[id] = this.freeIds;
    this.freeIds = id;
  }

  private push(size: number, id: number): void {
    if (size < DIRECT_SIZES) {
      this.below[id] = this.tops[size];
      this.tops[size] = id;
    } else {
      this.below[id] = this.bigTops.get(size) ?? NONE;
      this.bigTops.set(size, id);
    }
  }

  /** The most recent live entry of `size`, taken off its stack; NONE when there is none. */
  private pop(size: number): number {
    if (size < DIRECT_SIZES) {
      const id = this.tops[size];
      if (id !== NONE) this.tops[size] = this.below[id];
      return id;
    }
    const id = this.bigTops.get(size) ?? NONE;
    if (id !== NONE) this.bigTops.set(size, this.below[id]);
    return id;
  }

  private growTable(): void {
    const n = this.alive.length * 2;
    const addr = new Float64Array(n);
    const len = new Float64Array(n);
    const alive = new Uint8Array(n);
    const below = new Int32Array(n);
    addr.set(this.blockAddr);
    len.set(this.blockLen);
    alive.set(this.alive);
    below.set(this.below);
    this.blockAddr = addr;
    this.blockLen = len;
    this.alive = alive;
    this.below = below;
  }

  /** Slides every live block down to the start in address order; one free run remains at the end. */
  private defrag(): void {
    const idAt = this.idAtGranule;
    const ids = idAt && this.free instanceof WordFreeRuns ? this.liveIdsByWalk(this.free, idAt) : this.liveIdsByAddress();
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (this.blockAddr[id] !== at) {
        this.bytesMoved += this.blockLen[id];
        this.blockAddr[id] = at;
      }
      if (idAt) idAt[at >> 2] = id;
      at += this.blockLen[id];
    }
    this.free.reset(at, this.heapBytes - at);
    this.compactions++;
  }

  /** The live entries in address order, by walking the region: a free run, or the live block starting there. */
  private liveIdsByWalk(free: WordFreeRuns, idAt: Int32Array): Int32Array {
    const ids = new Int32Array(this.liveBlocks);
    let k = 0;
    for (let at = 0; at < this.heapBytes && k < ids.length;) {
      const run = free.runAt(at);
      if (run > 0) at += run;
      else {
        const id = idAt[at >> 2];
        ids[k++] = id;
        at += this.blockLen[id];
      }
    }
    return ids;
  }

  /** The live entries in address order (addresses are distinct: live blocks do not overlap). */
  private liveIdsByAddress(): ArrayLike<number> {
    const n = this.nextId;
    // A numeric typed-array sort of address · n + id (exact below 2^53), no comparator call per step.
    if (Number.isInteger(this.heapBytes) && this.heapBytes * n < 2 ** 52) {
      const keys = new Float64Array(this.liveBlocks);
      let k = 0;
      for (let id = 0; id < n; id++) if (this.alive[id]) keys[k++] = this.blockAddr[id] * n + id;
      keys.sort();
      const ids = new Int32Array(k);
      for (let i = 0; i < k; i++) ids[i] = keys[i] % n;
      return ids;
    }
    const ids: number[] = [];
    for (let id = 0; id < n; id++) if (this.alive[id]) ids.push(id);
    return ids.sort((x, y) => this.blockAddr[x] - this.blockAddr[y]);
  }
}

/** Best fit with immediate coalescing, metadata outside the region, sizes rounded to the word. */
export class BestFitModel extends AllocModel {
  constructor(heapBytes: number, options: AllocModelOptions = {}) {
    super('best-fit', heapBytes, 0, null, false, options);
  }
}

export interface DefragOptions extends AllocModelOptions {
  /** Allocation indexes (live blocks at most); default 256. */
  indexes?: number;
  /** Run defrag() when an allocation would fail because of fragmentation. */
  compact?: boolean;
}

/** The defrag crate's style: 8 B per block, a fixed number of indexes, optional compaction. */
export class DefragModel extends AllocModel {
  constructor(heapBytes: number, options: DefragOptions = {}) {
    const indexes = options.indexes ?? DEFAULT_DEFRAG_INDEXES;
    if (!Number.isInteger(indexes) || indexes < 0) throw new RangeError(`The number of indexes must be an integer ≥ 0, not ${indexes}.`);
    super(options.compact ? 'defrag-compacting' : 'defrag', heapBytes, DEFRAG_OVERHEAD, indexes, options.compact ?? false, options);
  }
}
