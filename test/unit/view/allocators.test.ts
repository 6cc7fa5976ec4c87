// The heap view's "Compare allocators" data (core/view/allocators.ts): each row carries the
// figures of the replay or model it stands for, the proposal joins only when offered, the
// models' rows and chart only once they are done, and the fragmentation chart is small and
// keeps every bucket's worst moment.
import * as assert from 'node:assert/strict';
import type { ModelsResult } from '../../../server/src/core/alloc/compare';
import type { LayoutFigures } from '../../../server/src/core/layout/optimize';
import type { ReplayResult } from '../../../server/src/core/replay/result';
import { summariseAllocators, type AllocatorsInput } from '../../../server/src/core/view/allocators';
import { workloadPools } from '../../support/traceWorkload';
import { done, droneToml, modelWorkload, replayWorkload, viewOf } from './viewFixtures';

/** The starter layout `drone new` writes for a 10K heap. */
const STARTER = workloadPools(1);
const HEAP = 10240;
const EVENTS = 50_000;

describe('heap view: compare allocators', () => {
  let current: ReplayResult;
  let models: ModelsResult;
  const proposedPools = [
    { block: 8, capacity: 300 },
    { block: 64, capacity: 80 },
    { block: 512, capacity: 1 },
  ];
  const after: LayoutFigures = { heapBytes: 8032, failures: 0, firstFailure: null, peakReservedBytes: 6000, fragmentationAtHeapPeak: 900 };

  before(async () => {
    [current, models] = await Promise.all([replayWorkload(STARTER, EVENTS), modelWorkload(HEAP, EVENTS)]);
  });

  const input = (over: Partial<AllocatorsInput> = {}): AllocatorsInput => ({
    heapBytes: HEAP,
    indexes: 256,
    current,
    proposal: { state: 'offered', pools: proposedPools, after },
    models: { state: 'done', result: models, message: null },
    buckets: 300,
    ...over,
  });

  it('puts the pools (this layout, optimised) beside the three models, each with its own figures', () => {
    const view = summariseAllocators(input());
    assert.equal(view.state, 'done');
    assert.equal(view.heapBytes, HEAP);
    assert.equal(view.indexes, 256);
    assert.equal(view.overheadPerBlock, 8);
    assert.deepEqual(
      view.rows.map((r) => r.id),
      ['pools-current', 'pools-proposed', 'best-fit', 'defrag', 'defrag-compacting'],
    );
    const [pools, proposed, bestFit, defrag, compacting] = view.rows;

    assert.equal(pools.bytes, HEAP, 'the starter pools fill the heap');
    assert.equal(proposed.bytes, 8032, 'a proposal may need less than the heap');
    assert.equal(bestFit.bytes, HEAP);
    assert.equal(pools.failures, current.failures);
    assert.equal(pools.firstFailure, current.firstFailure);
    assert.equal(pools.peakBytesInUse, current.peakReservedBytes);
    assert.equal(pools.internalFragmentationAtPeak, current.fragmentationAtHeapPeak);
    assert.equal(pools.failuresTooLarge, current.failuresTooLarge);
    assert.deepEqual(pools.pools, STARTER);
    assert.equal(pools.maxExternalFragmentation, null, 'pools have no free runs to split');

    assert.deepEqual(proposed.pools, proposedPools);
    assert.equal(proposed.failures, 0);
    assert.equal(proposed.peakBytesInUse, 6000);
    assert.equal(proposed.internalFragmentationAtPeak, 900);

    for (const [row, model] of [
      [bestFit, models.bestFit],
      [defrag, models.defrag],
      [compacting, models.defragCompacting],
    ] as const) {
      assert.equal(row.failures, model.failures);
      assert.equal(row.firstFailure, model.firstFailure);
      assert.deepEqual(row.failureKinds, model.failureKinds);
      assert.equal(row.peakBytesInUse, model.peakBytesInUse);
      assert.equal(row.largestFreeRunAtPeak, model.largestFreeRunAtPeak);
      assert.equal(row.maxExternalFragmentation, model.maxExternalFragmentation);
      assert.equal(row.peakBlocks, model.peakBlocks);
      assert.equal(row.internalFragmentationAtPeak, null);
    }
    assert.equal(compacting.compactions, models.defragCompacting.compactions);
    assert.equal(compacting.bytesMoved, models.defragCompacting.bytesMoved);
    assert.equal(defrag.compactions, null, 'only the compacting model compacts');
  });

  it('charts each model on a shared bucketing, at most the buckets asked, keeping every worst moment', () => {
    const view = summariseAllocators(input({ buckets: 100 }));
    const chart = view.fragmentation!;
    assert.equal(chart.events, EVENTS);
    assert.ok(chart.buckets <= 100 && chart.buckets > 0);
    assert.ok(chart.bucketWidth * chart.buckets >= EVENTS, 'the buckets cover the trace');
    assert.deepEqual(
      chart.lines.map((l) => l.id),
      ['best-fit', 'defrag', 'defrag-compacting'],
    );
    const byId = { 'best-fit': models.bestFit, defrag: models.defrag, 'defrag-compacting': models.defragCompacting };
    for (const line of chart.lines) {
      assert.equal(line.values.length, chart.buckets);
      assert.ok(line.values.every((v) => v >= 0 && v <= 1));
      assert.equal(Math.max(...line.values), byId[line.id].maxExternalFragmentation, `${line.id}: the worst moment survives downsampling`);
    }
    // Something to see: on this workload best fit does fragment.
    assert.ok(models.bestFit.maxExternalFragmentation > 0);
  });

  it('adds the optimised layout only when the optimiser offers one, and says whether it is still searching', () => {
    for (const state of ['searching', 'none'] as const) {
      const view = summariseAllocators(input({ proposal: { state, pools: null, after: null } }));
      assert.equal(view.proposal, state);
      assert.deepEqual(
        view.rows.map((r) => r.id),
        ['pools-current', 'best-fit', 'defrag', 'defrag-compacting'],
      );
    }
  });

  it('shows the pools at once and the models when their replay is done, or why it failed', () => {
    const computing = summariseAllocators(input({ models: { state: 'computing', result: null, message: null } }));
    assert.equal(computing.state, 'computing');
    assert.deepEqual(
      computing.rows.map((r) => r.id),
      ['pools-current', 'pools-proposed'],
    );
    assert.equal(computing.fragmentation, null);

    const failed = summariseAllocators(input({ models: { state: 'failed', result: null, message: '/p/heaptrace does not exist' } }));
    assert.equal(failed.state, 'failed');
    assert.equal(failed.message, '/p/heaptrace does not exist');
    assert.equal(failed.fragmentation, null);
  });

  it('is part of the heap view only with a replay of the layout', () => {
    const text = droneToml(STARTER);
    const allocators = {
      heapBytes: HEAP,
      indexes: 256,
      proposal: { state: 'none' as const, pools: null, after: null },
      models: { state: 'done' as const, result: models, message: null },
    };
    const withReplay = viewOf(text, { status: done('/work/project/heaptrace', EVENTS), result: current, allocators, buckets: 200 });
    assert.equal(withReplay.allocators?.rows.length, 4);
    assert.ok(withReplay.allocators!.fragmentation!.buckets <= 200, 'the chart width the page asked for');
    const withoutReplay = viewOf(text, { status: done('/work/project/heaptrace', EVENTS), result: null, allocators });
    assert.equal(withoutReplay.allocators, null);
  });
});
