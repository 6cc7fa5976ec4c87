// `drone-heap compare` on a large trace uses the second core: a worker thread (this same
// bundle, started with a job in workerData) reads the file too and replays some of the
// allocator models, while the main thread replays the pools and the others. Both threads
// decode the whole file (decoding costs a fraction of a model's replay), so nothing is shared
// but the results, which are plain objects: the output is the same bytes as in one thread.
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { replaySomeModelsFile, type CompareOptions, type ModelName } from '../core/alloc/compare';
import type { AllocModelResult } from '../core/alloc/result';

const KIND = 'drone-heap compare models';
/** Traces from this size on are worth a second thread (starting one costs tens of milliseconds). */
export const PARALLEL_MIN_BYTES = 4 << 20;

interface ModelsJob {
  kind: typeof KIND;
  path: string;
  heapBytes: number;
  names: ModelName[];
  indexes?: number;
}

type ModelsReply = { results: Partial<Record<ModelName, AllocModelResult>> } | { error: string };

/** In a models worker: runs its job and posts the results. Returns whether this thread is one. */
export function runIfModelsWorker(): boolean {
  const job = workerData as ModelsJob | undefined;
  if (isMainThread || job?.kind !== KIND) return false;
  const reply = (message: ModelsReply) => parentPort!.postMessage(message);
  replaySomeModelsFile(job.path, job.heapBytes, job.names, { indexes: job.indexes, series: false }).then(
    (results) => reply({ results }),
    (error: Error) => reply({ error: error.message }),
  );
  return true;
}

/** Whether to use a worker: a multi-core machine, and DRONE_HEAP_THREADS is not 1. */
export function threadsAvailable(): boolean {
  return process.env.DRONE_HEAP_THREADS !== '1' && availableParallelism() > 1;
}

/** Starts a worker on `script` (the running CLI bundle) replaying the models `names`; see CompareOptions.offload. */
export function offloadModels(
  script: string,
  path: string,
  heapBytes: number,
  names: ModelName[],
  indexes: number | undefined,
): { offload: NonNullable<CompareOptions['offload']>; stop: () => void } {
  const worker = new Worker(script, { workerData: { kind: KIND, path, heapBytes, names, indexes } satisfies ModelsJob });
  const results = new Promise<Partial<Record<ModelName, AllocModelResult>>>((resolve, reject) => {
    worker.once('message', (message: ModelsReply) => ('error' in message ? reject(new Error(message.error)) : resolve(message.results)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the models' worker ended (exit status ${code}) without results`)));
  });
  // Awaited later, or never when the main thread's own read fails first: no unhandled rejection.
  results.catch(() => undefined);
  return { offload: { models: names, results }, stop: () => void worker.terminate() };
}
