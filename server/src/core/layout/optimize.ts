// Proposing a pool layout from a trace, end to end:
//   1. one read of the trace feeds Drone's statistics, the live steps (exact mode) and a
//      replay of the current layout (the "before" figures);
//   2. the search: Drone's split (drone mode, and always for comparison) and the exact
//      search (exact mode);
//   3. the tight layout gets its margin, then either fills the heap's size the way Drone
//      does or becomes the heap's new (smallest) size;
//   4. a second read replays the trace through the proposal with the real allocator model
//      (PoolReplayer). A proposal that fails there is not offered.

import { layoutKey, type PoolSpec, type ReplayResult } from '../replay/result';
import { PoolReplayer } from '../replay/poolReplay';
import { DroneStatsCollector, type DroneStats } from '../trace/droneStats';
import type { EventSink } from '../trace/events';
import type { TraceFormat, TraceProblem } from '../trace/formats';
import { layoutBytes, WORD_SIZE } from './droneMath';
import { droneSplits, type DroneSplit } from './droneSplit';
import { exactSplits, type ExactSearch } from './exactSplit';
import { distributeSpare, withMargin } from './headroom';
import { LiveStepCollector } from './liveSteps';
import { PeakIndex } from './peakIndex';
import { TeeSink, type TraceSource } from './traceSource';
import { droneUnits, type Grouping, type SizeUnit } from './units';

export type OptimizeMode = 'exact' | 'drone';
/** `fit`: keep the heap's size, spare bytes become headroom; `minimal`: the smallest heap. */
export type OptimizeTarget = 'fit' | 'minimal';

export interface OptimizeProgress {
  phase: 'reading' | 'searching' | 'verifying';
  /** 0..1 within the phase. */
  fraction: number;
}

export interface OptimizeOptions {
  mode?: OptimizeMode;
  /** Pools wanted (default 8). Fewer when the trace has fewer distinct sizes; exact mode may use fewer when that needs fewer bytes. */
  pools?: number;
  target?: OptimizeTarget;
  /** The heap's size in bytes; required for the `fit` target. */
  size?: number;
  /** Extra capacity in percent, rounded up per pool (default 10 for `minimal`, 0 for `fit`). */
  marginPercent?: number;
  wordSize?: number;
  /** The heap's current pools, replayed for the "before" figures. */
  current?: readonly PoolSpec[];
  /** Trade-off rows for 1..this many pools (default 16; 0: none). */
  tradeoffPools?: number;
  /** See ExactSearchOptions.workBudget. */
  workBudget?: number;
  /** Replay the trace through the proposal (default true). Without it nothing is offered. */
  verify?: boolean;
  onProgress?: (progress: OptimizeProgress) => void;
  /**
   * Replays another thread can run on the same trace (a helper thread of the CLI or of the
   * editor's trace worker, on a multi-core machine). In exact mode they take the replays off this thread's path: the current pools
   * (or Drone's statistics alone) while this thread collects the steps, and Drone's layout
   * while it searches. The figures are the same as from the replays here.
   */
  elsewhere?: ReplaysElsewhere;
}

/** Replays of the optimiser's trace run elsewhere: each reads the whole trace again. */
export interface ReplaysElsewhere {
  /** The trace through `pools` (no time series); its droneStats are the trace's. */
  replay(pools: readonly PoolSpec[]): Promise<ReplayResult>;
  /** Drone's statistics of the trace. */
  droneStats(): Promise<DroneStats>;
}

/** What a replay says about a layout. */
export interface LayoutFigures {
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
  /** Drone's fragmentation, Σ (block − size) × max load, of that layout's blocks. */
  fragmentation: number;
}

export interface ProposedLayout {
  pools: PoolSpec[];
  /** Σ block × capacity of `pools`: the heap size to write. */
  size: number;
  /** Σ block × capacity of the tight layout (no margin, no headroom). */
  requiredBytes: number;
  /** Drone's fragmentation of these blocks: Σ (block − size) × max load. */
  fragmentation: number;
  /** The tight capacities (what the trace needs of each pool, before margin and headroom). */
  needed: PoolSpec[];
}

