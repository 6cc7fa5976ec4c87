// Messages between the extension host and the heap view page (postMessage), and what the
// page keeps across reloads.
import type { HeapViewData, HeapViewRangeSeries, ViewRange } from './heapView';
import type { PoolSpec } from './replay';

/** Extension host → page. */
export type HeapViewHostMessage =
  /** The figures to show (after `ready`, and whenever they change). */
  | { type: 'data'; data: HeapViewData }
  /** No Drone.toml to show (none open, none in the workspace). */
  | { type: 'noDocument' }
  /** The server could not answer. */
  | { type: 'error'; message: string }
  /** The answer to `zoom`: the asked range at the chart's resolution (null: nothing finer to show). */
  | { type: 'range'; from: number; to: number; series: HeapViewRangeSeries | null };

/** Page → extension host. */
export type HeapViewPageMessage =
  /** The page is loaded and listening; `buckets` is the chart's width in pixels. */
  | { type: 'ready'; buckets: number }
  /** The user picked another heap of the document. */
  | { type: 'pickHeap'; uri: string; heap: string }
  /** Show this range of the Drone.toml in its editor (a pool, an error). */
  | { type: 'reveal'; uri: string; range: ViewRange }
  /** The chart was zoomed to events [from, to): send that range at `buckets` buckets (a `range` message). */
  | { type: 'zoom'; uri: string; heap: string; from: number; to: number; buckets: number }
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
