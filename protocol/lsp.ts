// The custom LSP requests and notifications between the VS Code client and the language
// server, with their params and answers. Standard LSP needs none of these: other editors
// get diagnostics, hovers, hints and lenses without them.
import { NotificationType, RequestType, type TextEdit } from 'vscode-languageserver-protocol';
import type { HeapViewData, HeapViewRangeSeries } from './heapView';
import type { OptimizeMode, OptimizeResult, OptimizeTarget } from './optimize';
import type { PoolSpec, ReplayResult } from './replay';
import type { HeapTraceStatus, TraceStatusParams } from './traceStatus';

/**
 * `error.code` of a custom request that cannot be served (JSON-RPC leaves codes outside
 * -32768…-32000 to applications, and LSP reserves -32899…-32800).
 */
export const DroneHeapErrorCodes = {
  /** The request names a document the client has not opened. */
  DocumentNotOpen: 1001,
  /** The document does not parse as TOML, so its heaps are unknown. */
  SyntaxError: 1002,
  /** The document has no heap of that name. */
  NoSuchHeap: 1003,
} as const;

/** Server → client: the trace state of a document's heaps changed. */
export const TraceStatusNotification = new NotificationType<TraceStatusParams>('droneHeap/traceStatus');

/** What the VS Code client sends as `initializationOptions`; every field is optional for other clients. */
export interface DroneHeapInitializationOptions {
  /** The `droneHeap` settings section. */
  settings?: unknown;
  /**
   * Whether the workspace is trusted. Only an explicit `false` restricts: then trace files
   * outside the workspace folders are not read (clients that say nothing are trusted).
   */
  workspaceTrusted?: boolean;
  /**
   * Traces the user imported before ("Import Trace…"), which the client keeps per workspace,
   * so that a picked trace survives a reload. Later entries win.
   */
  importedTraces?: ImportTraceParams[];
}

export interface WorkspaceTrustParams {
  trusted: boolean;
}

/** Client → server: the workspace's trust changed (VS Code: the user trusted it); trace paths are checked again. */
export const WorkspaceTrustNotification = new NotificationType<WorkspaceTrustParams>('droneHeap/workspaceTrust');

export interface ImportTraceParams {
  uri: string;
  heap: string;
  /** Absolute path of the trace file. */
  tracePath: string;
}

/** Client → server: use this trace file for this heap (the "Import Trace…" command). Read wherever it is, also in Restricted Mode: the user picked it. */
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

export interface HeapViewParams {
  /** The Drone.toml document. */
  uri: string;
  /** The heap shown (or picked) so far; the server falls back to main, then the first heap. */
  heap: string | null;
  /** The cursor: the heap under it wins over `heap`. Null when the cursor does not matter. */
  position: { line: number; character: number } | null;
  /** At most this many time-series buckets (about one per pixel of the chart). */
  buckets: number;
}

/** Client → server: everything the heap view shows for one heap of a document. */
export const HeapViewRequest = new RequestType<HeapViewParams, HeapViewData, void>('droneHeap/heapView');

export interface HeapViewRangeParams {
  /** The Drone.toml document. */
  uri: string;
  /** The heap the view shows. */
  heap: string;
  /** The zoomed event range, [from, to). */
  from: number;
  to: number;
  /** At most this many buckets (about one per pixel of the chart). */
  buckets: number;
}

/**
 * Client → server: the time series of a zoomed event range of the heap's current replay, at
 * the chart's resolution (down to one event per bucket). Null without a replay or for an empty range.
 */
export const HeapViewRangeRequest = new RequestType<HeapViewRangeParams, HeapViewRangeSeries | null, void>('droneHeap/heapViewRange');

export interface OptimizeLayoutParams {
  uri: string;
  heap: string;
  /** Pools wanted; default: as many as the heap has now. */
  pools?: number;
  mode?: OptimizeMode;
  /** `fit` keeps the heap's size (spare bytes become headroom); `minimal` finds the smallest heap. */
  target?: OptimizeTarget;
  /** Safety margin on capacities for the `minimal` target, in percent. */
  marginPercent?: number;
}

export interface OptimizeLayoutAnswer {
  /** The search and its verification by replay; `result.offered` says whether it may be written. */
  result: OptimizeResult | null;
  /** Why there is no result (no trace, invalid pools…), or a sentence about the result. */
  message: string;
  /** The document version the result belongs to. */
  version: number;
}

/** Client → server: propose a layout for a heap from its trace (runs in the worker; reports work-done progress). */
export const OptimizeLayoutRequest = new RequestType<OptimizeLayoutParams, OptimizeLayoutAnswer, void>('droneHeap/optimizeLayout');

export interface LayoutEditsParams {
  uri: string;
  heap: string;
  pools: PoolSpec[];
  /** Heap size in bytes; default Σ block × capacity. */
  size?: number;
}

export interface LayoutEditsAnswer {
  /** Minimal edits replacing only the `pools` and `size` values, or null with `reason`. */
  edits: TextEdit[] | null;
  reason: string | null;
  version: number;
}

/** Client → server: the edits that write a layout into a heap of a document. */
export const LayoutEditsRequest = new RequestType<LayoutEditsParams, LayoutEditsAnswer, void>('droneHeap/layoutEdits');
