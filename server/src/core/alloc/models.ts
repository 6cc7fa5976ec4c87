// Two general-purpose allocators, replayed on the same trace as Drone's pools, to compare
// with them (issue 7). Both allocate from one region of the heap's size:
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
import type { AllocFailureKinds, AllocModelName, AllocModelResult } from './result';

/** A live allocation that holds no block: zero-size or failed (phantom). */
const NO_BLOCK = -1;
/** Sizes below this have their LIFO stack in an array; larger ones in a Map. */
const DIRECT_SIZES = 4096;
export const WORD = 4;
export const DEFRAG_OVERHEAD = 8;
export const DEFAULT_DEFRAG_INDEXES = 256;

export interface AllocModelOptions {
  /** Maximum number of time-series buckets (even, default 1000). */
  seriesBuckets?: number;
}

export function roundToWord(size: number): number {
  return Math.ceil(size / WORD) * WORD;
}

/** Shared replay: LIFO-per-size matching, block table, peaks, fragmentation series. */
export abstract class AllocModel implements EventSink {
  readonly free: FreeRuns;
  protected events = 0;
  protected failures = 0;
  protected firstFailure: number | null = null;
  protected readonly kinds: AllocFailureKinds = { outOfMemory: 0, outOfIndexes: 0, fragmented: 0 };
  private unmatchedFrees = 0;
  private firstUnmatchedFree: number | null = null;
  private zeroSizeRequests = 0;
  /** Block table: address and length of block `id`; `alive[id]` 1 while live. */
  protected blockAddr = new Float64Array(256);
  protected blockLen = new Float64Array(256);
  protected alive = new Uint8Array(256);
  private freeIds: number[] = [];
  private nextId = 0;
  protected liveBlocks = 0;
  private peakBlocks = 0;
  private inUse = 0;
  private peakInUse = 0;
  private peakAt: number | null = null;
  private largestAtPeak = 0;
  private freeAtPeak = 0;
  private maxFragmentation = 0;
  private readonly direct: number[][] = [];
  private readonly stacks = new Map<number, number[]>();
  private readonly series: BucketSeries;
  private readonly current = new Float64Array(1);
  protected compactions = 0;
  protected bytesMoved = 0;

  constructor(
    readonly name: AllocModelName,
    readonly heapBytes: number,
    readonly overhead: number,
    readonly indexes: number | null,
    options: AllocModelOptions = {},
  ) {
    this.free = new FreeRuns(0, heapBytes);
    this.series = new BucketSeries(1, options.seriesBuckets ?? 1000);
  }

  /** Takes a block for `size` (> 0) bytes: its id, or NO_BLOCK after recording the failure. */
  protected abstract allocate(size: number, index: number): number;

  consume(batch: EventBatch): void {
    const { kinds, a, b } = batch;
    const series = this.series;
    const current = this.current;
    const free = this.free;
    let index = this.events;
    for (let i = 0; i < batch.length; i++, index++) {
      if (index >= series.nextStart) {
        // A bucket holds the max over the states after each of its events.
        current[0] = 0;
        series.advance(current);
      }
      const kind = kinds[i];
      let old = NO_BLOCK;
      if (kind !== EventKind.Alloc) {
        const stack = this.stackOf(a[i], false);
        if (stack === undefined || stack.length === 0) {
          if (this.unmatchedFrees++ === 0) this.firstUnmatchedFree = index;
        } else old = stack.pop()!;
      }
      if (kind !== EventKind.Free) {
        const size = kind === EventKind.Alloc ? a[i] : b[i];
        let id = NO_BLOCK;
        if (size === 0) this.zeroSizeRequests++;
        else {
          id = this.allocate(size, index);
          if (id !== NO_BLOCK) this.taken(id, index);
        }
        this.stackOf(size, true)!.push(id);
      }
      if (old !== NO_BLOCK) this.release(old);
      const total = free.total;
      const fragmentation = total > 0 ? 1 - free.largest() / total : 0;
      current[0] = fragmentation;
      series.rise(0, fragmentation);
      if (fragmentation > this.maxFragmentation) this.maxFragmentation = fragmentation;
    }
    this.events = index;
  }

