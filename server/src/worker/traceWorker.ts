// The trace worker (bundled as dist/worker.js): replays a trace through a layout or through
// the general-purpose allocator models, or searches a layout for it, off the server's main
// thread, so hovers and diagnostics never wait. Cancellation is a shared flag polled between file chunks.
import { parentPort } from 'node:worker_threads';
import { replayModelsFile } from '../core/alloc/compare';
import { optimizeLayout } from '../core/layout/optimize';
import { fileTraceSource } from '../core/layout/traceSource';
import { simulateTraceFile } from '../core/replay/simulate';
import { helperThreadFor, offloadDefragModels, OPTIMIZE_HELPER_MAX_BYTES, runIfHelperThread, withHelpers } from '../threads/helperThread';
import type { JobResult, WorkerJob, WorkerReply } from './messages';

const PROGRESS_INTERVAL_MS = 200;
/** Traces up to this many events keep their per-event steps (2 bytes each, ≤ 8 MB) for the heap view's zoom. */
const STEP_LOG_LIMIT = 4 * 1024 * 1024;

// Started by the worker itself as a helper thread for a large trace (threads/helperThread.ts), this bundle takes the helper's jobs instead.
if (!runIfHelperThread()) {
  parentPort!.on('message', (job: WorkerJob) => {
    void run(job);
  });
}

async function run(job: WorkerJob): Promise<void> {
  const flag = new Int32Array(job.cancelFlag);
  const isCancelled = () => Atomics.load(flag, 0) === 1;
  let lastProgress = 0;
  const reply = (message: WorkerReply) => parentPort!.postMessage(message);
  const progress = (fraction: number, phase?: string) => {
    const now = Date.now();
    if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    reply({ type: 'progress', id: job.id, fraction, phase });
  };
  try {
    const onProgress = (read: number, total: number) => progress(total > 0 ? read / total : 0);
    let result: JobResult;
    switch (job.type) {
      case 'replay':
        result = await simulateTraceFile(job.tracePath, job.pools, { isCancelled, onProgress, stepLogLimit: STEP_LOG_LIMIT });
        break;
      case 'optimize': {
        // A large trace: the replays of the current pools and of Drone's layout in a helper
        // thread (ended with the job, cancelled or not) while this one collects steps and searches.
        const outcome = await withHelpers(
          () => helperThreadFor(__filename, true, job.tracePath, OPTIMIZE_HELPER_MAX_BYTES),
          (helper) =>
            optimizeLayout(fileTraceSource(job.tracePath, { isCancelled }), {
              ...job.options,
              elsewhere: helper?.optimiserReplays(job.cancelFlag),
              onProgress: (p) => progress(p.fraction, p.phase),
            }),
        );
        if (outcome.cancelled) return reply({ type: 'cancelled', id: job.id });
        result = outcome;
        break;
      }
      case 'models': {
        // A large trace: each defrag model in a helper thread of its own while this one replays best fit.
        const start = () =>
          offloadDefragModels(__filename, true, job.tracePath, job.heapBytes, {
            indexes: job.indexes,
            series: true,
            cancelFlag: job.cancelFlag,
          });
        result = await withHelpers(start, (offloaded) =>
          replayModelsFile(job.tracePath, job.heapBytes, { indexes: job.indexes, isCancelled, onProgress, offload: offloaded?.offload }),
        );
        break;
      }
    }
    // A replay or a model run stopped by the flag has figures for part of the trace only.
    reply(isCancelled() ? { type: 'cancelled', id: job.id } : { type: 'done', id: job.id, result });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const message =
      e.code === 'ENOENT' ? `${job.tracePath} does not exist` : e.code === 'EACCES' ? `${job.tracePath} is not readable` : e.message;
    reply({ type: 'failed', id: job.id, message });
  }
}
