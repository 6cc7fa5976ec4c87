// Heap events travel in columnar batches, never as one object per event: a decoder fills
// typed arrays that it reuses, a consumer (replay, statistics) reads them before the next
// batch overwrites them. This keeps decoding and replay allocation-free and lets the
// same code run on the main thread, in a worker, or on a growing live capture.

/** Event kind codes. They equal the record header bytes of the stream format. */
export const enum EventKind {
  /** alloc(size): `a` = size */
  Alloc = 0,
  /** dealloc(size): `a` = size */
  Free = 1,
  /** grow(old, new): `a` = old size, `b` = new size */
  Grow = 2,
  /** shrink(old, new): `a` = old size, `b` = new size */
  Shrink = 3,
}

/** Default number of events per batch: small enough to stay in L2 cache. */
export const DEFAULT_BATCH_CAPACITY = 1 << 15;

/**
 * A reusable batch of decoded events. Event `i` (0 ≤ i < length) is `kinds[i]` with sizes
 * `a[i]`/`b[i]` (`b` only meaningful for grow/shrink); its index in the whole trace is
 * `firstIndex + i`. Consumers must not keep a reference: the arrays are refilled.
 */
export class EventBatch {
  readonly kinds: Uint8Array;
  readonly a: Uint32Array;
  readonly b: Uint32Array;
  /** Number of valid events in the arrays. */
  length = 0;
  /** Trace-wide index of event 0 of this batch. */
  firstIndex = 0;

  constructor(readonly capacity: number = DEFAULT_BATCH_CAPACITY) {
    this.kinds = new Uint8Array(capacity);
    this.a = new Uint32Array(capacity);
    this.b = new Uint32Array(capacity);
  }
}

/** Anything that consumes decoded events: the pool replay, Drone's statistics, a test recorder. */
export interface EventSink {
  consume(batch: EventBatch): void;
}

/**
 * Collects a batch sequence into one growing batch-like structure. Only for small traces
 * (tests, text previews): it holds every event in memory.
 */
export class EventCollector implements EventSink {
  kinds: number[] = [];
  a: number[] = [];
  b: number[] = [];

  consume(batch: EventBatch): void {
    for (let i = 0; i < batch.length; i++) {
      this.kinds.push(batch.kinds[i]);
      this.a.push(batch.a[i]);
      this.b.push(batch.b[i]);
    }
  }

  get length(): number {
    return this.kinds.length;
  }
}
