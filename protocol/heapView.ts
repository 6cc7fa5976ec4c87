// What the heap view shows for one heap of a document (droneHeap/heapView): one plain JSON
// object, summarised by the server and small whatever the trace length, so the page never
// parses Drone.toml or replays a trace.
import type { DeviceHeapFigures, DevicePoolFigures } from './device';
import type { HeapViewAllocators } from './heapViewAllocators';
import type { PoolSizeCount, PoolSpec, TraceProblem } from './replay';
import type { TraceState } from './traceStatus';

/** 0-based line and UTF-16 character, as in LSP. */
export interface ViewPosition {
  line: number;
  character: number;
}

/** A range of the Drone.toml. */
export interface ViewRange {
  start: ViewPosition;
  end: ViewPosition;
}

export interface HeapViewHeapRef {
  name: string;
  qualifiedName: string;
}

/** Figures of one pool from the replay. */
export interface PoolTraceFigures {
  peak: number;
  peakAt: number | null;
  /** peak / capacity (0 for a pool of capacity 0). */
  peakShare: number;
  allocations: number;
  overflowIn: number;
  failures: number;
  /** Σ (block − requested size) over the pool's live blocks at the heap's peak. */
  fragmentation: number;
  /** capacity − peak. */
  neverUsed: number;
  /** neverUsed × block. */
  unusedBytes: number;
  /** Requested sizes that landed in this pool, the most frequent. */
  sizes: PoolSizeCount[];
  sizesOmittedCount: number;
}

/** Where a pool or heap sits in memory (end exclusive). */
export interface AddressRange {
  start: number;
  end: number;
}

export interface HeapViewPool {
  /** Position in `pools` as written (0-based). */
  index: number;
  block: number;
  capacity: number;
  /** block × capacity. */
  bytes: number;
  /** bytes / Σ pools: its width in the strip (0..1). */
  share: number;
  /** Null when the heap's placement is unknown. */
  address: AddressRange | null;
  /** The pool as written in Drone.toml. */
  range: ViewRange;
  /** Null without a replay of this layout. */
  trace: PoolTraceFigures | null;
  /** The device's figures of the firmware pool of this block size; null when none were read. */
  device: DevicePoolFigures | null;
}

export interface HeapViewHeap {
  name: string;
  qualifiedName: string;
  legacy: boolean;
  isExtra: boolean;
  /** The heap's table header (or what introduces it). */
  range: ViewRange;
  size: number | null;
  poolSum: number | null;
  address: AddressRange | null;
  /** Pools with a valid block and capacity, in ascending block order. */
  pools: HeapViewPool[];
  /** False when some pool has no valid block or capacity (it is missing from `pools`). */
  poolsComplete: boolean;
}

export type FindingSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface HeapViewError {
  code: string;
  severity: FindingSeverity;
  message: string;
  range: ViewRange;
}

export interface HeapViewTrace {
  state: TraceState;
  tracePath: string | null;
  progress: number;
  message: string;
  /** The trace file's name (last path component), or null. */
  traceName: string | null;
}

/** Heap-wide figures of the replay of the current layout (no per-pool or per-size detail). */
export interface HeapViewReplay {
  /** The trace format's name (a TraceFormatName), or null. */
  format: string | null;
  formatDescription: string | null;
  warnings: string[];
  problem: TraceProblem | null;
  cancelled: boolean;
  events: number;
  failures: number;
  firstFailure: number | null;
  failuresTooLarge: number;
  unmatchedFrees: number;
  zeroSizeRequests: number;
  heapBytes: number;
  peakRequestedBytes: number;
  peakReservedBytes: number;
  peakReservedAt: number | null;
  fragmentationAtHeapPeak: number;
}

export interface HeapViewSeriesPool {
  block: number;
  capacity: number;
  min: number[];
  max: number[];
}

/** Blocks in use per pool over the trace; bucket k covers events [k·bucketWidth, (k+1)·bucketWidth). */
export interface HeapViewSeries {
  events: number;
  bucketWidth: number;
  buckets: number;
  /** Same order as HeapViewHeap.pools. */
  pools: HeapViewSeriesPool[];
  /** Event indices of the first failures; failureCount counts them all. */
  failureIndices: number[];
  failureCount: number;
  /** The heap's peak of reserved bytes and the event where it is first reached. */
  peakAt: number | null;
  peakBytes: number;
}

