// `drone-heap compare` and `optimize` on a large trace use the second core: a helper thread
// (this same bundle, started with a marker in workerData) reads the trace file too and runs
// the replays the main thread hands it: some allocator models for `compare`, the current
// pools and Drone's layout for `optimize`. Each job decodes the whole file again (decoding
// costs a fraction of a replay), so nothing is shared but the results, which are plain
// objects: the output is the same bytes as in one thread.
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { statSync } from 'node:fs';
import { replaySomeModelsFile, type ModelName } from '../core/alloc/compare';
import type { AllocModelResult } from '../core/alloc/result';
import type { ReplaysElsewhere } from '../core/layout/optimize';
import { PoolReplayer } from '../core/replay/poolReplay';
import type { PoolSpec, ReplayResult } from '../core/replay/result';
import { DroneStatsCollector, type DroneStats } from '../core/trace/droneStats';
import { readTraceFile } from '../core/trace/readTrace';

const KIND = 'drone-heap helper thread';
/** Traces from this size on are worth a second thread (starting one costs tens of milliseconds). */
export const PARALLEL_MIN_BYTES = 4 << 20;

interface HelperData {
  kind: typeof KIND;
  path: string;
}

type HelperJob =
  | { kind: 'models'; heapBytes: number; names: ModelName[]; indexes?: number }
  | { kind: 'replay'; pools: readonly PoolSpec[] }
  | { kind: 'droneStats' };

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
    case 'models':
      return replaySomeModelsFile(path, job.heapBytes, job.names, { indexes: job.indexes, series: false });
    case 'replay': {
      const replayer = new PoolReplayer(job.pools, { series: false });
      await readTraceFile(path, replayer);
      return replayer.result();
    }
    case 'droneStats': {
      const stats = new DroneStatsCollector();
      await readTraceFile(path, stats);
      return stats.result();
    }
  }
}

/** The main thread's side: a helper thread on one trace file, taking jobs until stopped. */
export class HelperThread {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

  /** `script` is the running CLI bundle (it starts as a helper when it finds the marker). */
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
    this.worker.on('error', (error) => this.rejectAll(error));
    this.worker.on('exit', (code) => this.rejectAll(new Error(`the helper thread ended (exit status ${code}) before its results`)));
  }

  /** The allocator models `names` replayed on a region of `heapBytes` (see CompareOptions.offload). */
  models(heapBytes: number, names: ModelName[], indexes: number | undefined): Promise<Partial<Record<ModelName, AllocModelResult>>> {
    return this.run({ kind: 'models', heapBytes, names, indexes });
  }

  /** The optimiser's replays, run here instead of on the main thread. */
  optimiserReplays(): ReplaysElsewhere {
    return {
      replay: (pools) => this.run<ReplayResult>({ kind: 'replay', pools }),
      droneStats: () => this.run<DroneStats>({ kind: 'droneStats' }),
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
 * A helper thread for `path` when one pays: the CLI's own bundle is running (not a test
 * importing it), the machine has more than one core, DRONE_HEAP_THREADS is not 1, and the
 * trace has at least PARALLEL_MIN_BYTES (and at most `maxBytes`). Otherwise undefined:
 * everything runs here.
 */
export function helperThreadFor(script: string, isCli: boolean, path: string, maxBytes = Infinity): HelperThread | undefined {
  if (!isCli || process.env.DRONE_HEAP_THREADS === '1' || availableParallelism() < 2) return undefined;
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return undefined; // the main thread's read says why
  }
  return size >= PARALLEL_MIN_BYTES && size <= maxBytes ? new HelperThread(script, path) : undefined;
}
