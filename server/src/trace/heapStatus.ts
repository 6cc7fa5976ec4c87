// A heap's trace state as the trace manager keeps it. The protocol has its own copy of
// these types; features/wire/traceStatus.ts converts between the two.

export type TraceState =
  /** No trace file found for this heap (yet). */
  | 'no-trace'
  /** The heap's pools are not valid, so there is nothing to replay against. */
  | 'layout-invalid'
  | 'replaying'
  | 'done'
  | 'failed'
  /** Restricted Mode: the trace lies outside the workspace folders, so it is not read. */
  | 'restricted';

export interface HeapTraceStatus {
  /** Heap name as in `[heap.NAME]` (`main` for the legacy `[heap]`). */
  heap: string;
  /** How the heap is written in the file: `heap`, `heap.main`, `heap.dma`. */
  qualifiedName: string;
  /** Absolute path of the trace used (or looked for), or null. */
  tracePath: string | null;
  state: TraceState;
  /** 0..1 while replaying. */
  progress: number;
  events: number | null;
  failures: number | null;
  format: string | null;
  /** One sentence for a tooltip: what is applied, what went wrong, how to get a trace. */
  message: string;
}

/** The trace states of every heap of one document. */
export interface DocumentTraceStatus {
  uri: string;
  heaps: HeapTraceStatus[];
}
