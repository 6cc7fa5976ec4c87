// Runs trace jobs (replays, layout searches, allocator models) in a worker thread, one at a time: a job
// superseded by a newer one of the same owner is cancelled (running) or dropped (queued).
// Results are cached by (trace file identity, job input) so reopening a file or undoing
// an edit costs nothing. The trace's identity is its path, size and modification time:
// hashing a 1 GB capture on every keystroke would cost more than the replay it saves.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelsResult } from '../core/alloc/compare';
import type { OptimizeResult } from '../core/layout/optimize';
import type { PoolSpec, ReplayResult } from '../core/replay/result';
import { NotARegularFileError, nonRegularKind } from '../core/regularFile';
import type { JobInput, JobResult, WorkerJob, WorkerReply } from '../worker/messages';

interface JobRequest {
  /** Who asks (a heap of a document): a newer request with the same owner supersedes. */
  owner: string;
  onProgress?: (fraction: number, phase?: string) => void;
}

export interface ReplayRequest extends JobRequest {
  tracePath: string;
  pools: PoolSpec[];
}

export interface OptimizeRequest extends JobRequest {
  input: Extract<JobInput, { type: 'optimize' }>;
}

export interface ModelsRequest extends JobRequest {
  input: Extract<JobInput, { type: 'models' }>;
}

export type JobOutcome<R> = { kind: 'done'; result: R; fromCache: boolean } | { kind: 'failed'; message: string } | { kind: 'superseded' };
export type ReplayOutcome = JobOutcome<ReplayResult>;
export type OptimizeOutcome = JobOutcome<OptimizeResult>;
export type ModelsOutcome = JobOutcome<ModelsResult>;

interface Pending {
  request: JobRequest;
  input: JobInput;
  key: string;
  resolve: (outcome: JobOutcome<JobResult>) => void;
}

const CACHE_ENTRIES = 32;
/** The step logs kept for the heap view's zoom may hold this much of the cache at most. */
const CACHE_STEP_LOG_BYTES = 32 * 1024 * 1024;

function stepLogBytes(cache: Map<string, JobResult>): number {
  let bytes = 0;
  for (const result of cache.values()) if ('steps' in result && result.steps) bytes += result.steps.byteLength;
  return bytes;
}

/** Which job of which heap: a newer job with the same owner supersedes the older one. */
export type HeapJob = 'replay' | 'proposal' | 'search' | 'models';

export function heapJobOwner(uri: string, heap: string, job: HeapJob): string {
  return `${uri}#${heap}#${job}`;
}

export class TraceJobs {
  private worker: Worker | undefined;
  private nextId = 1;
  private running: { id: number; pending: Pending; flag: Int32Array } | undefined;
  private readonly queue: Pending[] = [];
  private readonly cache = new Map<string, JobResult>();
  /** Bumped per owner on each request, so a request that was overtaken while it looked at the file gives up. */
  private readonly generations = new Map<string, number>();

  constructor(private readonly workerPath = join(__dirname, 'worker.js')) {}

  replay(request: ReplayRequest): Promise<ReplayOutcome> {
    return this.submit(request, { type: 'replay', tracePath: request.tracePath, pools: request.pools }) as Promise<ReplayOutcome>;
  }

  optimize(request: OptimizeRequest): Promise<OptimizeOutcome> {
    return this.submit(request, request.input) as Promise<OptimizeOutcome>;
  }

  models(request: ModelsRequest): Promise<ModelsOutcome> {
    return this.submit(request, request.input) as Promise<ModelsOutcome>;
  }

  private async submit(request: JobRequest, input: JobInput): Promise<JobOutcome<JobResult>> {
    const generation = (this.generations.get(request.owner) ?? 0) + 1;
    this.generations.set(request.owner, generation);
    let identity: string;
    try {
      const info = await stat(input.tracePath);
      const kind = nonRegularKind(info);
      if (kind) return { kind: 'failed', message: new NotARegularFileError(input.tracePath, kind).message };
      identity = `${input.tracePath}\0${info.size}\0${info.mtimeMs}`;
    } catch {
      return { kind: 'failed', message: `${input.tracePath} does not exist` };
    }
    if (this.generations.get(request.owner) !== generation) return { kind: 'superseded' };
    const key = `${identity}\0${JSON.stringify(input)}`;
    const cached = this.cache.get(key);
    this.supersede(request.owner);
    if (cached) return { kind: 'done', result: cached, fromCache: true };
    return new Promise((resolve) => {
      this.queue.push({ request, input, key, resolve });
      this.pump();
    });
  }

  /** Cancels the running job and drops queued jobs of `owner`. */
  supersede(owner: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].request.owner === owner) this.queue.splice(i, 1)[0].resolve({ kind: 'superseded' });
    }
    if (this.running?.pending.request.owner === owner) Atomics.store(this.running.flag, 0, 1);
  }

  dispose(): void {
    for (const pending of this.queue.splice(0)) pending.resolve({ kind: 'superseded' });
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    // Replays first: the figures of the layout being edited matter more than a proposal.
    const replay = this.queue.findIndex((p) => p.input.type === 'replay');
    const pending = this.queue.splice(replay >= 0 ? replay : 0, 1)[0];
    const id = this.nextId++;
    const cancelFlag = new SharedArrayBuffer(4);
    this.running = { id, pending, flag: new Int32Array(cancelFlag) };
    const job: WorkerJob = { ...pending.input, id, cancelFlag };
    this.ensureWorker().postMessage(job);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath);
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    // A crashed worker fails the running job; the next job starts a fresh worker.
    worker.on('error', (error) => this.finish({ kind: 'failed', message: `trace worker crashed: ${error.message}` }, true));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onReply(reply: WorkerReply): void {
    const running = this.running;
    if (!running || reply.id !== running.id) return;
    if (reply.type === 'progress') {
      running.pending.request.onProgress?.(reply.fraction, reply.phase);
      return;
    }
    if (reply.type === 'failed') return this.finish({ kind: 'failed', message: reply.message });
    // The flag may be set after the worker looked at it for the last time.
    if (reply.type === 'cancelled' || Atomics.load(running.flag, 0) === 1) return this.finish({ kind: 'superseded' });
    this.remember(running.pending.key, reply.result);
    this.finish({ kind: 'done', result: reply.result, fromCache: false });
  }

  private finish(outcome: JobOutcome<JobResult>, workerLost = false): void {
    const running = this.running;
    this.running = undefined;
    if (workerLost) this.worker = undefined;
    running?.pending.resolve(outcome);
    this.pump();
  }

  private remember(key: string, result: JobResult): void {
    this.cache.delete(key);
    this.cache.set(key, result);
    // Oldest first out, by count and by the replays' per-event step logs (up to 8 MB each).
    while (this.cache.size > CACHE_ENTRIES || (this.cache.size > 1 && stepLogBytes(this.cache) > CACHE_STEP_LOG_BYTES))
      this.cache.delete(this.cache.keys().next().value!);
  }
}
