// The heap view's summary of a heap and its replay: strip (order, addresses, source lines),
// table figures, series, histogram, trace state, the heap's own errors, and which heap the
// cursor is in.
import * as assert from 'node:assert/strict';
import { checkDroneToml } from '../../../server/src/core/checks/index';
import type { HeapConfig } from '../../../server/src/core/config/droneConfig';
import type { ReplayResult } from '../../../server/src/core/replay/result';
import { simulateTraceBytes } from '../../../server/src/core/replay/simulate';
import { heapAt, pickHeap, summariseHeapView, type HeapViewTraceInput } from '../../../server/src/core/view/heapView';

const TOML = `[memory.ram]
size = "20K"
origin = 0x20000000

[memory.sram2]
size = "4K"
origin = 0x30000000

[heap.main]
size = "1K"
pools = [
    { block = "32", capacity = 8 },
    { block = "8", capacity = 32 },
    { block = "64", capacity = 8 },
]

# DMA buffers live in SRAM2.

[heap.dma]
origin = 0x30000000
size = "512"
pools = [{ block = "128", capacity = 4 }]
`;

const TRACE = `alloc 5
alloc 5
alloc 30
alloc 60
alloc 100
free 30
alloc 0
alloc 7
`;

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
const offsetOf = (text: string, needle: string) => text.indexOf(needle);
const DONE: HeapViewTraceInput = {
  state: 'done',
  tracePath: '/work/p/heaptrace',
  progress: 1,
  message: 'heaptrace: plain-text heap trace, 8 events',
};

function analyse(text = TOML) {
  const checked = checkDroneToml(text);
  assert.ok(checked.parse.ok);
  return { ...checked, config: checked.parse.config };
}

function replayOf(heap: HeapConfig, trace = TRACE): ReplayResult {
  const pools = heap.pools!.items.map((p) => ({ block: p.block!.bytes!, capacity: p.capacity!.value! }));
  return simulateTraceBytes(new TextEncoder().encode(trace), pools);
}

