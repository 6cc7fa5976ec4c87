// The conversions core → wire (server/src/features/wire) on real results. Before protocol/
// had types of its own, the server sent the core objects as they were; the wire copies must
// serialise to exactly the same JSON, key order included, so that no client sees a change.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { optimizeLayout } from '../../../server/src/core/layout/optimize';
import { bytesTraceSource } from '../../../server/src/core/layout/traceSource';
import { completed } from '../../support/optimize';
import type { PoolSpec } from '../../../server/src/core/replay/result';
import { simulateTraceBytes } from '../../../server/src/core/replay/simulate';
import { toWireHeapViewData } from '../../../server/src/features/wire/heapView';
import type { HeapViewData } from '../../../protocol/heapView';
import { toWireOptimizeResult } from '../../../server/src/features/wire/optimize';
import { toWireReplayResult } from '../../../server/src/features/wire/replay';
import { toWireTraceStatusParams } from '../../../server/src/features/wire/traceStatus';
import type { DocumentTraceStatus } from '../../../server/src/trace/heapStatus';
import { FIXTURES, REPO_ROOT } from '../../support/paths';
import { corruptXor014, encodeStream, randomEvents } from '../../support/traceGen';
import { done, droneToml, modelWorkload, replayWorkload, viewOf } from '../view/viewFixtures';
import { parseDroneConfig } from '../../../server/src/core/config/droneConfig';
import { ramView } from '../../../server/src/core/firmware/describeBudget';
import { readElfFile } from '../../../server/src/core/firmware/elf';
import { ramBudget } from '../../../server/src/core/firmware/ramBudget';

const EXAMPLE = join(REPO_ROOT, 'examples', 'sensor-logger');
const exampleTrace = new Uint8Array(readFileSync(join(EXAMPLE, 'heaptrace')));
const examplePools: PoolSpec[] = [...readFileSync(join(EXAMPLE, 'Drone.toml'), 'utf8').matchAll(/block = "(\d+)", capacity = (\d+)/g)].map(
  (m) => ({
    block: Number(m[1]),
    capacity: Number(m[2]),
  }),
);
const STARTER: PoolSpec[] = [
  { block: 4, capacity: 896 },
  { block: 20, capacity: 82 },
  { block: 64, capacity: 40 },
];

/** The same JSON text, so the same keys in the same order with the same values. */
function assertSameJson(wire: unknown, core: unknown): void {
  assert.equal(JSON.stringify(wire), JSON.stringify(core));
}

/** The heap view's wire copy less its device figures (they come from the device state, not from the core view). */
function withoutDevice(data: HeapViewData): unknown {
  const { device, ...rest } = data;
  assert.equal(device, null);
  return {
    ...rest,
    heap: rest.heap && {
      ...rest.heap,
      pools: rest.heap.pools.map(({ device: poolDevice, ...pool }) => {
        assert.equal(poolDevice, null);
        return pool;
      }),
    },
  };
}