export interface OptimizeResult extends ProposedLayout {
  /** The search ran to its end (see OptimizeCancelled for the other case). */
  cancelled: false;
  mode: OptimizeMode;
  target: OptimizeTarget;
  poolsRequested: number;
  marginPercent: number;
  /** The heap size the layout had to fit (fit target), else null. */
  sizeLimit: number | null;
  /** The layout fits the size limit (and any heap: ≤ 4 GiB − 1). */
  fits: boolean;
  /** Replay of the trace through `pools`; null when the layout cannot exist (blocks or size beyond u32). */
  verified: { failures: number; firstFailure: number | null } | null;
  /** fits, verified with zero failures, and not `unchanged`: only then may it be written. */
  offered: boolean;
  /** The proposal is the heap as it is (same pools, same size): nothing to write, the layout is already the one this search finds. */
  unchanged: boolean;
  search: { method: 'drone-split' | ExactSearch['method']; optimal: boolean; lowerBound: number; groupsMeasured: number };
  before: LayoutFigures | null;
  after: LayoutFigures | null;
  /** Exact mode: Drone's layout for the same inputs, for comparison (null in drone mode). */
  drone: (ProposedLayout & { verified: { failures: number } | null }) | null;
  tradeoff: TradeoffRow[];
  trace: {
    format: TraceFormat | null;
    warnings: string[];
    problem: TraceProblem | null;
    events: number;
    distinctSizes: number;
    unmatchedFrees: number;
    zeroSizeRequests: number;
  };
}

/**
 * Reading stopped early (the source's cancellation: a newer search superseded this one): the
 * search did not run or was not verified, so all there is to say is what was read.
 */
export interface OptimizeCancelled {
  cancelled: true;
  mode: OptimizeMode;
  target: OptimizeTarget;
  poolsRequested: number;
  trace: OptimizeResult['trace'];
}

/** Input the optimiser cannot work with (exit 2 in the CLI). */
export class OptimizeInputError extends Error {}

const U32_MAX = 0xffff_ffff;