  result(): AllocModelResult {
    const json = this.series.toJSON(this.events, [0]);
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

  protected fail(kind: keyof AllocFailureKinds, index: number): number {
    this.kinds[kind]++;
    if (this.failures++ === 0) this.firstFailure = index;
    return NO_BLOCK;
  }

  /** A new block id for [addr, addr + len). */
  protected newBlock(addr: number, len: number): number {
    let id = this.freeIds.pop();
    if (id === undefined) {
      id = this.nextId++;
      if (id === this.alive.length) this.growTable();
    }
    this.blockAddr[id] = addr;
    this.blockLen[id] = len;
    this.alive[id] = 1;
    return id;
  }

  private taken(id: number, index: number): void {
    this.inUse += this.blockLen[id];
    if (++this.liveBlocks > this.peakBlocks) this.peakBlocks = this.liveBlocks;
    if (this.inUse > this.peakInUse) {
      this.peakInUse = this.inUse;
      this.peakAt = index;
      this.largestAtPeak = this.free.largest();
      this.freeAtPeak = this.free.total;
    }
  }

  private release(id: number): void {
    const len = this.blockLen[id];
    this.free.release(this.blockAddr[id], len);
    this.inUse -= len;
    this.liveBlocks--;
    this.alive[id] = 0;
    this.freeIds.push(id);
  }

  private stackOf(size: number, create: boolean): number[] | undefined {
    if (size < DIRECT_SIZES) {
      let stack = this.direct[size];
      if (stack === undefined && create) stack = this.direct[size] = [];
      return stack;
    }
    let stack = this.stacks.get(size);
    if (stack === undefined && create) this.stacks.set(size, (stack = []));
    return stack;
  }

  private growTable(): void {
    const n = this.alive.length * 2;
    const addr = new Float64Array(n);
    const len = new Float64Array(n);
    const alive = new Uint8Array(n);
    addr.set(this.blockAddr);
    len.set(this.blockLen);
    alive.set(this.alive);
    this.blockAddr = addr;
    this.blockLen = len;
    this.alive = alive;
  }
}

/** Best fit with immediate coalescing, metadata outside the region, sizes rounded to the word. */
export class BestFitModel extends AllocModel {
  constructor(heapBytes: number, options: AllocModelOptions = {}) {
    super('best-fit', heapBytes, 0, null, options);
  }

  protected allocate(size: number, index: number): number {
    const need = roundToWord(size);
    const addr = this.free.take(need);
    if (addr >= 0) return this.newBlock(addr, need);
    return this.fail(this.free.total < need ? 'outOfMemory' : 'fragmented', index);
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
  private readonly compact: boolean;

  constructor(heapBytes: number, options: DefragOptions = {}) {
    const indexes = options.indexes ?? DEFAULT_DEFRAG_INDEXES;
    if (!Number.isInteger(indexes) || indexes < 0) throw new RangeError(`The number of indexes must be an integer ≥ 0, not ${indexes}.`);
    super(options.compact ? 'defrag-compacting' : 'defrag', heapBytes, DEFRAG_OVERHEAD, indexes, options);
    this.compact = options.compact ?? false;
  }

  protected allocate(size: number, index: number): number {
    if (this.liveBlocks >= (this.indexes as number)) return this.fail('outOfIndexes', index);
    const need = roundToWord(size) + DEFRAG_OVERHEAD;
    let addr = this.free.take(need);
    if (addr < 0) {
      if (this.free.total < need) return this.fail('outOfMemory', index);
      if (!this.compact) return this.fail('fragmented', index);
      this.defrag();
      addr = this.free.take(need);
    }
    return this.newBlock(addr, need);
  }

  /** Slides every live block down to the start in address order; one free run remains at the end. */
  private defrag(): void {
    const ids: number[] = [];
    for (let id = 0; id < this.alive.length; id++) if (this.alive[id]) ids.push(id);
    ids.sort((x, y) => this.blockAddr[x] - this.blockAddr[y]);
    let at = 0;
    for (const id of ids) {
      if (this.blockAddr[id] !== at) {
        this.bytesMoved += this.blockLen[id];
        this.blockAddr[id] = at;
      }
      at += this.blockLen[id];
    }
    this.free.reset(at, this.heapBytes - at);
    this.compactions++;
  }
}
