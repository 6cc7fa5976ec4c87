// Replay benchmark: decode + replay of large stream-format traces vs a bare pass that only
// reads the file and sums its 32-bit words. Prints medians; see bench/README-replay.md.
//
//   npx esbuild bench/replay.bench.ts --bundle --platform=node --outfile=out/bench/replay.js && node out/bench/replay.js
//   options: --runs N (default 7)   --events 1000000,10000000   --keep (leave the traces in the temp dir)

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolReplayer } from '../server/src/core/replay/poolReplay';
import { droneStatsOfFile, simulateTraceFile } from '../server/src/core/replay/simulate';
import type { EventSink } from '../server/src/core/trace/events';
import { DEFAULT_CHUNK_BYTES, readTraceFile } from '../server/src/core/trace/readTrace';
import { workloadPools, writeWorkloadTrace } from '../test/support/traceWorkload';

const CHUNK = DEFAULT_CHUNK_BYTES;
const POOLS = workloadPools();

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
/** CPU time (user + system) of the whole process in ms: unlike wall time, it does not count the time other processes on a busy machine take from us. */
const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
};

interface Timing {
  wall: number;
  cpu: number;
}

/**
 * Runs every task once per round, round after round (after one warm-up round), and returns
 * each task's median wall and CPU time. Interleaving spreads background noise evenly over
 * the tasks being compared. A task may return its own Timing (to time a part of itself).
 */
async function interleavedMedians(runs: number, tasks: Record<string, () => unknown>): Promise<Record<string, Timing>> {
  const times: Record<string, Timing[]> = {};
  for (let round = -1; round < runs; round++) {
    for (const [name, task] of Object.entries(tasks)) {
      const wall = now();
      const cpu = cpuNow();
      const own = await task();
      const timing = isTiming(own) ? own : { wall: now() - wall, cpu: cpuNow() - cpu };
      if (round >= 0) (times[name] ??= []).push(timing);
    }
  }
  const median = (values: number[]) => values.sort((x, y) => x - y)[values.length >> 1];
  return Object.fromEntries(
    Object.entries(times).map(([name, list]) => [name, { wall: median(list.map((t) => t.wall)), cpu: median(list.map((t) => t.cpu)) }]),
  );
}

function isTiming(value: unknown): value is Timing {
  return typeof value === 'object' && value !== null && 'wall' in value && 'cpu' in value;
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

/**
 * Decode + replay with the replay's share timed batch by batch (the batches are hot in
 * cache, as in a real run; timing 32 768 events at a time costs nothing measurable).
 */
async function replayShare(path: string): Promise<Timing> {
  const replayer = new PoolReplayer(POOLS);
  const share: Timing = { wall: 0, cpu: 0 };
  const timed = (body: () => void) => {
    const wall = now();
    const cpu = cpuNow();
    body();
    share.wall += now() - wall;
    share.cpu += cpuNow() - cpu;
  };
  await readTraceFile(path, { consume: (batch) => timed(() => replayer.consume(batch)) });
  timed(() => replayer.result());
  return share;
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
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.memoryUsage.rss() / 2 ** 20))'], {
    encoding: 'utf8',
  });
  return Number(run.stdout);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]);
  const runs = Number(argument('--runs', '7'));
  const sizes = argument('--events', '1000000,10000000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-bench-'));
  const tables: Record<'wall' | 'cpu', Record<string, string>[]> = { wall: [], cpu: [] };
  console.log(
    `node ${process.version}, chunk ${CHUNK / 1024} KiB, median of ${runs} runs, pools (block×capacity) ${POOLS.map((p) => `${p.block}×${p.capacity}`).join(' ')}`,
  );
  console.log(
    `baseline RSS of an empty node process: ${baselineRss().toFixed(0)} MiB; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${cpus().length} CPUs`,
  );
  try {
    for (const events of sizes) {
      const path = join(dir, `trace-${events}.bin`);
      const info = writeWorkloadTrace(path, events, 1);
      const result = await simulateTraceFile(path, POOLS);
      console.log(
        `\n${events.toLocaleString('en')} events, ${(info.bytes / 2 ** 20).toFixed(1)} MiB: ${result.failures} failures, ` +
          `${result.droneStats.sizes.length} sizes, peaks ${result.pools.map((p) => `${p.peak}/${p.capacity}`).join(' ')}`,
      );

      const t = await interleavedMedians(runs, {
        bareAsync: () => barePassAsync(path),
        bareSync: () => barePassSync(path),
        decodeOnly: () => readTraceFile(path, DISCARD),
        statsOnly: () => droneStatsOfFile(path),
        replayOnly: () => replayShare(path),
        endToEnd: () => simulateTraceFile(path, POOLS),
      });
      const rss = childRss(path);
      for (const clock of ['wall', 'cpu'] as const) {
        const ms = (name: string) => t[name][clock];
        const bare = Math.min(ms('bareAsync'), ms('bareSync'));
        const withRate = (name: string) => `${ms(name).toFixed(1)} ms (${(((events / ms(name)) * 1e3) / 1e6).toFixed(0)} M/s)`;
        tables[clock].push({
          events: events.toLocaleString('en'),
          'bare async': `${ms('bareAsync').toFixed(1)} ms`,
          'bare sync': `${ms('bareSync').toFixed(1)} ms`,
          'decode only': withRate('decodeOnly'),
          'stats only': withRate('statsOnly'),
          'replay only': withRate('replayOnly'),
          'decode+replay': withRate('endToEnd'),
          'ratio to bare': `${(ms('endToEnd') / bare).toFixed(2)}×`,
          'peak RSS': `${rss.toFixed(0)} MiB`,
        });
      }
    }
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`traces kept in ${dir}`);
  }
  console.log('\nWall-clock time, median:');
  console.table(tables.wall);
  console.log('\nCPU time of the process (user + system), median — robust against other load on the machine:');
  console.table(tables.cpu);
  console.log('ratio to bare = decode+replay ÷ the faster bare pass (read the file in the same chunks, sum its 32-bit words)');
  console.log("replay only = the replay's share of a decode+replay run, timed batch by batch");
  console.log(
    `load average at the end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${cpus().length} CPUs`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
