// Large traces use more than one core: a helper thread (the running bundle again — the CLI
// or the editor's trace worker — started with a marker in workerData) reads the trace file
// too and runs the replays it is handed: allocator models for `compare` and the heap view's
// "Compare allocators", the current pools and Drone's layout for `optimize`. Each job
// decodes the whole file again (decoding costs a fraction of a replay), so nothing is shared
// but the results, which are plain objects: the figures are the same as in one thread.
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { statSync } from 'node:fs';
import { replaySomeModelsFile, type CompareOptions, type ModelName } from '../core/alloc/compare';
import type { AllocModelResult } from '../core/alloc/result';
import type { ReplaysElsewhere } from '../core/layout/optimize';
import { PoolReplayer } from '../core/replay/poolReplay';
import type { PoolSpec, ReplayResult } from '../core/replay/result';
import { DroneStatsCollector, type DroneStats } from '../core/trace/droneStats';
import { readTraceFile } from '../core/trace/readTrace';

const KIND = 'drone-heap helper thread';
/** Traces from this size on are worth a second thread (starting one costs tens of milliseconds). */
export const PARALLEL_MIN_BYTES = 4 << 20;
/**
 * The optimiser's helper thread only up to this size (≈ 45M stream-format events): beyond,
 * its step log holds most of the memory, the thread's ~20 MB would come on top (past the
 * 300 MB budget at 100M events), and the replays are a small share of the time.
 */
export const OPTIMIZE_HELPER_MAX_BYTES = 256 << 20;

interface HelperData {
  kind: typeof KIND;
  path: string;
}

type HelperJob =
  | { kind: 'models'; heapBytes: number; names: ModelName[]; options: HelperModelOptions }
  | { kind: 'replay'; pools: readonly PoolSpec[]; cancelFlag?: SharedArrayBuffer }
  | { kind: 'droneStats'; cancelFlag?: SharedArrayBuffer };

/** How a helper replays models: as CompareOptions, with cancellation as a shared flag. */
export interface HelperModelOptions {
  indexes?: number;
  /** Keep the time series (the heap view charts them; the CLI prints none). */
  series: boolean;
  /** Int32Array over it: [0] becomes 1 when the job is superseded (polled between file chunks). */
  cancelFlag?: SharedArrayBuffer;
}

/** A helper thread stopped without its results (it could not start, crashed or was stopped): the work can be done in one thread instead. */
export class HelperThreadError extends Error {}

type HelperReply = { id: number; result: unknown } | { id: number; error: string; code?: string };

/** In a helper thread: answers the main thread's jobs. Returns whether this thread is one. */
export function runIfHelperThread(): boolean {
  const data = workerData as HelperData | undefined;
  if (isMainThread || data?.kind !== KIND) return false;
  const port = parentPort!;
  port.on('message', ({ id, job }: { id: number; job: HelperJob }) => {
    const reply = (message: HelperReply) => port.postMessage(message);
    runJob(data.path, job).then(
      (result) => reply({ id, result }),
      (error: NodeJS.ErrnoException) => reply({ id, error: error.message, code: error.code }),
    );
  });
  return true;
}

async function runJob(path: string, job: HelperJob): Promise<unknown> {
  switch (job.kind) {
    case 'models': {
      const { indexes, series, cancelFlag } = job.options;
      return replaySomeModelsFile(path, job.heapBytes, job.names, { indexes, series, isCancelled: cancelledBy(cancelFlag) });
    }
    case 'replay': {
      const replayer = new PoolReplayer(job.pools, { series: false });
      await readTraceFile(path, replayer, { isCancelled: cancelledBy(job.cancelFlag) });
      return replayer.result();
    }
    case 'droneStats': {
      const stats = new DroneStatsCollector();
      await readTraceFile(path, stats, { isCancelled: cancelledBy(job.cancelFlag) });
      return stats.result();
    }
  }
}

/** A poll of the shared cancel flag ([0] becomes 1), polled between file chunks. */
function cancelledBy(flag: SharedArrayBuffer | undefined): (() => boolean) | undefined {
  if (!flag) return undefined;
  const cells = new Int32Array(flag);
  return () => Atomics.load(cells, 0) === 1;
}

/** The main thread's side: a helper thread on one trace file, taking jobs until stopped. */
export class HelperThread {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

