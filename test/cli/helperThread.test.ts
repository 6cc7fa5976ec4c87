// The CLI's helper thread (cli/helperThread.ts): the bundled CLI started as a worker answers
// jobs with the same figures the main thread computes itself, and the optimiser gives the
// same result whether its replays run there or here.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperThread, HelperThreadError, offloadDefragModels, withHelpers } from '../../server/src/threads/helperThread';
import { replaySomeModelsFile } from '../../server/src/core/alloc/compare';
import { optimizeLayout, type OptimizeOptions } from '../../server/src/core/layout/optimize';
import { fileTraceSource } from '../../server/src/core/layout/traceSource';
import { PoolReplayer } from '../../server/src/core/replay/poolReplay';
import { DroneStatsCollector } from '../../server/src/core/trace/droneStats';
import { readTraceFile } from '../../server/src/core/trace/readTrace';
import { CLI } from '../support/cli';
import { workloadPools, writeWorkloadTrace } from '../support/traceWorkload';

describe('CLI helper thread', function () {
  this.timeout(60_000);
  const trace = join(mkdtempSync(join(tmpdir(), 'drone-heap-helper-')), 'heaptrace');
  writeWorkloadTrace(trace, 60_000, 5);
  const pools = workloadPools(1);
  let helper: HelperThread;
  beforeEach(() => (helper = new HelperThread(CLI, trace)));
  afterEach(() => helper.stop());

  it('replays pools, counts Drone statistics and replays models as the main thread does', async () => {
    const here = new PoolReplayer(pools, { series: false });
    const stats = new DroneStatsCollector();
    await readTraceFile(trace, { consume: (batch) => (here.consume(batch), stats.consume(batch)) });
    const replays = helper.optimiserReplays();
    const [replay, droneStats, models] = await Promise.all([
      replays.replay(pools),
      replays.droneStats(),
      helper.models(4096, ['defrag', 'defragCompacting'], { indexes: 100, series: false }),
    ]);
    assert.deepEqual(replay, here.result());
    assert.ok(replay.failures > 0 && replay.events === 60_000, 'the small pools fail on this trace: the figures say something');
    assert.deepEqual(droneStats, stats.result());
    assert.deepEqual(models, await replaySomeModelsFile(trace, 4096, ['defrag', 'defragCompacting'], { indexes: 100, series: false }));
    assert.ok(models.defragCompacting!.compactions > 0);
  });

  it('gives the optimiser the same result with its replays in the helper thread', async () => {
    for (const current of [pools, undefined]) {
      const options: OptimizeOptions = { mode: 'exact', target: 'minimal', pools: 4, current };
      const alone = await optimizeLayout(fileTraceSource(trace), options);
      const helped = await optimizeLayout(fileTraceSource(trace), { ...options, elsewhere: helper.optimiserReplays() });
      assert.deepEqual(helped, alone);
      assert.ok(!alone.cancelled && alone.drone?.verified && (current ? alone.before : alone.before === null));
    }
  });

  it('offloads the defrag models to threads of their own only when threads pay', async () => {
    const big = join(mkdtempSync(join(tmpdir(), 'drone-heap-helper-')), 'big.trace');
    writeWorkloadTrace(big, 900_000, 6);
    const options = { indexes: 100, series: true };
    assert.equal(offloadDefragModels(CLI, true, trace, 4096, options), undefined, 'a small trace stays in one thread');
    assert.equal(offloadDefragModels(CLI, false, big, 4096, options), undefined, 'not from a bundle that cannot start as a helper');
    process.env.DRONE_HEAP_THREADS = '1';
    try {
      assert.equal(offloadDefragModels(CLI, true, big, 4096, options), undefined, 'DRONE_HEAP_THREADS=1');
    } finally {
      delete process.env.DRONE_HEAP_THREADS;
    }
    const offloaded = offloadDefragModels(CLI, true, big, 4096, options);
    if (availableParallelism() < 2) return assert.equal(offloaded, undefined, 'one core: no helper threads');
    assert.ok(offloaded, 'a large trace on a multi-core machine');
    try {
      assert.deepEqual(offloaded.offload.models, ['defrag', 'defragCompacting']);
      assert.deepEqual(await offloaded.offload.results, await replaySomeModelsFile(big, 4096, ['defrag', 'defragCompacting'], options));
    } finally {
      offloaded.stop();
    }
  });

  it('falls back to one thread when a helper thread dies, and passes other errors on', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'drone-heap-helper-')), 'broken.js');
    writeFileSync(broken, 'process.exit(3);\n');
    const dying = new HelperThread(broken, trace);
    await assert.rejects(
      dying.optimiserReplays().droneStats(),
      (error) => error instanceof HelperThreadError && /exit status 3/.test(error.message),
    );
    dying.stop();
    const stats = new DroneStatsCollector();
    await readTraceFile(trace, stats);
    const tried: string[] = [];
    const result = await withHelpers(
      () => new HelperThread(broken, trace),
      async (helper) => {
        tried.push(helper ? 'helper' : 'alone');
        if (helper) return helper.optimiserReplays().droneStats();
        const here = new DroneStatsCollector();
        await readTraceFile(trace, here);
        return here.result();
      },
    );
    assert.deepEqual(tried, ['helper', 'alone']);
    assert.deepEqual(result, stats.result());
    await assert.rejects(
      withHelpers(
        () => new HelperThread(CLI, join(tmpdir(), 'drone-heap-no-such-trace')),
        async (helper) => (helper ? helper.optimiserReplays().droneStats() : assert.fail('no second try for a read error')),
      ),
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
    );
  });

  it('passes a read error on with its code, and rejects what is pending when stopped', async () => {
    const missing = new HelperThread(CLI, join(tmpdir(), 'drone-heap-no-such-trace'));
    try {
      await assert.rejects(missing.optimiserReplays().droneStats(), (error: NodeJS.ErrnoException) => error.code === 'ENOENT');
    } finally {
      missing.stop();
    }
    const pending = helper.optimiserReplays().replay(pools);
    helper.stop();
    await assert.rejects(pending, /helper thread ended/);
  });
});