export async function optimizeLayout(source: TraceSource, options: OptimizeOptions = {}): Promise<OptimizeResult | OptimizeCancelled> {
  const mode = options.mode ?? 'exact';
  const target = options.target ?? 'fit';
  const poolsRequested = options.pools ?? 8;
  const wordSize = options.wordSize ?? WORD_SIZE;
  const marginPercent = options.marginPercent ?? (target === 'minimal' ? 10 : 0);
  const tradeoffPools = options.tradeoffPools ?? 16;
  if (!Number.isInteger(poolsRequested) || poolsRequested < 1)
    throw new OptimizeInputError(`the pool count must be a whole number ≥ 1, not ${poolsRequested}`);
  if (!(marginPercent >= 0) || !Number.isFinite(marginPercent))
    throw new OptimizeInputError(`the margin must be a percentage ≥ 0, not ${marginPercent}`);
  if (target === 'fit' && (options.size === undefined || !Number.isInteger(options.size) || options.size < 0)) {
    throw new OptimizeInputError('fitting a heap needs its size');
  }
  const progress = (phase: OptimizeProgress['phase']) => (fraction: number) => options.onProgress?.({ phase, fraction });

  // 1. Learn.
  const steps = mode === 'exact' ? new LiveStepCollector(wordSize) : undefined;
  const current = options.current && options.current.length > 0 ? options.current : undefined;
  // Only the exact search leaves this thread work to overlap with (collecting steps, searching).
  const elsewhere = mode === 'exact' ? options.elsewhere : undefined;
  const beforeElsewhere = elsewhere && current ? quietly(elsewhere.replay(current)) : undefined;
  const statsElsewhere = elsewhere && !current ? quietly(elsewhere.droneStats()) : undefined;
  const before = current && !elsewhere ? new PoolReplayer(current, { series: false }) : undefined;
  // The replay of the current pools counts Drone's statistics too (the same figures): a separate pass only without it.
  const stats = before || elsewhere ? undefined : new DroneStatsCollector();
  const sinks: EventSink[] = [];
  if (stats) sinks.push(stats);
  if (steps) sinks.push(steps);
  if (before) sinks.push(before);
  const read = await source(new TeeSink(sinks), progress('reading'));
  if (!read.cancelled && (read.format === null || read.problem?.kind === 'unrecognised-format')) {
    throw new OptimizeInputError(`not a heap trace this tool knows: ${read.problem?.message ?? 'no format detected'}`);
  }
  const beforeResult = beforeElsewhere ? await beforeElsewhere : before?.result();
  const droneStats = beforeResult ? beforeResult.droneStats : statsElsewhere ? await statsElsewhere : stats!.result();
  const traceFigures = {
    format: read.format,
    warnings: read.warnings,
    problem: read.problem,
    events: read.events,
    distinctSizes: droneStats.sizes.length,
    unmatchedFrees: droneStats.unmatchedFrees,
    zeroSizeRequests: droneStats.sizes.find((s) => s.size === 0)?.allocations ?? 0,
  };
  if (read.cancelled) return { cancelled: true, mode, target, poolsRequested, trace: traceFigures };
  const units = droneUnits(droneStats, wordSize);
  if (units.length === 0)
    throw new OptimizeInputError('the trace allocates nothing (no allocation of a non-zero size): there is nothing to lay out');

  // 2. Search.
  const levels = Math.max(poolsRequested, tradeoffPools);
  const drone = droneSplits(units, levels);
  const droneChoice = drone[Math.min(poolsRequested, drone.length) - 1];
  let chosen: ProposedLayout;
  let search: OptimizeResult['search'];
  let tradeoff: TradeoffRow[];
  const finish = (needed: PoolSpec[], requiredBytes: number) =>
    finishLayout(needed, requiredBytes, units, { target, marginPercent, size: options.size });
  const dronePlan = finish(droneNeeded(units, droneChoice), droneChoice.requiredBytes);
  const verifyDroneElsewhere = elsewhere && options.verify !== false && representable(dronePlan);
  const droneElsewhere = verifyDroneElsewhere ? quietly(elsewhere.replay(dronePlan.pools)) : undefined;
  if (mode === 'drone') {
    chosen = dronePlan;
    search = { method: 'drone-split', optimal: true, lowerBound: droneChoice.requiredBytes, groupsMeasured: 0 };
    tradeoff = drone
      .slice(0, tradeoffPools)
      .map((s) => ({ pools: s.pools, poolsUsed: s.pools, requiredBytes: s.requiredBytes, fragmentation: s.fragmentation }));
  } else {
    const live = steps!.finish();
    progress('searching')(0);
    const exact = exactSplits(new PeakIndex(live), live.units, live.unitPeaks, levels, {
      workBudget: options.workBudget,
      focus: poolsRequested,
      onProgress: progress('searching'),
    });
    const index = Math.min(poolsRequested, exact.splits.length) - 1;
    const split = exact.splits[index];
    const needed = split.grouping.ends.map((end, g) => ({ block: live.units[end - 1], capacity: split.peaks[g] }));
    chosen = finish(needed, split.requiredBytes);
    search = { method: exact.method, optimal: exact.optimal, lowerBound: exact.lowerBounds[index], groupsMeasured: exact.groupsMeasured };
    tradeoff = exact.splits.slice(0, tradeoffPools).map((s, m) => ({
      pools: m + 1,
      poolsUsed: s.pools,
      requiredBytes: s.requiredBytes,
      fragmentation: fragmentationOf(
        units,
        s.grouping.ends.map((end) => live.units[end - 1]),
      ),
    }));
  }

  // 3–4. Verify with the real replay (both proposals in one read).
  const sizeLimit = target === 'fit' ? options.size! : null;
  const fits = (layout: ProposedLayout) => representable(layout) && (sizeLimit === null || layout.size <= sizeLimit);
  const replayers = new Map<ProposedLayout, PoolReplayer>();
  for (const layout of options.verify === false ? [] : mode === 'exact' && !droneElsewhere ? [chosen, dronePlan] : [chosen]) {
    if (representable(layout)) replayers.set(layout, new PoolReplayer(layout.pools, { series: false }));
  }
  const verification = replayers.size > 0 ? await source(new TeeSink([...replayers.values()]), progress('verifying')) : undefined;
  if (verification?.cancelled) return { cancelled: true, mode, target, poolsRequested, trace: traceFigures };
  const afterResult = replayers.get(chosen)?.result();
  const droneVerified = droneElsewhere ? await droneElsewhere : replayers.get(dronePlan)?.result();
  const verified = afterResult ? { failures: afterResult.failures, firstFailure: afterResult.firstFailure } : null;
  const unchanged = options.current !== undefined && options.size === chosen.size && layoutKey(options.current) === layoutKey(chosen.pools);

  return {
    cancelled: false,
    mode,
    target,
    poolsRequested,
    marginPercent,
    sizeLimit,
    ...chosen,
    fits: fits(chosen),
    verified,
    offered: !unchanged && fits(chosen) && verified !== null && verified.failures === 0,
    unchanged,
    search,
    before: beforeResult ? layoutFigures(beforeResult) : null,
    after: afterResult ? layoutFigures(afterResult) : null,
    drone: mode === 'exact' ? { ...dronePlan, verified: droneVerified ? { failures: droneVerified.failures } : null } : null,
    tradeoff,
    trace: traceFigures,
  };
}

