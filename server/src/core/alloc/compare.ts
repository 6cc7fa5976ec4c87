// One pass over a trace feeding Drone's pool replay and the general-purpose allocator models
// (models.ts) the same batches, for `drone-heap compare`.

import { PoolReplayer } from '../replay/poolReplay';
import type { PoolSpec, ReplayResult } from '../replay/result';
import { withReadSummary } from '../replay/simulate';
import type { EventBatch, EventSink } from '../trace/events';
import { readTraceFile, type TraceReadOptions } from '../trace/readTrace';
import { BestFitModel, DefragModel } from './models';
import type { AllocModelResult } from './result';

export interface CompareOptions extends TraceReadOptions {
  /** Allocation indexes of the defrag model (default 256). */
  indexes?: number;
}

export interface CompareResult {
  heapBytes: number;
  drone: ReplayResult;
  bestFit: AllocModelResult;
  defrag: AllocModelResult;
  defragCompacting: AllocModelResult;
}

/** Feeds every batch to each sink in turn. */
export class TeeSink implements EventSink {
  constructor(private readonly sinks: readonly EventSink[]) {}
  consume(batch: EventBatch): void {
    for (const sink of this.sinks) sink.consume(batch);
  }
}

/** The models for a region of `heapBytes`, ready to be fed. */
export function allocModels(heapBytes: number, indexes?: number) {
  return {
    bestFit: new BestFitModel(heapBytes),
    defrag: new DefragModel(heapBytes, { indexes }),
    defragCompacting: new DefragModel(heapBytes, { indexes, compact: true }),
  };
}

/** Replays the trace file through `pools` and the models on a region of `heapBytes`. Never throws on corrupt data. */
export async function compareTraceFile(path: string, pools: readonly PoolSpec[], heapBytes: number, options: CompareOptions = {}): Promise<CompareResult> {
  const drone = new PoolReplayer(pools);
  const models = allocModels(heapBytes, options.indexes);
  const summary = await readTraceFile(path, new TeeSink([drone, models.bestFit, models.defrag, models.defragCompacting]), options);
  return {
    heapBytes,
    drone: withReadSummary(drone.result(), summary),
    bestFit: models.bestFit.result(),
    defrag: models.defrag.result(),
    defragCompacting: models.defragCompacting.result(),
  };
}
