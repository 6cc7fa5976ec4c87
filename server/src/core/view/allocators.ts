// The heap view's "Compare allocators" section: Drone's pools (the current layout and the
// optimiser's proposal, both replayed on the trace) beside the general-purpose models
// (core/alloc) on one region of the same heap size, as rows of comparable figures, and the
// models' external fragmentation over time downsampled for a chart. Pure data: the page
// only formats it.
import type { ModelsResult } from '../alloc/compare';
import type { AllocFailureKinds, AllocModelName, AllocModelResult } from '../alloc/result';
import type { LayoutFigures } from '../layout/optimize';
import type { PoolSpec, ReplayResult } from '../replay/result';
import { downsampleMax } from './downsample';

export type AllocatorId = 'pools-current' | 'pools-proposed' | AllocModelName;

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
  /** Pools: Σ block size of the blocks in use; models: Σ request rounded to the word (+ overhead per block). */
  peakBytesInUse: number;
  peakAt: number | null;
  /** Models: the largest free run when the peak was first reached (pools have no runs to split). */
  largestFreeRunAtPeak: number | null;
  freeBytesAtPeak: number | null;
  /** Models: the worst 1 − largest free run ÷ free bytes over the trace. */
  maxExternalFragmentation: number | null;
  /** Pools: Σ (block − request) over the blocks in use at the heap's peak. */
  internalFragmentationAtPeak: number | null;
  /** Models: the most blocks live at once (defrag needs an index for each). */
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

export type AllocatorsState =
  /** The models are being replayed (in the worker); the pool rows are already there. */
  'computing' | 'done' | 'failed';

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

export interface AllocatorsInput {
  heapBytes: number;
  indexes: number;
  /** The replay of the current layout. */
  current: ReplayResult;
  proposal: { state: ProposalState; pools: PoolSpec[] | null; after: LayoutFigures | null };
  models: { state: AllocatorsState; result: ModelsResult | null; message: string | null };
  /** At most this many chart buckets. */
  buckets: number;
}

export function summariseAllocators(input: AllocatorsInput): HeapViewAllocators {
  const { current, proposal, models } = input;
  const rows: AllocatorFigures[] = [
    poolsRow(
      'pools-current',
      current.pools.map(({ block, capacity }) => ({ block, capacity })),
      current,
    ),
  ];
  if (proposal.state === 'offered' && proposal.pools && proposal.after)
    rows.push(poolsRow('pools-proposed', proposal.pools, proposal.after));
  const result = models.state === 'done' ? models.result : null;
  if (result) rows.push(modelRow(result.bestFit), modelRow(result.defrag), modelRow(result.defragCompacting));
  return {
    state: result ? 'done' : models.state === 'done' ? 'failed' : models.state,
    message: models.message,
    heapBytes: input.heapBytes,
    indexes: result?.defrag.indexes ?? input.indexes,
    overheadPerBlock: result?.defrag.overheadPerBlock ?? 0,
    proposal: proposal.state,
    rows,
    fragmentation: result ? fragmentationOf(result, input.buckets) : null,
  };
}

type PoolFigures = Pick<ReplayResult, 'heapBytes' | 'failures' | 'firstFailure' | 'peakReservedBytes' | 'fragmentationAtHeapPeak'> & {
  failuresTooLarge?: number;
  peakReservedAt?: number | null;
};

function poolsRow(id: 'pools-current' | 'pools-proposed', pools: PoolSpec[], figures: PoolFigures): AllocatorFigures {
  return {
    id,
    bytes: figures.heapBytes,
    failures: figures.failures,
    firstFailure: figures.firstFailure,
    failuresTooLarge: figures.failuresTooLarge ?? null,
    failureKinds: null,
    peakBytesInUse: figures.peakReservedBytes,
    peakAt: figures.peakReservedAt ?? null,
    largestFreeRunAtPeak: null,
    freeBytesAtPeak: null,
    maxExternalFragmentation: null,
    internalFragmentationAtPeak: figures.fragmentationAtHeapPeak,
    peakBlocks: null,
    compactions: null,
    bytesMoved: null,
    pools,
  };
}

function modelRow(m: AllocModelResult): AllocatorFigures {
  const compacting = m.model === 'defrag-compacting';
  return {
    id: m.model,
    bytes: m.heapBytes,
    failures: m.failures,
    firstFailure: m.firstFailure,
    failuresTooLarge: null,
    failureKinds: { ...m.failureKinds },
    peakBytesInUse: m.peakBytesInUse,
    peakAt: m.peakAt,
    largestFreeRunAtPeak: m.largestFreeRunAtPeak,
    freeBytesAtPeak: m.freeBytesAtPeak,
    maxExternalFragmentation: m.maxExternalFragmentation,
    internalFragmentationAtPeak: null,
    peakBlocks: m.peakBlocks,
    compactions: compacting ? m.compactions : null,
    bytesMoved: compacting ? m.bytesMoved : null,
    pools: null,
  };
}

function fragmentationOf(result: ModelsResult, buckets: number): FragmentationSeries {
  const models = [result.bestFit, result.defrag, result.defragCompacting];
  // The three models see the same events, so their series share one bucketing.
  const lines = models.map((m) => {
    const merged = downsampleMax(
      { bucketWidth: m.series.bucketWidth, buckets: m.series.buckets, values: m.series.externalFragmentation },
      buckets,
    );
    return { id: m.model, merged };
  });
  const first = lines[0].merged;
  return {
    events: result.bestFit.events,
    bucketWidth: first.bucketWidth,
    buckets: first.buckets,
    lines: lines.map(({ id, merged }) => ({ id, values: merged.values })),
  };
}
