// The long fuzz run: many more mutated corpus files than the unit test, with a seed
// from FUZZ_SEED (default: the time) and FUZZ_CASES (default 100000). Prints the seed
// so any failure can be replayed.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { exercise, mutate } from '../test/support/fuzz';
import { mulberry32 } from '../test/support/traceGen';
import { corpusFiles } from '../test/support/paths';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const cases = Number(process.env.FUZZ_CASES ?? 100_000);
const corpus = corpusFiles().map((f) => readFileSync(f, 'utf8'));
const random = mulberry32(seed);
const started = performance.now();
let slowest = 0;
for (let i = 0; i < cases; i++) {
  let text = corpus[i % corpus.length];
  const rounds = 1 + Math.floor(random() * 6);
  for (let r = 0; r < rounds; r++) text = mutate(text, random);
  const t0 = performance.now();
  try {
    exercise(text);
  } catch (error) {
    console.error(`seed ${seed}, case ${i} failed: ${(error as Error).stack}\n--- input ---\n${text}`);
    process.exit(1);
  }
  slowest = Math.max(slowest, performance.now() - t0);
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `seed ${seed}: ${cases} mutated files checked (with fixes and fix-all) in ${seconds.toFixed(1)} s, no failure; slowest case ${slowest.toFixed(2)} ms`,
);
