// End to end: what a user waits for. Each CLI command on a large stream-format trace, run as
// users run it (`node dist/cli.js …` in a child process, JSON to a pipe that is drained), timed
// from spawn to exit, against a bare `node` pass that reads the same file and sums its 32-bit
// words (the cost of just reading the trace). Peak RSS and CPU time (all threads: compare and
// optimize use helper threads on a multi-core machine) of each child from its own
// process.resourceUsage() (a preload writes them on exit). Issue 13's table:
//   npm run bench -- endToEnd                    10M events (median of 5) and 100M (one run)
//   DRONE_HEAP_BENCH_SKIP_100M=1 npm run bench -- endToEnd
//   DRONE_HEAP_BENCH_CLI=/tmp/cli-old.js npm run bench -- endToEnd   another build (before/after)
// The traces are generated here, deterministically, into a cache folder (not the repository):
// 10M events of 600 distinct sizes (4..2400 B, small ones far more frequent), a live set that
// breathes between a few and ~300 blocks, ~15 % grow/shrink, every block freed at the end (so
// the 100M trace is the 10M one ten times over); a Drone.toml with five pools serves it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mulberry32 } from '../test/support/traceGen';
import { writeLiveSetWalk } from '../test/support/traceWorkload';

const ROOT = resolve(__dirname, '..', '..');
/** The build to measure: dist/cli.js, or another (DRONE_HEAP_BENCH_CLI=/tmp/cli-old.js) to compare builds under the same conditions. */
const CLI = process.env.DRONE_HEAP_BENCH_CLI ? resolve(process.env.DRONE_HEAP_BENCH_CLI) : join(ROOT, 'dist', 'cli.js');
const CACHE = join(process.env.DRONE_HEAP_BENCH_CACHE ?? join(tmpdir(), 'drone-heap-bench-e2e'));
const EVENTS = 10_000_000;
const DISTINCT_SIZES = 600;

const POOLS = [
  { block: 64, capacity: 260 },
  { block: 256, capacity: 90 },
  { block: 768, capacity: 24 },
  { block: 1536, capacity: 8 },
  { block: 2400, capacity: 4 },
];

/** Writes the 10M trace; returns its path (reused when it is already there). */
function writeTrace(): string {
  const path = join(CACHE, `e2e-${EVENTS}.trace`);
  if (existsSync(path) && statSync(path).size > 0 && existsSync(`${path}.done`)) return path;
  const random = mulberry32(13);
  // Sizes 4, 8, … 2400; the k-th is picked with weight ∝ 1/(k+3)^1.3: small sizes dominate.
  const sizes = Array.from({ length: DISTINCT_SIZES }, (_, k) => 4 * (k + 1));
  const cumulative = new Float64Array(DISTINCT_SIZES);
  let total = 0;
  sizes.forEach((_, k) => (cumulative[k] = total += 1 / Math.pow(k + 3, 1.3)));
  const pickSize = () => {
    const r = random() * total;
    let lo = 0;
    let hi = DISTINCT_SIZES - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return sizes[lo];
  };
  const { events } = writeLiveSetWalk(path, EVENTS, random, {
    pickSize,
    target: { min: 4, span: 300 },
    maxSize: 2400,
    shrink: (old) => Math.max(4, (old >>> 1) & ~3),
    balanced: true,
  });
  writeFileSync(`${path}.done`, String(events));
  return path;
}

/** The 10M trace ten times over (balanced, so each copy starts from an empty heap). */
function writeTenTimes(path10M: string): string {
  const path = join(CACHE, `e2e-${EVENTS * 10}.trace`);
  if (existsSync(`${path}.done`)) return path;
  const bytes = readFileSync(path10M);
  const fd = openSync(path, 'w');
  for (let i = 0; i < 10; i++) writeSync(fd, bytes);
  closeSync(fd);
  writeFileSync(`${path}.done`, '10');
  return path;
}

