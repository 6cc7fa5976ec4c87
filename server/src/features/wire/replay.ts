// Core replay results → the protocol's. Field by field, in the order the core builds them,
// so that the JSON on the wire is what it has always been. Arrays of numbers and strings
// are handed over as they are: only objects can hide a renamed field.
import type * as wire from '../../../../protocol/replay';
import type { PoolReport, PoolSeries, PoolSizeCount, PoolSpec, ReplayResult, ReplaySeries } from '../../core/replay/result';
import type { DroneSizeStats, DroneStats } from '../../core/trace/droneStats';
import type { TraceProblem } from '../../core/trace/formats';
import { mapNullable } from './nullable';

export function toWirePoolSpec(pool: PoolSpec): wire.PoolSpec {
  return { block: pool.block, capacity: pool.capacity };
}

export function toWireTraceProblem(problem: TraceProblem): wire.TraceProblem {
  return { kind: problem.kind, message: problem.message, byteOffset: problem.byteOffset, eventIndex: problem.eventIndex };
}

export function toWirePoolSizeCount(entry: PoolSizeCount): wire.PoolSizeCount {
  return { size: entry.size, count: entry.count };
}

function toWirePoolReport(report: PoolReport): wire.PoolReport {
  return {
    block: report.block,
    capacity: report.capacity,
    peak: report.peak,
    peakAt: report.peakAt,
    allocations: report.allocations,
    overflowIn: report.overflowIn,
    failures: report.failures,
    fragmentationAtHeapPeak: report.fragmentationAtHeapPeak,
    neverUsed: report.neverUsed,
    sizes: report.sizes.map(toWirePoolSizeCount),
    sizesOmittedCount: report.sizesOmittedCount,
  };
}

function toWireDroneSizeStats(stats: DroneSizeStats): wire.DroneSizeStats {
  return { size: stats.size, maxLoad: stats.maxLoad, allocations: stats.allocations };
}

function toWireDroneStats(stats: DroneStats): wire.DroneStats {
  return {
    sizes: stats.sizes.map(toWireDroneSizeStats),
    maximumHeapLoad: stats.maximumHeapLoad,
    peakLiveBytes: stats.peakLiveBytes,
    peakLiveBytesAt: stats.peakLiveBytesAt,
    unmatchedFrees: stats.unmatchedFrees,
    firstUnmatchedFree: stats.firstUnmatchedFree,
    events: stats.events,
  };
}

function toWirePoolSeries(series: PoolSeries): wire.PoolSeries {
  return { block: series.block, min: series.min, max: series.max };
}

function toWireReplaySeries(series: ReplaySeries): wire.ReplaySeries {
  return {
    bucketWidth: series.bucketWidth,
    buckets: series.buckets,
    pools: series.pools.map(toWirePoolSeries),
    failureIndices: series.failureIndices,
    failureCount: series.failureCount,
  };
}

export function toWireReplayResult(result: ReplayResult): wire.ReplayResult {
  return {
    format: result.format,
    warnings: result.warnings,
    problem: mapNullable(result.problem, toWireTraceProblem),
    cancelled: result.cancelled,
    events: result.events,
    failures: result.failures,
    firstFailure: result.firstFailure,
    failuresTooLarge: result.failuresTooLarge,
    unmatchedFrees: result.unmatchedFrees,
    firstUnmatchedFree: result.firstUnmatchedFree,
    zeroSizeRequests: result.zeroSizeRequests,
    heapBytes: result.heapBytes,
    peakRequestedBytes: result.peakRequestedBytes,
    peakRequestedAt: result.peakRequestedAt,
    peakReservedBytes: result.peakReservedBytes,
    peakReservedAt: result.peakReservedAt,
    fragmentationAtHeapPeak: result.fragmentationAtHeapPeak,
    pools: result.pools.map(toWirePoolReport),
    droneStats: toWireDroneStats(result.droneStats),
    series: toWireReplaySeries(result.series),
  };
}
