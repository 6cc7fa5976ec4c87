// The replay worker (bundled as dist/worker.js): reads a trace file and replays it
// through the pools, off the server's main thread, so hovers and diagnostics never wait.
// Cancellation is a shared flag polled between file chunks.
import { parentPort } from 'node:worker_threads';
import { simulateTraceFile } from '../core/replay/simulate';
import type { ReplayJob, WorkerReply } from './messages';

const PROGRESS_INTERVAL_MS = 200;

parentPort!.on('message', (job: ReplayJob) => {
  void run(job);
});

async function run(job: ReplayJob): Promise<void> {
  const flag = new Int32Array(job.cancelFlag);
  let lastProgress = 0;
  const reply = (message: WorkerReply) => parentPort!.postMessage(message);
  try {
    const result = await simulateTraceFile(job.tracePath, job.pools, {
      isCancelled: () => Atomics.load(flag, 0) === 1,
      onProgress: (bytesRead, totalBytes) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_INTERVAL_MS) return;
        lastProgress = now;
        reply({ type: 'progress', id: job.id, bytesRead, totalBytes });
      },
    });
    reply({ type: 'done', id: job.id, result });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const message = e.code === 'ENOENT' ? `${job.tracePath} does not exist` : e.code === 'EACCES' ? `${job.tracePath} is not readable` : e.message;
    reply({ type: 'failed', id: job.id, message });
  }
}
