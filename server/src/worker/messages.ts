// Messages between the server's main thread and the replay worker (server-internal;
// the client and the webview never see them).
import type { PoolSpec, ReplayResult } from '../core/replay/result';

export interface ReplayJob {
  type: 'replay';
  id: number;
  tracePath: string;
  pools: PoolSpec[];
  /** Int32Array over it: [0] becomes 1 when the job is superseded. */
  cancelFlag: SharedArrayBuffer;
}

export type WorkerReply =
  | { type: 'progress'; id: number; bytesRead: number; totalBytes: number }
  | { type: 'done'; id: number; result: ReplayResult }
  | { type: 'failed'; id: number; message: string };
