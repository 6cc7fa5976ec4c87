// The optimiser's result → the protocol's. Field by field, in the order the core builds it,
// so that the JSON on the wire is what it has always been.
import type * as wire from '../../../../protocol/optimize';
import type { LayoutFigures, OptimizeResult, ProposedLayout, TradeoffRow } from '../../core/layout/optimize';
import { mapNullable } from './nullable';
import { toWirePoolSpec, toWireTraceProblem } from './replay';

export function toWireReplayedLayoutFigures(figures: LayoutFigures): wire.ReplayedLayoutFigures {
  return {
    heapBytes: figures.heapBytes,
    failures: figures.failures,
    firstFailure: figures.firstFailure,
    peakReservedBytes: figures.peakReservedBytes,
    fragmentationAtHeapPeak: figures.fragmentationAtHeapPeak,
  };
}

function toWireTradeoffRow(row: TradeoffRow): wire.TradeoffRow {
  return { pools: row.pools, poolsUsed: row.poolsUsed, requiredBytes: row.requiredBytes, fragmentation: row.fragmentation };
}

function toWireProposedLayout(layout: ProposedLayout): wire.ProposedLayout {
  return {
    pools: layout.pools.map(toWirePoolSpec),
    size: layout.size,
    requiredBytes: layout.requiredBytes,
    fragmentation: layout.fragmentation,
    needed: layout.needed.map(toWirePoolSpec),
  };
}

function toWireDroneLayout(drone: NonNullable<OptimizeResult['drone']>): wire.DroneLayout {
  return { ...toWireProposedLayout(drone), verified: drone.verified ? { failures: drone.verified.failures } : null };
}

function toWireTraceFigures(trace: OptimizeResult['trace']): wire.OptimizeTraceFigures {
  return {
    format: trace.format,
    warnings: trace.warnings,
    problem: mapNullable(trace.problem, toWireTraceProblem),
    events: trace.events,
    distinctSizes: trace.distinctSizes,
    unmatchedFrees: trace.unmatchedFrees,
    zeroSizeRequests: trace.zeroSizeRequests,
  };
}

export function toWireOptimizeResult(result: OptimizeResult): wire.OptimizeResult {
  const { search, verified } = result;
  return {
    cancelled: result.cancelled,
    mode: result.mode,
    target: result.target,
    poolsRequested: result.poolsRequested,
    marginPercent: result.marginPercent,
    sizeLimit: result.sizeLimit,
    ...toWireProposedLayout(result),
    fits: result.fits,
    verified: verified ? { failures: verified.failures, firstFailure: verified.firstFailure } : null,
    offered: result.offered,
    unchanged: result.unchanged,
    search: { method: search.method, optimal: search.optimal, lowerBound: search.lowerBound, groupsMeasured: search.groupsMeasured },
    before: mapNullable(result.before, toWireReplayedLayoutFigures),
    after: mapNullable(result.after, toWireReplayedLayoutFigures),
    drone: mapNullable(result.drone, toWireDroneLayout),
    tradeoff: result.tradeoff.map(toWireTradeoffRow),
    trace: toWireTraceFigures(result.trace),
  };
}
