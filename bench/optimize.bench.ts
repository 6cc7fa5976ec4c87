// Layout optimisation benchmark (`npm run bench -- optimize`). Prints medians of:
//  1. drone mode's split (the dynamic programme alone) for 64, 500 and 2,000 distinct sizes
//     at 8 and 16 pools — target ≤ 100 ms for 500 sizes × 16 pools;
//  2. exact mode end to end (read, search, verify by replay) on a 10M-event trace — target
//     ≤ 5 s — with the time of each phase;
//  3. exact mode's search on traces with 64, 500 and 2,000 distinct sizes (1M events): how
//     long, how many groups it measured, and whether the optimum was proven;
//  4. bytes the trace needs in exact mode vs drone mode on generated traces (the ratio).
//   options: --runs N (default 5)   --events N (default 10000000)   --quick (small traces)

import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { droneSplits } from '../server/src/core/layout/droneSplit';
import { exactSplits } from '../server/src/core/layout/exactSplit';
import { LiveStepCollector } from '../server/src/core/layout/liveSteps';
import { optimizeLayout, type OptimizeResult } from '../server/src/core/layout/optimize';
import { PeakIndex } from '../server/src/core/layout/peakIndex';
import { fileTraceSource } from '../server/src/core/layout/traceSource';
import type { SizeUnit } from '../server/src/core/layout/units';
import { readTraceFile } from '../server/src/core/trace/readTrace';
import { completed } from '../test/support/optimize';
import { mulberry32 } from '../test/support/traceGen';
import { writeWorkloadTrace } from '../test/support/traceWorkload';
import { measure } from './measure';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const quick = process.argv.includes('--quick');
const runs = Number(argument('--runs', quick ? '3' : '5'));
const bigEvents = Number(argument('--events', quick ? '1000000' : '10000000'));
const now = () => performance.now();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Distinct sizes 4, 8, … with loads like a firmware's: many small allocations, few large. */
function syntheticUnits(count: number, seed: number): SizeUnit[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => ({
    size: 4 * (i + 1),
    load: 1 + Math.floor(200 * Math.pow(random(), 3) * (1 - i / count)),
  }));
}

/**
 * A stream-format trace over `distinct` sizes (multiples of 4; small ones far more frequent)
 * whose live set breathes between 8 and ~400 allocations; ~10 % grow/shrink.
 */
function writeSizesTrace(path: string, events: number, distinct: number, seed: number): void {
  const random = mulberry32(seed);
  const pick = () => 4 * (1 + Math.min(distinct - 1, Math.floor(distinct * Math.pow(random(), 2.5))));
  const live = new Uint32Array(1 << 16);
  let liveCount = 0;
  const buffer = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  const fd = openSync(path, 'w');
  let target = 64;
  for (let n = 0; n < events; n++) {
    if ((n & 1023) === 0) target = 8 + Math.floor(random() * 400);
    if (used + 9 > buffer.length) {
      writeSync(fd, buffer, 0, used);
      used = 0;
    }
    const r = random();
    const takeLive = () => {
      const i = Math.floor(random() * liveCount);
      const size = live[i];
      live[i] = live[--liveCount];
      return size;
    };
    if (liveCount === 0 || (r < (liveCount < target ? 0.62 : 0.38) && liveCount < live.length)) {
      const size = pick();
      live[liveCount++] = size;
      buffer[used] = 0;
      buffer.writeUInt32LE(size, used + 1);
      used += 5;
    } else if (r < 0.9) {
      buffer[used] = 1;
      buffer.writeUInt32LE(takeLive(), used + 1);
      used += 5;
    } else {
      const old = takeLive();
      const size = pick();
      live[liveCount++] = size;
      buffer[used] = size >= old ? 2 : 3;
      buffer.writeUInt32LE(old, used + 1);
      buffer.writeUInt32LE(size, used + 5);
      used += 9;
    }
  }
  writeSync(fd, buffer, 0, used);
  closeSync(fd);
}

