// Where the optimiser's events come from. It reads the trace twice (once to learn, once to
// verify the proposal with the real replay), so it takes something it can read again
// rather than a stream.

import type { EventBatch, EventSink } from '../trace/events';
import { decodeTraceBytes, readTraceFile, type TraceReadOptions, type TraceReadSummary } from '../trace/readTrace';

/** Streams the whole trace into `sink`; `onProgress` gets the fraction read (0..1). */
export type TraceSource = (sink: EventSink, onProgress?: (fraction: number) => void) => Promise<TraceReadSummary>;

export function fileTraceSource(path: string, options: TraceReadOptions = {}): TraceSource {
  return (sink, onProgress) =>
    readTraceFile(path, sink, {
      ...options,
      onProgress: (read, total) => {
        options.onProgress?.(read, total);
        onProgress?.(total > 0 ? read / total : 1);
      },
    });
}

export function bytesTraceSource(bytes: Uint8Array, options: TraceReadOptions = {}): TraceSource {
  return async (sink, onProgress) =>
    decodeTraceBytes(bytes, sink, {
      ...options,
      onProgress: (read, total) => onProgress?.(total > 0 ? read / total : 1),
    });
}

/** Hands every batch to several sinks, so one read feeds statistics, steps and replays. */
export class TeeSink implements EventSink {
  constructor(private readonly sinks: readonly EventSink[]) {}

  consume(batch: EventBatch): void {
    for (const sink of this.sinks) sink.consume(batch);
  }
}
