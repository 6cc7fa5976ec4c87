// `drone-heap stats` and `drone-heap simulate` on fixture traces, run as a child process.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { projectWith as project, runCli as run } from '../support/cli';
import { FIXTURES, REPO_ROOT } from '../support/paths';
import { join } from 'node:path';
import { encodeXor014, parseScenario } from '../support/traceGen';

const FALLBACK = join(FIXTURES, 'traces', 'fallback.txt');

const TWO_POOLS =
  '[memory.ram]\nsize = "20K"\norigin = 0x20000000\n\n[heap.main]\nsize = "80"\npools = [\n    { block = "16", capacity = 1 },\n    { block = "32", capacity = 2 },\n]\n';

describe('drone-heap simulate', () => {
  it('prints the documented JSON and exits 1 when the trace causes failures', () => {
    const dir = project(TWO_POOLS);
    const result = run(['simulate', '--trace', FALLBACK, '--json'], dir);
    assert.equal(result.status, 1, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.format, 'text');
    assert.equal(json.events, 4);
    assert.equal(json.failures, 1);
    assert.equal(json.firstFailure, 3);
    assert.equal(json.unmatchedFrees, 0);
    assert.deepEqual(
      json.pools.map((p: Record<string, number>) => [p.block, p.capacity, p.peak, p.allocations, p.overflowIn, p.failures]),
      [
        [16, 1, 1, 1, 0, 0],
        [32, 2, 2, 2, 1, 1],
      ],
    );
    assert.equal(json.series, undefined, 'the chart series is left out');
  });

  it('prints a table and exits 0 when the trace is served', () => {
    const dir = project(TWO_POOLS.replace('size = "80"', 'size = "112"').replace('capacity = 2 }', 'capacity = 3 }'));
    const result = run(['simulate', '--trace', FALLBACK], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^.*fallback\.txt: plain-text heap trace, 4 events\n/);
    assert.ok(
      result.stdout.includes(
        '   32         3     3  100.0%            3            1         0          48 B           0  ⚠ 1 overflowed in\n',
      ),
      result.stdout,
    );
    assert.match(result.stdout, /served: no allocation failed/);
  });

  it('picks the heap with --heap and the file with --config', () => {
    const dir = project(
      '[memory.ram]\nsize = "20K"\norigin = 0x20000000\n[heap.main]\nsize = "16"\npools = [{ block = "16", capacity = 1 }]\n[heap.dma]\norigin = 0x20000000\nsize = "128"\npools = [{ block = "32", capacity = 4 }]\n',
    );
    writeFileSync(join(dir, 'Other.toml'), readFileSync(join(dir, 'Drone.toml')));
    const result = run(['simulate', '--config', 'Other.toml', '--heap', 'dma', '--trace', FALLBACK, '--json'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(
      JSON.parse(result.stdout).pools.map((p: { peak: number }) => p.peak),
      [4],
    );
  });

  it('warns that 0.14 sizes are lossy whenever it reads that format', () => {
    const dir = project(TWO_POOLS);
    writeFileSync(join(dir, 'heaptrace'), encodeXor014(parseScenario(readFileSync(FALLBACK, 'utf8'))));
    const result = run(['simulate', '--trace', 'heaptrace'], dir);
    assert.match(result.stdout, /drone-core 0\.12–0\.14 heap trace/);
    assert.match(result.stdout, /warning: .*drops bits 8–23/);
  });

  it('exits 2 with a clear message on unusable input', () => {
    const dir = project(TWO_POOLS);
    const missingTrace = run(['simulate', '--trace', 'nope'], dir);
    assert.equal(missingTrace.status, 2);
    assert.equal(missingTrace.stderr, 'drone-heap: cannot read nope: no such file\n');
    const noTrace = run(['simulate'], dir);
    assert.equal(noTrace.status, 2);
    assert.match(noTrace.stderr, /--trace FILE is required/);
    const notATrace = run(['simulate', '--trace', 'Drone.toml'], dir);
    assert.equal(notATrace.status, 2);
    assert.match(notATrace.stderr, /Drone\.toml is not a heap trace this tool knows/);
    const noHeap = run(['simulate', '--heap', 'dma', '--trace', FALLBACK], dir);
    assert.equal(noHeap.status, 2);
    assert.equal(noHeap.stderr, 'drone-heap: Drone.toml has no heap "dma" (heaps: main)\n');
    const broken = project(TWO_POOLS.replace('capacity = 1 }', 'capacity = "x" }'));
    const badPools = run(['simulate', '--trace', FALLBACK], broken);
    assert.equal(badPools.status, 2);
    assert.match(badPools.stderr, /the pools of heap\.main in Drone\.toml are not usable:\n {2}Drone\.toml:8: The capacity of pool 1/);
  });
});

describe('drone-heap stats', () => {
  it("prints Drone's per-size table and maximum heap load", () => {
    const result = run(['stats', '--trace', FALLBACK], REPO_ROOT);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /size {2}max load {2}allocations\n {3}8 {9}2 {12}2\n {2}20 {9}2 {12}2\n/);
    assert.match(result.stdout, /maximum heap load: 56 B/);
  });

  it('prints JSON', () => {
    const json = JSON.parse(run(['stats', '--trace', FALLBACK, '--json'], REPO_ROOT).stdout);
    assert.deepEqual(json.sizes, [
      { size: 8, maxLoad: 2, allocations: 2 },
      { size: 20, maxLoad: 2, allocations: 2 },
    ]);
    assert.equal(json.maximumHeapLoad, 56);
    assert.equal(json.format, 'text');
  });
});

describe('drone-heap with a trace that is not a regular file', () => {
  // Before, `stats --trace /dev/zero` decoded zeros forever and a FIFO blocked in open().
  const fifoDir = mkdtempSync(join(tmpdir(), 'drone-heap-fifo-'));
  const fifo = join(fifoDir, 'capture');
  before(() => execFileSync('mkfifo', [fifo]));
  after(() => rmSync(fifoDir, { recursive: true, force: true }));
  const cases: [string, string][] = [
    ['/dev/zero', 'a character device'],
    [fifo, 'a FIFO (named pipe)'],
    [fifoDir, 'a directory'],
  ];

  for (const command of ['stats', 'simulate', 'optimize', 'compare']) {
    it(`${command} refuses devices, FIFOs and directories at once with exit status 2`, () => {
      const dir = project(TWO_POOLS);
      for (const [path, kind] of cases) {
        const result = run([command, '--trace', path], dir);
        assert.equal(result.status, 2, `${path}: ${result.stderr}`);
        assert.equal(result.stderr, `drone-heap: cannot read ${path}: it is ${kind}, not a regular file\n`);
        assert.equal(result.stdout, '');
      }
    });
  }

  it('check and --config refuse them too', () => {
    for (const [path, kind] of cases) {
      const message = `drone-heap: cannot read ${path}: it is ${kind}, not a regular file\n`;
      assert.deepEqual(run(['check', path]), { status: 2, stdout: '', stderr: message });
      const simulate = run(['simulate', '--config', path, '--trace', FALLBACK]);
      assert.deepEqual([simulate.status, simulate.stderr], [2, message]);
    }
  });
});