describe('heap view: summary of a heap and its replay', () => {
  const { parse, findings, config } = analyse();
  const main = config.heaps.find((h) => h.name === 'main')!;
  const result = replayOf(main);
  const view = summariseHeapView({ uri: 'file:///p/Drone.toml', parse, findings, heap: main, status: DONE, result, buckets: 500 });

  it('lists the heaps and shows the one asked for', () => {
    assert.equal(view.state, 'heap');
    assert.deepEqual(view.heaps, [
      { name: 'main', qualifiedName: 'heap.main' },
      { name: 'dma', qualifiedName: 'heap.dma' },
    ]);
    assert.equal(view.heap?.qualifiedName, 'heap.main');
    assert.equal(view.heap?.range.start.line, lineOf(TOML, '[heap.main]'));
    assert.deepEqual(view.errors, []);
  });

  it("lays the strip out in memory order (ascending block) at the end of RAM, with each pool's line", () => {
    const heap = view.heap!;
    assert.deepEqual(heap.address, { start: 0x20005000 - 1024, end: 0x20005000 });
    assert.equal(heap.size, 1024);
    assert.equal(heap.poolSum, 1024);
    assert.equal(heap.poolsComplete, true);
    assert.deepEqual(
      heap.pools.map((p) => [p.index, p.block, p.capacity, p.bytes, p.share, p.address, p.range.start.line]),
      [
        [1, 8, 32, 256, 0.25, { start: 0x20004c00, end: 0x20004d00 }, lineOf(TOML, '"8"')],
        [0, 32, 8, 256, 0.25, { start: 0x20004d00, end: 0x20004e00 }, lineOf(TOML, '"32"')],
        [2, 64, 8, 512, 0.5, { start: 0x20004e00, end: 0x20005000 }, lineOf(TOML, '"64"')],
      ],
    );
  });

  it('gives each pool its figures from the replay', () => {
    view.heap!.pools.forEach((pool, i) => {
      const report = result.pools[i];
      assert.equal(report.block, pool.block);
      assert.deepEqual(pool.trace, {
        peak: report.peak,
        peakAt: report.peakAt,
        peakShare: report.peak / report.capacity,
        allocations: report.allocations,
        overflowIn: report.overflowIn,
        failures: report.failures,
        fragmentation: report.fragmentationAtHeapPeak,
        neverUsed: report.neverUsed,
        unusedBytes: report.neverUsed * report.block,
        sizes: report.sizes,
        sizesOmittedCount: report.sizesOmittedCount,
      });
    });
    // alloc 5, 5, 7 → the 8 B pool; 30 → 32 B; 60 → 64 B; 100 fails (too large).
    assert.deepEqual(
      view.heap!.pools.map((p) => p.trace!.allocations),
      [3, 1, 1],
    );
  });

  it('carries the heap-wide figures, the series and the histogram', () => {
    assert.equal(view.trace?.state, 'done');
    assert.equal(view.trace?.traceName, 'heaptrace');
    assert.equal(view.replay?.format, 'text');
    assert.equal(view.replay?.formatDescription, 'plain-text heap trace');
    assert.equal(view.replay?.events, 8);
    assert.equal(view.replay?.failures, 1);
    assert.equal(view.replay?.failuresTooLarge, 1);
    assert.equal(view.replay?.zeroSizeRequests, 1);
    assert.equal(view.replay?.peakReservedBytes, result.peakReservedBytes);
    const series = view.series!;
    assert.equal(series.events, 8);
    assert.equal(series.buckets, result.series.buckets);
    assert.deepEqual(
      series.pools.map((p) => [p.block, p.capacity]),
      [
        [8, 32],
        [32, 8],
        [64, 8],
      ],
    );
    assert.deepEqual(series.pools[0].max, result.series.pools[0].max);
    assert.deepEqual(series.failureIndices, [4]);
    assert.equal(series.failureCount, 1);
    assert.equal(series.peakAt, result.peakReservedAt);
    const histogram = view.histogram!;
    assert.deepEqual(histogram.blocks, [8, 32, 64]);
    assert.deepEqual(histogram.zeroSize, { allocations: 1, peakLive: 1 });
    assert.deepEqual(
      histogram.bins.map((b) => [b.from, b.pool, b.allocations]),
      [
        [5, 0, 2],
        [7, 0, 1],
        [30, 1, 1],
        [60, 2, 1],
        [100, null, 1],
      ],
    );
    assert.equal(view.compare, null);
  });

  it('downsamples the series to the buckets asked for', () => {
    const long = Array.from({ length: 5000 }, (_, i) => (i % 2 ? 'free 5' : 'alloc 5')).join('\n');
    const big = replayOf(main, long);
    const small = summariseHeapView({ uri: 'u', parse, findings, heap: main, status: DONE, result: big, buckets: 100 });
    assert.ok(big.series.buckets > 100);
    assert.ok(small.series!.buckets <= 100);
    assert.equal(Math.max(...small.series!.pools[0].max), 1);
  });

  it('passes the compare figures through when the optimiser gives them', () => {
    const figures = {
      pools: [{ block: 8, capacity: 4 }],
      size: 32,
      failures: 0,
      peakReservedBytes: 24,
      fragmentation: 3,
      requiredBytes: 32,
    };
    const compare = { current: { ...figures, failures: 2 }, proposed: figures, unchanged: false };
    assert.deepEqual(
      summariseHeapView({ uri: 'u', parse, findings, heap: main, status: DONE, result, buckets: 10, compare }).compare,
      compare,
    );
  });

  it('without a trace: the strip and the status, no figures', () => {
    const status: HeapViewTraceInput = { state: 'no-trace', tracePath: '/p/heaptrace', progress: 0, message: 'No trace at /p/heaptrace.' };
    const empty = summariseHeapView({ uri: 'u', parse, findings, heap: main, status, result: null, buckets: 10 });
    assert.equal(empty.state, 'heap');
    assert.equal(empty.trace?.state, 'no-trace');
    assert.equal(empty.heap?.pools.length, 3);
    assert.ok(empty.heap!.pools.every((p) => p.trace === null));
    assert.equal(empty.replay, null);
    assert.equal(empty.series, null);
    assert.equal(empty.histogram, null);
  });

  it('ignores a replay of another layout (stale while the new one runs)', () => {
    const dma = config.heaps.find((h) => h.name === 'dma')!;
    const stale = summariseHeapView({ uri: 'u', parse, findings, heap: dma, status: DONE, result, buckets: 10 });
    assert.equal(stale.replay, null);
    assert.equal(stale.heap?.pools[0].trace, null);
    assert.deepEqual(stale.heap?.address, { start: 0x30000000, end: 0x30000200 });
  });

  it('reports the errors of the heap itself, with their ranges, and only those', () => {
    const broken = TOML.replace('size = "1K"', 'size = "2K"').replace(
      '{ block = "128", capacity = 4 }',
      '{ block = "128", capacity = 4, colour = 1 }',
    );
    const a = analyse(broken);
    const mainView = summariseHeapView({
      uri: 'u',
      parse: a.parse,
      findings: a.findings,
      heap: a.config.heaps[0],
      status: null,
      result: null,
      buckets: 10,
    });
    assert.deepEqual(
      mainView.errors.map((e) => [e.code, e.severity, e.range.start.line]),
      [['pool-sum-mismatch', 'error', lineOf(broken, 'size = "2K"')]],
    );
    const dmaView = summariseHeapView({
      uri: 'u',
      parse: a.parse,
      findings: a.findings,
      heap: a.config.heaps[1],
      status: null,
      result: null,
      buckets: 10,
    });
    assert.deepEqual(
      dmaView.errors.map((e) => [e.code, e.severity]),
      [['unknown-key', 'warning']],
    );
  });

  it('shows the pools it can when some are invalid', () => {
    const broken = TOML.replace('{ block = "32", capacity = 8 }', '{ block = "32k", capacity = 8 }');
    const a = analyse(broken);
    const v = summariseHeapView({
      uri: 'u',
      parse: a.parse,
      findings: a.findings,
      heap: a.config.heaps[0],
      status: null,
      result: null,
      buckets: 10,
    });
    assert.equal(v.heap?.poolsComplete, false);
    assert.deepEqual(
      v.heap?.pools.map((p) => [p.block, p.address]),
      [
        [8, null],
        [64, null],
      ],
    );
    assert.equal(v.heap?.poolSum, null);
    assert.ok(v.errors.some((e) => e.code === 'invalid-size' && e.severity === 'error'));
  });

  it('a syntax error and a file without heaps have their own states', () => {
    const bad = checkDroneToml('[heap.main]\nsize = "10K\n');
    const v = summariseHeapView({
      uri: 'u',
      parse: bad.parse,
      findings: bad.findings,
      heap: undefined,
      status: null,
      result: null,
      buckets: 10,
    });
    assert.equal(v.state, 'syntax-error');
    assert.equal(v.errors[0].code, 'toml-syntax');
    assert.equal(v.errors[0].range.start.line, 1);
    const none = checkDroneToml('[memory.ram]\nsize = "20K"\norigin = 0x20000000\n');
    assert.ok(none.parse.ok);
    const w = summariseHeapView({
      uri: 'u',
      parse: none.parse,
      findings: none.findings,
      heap: pickHeap(none.parse.config, null, 0),
      status: null,
      result: null,
      buckets: 10,
    });
    assert.equal(w.state, 'no-heap');
    assert.deepEqual(w.heaps, []);
  });
});

