// One call from a trace (file or bytes) to a replay result: read, decode, replay, and merge
// what reading found (format, warnings, problem, cancellation) into the result object.

import { DroneStatsCollector, type DroneStats } from '../trace/droneStats';
import { decodeTraceBytes, readTraceFile, type TraceReadOptions, type TraceReadSummary } from '../trace/readTrace';
import { PoolReplayer, type ReplayOptions } from './poolReplay';
import type { PoolSpec, ReplayResult } from './result';

export type SimulateOptions = TraceReadOptions & ReplayOptions;

/** Replays a trace file through `pools`. Streams the file; never throws on corrupt data. */
export async function simulateTraceFile(path: string, pools: readonly PoolSpec[], options: SimulateOptions = {}): Promise<ReplayResult> {
  const replayer = new PoolReplayer(pools, options);
  const summary = await readTraceFile(path, replayer, options);
  return withReadSummary(replayer.result(), summary);
}

/** Replays a trace held in memory through `pools`. */
export function simulateTraceBytes(bytes: Uint8Array, pools: readonly PoolSpec[], options: SimulateOptions = {}): ReplayResult {
  const replayer = new PoolReplayer(pools, options);
  const summary = decodeTraceBytes(bytes, replayer, options);
  return withReadSummary(replayer.result(), summary);
}

/** Drone's per-size statistics only (no pools needed), e.g. for `stats` or the optimiser. */
export async function droneStatsOfFile(
  path: string,
  options: TraceReadOptions = {},
): Promise<{ stats: DroneStats; read: TraceReadSummary }> {
  const collector = new DroneStatsCollector();
  const read = await readTraceFile(path, collector, options);
  return { stats: collector.result(), read };
}

/** Copies what reading found into a replay result. */
export function withReadSummary(result: ReplayResult, summary: TraceReadSummary): ReplayResult {
  return {
    ...result,
    format: summary.format,
    warnings: [...summary.warnings, ...result.warnings],
    problem: summary.problem,
    cancelled: summary.cancelled,
  };
}
