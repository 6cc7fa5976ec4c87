// `drone-heap compare` on the fallback fixture, run as a child process.
import { strict as assert } from 'node:assert';
import { PARALLEL_MIN_BYTES } from '../../server/src/threads/helperThread';
import { projectWith as project, runCli as run, runCliBothWays } from '../support/cli';
import { writeWorkloadTrace } from '../support/traceWorkload';
import { FIXTURES, REPO_ROOT } from '../support/paths';
import { join } from 'node:path';

const FALLBACK = join(FIXTURES, 'traces', 'fallback.txt');

const TWO_POOLS =
  '[memory.ram]\nsize = "20K"\norigin = 0x20000000\n\n[heap.main]\nsize = "80"\npools = [\n    { block = "16", capacity = 1 },\n    { block = "32", capacity = 2 },\n]\n';

describe('drone-heap compare', () => {
  // fallback.txt: alloc 8, 8, 20, 20 on an 80-byte heap.
  //  - Drone [16×1, 32×2]: the 4th fails (e3), peak reserved 80 at e2.
  //  - best fit: 8 + 8 + 20 + 20 = 56 B ≤ 80: served, peak 56 at e3, 24 B free in one run.
  //  - defrag (+8 B each): 16 + 16 + 28 = 60 B, then 28 B > 20 B free → out of memory at e3;
  //    peak 60 at e2 with the 20-byte tail free. Compaction cannot help (not fragmented).
  it('prints one JSON object with the three allocators and exits 0 even with failures', () => {
    const result = run(['compare', '--trace', FALLBACK, '--json'], project(TWO_POOLS));
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.heapBytes, 80);
    assert.deepEqual([json.drone.failures, json.drone.firstFailure, json.drone.peakBytesInUse, json.drone.peakAt], [1, 3, 80, 2]);
    assert.equal(json.drone.series, undefined);
    const pick = (m: Record<string, unknown>) => [
      m.failures,
      m.firstFailure,
      m.peakBytesInUse,
      m.peakAt,
      m.largestFreeRunAtPeak,
      m.maxExternalFragmentation,
    ];
    assert.deepEqual(pick(json.bestFit), [0, null, 56, 3, 24, 0]);
    assert.deepEqual(pick(json.defrag), [1, 3, 60, 2, 20, 0]);
    assert.deepEqual(json.defrag.failureKinds, { outOfMemory: 1, outOfIndexes: 0, fragmented: 0 });
    assert.equal(json.defrag.indexes, 256);
    assert.deepEqual([json.defragCompacting.compactions, json.defragCompacting.bytesMoved, json.defragCompacting.failures], [0, 0, 1]);
    assert.equal(json.bestFit.series, undefined, 'the chart series is left out');
  });

  it('limits the defrag indexes with --indexes', () => {
    const json = JSON.parse(run(['compare', '--trace', FALLBACK, '--json', '--indexes', '2'], project(TWO_POOLS)).stdout);
    // Two blocks live at e1; e2 and e3 find no index.
    assert.deepEqual([json.defrag.failures, json.defrag.firstFailure, json.defrag.indexes], [2, 2, 2]);
    assert.deepEqual(json.defrag.failureKinds, { outOfMemory: 0, outOfIndexes: 2, fragmented: 0 });
  });

  it('prints a side-by-side table', () => {
    const result = run(['compare', '--trace', FALLBACK], project(TWO_POOLS));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^.*fallback\.txt: plain-text heap trace, 4 events\n/);
    assert.match(result.stdout, /heap\.main in Drone\.toml: 80 B; Drone's pools hold 80 B in 2 pools/);
    assert.match(
      result.stdout,
      /allocator +failures +first failure +peak in use +largest free run at peak +max ext\. frag\. +failure kinds\n/,
    );
    assert.match(result.stdout, / drone pools +1 +event 3 +80 B \(100\.0%\) +— +—\n/);
    assert.match(result.stdout, / best fit +0 +— +56 B \(70\.0%\) +24 B +0\.0%\n/);
    assert.match(result.stdout, /defrag \(256 indexes\) +1 +event 3 +60 B \(75\.0%\) +20 B +0\.0% +1 out of memory/);
    assert.match(result.stdout, /defrag with compaction: 0 compactions moved 0 B; 1 failure left/);
  });

  it('exits 2 on unusable input', () => {
    const dir = project(TWO_POOLS);
    const missing = run(['compare', '--trace', 'nope'], dir);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'drone-heap: cannot read nope: no such file\n');
    const noTrace = run(['compare'], dir);
    assert.equal(noTrace.status, 2);
    assert.match(noTrace.stderr, /--trace FILE is required/);
    const notATrace = run(['compare', '--trace', 'Drone.toml'], dir);
    assert.equal(notATrace.status, 2);
    assert.match(notATrace.stderr, /Drone\.toml is not a heap trace this tool knows/);
    const noHeap = run(['compare', '--heap', 'dma', '--trace', FALLBACK], dir);
    assert.equal(noHeap.status, 2);
    assert.equal(noHeap.stderr, 'drone-heap: Drone.toml has no heap "dma" (heaps: main)\n');
    const badIndexes = run(['compare', '--trace', FALLBACK, '--indexes', 'many'], dir);
    assert.equal(badIndexes.status, 2);
    assert.match(badIndexes.stderr, /--indexes needs a whole number/);
    const broken = run(['compare', '--trace', FALLBACK], project(TWO_POOLS.replace('capacity = 1 }', 'capacity = "x" }')));
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /the pools of heap\.main in Drone\.toml are not usable/);
  });

  it('is listed in the usage text', () => {
    const result = run(['--help'], REPO_ROOT);
    assert.match(result.stdout, /compare --trace FILE/);
    assert.match(run(['compare', '--help'], REPO_ROOT).stdout, /^Usage: drone-heap compare --trace FILE/);
  });
});

describe('drone-heap compare on a large trace (helper threads)', () => {
  it('prints the same bytes as in one thread (DRONE_HEAP_THREADS=1)', function () {
    this.timeout(120_000);
    const dir = project(TWO_POOLS.replace('size = "80"', 'size = "8K"'));
    const trace = join(dir, 'heaptrace');
    const { bytes } = writeWorkloadTrace(trace, 900_000, 3);
    assert.ok(bytes >= PARALLEL_MIN_BYTES, `${bytes} B: large enough for the helper threads`);
    const { threads: two, oneThread: one } = runCliBothWays(['compare', '--trace', trace, '--json'], dir);
    assert.equal(two.status, 0, two.stderr);
    assert.equal(two.stderr, '');
    assert.equal(two.stdout, one.stdout);
    const json = JSON.parse(two.stdout);
    assert.ok(json.defrag.events > 800_000 && json.defragCompacting.events === json.drone.events);
  });
});
