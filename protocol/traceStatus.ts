// A heap's trace state: the status bar item, the heap view and the "Import Trace…" answer.

export type TraceState =
  /** No trace file found for this heap (yet). */
  | 'no-trace'
  /** The heap's pools are not valid, so there is nothing to replay against. */
  | 'layout-invalid'
  | 'replaying'
  | 'done'
  | 'failed'
  /** Restricted Mode: the trace lies outside the workspace folders, so it is not read (the message says which and how to read it). */
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
  /** The trace format's name (see TraceFormatName), or null. */
  format: string | null;
  /** One sentence for a tooltip: what is applied, what went wrong, how to get a trace. */
  message: string;
}

export interface TraceStatusParams {
  /** The Drone.toml document. */
  uri: string;
  heaps: HeapTraceStatus[];
}
