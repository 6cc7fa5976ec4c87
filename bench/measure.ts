// Timing helpers for benchmarks: warm up, then report the median of many runs.
import { performance } from 'node:perf_hooks';

export interface Timing {
  medianMs: number;
  minMs: number;
  runs: number;
}

/** Runs `fn` until `minRuns` runs and `minTimeMs` have passed (after warm-up); returns the median. */
export function measure(fn: () => void, { warmup = 200, minRuns = 100, minTimeMs = 1000 } = {}): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < minRuns || performance.now() - started < minTimeMs) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)], minMs: samples[0], runs: samples.length };
}

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows);
}