async function timedOptimize(
  path: string,
  mode: 'exact' | 'drone',
  pools: number,
): Promise<{ result: OptimizeResult; total: number; phases: Record<string, number> }> {
  const start = now();
  const phases: Record<string, number> = {};
  let phase = '';
  let phaseStart = start;
  const result = completed(
    await optimizeLayout(fileTraceSource(path), {
      mode,
      pools,
      target: 'minimal',
      marginPercent: 0,
      onProgress: (p) => {
        if (p.phase === phase) return;
        if (phase) phases[phase] = now() - phaseStart;
        phase = p.phase;
        phaseStart = now();
      },
    }),
  );
  phases[phase] = now() - phaseStart;
  return { result, total: now() - start, phases };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-optimize-bench-'));
  console.log(
    `node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; medians of ${runs} runs`,
  );
  try {
    // 1. Drone mode's dynamic programme.
    const split: Record<string, string>[] = [];
    for (const count of [64, 500, 2000]) {
      const units = syntheticUnits(count, count);
      const row: Record<string, string> = { 'distinct sizes': String(count) };
      for (const pools of [8, 16]) {
        const t = measure(() => droneSplits(units, pools), { warmup: 3, minRuns: 7, minTimeMs: 300 });
        row[`${pools} pools`] = `${t.medianMs.toFixed(2)} ms`;
      }
      split.push(row);
    }
    console.log('\n1. drone mode: optimal split (dynamic programme, all pool counts up to N), median — target ≤ 100 ms for 500 × 16');
    console.table(split);

    // 2. Exact mode end to end on a long trace.
    const big = join(dir, 'workload.bin');
    writeWorkloadTrace(big, bigEvents, 1);
    const totals: number[] = [];
    const phaseTimes: Record<string, number[]> = {};
    let last: OptimizeResult | undefined;
    for (let round = -1; round < runs; round++) {
      const { result, total, phases } = await timedOptimize(big, 'exact', 8);
      if (round < 0) continue; // warm-up
      totals.push(total);
      for (const [name, ms] of Object.entries(phases)) (phaseTimes[name] ??= []).push(ms);
      last = result;
    }
    console.log(
      `\n2. exact mode end to end, ${bigEvents.toLocaleString('en')} events (${last!.trace.distinctSizes} distinct sizes), 8 pools, median — target ≤ 5 s`,
    );
    console.table([
      {
        total: `${median(totals).toFixed(0)} ms`,
        ...Object.fromEntries(Object.entries(phaseTimes).map(([name, list]) => [name, `${median(list).toFixed(0)} ms`])),
        search: last!.search.optimal ? `proven optimal (${last!.search.groupsMeasured} groups measured)` : last!.search.method,
        'failures in the replay': String(last!.verified?.failures),
      },
    ]);

    // 3. Exact search with many distinct sizes.
    const searchRows: Record<string, string>[] = [];
    for (const distinct of [64, 500, 2000]) {
      const path = join(dir, `sizes-${distinct}.bin`);
      writeSizesTrace(path, quick ? 200_000 : 1_000_000, distinct, distinct);
      const collector = new LiveStepCollector();
      await readTraceFile(path, collector);
      const steps = collector.finish();
      for (const pools of [8, 16]) {
        const times: number[] = [];
        let outcome = '';
        for (let round = -1; round < Math.min(runs, 3); round++) {
          const start = now();
          const index = new PeakIndex(steps);
          const search = exactSplits(index, steps.units, steps.unitPeaks, pools, { focus: pools });
          if (round >= 0) times.push(now() - start);
          const split = search.splits[search.splits.length - 1];
          const lowerBound = search.lowerBounds[search.lowerBounds.length - 1];
          const gap = (split.requiredBytes - lowerBound) / lowerBound;
          outcome = search.optimal
            ? `proven optimal, ${search.groupsMeasured} groups measured`
            : `local search, ≤ ${(gap * 100).toFixed(1)}% above the optimum`;
        }
        searchRows.push({
          'distinct sizes': String(steps.units.length),
          events: (quick ? 200_000 : 1_000_000).toLocaleString('en'),
          pools: String(pools),
          'index + search': `${median(times).toFixed(0)} ms`,
          outcome,
        });
      }
    }
    console.log('\n3. exact mode: index + search only (trace already read), median');
    console.table(searchRows);

    // 4. Bytes: exact vs drone.
    const ratioRows: Record<string, string>[] = [];
    const ratios: number[] = [];
    const traces: { name: string; path: string }[] = [];
    for (const seed of [1, 2, 3]) {
      const path = join(dir, `workload-${seed}.bin`);
      writeWorkloadTrace(path, quick ? 200_000 : 1_000_000, seed);
      traces.push({ name: `firmware-like mix, seed ${seed}`, path });
    }
    for (const distinct of [64, 500]) traces.push({ name: `${distinct} distinct sizes`, path: join(dir, `sizes-${distinct}.bin`) });
    for (const { name, path } of traces) {
      for (const pools of [4, 8, 16]) {
        const exact = (await timedOptimize(path, 'exact', pools)).result;
        const ratio = exact.requiredBytes / exact.drone!.requiredBytes;
        ratios.push(ratio);
        ratioRows.push({
          trace: name,
          pools: String(pools),
          'drone mode': `${exact.drone!.requiredBytes} B`,
          'exact mode': `${exact.requiredBytes} B${exact.pools.length < pools ? ` (${exact.pools.length} pools)` : ''}`,
          'exact ÷ drone': ratio.toFixed(3),
          'drone layout replay': exact.drone!.verified?.failures ? `${exact.drone!.verified.failures} failures` : 'serves',
        });
      }
    }
    console.log('\n4. bytes the trace needs: exact mode vs drone mode (tight layouts, no margin)');
    console.table(ratioRows);
    console.log(`median ratio exact ÷ drone: ${median(ratios).toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `load average at the end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
