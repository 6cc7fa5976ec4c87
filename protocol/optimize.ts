// A proposed pool layout as the server sends it (droneHeap/optimizeLayout): the layout,
// how it was searched, and what replaying the trace through it said.
import type { PoolSpec, TraceFormatName, TraceProblem } from './replay';

export type OptimizeMode = 'exact' | 'drone';
/** `fit`: keep the heap's size, spare bytes become headroom; `minimal`: the smallest heap. */
export type OptimizeTarget = 'fit' | 'minimal';

/**
 * What replaying the trace said about one layout (the current one before, the proposal
 * after). Not the heap view's ComparedLayoutFigures, which is what its compare table shows.
 */
export interface ReplayedLayoutFigures {
  heapBytes: number;
  failures: number;
  firstFailure: number | null;
  /** Peak of Σ block over blocks in use. */
  peakReservedBytes: number;
  /** Σ (block − requested size) over live blocks at that peak. */
  fragmentationAtHeapPeak: number;
}

export interface TradeoffRow {
  /** Pools allowed. */
  pools: number;
  /** Pools the best layout uses (exact mode can use fewer). */
  poolsUsed: number;
  /** Bytes of the tight layout. */
  requiredBytes: number;
  /** Drone's fragmentation, Σ (block − size) × max load. */
  fragmentation: number;
}

export interface ProposedLayout {
  pools: PoolSpec[];
  /** Σ block × capacity of `pools`: the heap size to write. */
  size: number;
  /** Σ block × capacity of the tight layout (no margin, no headroom). */
  requiredBytes: number;
  fragmentation: number;
  /** The tight capacities, before margin and headroom. */
  needed: PoolSpec[];
}

export interface OptimizeSearch {
  method: 'drone-split' | 'dynamic-programming' | 'local-search';
  optimal: boolean;
  lowerBound: number;
  groupsMeasured: number;
}

/** Drone's own layout for the same inputs (exact mode), for comparison. */
export interface DroneLayout extends ProposedLayout {
  verified: { failures: number } | null;
}

export interface OptimizeTraceFigures {
  format: TraceFormatName | null;
  warnings: string[];
  problem: TraceProblem | null;
  events: number;
  distinctSizes: number;
  unmatchedFrees: number;
  zeroSizeRequests: number;
}

export interface OptimizeResult {
  /** Always false: a search that was cancelled (superseded) is answered with a message, not a result. */
  cancelled: false;
  mode: OptimizeMode;
  target: OptimizeTarget;
  poolsRequested: number;
  marginPercent: number;
  /** The heap size the layout had to fit (fit target), else null. */
  sizeLimit: number | null;
  pools: PoolSpec[];
  size: number;
  requiredBytes: number;
  fragmentation: number;
  needed: PoolSpec[];
  fits: boolean;
  /** Replay of the trace through `pools`; null when the layout cannot exist. */
  verified: { failures: number; firstFailure: number | null } | null;
  /** Only then may it be written. */
  offered: boolean;
  /** The proposal is the heap as it is: nothing to write (the client says so instead of showing an empty diff). */
  unchanged: boolean;
  search: OptimizeSearch;
  before: ReplayedLayoutFigures | null;
  after: ReplayedLayoutFigures | null;
  /** Null in drone mode. */
  drone: DroneLayout | null;
  tradeoff: TradeoffRow[];
  trace: OptimizeTraceFigures;
}