/** Writes the preload that reports a child's peak RSS and CPU time on exit, and the Drone.toml. */
function writeSupport(): { preload: string; config: string; bareRead: string } {
  mkdirSync(CACHE, { recursive: true });
  const preload = join(CACHE, 'report-rss.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => { try { const u = process.resourceUsage(); require('node:fs').writeFileSync(process.env.DRONE_HEAP_BENCH_RSS, u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime)); } catch {} });\n`,
  );
  const size = POOLS.reduce((s, p) => s + p.block * p.capacity, 0);
  const config = join(CACHE, 'Drone.toml');
  writeFileSync(
    config,
    `[memory.ram]\nsize = "256K"\norigin = 0x20000000\n\n[heap.main]\nsize = "${size}"\npools = [\n` +
      POOLS.map((p) => `    { block = "${p.block}", capacity = ${p.capacity} },\n`).join('') +
      ']\n',
  );
  // The floor: read the file in 1 MiB pieces and sum its 32-bit words (what any reader must do).
  const bareRead = join(CACHE, 'bare-read.cjs');
  writeFileSync(
    bareRead,
    `const fs = require('node:fs');
const fd = fs.openSync(process.argv[2], 'r');
const buffer = Buffer.allocUnsafe(1 << 20);
let sum = 0, n;
while ((n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0) {
  const words = new Uint32Array(buffer.buffer, buffer.byteOffset, n >>> 2);
  for (let i = 0; i < words.length; i++) sum = (sum + words[i]) >>> 0;
}
process.stdout.write(String(sum) + '\\n');
`,
  );
  return { preload, config, bareRead };
}

interface Run {
  ms: number;
  rssMB: number;
  /** CPU time of every thread of the child (user + system). */
  cpuMs: number;
  status: number | null;
  outputBytes: number;
}

function runOnce(args: string[], preload: string): Promise<Run> {
  const rssFile = join(CACHE, `rss-${process.pid}.txt`);
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', preload, ...args], {
      cwd: CACHE,
      env: { ...process.env, DRONE_HEAP_BENCH_RSS: rssFile },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let outputBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (outputBytes += chunk.length));
    child.on('error', reject);
    child.on('close', (status) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const [rssKB, cpuMicros] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
      resolvePromise({ ms, rssMB: rssKB / 1024, cpuMs: cpuMicros / 1000, status, outputBytes });
    });
  });
}

async function median(args: string[], preload: string, runs: number): Promise<Run> {
  const samples: Run[] = [];
  for (let i = 0; i < runs; i++) samples.push(await runOnce(args, preload));
  samples.sort((a, b) => a.ms - b.ms);
  const middle = samples[Math.floor(samples.length / 2)];
  return { ...middle, rssMB: Math.max(...samples.map((s) => s.rssMB)) };
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const { preload, config, bareRead } = writeSupport();
  const t0 = Date.now();
  const trace10M = writeTrace();
  console.log(`cli: ${CLI}`);
  console.log(`trace: ${trace10M} (${(statSync(trace10M).size / 1e6).toFixed(1)} MB, written or reused in ${Date.now() - t0} ms)`);
  console.log(
    `load before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (1, 5, 15 min) on ${cpus().length} cores`,
  );
  const commands: [string, string[]][] = [
    ['bare read', [bareRead]],
    ['simulate --json', [CLI, 'simulate', '--config', config, '--json']],
    ['compare --json', [CLI, 'compare', '--config', config, '--json']],
    ['optimize --minimal --json', [CLI, 'optimize', '--config', config, '--minimal', '--json']],
    ['stats --json', [CLI, 'stats', '--json']],
  ];
  const sizes: [string, string, number][] = [['10M', trace10M, 5]];
  if (!process.env.DRONE_HEAP_BENCH_SKIP_100M) sizes.push(['100M', writeTenTimes(trace10M), 1]);
  for (const [label, trace, runs] of sizes) {
    console.log(`\n${label} events, ${(statSync(trace).size / 1e6).toFixed(0)} MB, ${runs === 1 ? 'one run' : `median of ${runs}`}:`);
    const rows: Record<string, string | number>[] = [];
    let bare = 0;
    for (const [name, args] of commands) {
      if (label === '100M' && (name === 'compare --json' || name === 'stats --json')) continue;
      const withTrace = name === 'bare read' ? [...args, trace] : [...args, '--trace', trace];
      const run = await median(withTrace, preload, runs);
      if (name === 'bare read') bare = run.ms;
      rows.push({
        command: name,
        'time ms': Math.round(run.ms),
        '× bare read': (run.ms / bare).toFixed(1),
        'CPU ms': Math.round(run.cpuMs),
        'peak RSS MB': Math.round(run.rssMB),
        exit: run.status ?? 'signal',
        'output B': run.outputBytes,
      });
    }
    console.table(rows);
  }
  console.log(
    `load after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${new Date().toISOString()}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
