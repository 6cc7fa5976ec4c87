// Custom messages between the VS Code client and the language server (and, later, the
// heap view). One file, imported by both sides, so each message is typed the same on
// both ends. Standard LSP needs none of these: other editors get diagnostics, hovers,
// hints and lenses without them.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ReplayResult } from './core/replay/result';

export type TraceState =
  /** No trace file found for this heap (yet). */
  | 'no-trace'
  /** The heap's pools are not valid, so there is nothing to replay against. */
  | 'layout-invalid'
  | 'replaying'
  | 'done'
  | 'failed';

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

export interface TraceStatusParams {
  /** The Drone.toml document. */
  uri: string;
  heaps: HeapTraceStatus[];
}

/** Server → client: the trace state of a document's heaps changed. */
export const TraceStatusNotification = new NotificationType<TraceStatusParams>('droneHeap/traceStatus');

export interface ImportTraceParams {
  uri: string;
  heap: string;
  /** Absolute path of the trace file. */
  tracePath: string;
}

/** Client → server: use this trace file for this heap (the "Import Trace…" command). */
export const ImportTraceRequest = new RequestType<ImportTraceParams, HeapTraceStatus, void>('droneHeap/importTrace');

export interface ReplayResultParams {
  uri: string;
  heap: string;
}

export interface ReplayResultAnswer {
  status: HeapTraceStatus | null;
  /** The replay of the heap's current layout, or null while there is none. */
  result: ReplayResult | null;
}

/** Client → server: the full replay result of a heap (heap view, tests). */
export const ReplayResultRequest = new RequestType<ReplayResultParams, ReplayResultAnswer, void>('droneHeap/replayResult');