/**
 * A zoomed range of the series (droneHeap/heapViewRange): bucket k covers events
 * [from + k·bucketWidth, from + (k+1)·bucketWidth), the last one clipped to `to`.
 */
export interface HeapViewRangeSeries {
  from: number;
  to: number;
  bucketWidth: number;
  buckets: number;
  /** Drawn exactly from the replay's per-event steps (true), or merged from its stored buckets (false: a trace too long to keep them). */
  fromSteps: boolean;
  /** Same order as HeapViewSeries.pools. */
  pools: { block: number; min: number[]; max: number[] }[];
}

export interface SizeBin {
  /** Smallest and largest requested size in the bin (bytes, inclusive). */
  from: number;
  to: number;
  /** Distinct sizes in the bin. */
  sizes: number;
  /** Best-fitting pool (index in ascending block order); null when larger than every block. */
  pool: number | null;
  allocations: number;
  /** Σ over the sizes of their peak live count. */
  peakLive: number;
  /** Σ size × peak live. */
  requestedBytes: number;
  /** Σ (block − size) × peak live: lost to rounding up to the pool's block. */
  wasteBytes: number;
}

/** Requested sizes binned so that no bin straddles a pool boundary. */
export interface SizeHistogram {
  bins: SizeBin[];
  /** The pools' blocks in ascending order. */
  blocks: number[];
  /** Requests of 0 bytes: they touch no pool. */
  zeroSize: { allocations: number; peakLive: number };
  distinctSizes: number;
  /** One bin per distinct size. */
  exact: boolean;
}

/**
 * One column of the compare table (current or proposed layout). Not the optimiser's
 * ReplayedLayoutFigures: this one carries the pools and the heap size to write.
 */
export interface ComparedLayoutFigures {
  pools: PoolSpec[];
  /** The heap's `size` for this layout. */
  size: number;
  failures: number;
  peakReservedBytes: number;
  fragmentation: number;
  /** Bytes the layout needs (Σ block × capacity). */
  requiredBytes: number;
}

/** The current layout against the optimiser's proposal. */
export interface HeapCompare {
  current: ComparedLayoutFigures;
  proposed: ComparedLayoutFigures;
  /** The proposal is the heap as it is: the view says so and offers no Apply. */
  unchanged: boolean;
}

/** One stretch of RAM: the stack's room or a section the firmware places there. */
export interface HeapViewRamRow {
  /** `stack room`, or a section name (`.bss`, `.data`, `.dronereg`, `.heap`, …). */
  name: string;
  start: number;
  /** Exclusive. */
  end: number;
  bytes: number;
}

/** Where RAM goes, from the built firmware: the strip above the heap's. */
export interface HeapViewRam {
  firmware: string;
  /** When the firmware was built, ms since the epoch. */
  builtAt: number;
  origin: number;
  size: number;
  rows: HeapViewRamRow[];
  /** The same after the next build, when Drone.toml's heap size changed since; else null. */
  asWritten: HeapViewRamRow[] | null;
  stackBytes: number;
  stackBytesAsWritten: number | null;
}

export type HeapViewState = 'no-document' | 'syntax-error' | 'no-heap' | 'heap';

export interface HeapViewData {
  uri: string;
  state: HeapViewState;
  /** Every heap of the document, for the picker. */
  heaps: HeapViewHeapRef[];
  heap: HeapViewHeap | null;
  /** Errors and warnings of the text that concern this heap (or the syntax error). */
  errors: HeapViewError[];
  /** Null when there is no heap. */
  trace: HeapViewTrace | null;
  /** Null without a replay of the current layout. */
  replay: HeapViewReplay | null;
  series: HeapViewSeries | null;
  histogram: SizeHistogram | null;
  compare: HeapCompare | null;
  /** Drone's pools beside general-purpose allocators on this trace; null without a replay. */
  allocators: HeapViewAllocators | null;
  /** Where RAM goes, from the built firmware (main heap only); null without a firmware. */
  ram: HeapViewRam | null;
  /** The heap's figures read from the device (a RAM dump, a debug stop); null when nothing was read. */
  device: DeviceHeapFigures | null;
}
