// Replay benchmark: decode + replay of large stream-format traces vs a bare pass that only
// reads the file and sums its 32-bit words. Prints medians; see bench/README-replay.md.
//
//   npx esbuild bench/replay.bench.ts --bundle --platform=node --outfile=out/bench/replay.js && node out/bench/replay.js
//   options: --runs N (default 7)   --events 1000000,10000000   --keep (leave the traces in the temp dir)

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolReplayer } from '../server/src/core/replay/poolReplay';
import { droneStatsOfFile, simulateTraceFile } from '../server/src/core/replay/simulate';
import { EventBatch, type EventSink } from '../server/src/core/trace/events';
import { DEFAULT_CHUNK_BYTES, readTraceFile } from '../server/src/core/trace/readTrace';
import { workloadPools, writeWorkloadTrace } from '../test/support/traceWorkload';

const CHUNK = DEFAULT_CHUNK_BYTES;
const POOLS = workloadPools();

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

async function median(runs: number, body: () => Promise<unknown> | unknown): Promise<number> {
  await body(); // warm-up (JIT, page cache)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    await body();
    times.push(now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** The reference: read in CHUNK pieces with the same async API as readTraceFile, sum the words. */
async function barePassAsync(path: string): Promise<number> {
  const file = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  const words = new Uint32Array(buffer.buffer, buffer.byteOffset, CHUNK >> 2);
  let sum = 0;
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      sum = (sum + sumWords(words, bytesRead >> 2)) | 0;
    }
  } finally {
    await file.close();
  }
  return sum;
}

/** Same with synchronous reads (no event-loop round trip per chunk). */
function barePassSync(path: string): number {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  const words = new Uint32Array(buffer.buffer, buffer.byteOffset, CHUNK >> 2);
  let sum = 0;
  let bytesRead: number;
  while ((bytesRead = readSync(fd, buffer, 0, CHUNK, null)) > 0) sum = (sum + sumWords(words, bytesRead >> 2)) | 0;
  closeSync(fd);
  return sum;
}

function sumWords(words: Uint32Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum = (sum + words[i]) | 0;
  return sum;
}

/** Decodes the whole file into copies of its batches, so the replay can be timed alone. */
async function predecode(path: string): Promise<EventBatch[]> {
  const batches: EventBatch[] = [];
  await readTraceFile(path, {
    consume(batch) {
      const copy = new EventBatch(batch.length);
      copy.kinds.set(batch.kinds.subarray(0, batch.length));
      copy.a.set(batch.a.subarray(0, batch.length));
      copy.b.set(batch.b.subarray(0, batch.length));
      copy.length = batch.length;
      copy.firstIndex = batch.firstIndex;
      batches.push(copy);
    },
  });
  return batches;
}

const DISCARD: EventSink = { consume: () => {} };

/** Child mode: one end-to-end run in a fresh process, to measure its peak RSS alone. */
async function child(path: string): Promise<void> {
  const start = now();
  const result = await simulateTraceFile(path, POOLS);
  const ms = now() - start;
  process.stdout.write(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, events: result.events }));
}

function childRss(path: string): number {
  const run = spawnSync(process.execPath, [process.argv[1], '--child', path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout).maxRssMiB;
}

function baselineRss(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS / 1024))'], { encoding: 'utf8' });
  return Number(run.stdout);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]);
  const runs = Number(argument('--runs', '7'));
  const sizes = argument('--events', '1000000,10000000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-bench-'));
  const rows: Record<string, string>[] = [];
  console.log(`node ${process.version}, chunk ${CHUNK / 1024} KiB, median of ${runs} runs, pools ${POOLS.map((p) => `${p.capacity}×${p.block}`).join(' ')}`);
  console.log(`baseline RSS of an empty node process: ${baselineRss().toFixed(0)} MiB`);
  try {
    for (const events of sizes) {
      const path = join(dir, `trace-${events}.bin`);
      const info = writeWorkloadTrace(path, events, 1);
      const result = await simulateTraceFile(path, POOLS);
      console.log(`\n${events.toLocaleString('en')} events, ${(info.bytes / 2 ** 20).toFixed(1)} MiB: ${result.failures} failures, ` +
        `${result.droneStats.sizes.length} sizes, peaks ${result.pools.map((p) => `${p.peak}/${p.capacity}`).join(' ')}`);

      const bareAsync = await median(runs, () => barePassAsync(path));
      const bareSync = await median(runs, () => barePassSync(path));
      const bare = Math.min(bareAsync, bareSync);
      const decodeOnly = await median(runs, () => readTraceFile(path, DISCARD));
      const statsOnly = await median(runs, () => droneStatsOfFile(path));
      const endToEnd = await median(runs, () => simulateTraceFile(path, POOLS));
      let batches: EventBatch[] | null = await predecode(path);
      const replayOnly = await median(runs, () => {
        const replayer = new PoolReplayer(POOLS);
        for (const batch of batches!) replayer.consume(batch);
        return replayer.result();
      });
      batches = null;
      const rss = childRss(path);
      const perSecond = (ms: number) => `${((events / ms) * 1e3 / 1e6).toFixed(0)} M/s`;
      rows.push({
        events: events.toLocaleString('en'),
        'bare async': `${bareAsync.toFixed(1)} ms`,
        'bare sync': `${bareSync.toFixed(1)} ms`,
        'decode only': `${decodeOnly.toFixed(1)} ms`,
        'stats only': `${statsOnly.toFixed(1)} ms`,
        'replay only': `${replayOnly.toFixed(1)} ms (${perSecond(replayOnly)})`,
        'decode+replay': `${endToEnd.toFixed(1)} ms (${perSecond(endToEnd)})`,
        'ratio to bare': `${(endToEnd / bare).toFixed(2)}×`,
        'peak RSS': `${rss.toFixed(0)} MiB`,
      });
    }
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`traces kept in ${dir}`);
  }
  console.log();
  console.table(rows);
  console.log('ratio to bare = decode+replay ÷ the faster bare pass (read the file in the same chunks, sum its 32-bit words)');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
