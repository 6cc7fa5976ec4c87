// Messages between the server's main thread and the trace worker (server-internal;
// the client and the webview never see them).
import type { ModelsResult } from '../core/alloc/compare';
import type { OptimizeOptions, OptimizeResult } from '../core/layout/optimize';
import type { PoolSpec, ReplayResult } from '../core/replay/result';

/** What a job computes: a replay of a layout, a proposed layout, or the general-purpose allocator models. */
export type JobInput =
  | { type: 'replay'; tracePath: string; pools: PoolSpec[] }
  | { type: 'optimize'; tracePath: string; options: Omit<OptimizeOptions, 'onProgress'> }
  | { type: 'models'; tracePath: string; heapBytes: number; indexes: number };

export type JobResult = ReplayResult | OptimizeResult | ModelsResult;

export type WorkerJob = JobInput & {
  id: number;
  /** Int32Array over it: [0] becomes 1 when the job is superseded. */
  cancelFlag: SharedArrayBuffer;
};

export type WorkerReply =
  | { type: 'progress'; id: number; fraction: number; phase?: string }
  | { type: 'done'; id: number; result: JobResult }
  /** The job saw its cancel flag and stopped: its partial result is of no use. */
  | { type: 'cancelled'; id: number }
  | { type: 'failed'; id: number; message: string };
