// The heap view's summary (core/view) → the protocol's. Field by field, in the order the
// core builds it, so that the JSON on the wire is what it has always been.
import type { DeviceHeapFigures } from '../../../../protocol/device';
import type * as wire from '../../../../protocol/heapView';
import type {
  HeapCompare,
  HeapViewData,
  HeapViewError,
  HeapViewHeap,
  HeapViewPool,
  HeapViewReplay,
  HeapViewSeries,
  HeapViewTrace,
  LayoutFigures,
  PoolTraceFigures,
  SizeBin,
  SizeHistogram,
  ViewRange,
} from '../../core/view/heapView';
import type { RangeSeries } from '../../core/view/rangeSeries';
import { toWireHeapViewAllocators } from './heapViewAllocators';
import { mapNullable } from './nullable';
import { toWirePoolSizeCount, toWirePoolSpec, toWireTraceProblem } from './replay';
import type { RamMapRow, RamView } from '../../core/firmware/describeBudget';

export function toWireViewRange(range: ViewRange): wire.ViewRange {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

const toWireAddress = (address: { start: number; end: number }): wire.AddressRange => ({ start: address.start, end: address.end });

function toWirePoolTraceFigures(trace: PoolTraceFigures): wire.PoolTraceFigures {
  return {
    peak: trace.peak,
    peakAt: trace.peakAt,
    peakShare: trace.peakShare,
    allocations: trace.allocations,
    overflowIn: trace.overflowIn,
    failures: trace.failures,
    fragmentation: trace.fragmentation,
    neverUsed: trace.neverUsed,
    unusedBytes: trace.unusedBytes,
    sizes: trace.sizes.map(toWirePoolSizeCount),
    sizesOmittedCount: trace.sizesOmittedCount,
  };
}

/** A pool with the device's figures of its block size (the firmware's pools are paired by block). */
function toWireHeapViewPool(pool: HeapViewPool, device: DeviceHeapFigures | null): wire.HeapViewPool {
  return {
    index: pool.index,
    block: pool.block,
    capacity: pool.capacity,
    bytes: pool.bytes,
    share: pool.share,
    address: mapNullable(pool.address, toWireAddress),
    range: toWireViewRange(pool.range),
    trace: mapNullable(pool.trace, toWirePoolTraceFigures),
    device: device?.pools.find((d) => d.block === pool.block) ?? null,
  };
}

function toWireHeapViewHeap(heap: HeapViewHeap, device: DeviceHeapFigures | null): wire.HeapViewHeap {
  return {
    name: heap.name,
    qualifiedName: heap.qualifiedName,
    legacy: heap.legacy,
    isExtra: heap.isExtra,
    range: toWireViewRange(heap.range),
    size: heap.size,
    poolSum: heap.poolSum,
    address: mapNullable(heap.address, toWireAddress),
    pools: heap.pools.map((pool) => toWireHeapViewPool(pool, device)),
    poolsComplete: heap.poolsComplete,
  };
}

function toWireHeapViewError(error: HeapViewError): wire.HeapViewError {
  return { code: error.code, severity: error.severity, message: error.message, range: toWireViewRange(error.range) };
}

function toWireHeapViewTrace(trace: HeapViewTrace): wire.HeapViewTrace {
  return { state: trace.state, tracePath: trace.tracePath, progress: trace.progress, message: trace.message, traceName: trace.traceName };
}

function toWireHeapViewReplay(replay: HeapViewReplay): wire.HeapViewReplay {
  return {
    format: replay.format,
    formatDescription: replay.formatDescription,
    warnings: replay.warnings,
    problem: mapNullable(replay.problem, toWireTraceProblem),
    cancelled: replay.cancelled,
    events: replay.events,
    failures: replay.failures,
    firstFailure: replay.firstFailure,
    failuresTooLarge: replay.failuresTooLarge,
    unmatchedFrees: replay.unmatchedFrees,
    zeroSizeRequests: replay.zeroSizeRequests,
    heapBytes: replay.heapBytes,
    peakRequestedBytes: replay.peakRequestedBytes,
    peakReservedBytes: replay.peakReservedBytes,
    peakReservedAt: replay.peakReservedAt,
    fragmentationAtHeapPeak: replay.fragmentationAtHeapPeak,
  };
}

function toWireHeapViewSeries(series: HeapViewSeries): wire.HeapViewSeries {
  return {
    events: series.events,
    bucketWidth: series.bucketWidth,
    buckets: series.buckets,
    pools: series.pools.map((p) => ({ block: p.block, capacity: p.capacity, min: p.min, max: p.max })),
    failureIndices: series.failureIndices,
    failureCount: series.failureCount,
    peakAt: series.peakAt,
    peakBytes: series.peakBytes,
  };
}

function toWireSizeBin(bin: SizeBin): wire.SizeBin {
  return {
    from: bin.from,
    to: bin.to,
    sizes: bin.sizes,
    pool: bin.pool,
    allocations: bin.allocations,
    peakLive: bin.peakLive,
    requestedBytes: bin.requestedBytes,
    wasteBytes: bin.wasteBytes,
  };
}

function toWireSizeHistogram(histogram: SizeHistogram): wire.SizeHistogram {
  return {
    bins: histogram.bins.map(toWireSizeBin),
    blocks: histogram.blocks,
    zeroSize: { allocations: histogram.zeroSize.allocations, peakLive: histogram.zeroSize.peakLive },
    distinctSizes: histogram.distinctSizes,
    exact: histogram.exact,
  };
}

function toWireComparedLayoutFigures(figures: LayoutFigures): wire.ComparedLayoutFigures {
  return {
    pools: figures.pools.map(toWirePoolSpec),
    size: figures.size,
    failures: figures.failures,
    peakReservedBytes: figures.peakReservedBytes,
    fragmentation: figures.fragmentation,
    requiredBytes: figures.requiredBytes,
  };
}

function toWireHeapCompare(compare: HeapCompare): wire.HeapCompare {
  return {
    current: toWireComparedLayoutFigures(compare.current),
    proposed: toWireComparedLayoutFigures(compare.proposed),
    unchanged: compare.unchanged,
  };
}

/** The view's wire copy; `device` is the shown heap's device figures (already wire: features/wire/device.ts). */
export function toWireHeapViewData(data: HeapViewData, device: DeviceHeapFigures | null): wire.HeapViewData {
  return {
    uri: data.uri,
    state: data.state,
    heaps: data.heaps.map((h) => ({ name: h.name, qualifiedName: h.qualifiedName })),
    heap: data.heap && toWireHeapViewHeap(data.heap, device),
    errors: data.errors.map(toWireHeapViewError),
    trace: mapNullable(data.trace, toWireHeapViewTrace),
    replay: mapNullable(data.replay, toWireHeapViewReplay),
    series: mapNullable(data.series, toWireHeapViewSeries),
    histogram: mapNullable(data.histogram, toWireSizeHistogram),
    compare: mapNullable(data.compare, toWireHeapCompare),
    allocators: mapNullable(data.allocators, toWireHeapViewAllocators),
    ram: mapNullable(data.ram, toWireHeapViewRam),
    device,
  };
}

export function toWireRangeSeries(series: RangeSeries): wire.HeapViewRangeSeries {
  return {
    from: series.from,
    to: series.to,
    bucketWidth: series.bucketWidth,
    buckets: series.buckets,
    fromSteps: series.fromSteps,
    pools: series.pools.map((p) => ({ block: p.block, min: p.min, max: p.max })),
  };
}

function toWireRamRow(row: RamMapRow): wire.HeapViewRamRow {
  return { name: row.name, start: row.start, end: row.end, bytes: row.bytes };
}

function toWireHeapViewRam(ram: RamView): wire.HeapViewRam {
  return {
    firmware: ram.firmware,
    builtAt: ram.builtAt,
    origin: ram.origin,
    size: ram.size,
    rows: ram.rows.map(toWireRamRow),
    asWritten: mapNullable(ram.asWritten, (rows) => rows.map(toWireRamRow)),
    stackBytes: ram.stackBytes,
    stackBytesAsWritten: ram.stackBytesAsWritten,
  };
}
