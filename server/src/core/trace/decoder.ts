// The common shape of the three incremental decoders. A decoder is fed raw bytes in chunks
// of any size (a file read in 1 MiB pieces, or a live capture a few bytes at a time), keeps
// whatever record straddles two chunks, and hands complete events to a sink in batches.

import { EventBatch, type EventKind, type EventSink } from './events';
import type { TraceFormat, TraceProblem, TraceProblemKind } from './formats';

export interface TraceDecoder {
  readonly format: TraceFormat;
  /** Decodes one chunk. Does nothing once a problem has been found. */
  push(chunk: Uint8Array, sink: EventSink): void;
  /** End of data: reports a truncated final record, if any. Call once. */
  finish(sink: EventSink): void;
  /** The first corrupt record (decoding stopped there), or null. */
  readonly problem: TraceProblem | null;
  /** Events decoded so far (all of them handed to the sink after each push/finish). */
  readonly events: number;
  /** Bytes pushed so far. */
  readonly bytesPushed: number;
}

/** Batch bookkeeping shared by the decoders. */
export abstract class BaseDecoder {
  abstract readonly format: TraceFormat;
  problem: TraceProblem | null = null;
  /** Absolute byte offset of the first byte of the next chunk. */
  bytesPushed = 0;
  protected readonly batch: EventBatch;
  /** Events already handed to a sink (the current batch's first index). */
  private flushed = 0;

  constructor(batchCapacity?: number) {
    this.batch = new EventBatch(batchCapacity);
  }

  get events(): number {
    return this.flushed + this.batch.length;
  }

  /** Appends one event; flushes when the batch is full. For the less hot decoders. */
  protected emit(kind: EventKind, a: number, b: number, sink: EventSink): void {
    const batch = this.batch;
    const i = batch.length;
    batch.kinds[i] = kind;
    batch.a[i] = a;
    batch.b[i] = b;
    batch.length = i + 1;
    if (batch.length === batch.capacity) this.flush(sink);
  }

  /** Hands the batch to the sink (if it holds anything) and starts an empty one. */
  protected flush(sink: EventSink): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    batch.firstIndex = this.flushed;
    sink.consume(batch);
    this.flushed += batch.length;
    batch.length = 0;
  }

  protected fail(kind: TraceProblemKind, message: string, byteOffset: number): void {
    this.problem = { kind, message, byteOffset, eventIndex: this.events };
  }
}