/**
 * The trade-off: the bytes the trace needs with 1..maxPools pools (exact mode: at most that
 * many), and Drone's fragmentation of each layout's blocks. One read, no verification.
 */
export async function layoutTradeoff(
  source: TraceSource,
  options: { mode?: OptimizeMode; maxPools?: number; wordSize?: number; workBudget?: number } = {},
): Promise<TradeoffRow[]> {
  const maxPools = options.maxPools ?? 16;
  const result = await optimizeLayout(source, {
    ...options,
    pools: maxPools,
    tradeoffPools: maxPools,
    target: 'minimal',
    marginPercent: 0,
    verify: false,
  });
  return result.cancelled ? [] : result.tradeoff;
}

/** Drone's pools for a split: block = the group's largest unit, capacity = Σ loads. */
function droneNeeded(units: readonly SizeUnit[], split: DroneSplit): PoolSpec[] {
  return groups(split.grouping).map(([start, end]) => {
    let capacity = 0;
    for (let u = start; u < end; u++) capacity += units[u].load;
    return { block: units[end - 1].size, capacity };
  });
}

function groups(grouping: Grouping): [number, number][] {
  return grouping.ends.map((end, g) => [g === 0 ? 0 : grouping.ends[g - 1], end]);
}

/** Margin, then headroom up to the size (fit, when it fits) or nothing more (minimal). */
function finishLayout(
  needed: PoolSpec[],
  requiredBytes: number,
  units: readonly SizeUnit[],
  { target, marginPercent, size }: { target: OptimizeTarget; marginPercent: number; size?: number },
): ProposedLayout {
  let pools = withMargin(needed, marginPercent);
  if (target === 'fit' && layoutBytes(pools) <= size!) pools = distributeSpare(pools, size!);
  return {
    pools,
    size: layoutBytes(pools),
    requiredBytes,
    fragmentation: fragmentationOf(
      units,
      pools.map((p) => p.block),
    ),
    needed,
  };
}

/** Drone's fragmentation of a set of blocks: every unit in its best-fitting pool, with its max load. */
export function fragmentationOf(units: readonly SizeUnit[], blocks: readonly number[]): number {
  const sorted = [...blocks].sort((a, b) => a - b);
  let fragmentation = 0;
  let pool = 0;
  for (const unit of units) {
    while (pool < sorted.length && sorted[pool] < unit.size) pool++;
    if (pool < sorted.length) fragmentation += (sorted[pool] - unit.size) * unit.load;
  }
  return fragmentation;
}

/** Blocks and size must be u32 for a layout to exist at all. */
function representable(layout: ProposedLayout): boolean {
  return layout.size <= U32_MAX && layout.pools.every((p) => p.block <= U32_MAX && p.capacity <= U32_MAX);
}

/** A replay's figures as the optimiser reports a layout's (before and after). */
export function layoutFigures(result: ReplayResult): LayoutFigures {
  return {
    heapBytes: result.heapBytes,
    failures: result.failures,
    firstFailure: result.firstFailure,
    peakReservedBytes: result.peakReservedBytes,
    fragmentationAtHeapPeak: result.fragmentationAtHeapPeak,
  };
}

/** The promise itself, marked as handled: it is awaited later, or never when this thread's own read fails first. */
function quietly<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
