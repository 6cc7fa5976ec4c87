// The heap view's allocator comparison (core/view/allocators.ts) → the protocol's. Field by
// field, in the order the core builds it, so that the JSON on the wire is what it has always been.
import type * as wire from '../../../../protocol/heapViewAllocators';
import type { AllocatorFigures, FragmentationSeries, HeapViewAllocators } from '../../core/view/allocators';
import { mapNullable } from './nullable';
import { toWirePoolSpec } from './replay';

function toWireAllocatorFigures(row: AllocatorFigures): wire.AllocatorFigures {
  return {
    id: row.id,
    bytes: row.bytes,
    failures: row.failures,
    firstFailure: row.firstFailure,
    failuresTooLarge: row.failuresTooLarge,
    failureKinds: mapNullable(row.failureKinds, (k) => ({
      outOfMemory: k.outOfMemory,
      outOfIndexes: k.outOfIndexes,
      fragmented: k.fragmented,
    })),
    peakBytesInUse: row.peakBytesInUse,
    peakAt: row.peakAt,
    largestFreeRunAtPeak: row.largestFreeRunAtPeak,
    freeBytesAtPeak: row.freeBytesAtPeak,
    maxExternalFragmentation: row.maxExternalFragmentation,
    internalFragmentationAtPeak: row.internalFragmentationAtPeak,
    peakBlocks: row.peakBlocks,
    compactions: row.compactions,
    bytesMoved: row.bytesMoved,
    pools: mapNullable(row.pools, (pools) => pools.map(toWirePoolSpec)),
  };
}

function toWireFragmentationSeries(series: FragmentationSeries): wire.FragmentationSeries {
  return {
    events: series.events,
    bucketWidth: series.bucketWidth,
    buckets: series.buckets,
    lines: series.lines.map((line) => ({ id: line.id, values: line.values })),
  };
}

export function toWireHeapViewAllocators(allocators: HeapViewAllocators): wire.HeapViewAllocators {
  return {
    state: allocators.state,
    message: allocators.message,
    heapBytes: allocators.heapBytes,
    indexes: allocators.indexes,
    overheadPerBlock: allocators.overheadPerBlock,
    proposal: allocators.proposal,
    rows: allocators.rows.map(toWireAllocatorFigures),
    fragmentation: mapNullable(allocators.fragmentation, toWireFragmentationSeries),
  };
}
