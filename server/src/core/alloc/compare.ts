// One pass over a trace feeding Drone's pool replay and the general-purpose allocator models
// (models.ts) the same batches, for `drone-heap compare`; and the models alone, for the heap
// view (which already has the pools' replay).

import { poolSum, type HeapConfig } from '../config/droneConfig';
import { PoolReplayer } from '../replay/poolReplay';
import type { PoolSpec, ReplayResult } from '../replay/result';
import { withReadSummary } from '../replay/simulate';
import type { EventBatch, EventSink } from '../trace/events';
import type { TraceProblem } from '../trace/formats';
import { readTraceFile, type TraceReadOptions, type TraceReadSummary } from '../trace/readTrace';
import { BestFitModel, DefragModel } from './models';
import type { AllocModelResult } from './result';

export interface CompareOptions extends TraceReadOptions {
  /** Allocation indexes of the defrag model (default 256). */
  indexes?: number;
  /** Keep the time series of the pools and the models (default true; the CLI prints none). */
  series?: boolean;
  /**
   * Models replayed elsewhere (another thread reading the same file, see
   * threads/helperThread.ts): their names and the promise of their results. This pass then
   * feeds only the pools and the other models.
   */
  offload?: { models: readonly ModelName[]; results: Promise<Partial<Record<ModelName, AllocModelResult>>> };
}

/** The models compareTraceFile runs, by their key in CompareResult. */
export type ModelName = 'bestFit' | 'defrag' | 'defragCompacting';
export const MODEL_NAMES: readonly ModelName[] = ['bestFit', 'defrag', 'defragCompacting'];

export interface CompareResult {
  heapBytes: number;
  drone: ReplayResult;
  bestFit: AllocModelResult;
  defrag: AllocModelResult;
  defragCompacting: AllocModelResult;
}

/** The general-purpose models alone on one trace (the heap view's "Compare allocators"). */
export interface ModelsResult {
  heapBytes: number;
  bestFit: AllocModelResult;
  defrag: AllocModelResult;
  defragCompacting: AllocModelResult;
  /** Reading stopped early (superseded): the figures cover only the events before it. */
  cancelled: boolean;
  /** Corrupt data stopped decoding there; the figures cover the events before it. */
  problem: TraceProblem | null;
}

/** The region the models get for a heap: its `size`, or without one (a finding of its own) the pools' total; 0 when neither is known. */
export function modelledHeapBytes(heap: HeapConfig): number {
  return heap.size?.bytes ?? poolSum(heap) ?? 0;
}

/** Feeds every batch to each sink in turn. */
export class TeeSink implements EventSink {
  constructor(private readonly sinks: readonly EventSink[]) {}
  consume(batch: EventBatch): void {
    for (const sink of this.sinks) sink.consume(batch);
  }
}

/** The models for a region of `heapBytes`, ready to be fed. */
export function allocModels(heapBytes: number, indexes?: number, series?: boolean) {
  return {
    bestFit: new BestFitModel(heapBytes, { series }),
    defrag: new DefragModel(heapBytes, { indexes, series }),
    defragCompacting: new DefragModel(heapBytes, { indexes, compact: true, series }),
  };
}

/** Replays the trace file through `pools` and the models on a region of `heapBytes`. Never throws on corrupt data. */
export async function compareTraceFile(
  path: string,
  pools: readonly PoolSpec[],
  heapBytes: number,
  options: CompareOptions = {},
): Promise<CompareResult> {
  const drone = new PoolReplayer(pools, { series: options.series });
  const { summary, results } = await readWithModels(path, heapBytes, options, [drone]);
  return { heapBytes, drone: withReadSummary(drone.result(), summary), ...results };
}

/** Replays the trace file through some of the models only (the share of compareTraceFile another thread takes). */
export async function replaySomeModelsFile(
  path: string,
  heapBytes: number,
  names: readonly ModelName[],
  options: CompareOptions = {},
): Promise<Partial<Record<ModelName, AllocModelResult>>> {
  const models = allocModels(heapBytes, options.indexes, options.series);
  await readTraceFile(path, new TeeSink(names.map((name) => models[name])), options);
  return Object.fromEntries(names.map((name) => [name, models[name].result()]));
}

/**
 * Replays the trace file through the models alone on a region of `heapBytes` (the pools'
 * replay is kept elsewhere). Models in `options.offload` are replayed by another thread.
 */
export async function replayModelsFile(path: string, heapBytes: number, options: CompareOptions = {}): Promise<ModelsResult> {
  const { summary, results } = await readWithModels(path, heapBytes, options, []);
  return { heapBytes, ...results, cancelled: summary.cancelled, problem: summary.problem };
}

/**
 * One read of the trace into `sinks` and the models not in `options.offload`; each model's
 * result, from this pass or from the thread that replayed it.
 */
async function readWithModels(
  path: string,
  heapBytes: number,
  options: CompareOptions,
  sinks: EventSink[],
): Promise<{ summary: TraceReadSummary; results: Record<ModelName, AllocModelResult> }> {
  const models = allocModels(heapBytes, options.indexes, options.series);
  const here = MODEL_NAMES.filter((name) => !options.offload?.models.includes(name));
  const summary = await readTraceFile(path, new TeeSink([...sinks, ...here.map((name) => models[name])]), options);
  // A cancelled read's figures are discarded: no need to wait for the other thread's.
  const elsewhere = options.offload && !summary.cancelled ? await options.offload.results : {};
  const result = (name: ModelName) => elsewhere[name] ?? models[name].result();
  return { summary, results: { bestFit: result('bestFit'), defrag: result('defrag'), defragCompacting: result('defragCompacting') } };
}