  /** `script` is the running bundle (it starts as a helper when it finds the marker). */
  constructor(script: string, path: string) {
    // Replays make little garbage: a small young generation keeps the thread's memory down
    // (compare on the 10M bench trace: 103 → 95 MB peak RSS, same time).
    this.worker = new Worker(script, {
      workerData: { kind: KIND, path } satisfies HelperData,
      resourceLimits: { maxYoungGenerationSizeMb: 2 },
    });
    this.worker.on('message', (reply: HelperReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiting) return;
      if ('error' in reply) waiting.reject(Object.assign(new Error(reply.error), { code: reply.code }));
      else waiting.resolve(reply.result);
    });
    this.worker.on('error', (error) => this.rejectAll(new HelperThreadError(`the helper thread failed: ${error.message}`)));
    this.worker.on('exit', (code) =>
      this.rejectAll(new HelperThreadError(`the helper thread ended (exit status ${code}) before its results`)),
    );
  }

  /** The allocator models `names` replayed on a region of `heapBytes` (see CompareOptions.offload). */
  models(heapBytes: number, names: ModelName[], options: HelperModelOptions): Promise<Partial<Record<ModelName, AllocModelResult>>> {
    return this.run({ kind: 'models', heapBytes, names, options });
  }

  /**
   * The optimiser's replays, run in this thread instead of the caller's; with the job's
   * `cancelFlag` they stop reading when it is set, as the caller's own read does (their
   * figures then cover part of the trace, and the caller discards them).
   */
  optimiserReplays(cancelFlag?: SharedArrayBuffer): ReplaysElsewhere {
    return {
      replay: (pools) => this.run<ReplayResult>({ kind: 'replay', pools, cancelFlag }),
      droneStats: () => this.run<DroneStats>({ kind: 'droneStats', cancelFlag }),
    };
  }

  stop(): void {
    void this.worker.terminate();
  }

  private run<T>(job: HelperJob): Promise<T> {
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject }));
    this.worker.postMessage({ id, job });
    // Awaited by the caller, or never when the main thread's own read fails first: no unhandled rejection.
    result.catch(() => undefined);
    return result;
  }

  private rejectAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

/**
 * A helper thread for `path` when one pays: `script` is a bundle that starts as a helper
 * (`canHelp`: the CLI or the trace worker running as itself, not a test importing it), the
 * machine has more than one core, DRONE_HEAP_THREADS is not 1, and the trace has at least
 * PARALLEL_MIN_BYTES (and at most `maxBytes`). Otherwise undefined: everything runs here.
 */
export function helperThreadFor(script: string, canHelp: boolean, path: string, maxBytes = Infinity): HelperThread | undefined {
  if (!canHelp || process.env.DRONE_HEAP_THREADS === '1' || availableParallelism() < 2) return undefined;
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return undefined; // the main thread's read says why
  }
  return size >= PARALLEL_MIN_BYTES && size <= maxBytes ? startHelper(script, path) : undefined;
}

/** A new helper thread, or undefined when none can be started (e.g. resources): everything runs here. */
function startHelper(script: string, path: string): HelperThread | undefined {
  try {
    return new HelperThread(script, path);
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` with the helpers `start` gives (undefined: none). When a helper thread fails
 * (HelperThreadError), the work runs again without helpers: a broken helper costs time,
 * never the result. The helpers are stopped either way.
 */
export async function withHelpers<H extends { stop(): void }, T>(
  start: () => H | undefined,
  work: (helpers: H | undefined) => Promise<T>,
): Promise<T> {
  const helpers = start();
  if (!helpers) return work(undefined);
  try {
    return await work(helpers);
  } catch (error) {
    if (!(error instanceof HelperThreadError)) throw error;
  } finally {
    helpers.stop();
  }
  return work(undefined);
}

/**
 * Helper threads for the defrag models, one each, when threads pay for `path` (see
 * helperThreadFor): the `offload` for compareTraceFile or replayModelsFile, and `stop` for
 * afterwards. Undefined when everything runs here. Three threads on two cores: the models
 * and the pools (or best fit) are parts of about the same size, which the scheduler spreads
 * better than two unequal halves (`compare` on the 10M-event bench trace: 1.95 s against 2.15 s).
 */
export function offloadDefragModels(
  script: string,
  canHelp: boolean,
  path: string,
  heapBytes: number,
  options: HelperModelOptions,
): { offload: NonNullable<CompareOptions['offload']>; stop: () => void } | undefined {
  const names: ModelName[] = ['defrag', 'defragCompacting'];
  const first = helperThreadFor(script, canHelp, path);
  const second = first && startHelper(script, path);
  if (!first || !second) {
    first?.stop();
    return undefined;
  }
  const helpers = [first, second];
  const parts = helpers.map((helper, i) => helper.models(heapBytes, [names[i]], options));
  const results = Promise.all(parts).then((found) => Object.assign({}, ...found));
  // Never awaited when the job is cancelled (stop() then ends the threads): no unhandled rejection.
  results.catch(() => undefined);
  return {
    offload: { models: names, results },
    stop: () => helpers.forEach((helper) => helper.stop()),
  };
}