describe('heap view: the heap under the cursor', () => {
  const { config } = analyse();
  const name = (offset: number) => heapAt(config, offset)?.name ?? null;

  it('finds the heap from its header, keys, pools, and the comment and blank lines of its section', () => {
    assert.equal(name(offsetOf(TOML, '[heap.main]') + 3), 'main');
    assert.equal(name(offsetOf(TOML, '"8"')), 'main');
    assert.equal(name(offsetOf(TOML, ']\n\n# DMA') + 1), 'main'); // the blank line after the pools
    assert.equal(name(offsetOf(TOML, '# DMA') + 4), 'main'); // a comment still in [heap.main]'s section
    assert.equal(name(offsetOf(TOML, 'origin = 0x30000000\nsize')), 'dma');
    assert.equal(name(offsetOf(TOML, '"128"')), 'dma');
    assert.equal(name(offsetOf(TOML, '[memory.ram]')), null);
    assert.equal(name(offsetOf(TOML, 'origin = 0x20000000')), null);
  });

  it("picks the cursor's heap, else the preferred one, else main, else the first", () => {
    assert.equal(pickHeap(config, 'main', offsetOf(TOML, '"128"'))?.name, 'dma');
    assert.equal(pickHeap(config, 'dma', offsetOf(TOML, '[memory.ram]'))?.name, 'dma');
    assert.equal(pickHeap(config, 'dma', null)?.name, 'dma');
    assert.equal(pickHeap(config, 'nope', null)?.name, 'main');
    const only = analyse('[heap.dma]\norigin = 0\nsize = "8"\npools = [{ block = "8", capacity = 1 }]\n');
    assert.equal(pickHeap(only.config, null, null)?.name, 'dma');
  });
});
