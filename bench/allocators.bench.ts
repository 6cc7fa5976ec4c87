// Allocator model benchmark: replay speed of the general-purpose allocator models
// (server/src/core/alloc) next to Drone's pool replay, on pre-decoded batches of a 1M-event
// realistic trace (decoding excluded: the same for every model). Median of N runs, interleaved.
// Then the job the heap view's "Compare allocators" waits for: reading the file and feeding
// all three models in one pass (replayModelsFile, as the worker runs it).
//
//   npm run bench -- allocators      options: --runs N (default 7)   --events 1000000

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { replayModelsFile } from '../server/src/core/alloc/compare';
import { BestFitModel, DefragModel } from '../server/src/core/alloc/models';
import type { AllocModelResult } from '../server/src/core/alloc/result';
import { PoolReplayer } from '../server/src/core/replay/poolReplay';
import { EventBatch, type EventSink } from '../server/src/core/trace/events';
import { readTraceFile } from '../server/src/core/trace/readTrace';
import { workloadPools, writeWorkloadTrace } from '../test/support/traceWorkload';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** Copies every batch the decoder produces (the decoder reuses its arrays). */
class BatchRecorder implements EventSink {
  batches: EventBatch[] = [];
  consume(batch: EventBatch): void {
    const copy = new EventBatch(batch.length);
    copy.kinds.set(batch.kinds.subarray(0, batch.length));
    copy.a.set(batch.a.subarray(0, batch.length));
    copy.b.set(batch.b.subarray(0, batch.length));
    copy.length = batch.length;
    copy.firstIndex = batch.firstIndex;
    this.batches.push(copy);
  }
}

async function main(): Promise<void> {
  const runs = Math.max(5, Number(argument('--runs', '7')));
  const events = Number(argument('--events', '1000000'));
  const pools = workloadPools();
  const heapBytes = pools.reduce((sum, p) => sum + p.block * p.capacity, 0);
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-alloc-bench-'));
  try {
    const path = join(dir, 'trace.bin');
    writeWorkloadTrace(path, events, 1);
    await benchModels(path, pools, heapBytes, runs);
    await benchModelsJob(path, heapBytes, runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[values.length >> 1];

async function benchModels(path: string, pools: ReturnType<typeof workloadPools>, heapBytes: number, runs: number): Promise<void> {
  const recorder = new BatchRecorder();
  await readTraceFile(path, recorder);
  const { batches } = recorder;
  const total = batches.reduce((n, b) => n + b.length, 0);

  type Model = EventSink & { result(): unknown };
  const tasks: Record<string, () => Model> = {
    'drone pools': () => new PoolReplayer(pools),
    'best fit': () => new BestFitModel(heapBytes),
    'defrag (256 indexes)': () => new DefragModel(heapBytes),
    'defrag + compaction': () => new DefragModel(heapBytes, { compact: true }),
    // A region of a quarter of the size (close to the peak in use): fragmentation failures, so defrag() really runs.
    'best fit, heap ÷ 4': () => new BestFitModel(heapBytes / 4),
    'defrag + compaction, heap ÷ 4': () => new DefragModel(heapBytes / 4, { compact: true }),
  };
  const times: Record<string, number[]> = {};
  const results: Record<string, unknown> = {};
  for (let round = -1; round < runs; round++) {
    for (const [name, make] of Object.entries(tasks)) {
      (globalThis as { gc?: () => void }).gc?.();
      const model = make();
      const t0 = performance.now();
      for (const batch of batches) model.consume(batch);
      results[name] = model.result();
      const ms = performance.now() - t0;
      if (round >= 0) (times[name] ??= []).push(ms);
    }
  }
  console.log(
    `node ${process.version}, ${total.toLocaleString('en')} events (workload trace, seed 1), heap ${heapBytes} B, median of ${runs} runs after a warm-up round`,
  );
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${cpus().length} CPUs`,
  );
  console.table(
    Object.entries(times).map(([name, list]) => {
      const ms = median(list);
      const r = results[name] as Partial<AllocModelResult> & { peakReservedBytes?: number };
      return {
        model: name,
        'median ms': ms.toFixed(1),
        'min ms': Math.min(...list).toFixed(1),
        'M events/s': (((total / ms) * 1e3) / 1e6).toFixed(2),
        failures: r.failures,
        'peak in use': r.peakBytesInUse ?? r.peakReservedBytes,
        'max ext. frag.': r.maxExternalFragmentation === undefined ? '—' : `${(r.maxExternalFragmentation * 100).toFixed(1)}%`,
        compactions: r.compactions ?? '—',
      };
    }),
  );
}

/** The heap view's job: the file read, decoded and fed to best fit, defrag and defrag + compaction in one pass. */
async function benchModelsJob(path: string, heapBytes: number, runs: number): Promise<void> {
  const times: number[] = [];
  let events = 0;
  for (let round = -1; round < runs; round++) {
    const t0 = performance.now();
    const result = await replayModelsFile(path, heapBytes);
    const ms = performance.now() - t0;
    events = result.bestFit.events;
    if (round >= 0) times.push(ms);
  }
  const ms = median(times);
  console.log(
    `heap view "Compare allocators" job (read + decode + 3 models, one pass): median ${ms.toFixed(1)} ms, min ${Math.min(...times).toFixed(1)} ms for ${events.toLocaleString('en')} events = ${(((events / ms) * 1e3) / 1e6).toFixed(2)} M events/s`,
  );
}

void main();
