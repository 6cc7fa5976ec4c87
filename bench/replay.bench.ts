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

/**
 * Runs every task once per round, round after round (after one warm-up round), and returns
 * each task's median time. Interleaving spreads background noise (this often runs on a
 * shared machine) evenly over the tasks being compared.
 */
async function interleavedMedians(runs: number, tasks: Record<string, () => unknown>): Promise<Record<string, number>> {
  const times: Record<string, number[]> = {};
  for (let round = -1; round < runs; round++) {
    for (const [name, task] of Object.entries(tasks)) {
      const start = now();
      await task();
      if (round >= 0) (times[name] ??= []).push(now() - start);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, list.sort((x, y) => x - y)[list.length >> 1]]));
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

/**
 * Child mode: one end-to-end run in a fresh process, sampling its RSS after every chunk.
 * (Not resourceUsage().maxRSS: on Linux a spawned child inherits the high-water mark of the
 * parent it was forked from, which here holds hundreds of MiB of pre-decoded batches.)
 */
async function child(path: string): Promise<void> {
  let peakRss = process.memoryUsage.rss();
  const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage.rss()));
  const start = now();
  const result = await simulateTraceFile(path, POOLS, { onProgress: sample });
  const ms = now() - start;
  sample();
  process.stdout.write(JSON.stringify({ ms, peakRssMiB: peakRss / 2 ** 20, events: result.events }));
}

function childRss(path: string): number {
  const run = spawnSync(process.execPath, [process.argv[1], '--child', path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout).peakRssMiB;
}

function baselineRss(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.memoryUsage.rss() / 2 ** 20))'], { encoding: 'utf8' });
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

      const t = await interleavedMedians(runs, {
        bareAsync: () => barePassAsync(path),
        bareSync: () => barePassSync(path),
        decodeOnly: () => readTraceFile(path, DISCARD),
        statsOnly: () => droneStatsOfFile(path),
        endToEnd: () => simulateTraceFile(path, POOLS),
      });
      const bare = Math.min(t.bareAsync, t.bareSync);
      let batches: EventBatch[] | null = await predecode(path);
      const { replayOnly } = await interleavedMedians(runs, {
        replayOnly: () => {
          const replayer = new PoolReplayer(POOLS);
          for (const batch of batches!) replayer.consume(batch);
          return replayer.result();
        },
      });
      batches = null;
      const rss = childRss(path);
      const perSecond = (ms: number) => `${((events / ms) * 1e3 / 1e6).toFixed(0)} M/s`;
      rows.push({
        events: events.toLocaleString('en'),
        'bare async': `${t.bareAsync.toFixed(1)} ms`,
        'bare sync': `${t.bareSync.toFixed(1)} ms`,
        'decode only': `${t.decodeOnly.toFixed(1)} ms (${perSecond(t.decodeOnly)})`,
        'stats only': `${t.statsOnly.toFixed(1)} ms (${perSecond(t.statsOnly)})`,
        'replay only': `${replayOnly.toFixed(1)} ms (${perSecond(replayOnly)})`,
        'decode+replay': `${t.endToEnd.toFixed(1)} ms (${perSecond(t.endToEnd)})`,
        'ratio to bare': `${(t.endToEnd / bare).toFixed(2)}×`,
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
