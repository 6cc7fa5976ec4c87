// Heap view data for tests, made by the real summariser from a Drone.toml text and a trace
// (not hand-written JSON, so the page is tested on what the server really sends).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayModelsFile, type ModelsResult } from '../../../server/src/core/alloc/compare';
import { checkDroneToml } from '../../../server/src/core/checks/index';
import type { PoolSpec, ReplayResult } from '../../../server/src/core/replay/result';
import { simulateTraceBytes, simulateTraceFile } from '../../../server/src/core/replay/simulate';
import {
  pickHeap,
  summariseHeapView,
  type HeapCompare,
  type HeapViewData,
  type HeapViewInput,
  type HeapViewTraceInput,
} from '../../../server/src/core/view/heapView';
import { writeWorkloadTrace } from '../../support/traceWorkload';

export const URI = 'file:///work/project/Drone.toml';

/** A Drone.toml (Blue Pill: 20K RAM) whose main heap has these pools and a matching size. */
export function droneToml(pools: readonly PoolSpec[], extra = ''): string {
  const size = pools.reduce((s, p) => s + p.block * p.capacity, 0);
  return `[memory.flash]
size = "64K"
origin = 0x08000000

[memory.ram]
size = "20K"
origin = 0x20000000

[heap.main]
size = "${size}"
pools = [
${pools.map((p) => `    { block = "${p.block}", capacity = ${p.capacity} },`).join('\n')}
]
${extra}`;
}

export const done = (tracePath: string, events: number): HeapViewTraceInput => ({
  state: 'done',
  tracePath,
  progress: 1,
  message: `${tracePath.split('/').pop()}: ${events} events.`,
});

export interface ViewOptions {
  heap?: string | null;
  status?: HeapViewTraceInput | null;
  result?: ReplayResult | null;
  buckets?: number;
  compare?: HeapCompare | null;
  allocators?: HeapViewInput['allocators'];
  ram?: HeapViewInput['ram'];
}

/** Summarises `text` (and a replay) exactly as the server's heapView feature does. */
export function viewOf(text: string, options: ViewOptions = {}): HeapViewData {
  const { parse, findings } = checkDroneToml(text);
  const heap = parse.ok ? pickHeap(parse.config, options.heap ?? null, null) : undefined;
  return summariseHeapView({
    uri: URI,
    parse,
    findings,
    heap,
    status: options.status ?? null,
    result: options.result ?? null,
    buckets: options.buckets ?? 1000,
    compare: options.compare ?? null,
    allocators: options.allocators ?? null,
    ram: options.ram ?? null,
  });
}

export function replayText(pools: readonly PoolSpec[], trace: string | Uint8Array): ReplayResult {
  return simulateTraceBytes(typeof trace === 'string' ? new TextEncoder().encode(trace) : trace, pools);
}

/** Replays `events` events of the firmware-like workload (test/support/traceWorkload) through `pools`. */
export async function replayWorkload(pools: readonly PoolSpec[], events: number, seed = 1): Promise<ReplayResult> {
  return withWorkloadTrace(events, seed, (path) => simulateTraceFile(path, pools));
}

/** The allocator models on `heapBytes` for the same workload (as the worker runs them for the heap view). */
export async function modelWorkload(heapBytes: number, events: number, seed = 1, indexes = 256): Promise<ModelsResult> {
  return withWorkloadTrace(events, seed, (path) => replayModelsFile(path, heapBytes, { indexes }));
}

async function withWorkloadTrace<T>(events: number, seed: number, use: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'heapview-'));
  try {
    const path = join(dir, 'heaptrace');
    writeWorkloadTrace(path, events, seed);
    return await use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
