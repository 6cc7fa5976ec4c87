// Custom messages between the VS Code client, the language server and the heap view
// page. One file, imported by every side, so each message is typed the same on
// both ends. Standard LSP needs none of these: other editors get diagnostics, hovers,
// hints and lenses without them.
import { NotificationType, RequestType, type TextEdit as LspTextEdit } from 'vscode-languageserver-protocol';
import type { OptimizeMode, OptimizeResult, OptimizeTarget } from './core/layout/optimize';
import type { PoolSpec, ReplayResult } from './core/replay/result';
import type { HeapViewData, ViewRange } from './core/view/heapView';

export type TraceState =
  /** No trace file found for this heap (yet). */
  | 'no-trace'
  /** The heap's pools are not valid, so there is nothing to replay against. */
  | 'layout-invalid'
  | 'replaying'
  | 'done'
  | 'failed'
  /** Restricted Mode: the trace lies outside the workspace folder, so it is not read (the message says which and how to read it). */
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

export interface TraceStatusParams {
  /** The Drone.toml document. */
  uri: string;
  heaps: HeapTraceStatus[];
}

/** Server → client: the trace state of a document's heaps changed. */
export const TraceStatusNotification = new NotificationType<TraceStatusParams>('droneHeap/traceStatus');

// ---- Workspace trust (Restricted Mode) ------------------------------------------------

/** What the VS Code client sends as `initializationOptions`; every field is optional for other clients. */
export interface DroneHeapInitializationOptions {
  /** The `droneHeap` settings section. */
  settings?: unknown;
  /**
   * Whether the workspace is trusted. Only an explicit `false` restricts: then trace files
   * outside the workspace folders are not read (clients that say nothing are trusted).
   */
  workspaceTrusted?: boolean;
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

// ---- Heap view panel (issue 5) ----------------------------------------------------------
// The panel's data comes from the server (one request, summarised there, small whatever the
// trace length); the page never parses Drone.toml or traces. Messages between the extension
// host and the page are the two unions below; the page imports only types from this file.

export type {
  AllocatorFigures, AllocatorId, FragmentationSeries, HeapViewAllocators,
  HeapCompare, HeapViewData, HeapViewError, HeapViewHeap, HeapViewHeapRef, HeapViewPool, HeapViewReplay, HeapViewSeries,
  HeapViewTrace, LayoutFigures, PoolTraceFigures, SizeBin, SizeHistogram, ViewRange,
} from './core/view/heapView';

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

/** Extension host → page. */
export type HeapViewHostMessage =
  /** The figures to show (after `ready`, and whenever they change). */
  | { type: 'data'; data: HeapViewData }
  /** No Drone.toml to show (none open, none in the workspace). */
  | { type: 'noDocument' }
  /** The server could not answer. */
  | { type: 'error'; message: string };

/** Page → extension host. */
export type HeapViewPageMessage =
  /** The page is loaded and listening; `buckets` is the chart's width in pixels. */
  | { type: 'ready'; buckets: number }
  /** The user picked another heap of the document. */
  | { type: 'pickHeap'; uri: string; heap: string }
  /** Show this range of the Drone.toml in its editor (a pool, an error). */
  | { type: 'reveal'; uri: string; range: ViewRange }
  /** Run "Import Trace…" for this document. */
  | { type: 'importTrace'; uri: string; heap: string }
  /** Apply the proposed layout of the compare view (the same edit as the one-click optimisation). */
  | { type: 'applyLayout'; uri: string; heap: string; pools: PoolSpec[]; size: number };

/** What the page keeps across reloads (webview getState/setState); the host reads uri and heap. */
export interface HeapViewPageState {
  uri?: string;
  heap?: string;
  sort?: { key: string; descending: boolean };
  unit?: 'blocks' | 'bytes';
  histogram?: 'allocations' | 'peakLive';
  /** Zoomed event range of the chart, or null for the whole trace. */
  zoom?: [number, number] | null;
}

/** Client command that applies a layout ({uri, heap, pools, size?}); registered by the optimiser's client side. */
export const APPLY_LAYOUT_COMMAND = 'droneHeap.applyLayout';
/** Opens (or reveals) the heap view; arguments (uri?: string, heap?: string). */
export const OPEN_HEAP_VIEW_COMMAND = 'droneHeap.openHeapView';

// ---- Layout optimisation (issue 4) -----------------------------------------------------

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
  edits: LspTextEdit[] | null;
  reason: string | null;
  version: number;
}

/** Client → server: the edits that write a layout into a heap of a document. */
export const LayoutEditsRequest = new RequestType<LayoutEditsParams, LayoutEditsAnswer, void>('droneHeap/layoutEdits');

/** Client command that proposes a layout for (uri?, heap?) and previews it before applying. */
export const OPTIMIZE_LAYOUT_COMMAND = 'droneHeap.optimizeLayout';