describe('core → wire conversions', () => {
  it('a replay result serialises as the core result did: the example trace, a fixture trace, a corrupt 0.14 trace', () => {
    const corrupt = corruptXor014(randomEvents(5, 4000, { maxSize: 300 }), 3000, 'unknown-header');
    const fixture = new Uint8Array(readFileSync(join(FIXTURES, 'traces', 'drone-stats.txt')));
    const results = [
      simulateTraceBytes(exampleTrace, examplePools),
      simulateTraceBytes(fixture, STARTER),
      simulateTraceBytes(corrupt.bytes, STARTER),
    ];
    assert.ok(results[2].problem && results[2].warnings.length > 0, 'the corrupt trace has a problem and the 0.14 warning');
    for (const result of results) assertSameJson(toWireReplayResult(result), result);
  });

  it('an optimiser result serialises as the core result did: exact and drone mode, fit and minimal', async () => {
    const bytes = encodeStream(randomEvents(3, 3000, { maxSize: 600 }));
    const size = STARTER.reduce((s, p) => s + p.block * p.capacity, 0) * 4;
    const results = [
      await optimizeLayout(bytesTraceSource(bytes), { mode: 'exact', pools: 4, target: 'fit', size, current: STARTER, tradeoffPools: 4 }),
      await optimizeLayout(bytesTraceSource(bytes), { mode: 'drone', pools: 3, target: 'minimal', current: STARTER }),
      await optimizeLayout(bytesTraceSource(exampleTrace), { mode: 'exact', pools: 2, target: 'fit', size: 64 }),
    ].map(completed);
    assert.ok(results[0].drone && results[0].before && results[0].after, 'exact mode with the current pools has every part');
    assert.equal(results[2].offered, false);
    for (const result of results) assertSameJson(toWireOptimizeResult(result), result);
  });

  it('a heap view summary serialises as the core summary did: replay, histogram, compare and allocators', async () => {
    const events = 20_000;
    const result = await replayWorkload(STARTER, events);
    const heapBytes = STARTER.reduce((s, p) => s + p.block * p.capacity, 0);
    const proposed = STARTER.map((p) => ({ block: p.block, capacity: p.capacity * 2 }));
    const after = {
      heapBytes: heapBytes * 2,
      failures: 0,
      firstFailure: null,
      peakReservedBytes: result.peakReservedBytes,
      fragmentationAtHeapPeak: 3,
    };
    const figures = (pools: PoolSpec[], failures: number) => ({
      pools,
      size: 1,
      failures,
      peakReservedBytes: 2,
      fragmentation: 3,
      requiredBytes: 4,
    });
    const models = await modelWorkload(heapBytes, events);
    const views = [
      viewOf(droneToml(STARTER), { status: done('/p/heaptrace', events), result, buckets: 300 }),
      viewOf(droneToml(STARTER), {
        status: done('/p/heaptrace', events),
        result,
        compare: { current: figures(STARTER, result.failures), proposed: figures(proposed, 0), unchanged: false },
        allocators: {
          heapBytes,
          indexes: 256,
          proposal: { state: 'offered', pools: proposed, after },
          models: { state: 'done', result: models, message: null },
        },
      }),
      viewOf(droneToml(STARTER), {
        status: done('/p/heaptrace', events),
        result,
        allocators: {
          heapBytes,
          indexes: 256,
          proposal: { state: 'searching', pools: null, after: null },
          models: { state: 'computing', result: null, message: null },
        },
      }),
      viewOf(droneToml(STARTER).replace('capacity = 82', 'capacity = "many"'), {
        status: { state: 'layout-invalid', tracePath: null, progress: 0, message: 'Fix the pools.' },
      }),
    ];
    assert.ok(views[1].compare && views[1].allocators?.fragmentation && views[1].histogram, 'the second view has every part');
    assert.ok(views[3].errors.length > 0, 'the invalid layout shows its errors');
    for (const view of views) assertSameJson(withoutDevice(toWireHeapViewData(view, null)), view);
    // With the RAM budget of real linker output (built with 32K, written as 16K).
    const firmwareText = readFileSync(join(FIXTURES, 'firmware', 'arm-main-stale.toml'), 'utf8');
    const parse = parseDroneConfig(firmwareText);
    assert.ok(parse.ok);
    const budget = ramBudget(parse.config, readElfFile(join(FIXTURES, 'firmware', 'arm-main.elf')));
    assert.ok(budget.ok);
    const withRam = viewOf(firmwareText, { ram: ramView(budget.budget, 'blink', 1) });
    assert.ok(withRam.ram?.asWritten, 'the view has the map as built and as written');
    assertSameJson(withoutDevice(toWireHeapViewData(withRam, null)), withRam);
  });

  it('a summary without a heap keeps every field and value; only its key order is the one of every other answer', () => {
    // The core writes these two answers with `errors` before `heap`; the wire copy has one order for all.
    for (const view of [viewOf('[heap.main]\nsize = "10K\npools = []\n'), viewOf('[memory.ram]\nsize = "20K"\norigin = 0x20000000\n')]) {
      const wire = toWireHeapViewData(view, null);
      assert.deepEqual(JSON.parse(JSON.stringify(withoutDevice(wire))), JSON.parse(JSON.stringify(view)));
      assert.deepEqual(Object.keys(wire), [
        'uri',
        'state',
        'heaps',
        'heap',
        'errors',
        'trace',
        'replay',
        'series',
        'histogram',
        'compare',
        'allocators',
        'ram',
        'device',
      ]);
    }
  });

  it('a trace status serialises as the trace manager built it', () => {
    const status: DocumentTraceStatus = {
      uri: 'file:///p/Drone.toml',
      heaps: [
        {
          heap: 'main',
          qualifiedName: 'heap.main',
          tracePath: '/p/heaptrace',
          state: 'done',
          progress: 1,
          events: 12,
          failures: 0,
          format: 'stream',
          message: 'heaptrace: 12 events.',
        },
        {
          heap: 'dma',
          qualifiedName: 'heap.dma',
          tracePath: null,
          state: 'no-trace',
          progress: 0,
          events: null,
          failures: null,
          format: null,
          message: 'No trace.',
        },
      ],
    };
    assertSameJson(toWireTraceStatusParams(status), status);
  });
});
