// The heap view's "Compare allocators" section: Drone's pools (current layout and the
// optimiser's proposal) beside general-purpose allocator models on one region of the same
// heap size, and the models' external fragmentation over time.
import type { PoolSpec } from './replay';

export type AllocModelName = 'best-fit' | 'defrag' | 'defrag-compacting';

export type AllocatorId = 'pools-current' | 'pools-proposed' | AllocModelName;

export interface AllocFailureKinds {
  /** Total free bytes < the block needed. */
  outOfMemory: number;
  /** Every allocation index is in use (defrag only). */
  outOfIndexes: number;
  /** Enough free bytes in total, but no free run large enough. */
  fragmented: number;
}

/** One allocator's figures on the trace. Null where a figure does not apply to it. */
export interface AllocatorFigures {
  id: AllocatorId;
  /** Bytes the allocator manages: the pools' Σ block × capacity, or the models' region. */
  bytes: number;
  failures: number;
  firstFailure: number | null;
  /** Pools: failed requests larger than every block. */
  failuresTooLarge: number | null;
  /** Models: why requests failed. */
  failureKinds: AllocFailureKinds | null;
  peakBytesInUse: number;
  peakAt: number | null;
  /** Models: the largest free run when the peak was first reached. */
  largestFreeRunAtPeak: number | null;
  freeBytesAtPeak: number | null;
  /** Models: the worst 1 − largest free run ÷ free bytes over the trace. */
  maxExternalFragmentation: number | null;
  /** Pools: Σ (block − request) over the blocks in use at the heap's peak. */
  internalFragmentationAtPeak: number | null;
  /** Models: the most blocks live at once. */
  peakBlocks: number | null;
  /** defrag with compaction: how often defrag() ran and the bytes it moved. */
  compactions: number | null;
  bytesMoved: number | null;
  /** Pools: the layout replayed. */
  pools: PoolSpec[] | null;
}

export interface FragmentationLine {
  id: AllocModelName;
  /** Max of 1 − largest free run ÷ free bytes within each bucket, 0..1. */
  values: number[];
}

/** External fragmentation over the trace; bucket k covers events [k·bucketWidth, (k+1)·bucketWidth). */
export interface FragmentationSeries {
  events: number;
  bucketWidth: number;
  buckets: number;
  lines: FragmentationLine[];
}

/** `computing`: the models run in the server's worker; the pool rows are already there. */
export type AllocatorsState = 'computing' | 'done' | 'failed';

/** Whether the optimiser's proposal for this layout is there. */
export type ProposalState = 'searching' | 'offered' | 'none';

export interface HeapViewAllocators {
  state: AllocatorsState;
  /** Why the models are missing (failed), else null. */
  message: string | null;
  /** The one region the models allocate from: the heap's `size`. */
  heapBytes: number;
  /** Allocation indexes of the defrag model. */
  indexes: number;
  overheadPerBlock: number;
  proposal: ProposalState;
  rows: AllocatorFigures[];
  /** Null until the models are done. */
  fragmentation: FragmentationSeries | null;
}
