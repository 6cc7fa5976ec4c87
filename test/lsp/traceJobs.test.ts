// The trace worker as the server uses it (dist/worker.js), through TraceJobs: results, the cache keyed by
// trace identity and job input, cancellation of a superseded replay, and unreadable files.
import { strict as assert } from 'node:assert';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayModelsFile } from '../../server/src/core/alloc/compare';
import { optimizeLayout } from '../../server/src/core/layout/optimize';
import { fileTraceSource } from '../../server/src/core/layout/traceSource';
import { TraceJobs } from '../../server/src/trace/traceJobs';
import { REPO_ROOT } from '../support/paths';
import { encodeStream, randomEvents } from '../support/traceGen';

const POOLS = [
  { block: 64, capacity: 4000 },
  { block: 640, capacity: 400 },
];

describe('trace jobs (worker thread)', function () {
  this.timeout(60_000);
  let service: TraceJobs;
  let dir: string;
  let bigTrace: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'drone-heap-replay-'));
    // ~2M events (~10 MB): long enough that a replay is still running when superseded.
    bigTrace = join(dir, 'big.trace');
    writeFileSync(bigTrace, encodeStream(randomEvents(7, 2_000_000, { maxSize: 600 })));
  });
  beforeEach(() => {
    service = new TraceJobs(join(REPO_ROOT, 'dist', 'worker.js'));
  });
  afterEach(() => service.dispose());

  it('replays in the worker and answers the same layout from the cache', async () => {
    const first = await service.replay({ owner: 'a', tracePath: bigTrace, pools: POOLS });
    assert.equal(first.kind, 'done');
    assert.ok(first.kind === 'done' && !first.fromCache && first.result.events === 2_000_000);
    const again = await service.replay({ owner: 'a', tracePath: bigTrace, pools: POOLS });
    assert.ok(again.kind === 'done' && again.fromCache);
    // A changed file (size or modification time) is a different trace.
    utimesSync(bigTrace, new Date(), new Date(Date.now() + 5000));
    const changed = await service.replay({ owner: 'a', tracePath: bigTrace, pools: POOLS });
    assert.ok(changed.kind === 'done' && !changed.fromCache);
  });

  it('cancels a running replay when the same owner asks again, and runs the new one', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const older = service.replay({ owner: 'doc#main', tracePath: bigTrace, pools: POOLS, onProgress: () => started() });
    await running; // the worker has read its first chunk: the older replay is under way
    const newer = service.replay({ owner: 'doc#main', tracePath: bigTrace, pools: [{ block: 640, capacity: 1000 }] });
    assert.deepEqual(await older, { kind: 'superseded' });
    const outcome = await newer;
    assert.ok(outcome.kind === 'done' && outcome.result.pools.length === 1 && !outcome.result.cancelled);
  });

  it('gives up on a request overtaken before it started', async () => {
    const older = service.replay({ owner: 'doc#main', tracePath: bigTrace, pools: POOLS });
    const newer = service.replay({ owner: 'doc#main', tracePath: bigTrace, pools: [{ block: 64, capacity: 9 }] });
    assert.deepEqual(await older, { kind: 'superseded' });
    assert.equal((await newer).kind, 'done');
  });

  it('does not cancel the replay of another owner', async () => {
    const [a, b] = await Promise.all([
      service.replay({ owner: 'doc#main', tracePath: bigTrace, pools: POOLS }),
      service.replay({ owner: 'doc#dma', tracePath: bigTrace, pools: [{ block: 640, capacity: 1000 }] }),
    ]);
    assert.equal(a.kind, 'done');
    assert.equal(b.kind, 'done');
  });

  it('runs the allocator models with helper threads on a large trace: the figures of one thread, series included', async () => {
    const heapBytes = 64 * 4000 + 640 * 400;
    const outcome = await service.models({ owner: 'm', input: { type: 'models', tracePath: bigTrace, heapBytes, indexes: 256 } });
    assert.ok(outcome.kind === 'done', JSON.stringify(outcome));
    const alone = await replayModelsFile(bigTrace, heapBytes, { indexes: 256 });
    assert.deepEqual(outcome.result, alone);
    assert.ok(alone.defrag.series.buckets > 0 && alone.defragCompacting.events === 2_000_000);
  });

  it('cancels a running models job, helper threads included, when the same owner asks again', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const input = { type: 'models' as const, tracePath: bigTrace, heapBytes: 4096, indexes: 256 };
    const older = service.models({ owner: 'doc#models', input, onProgress: () => started() });
    await running;
    const newer = service.models({ owner: 'doc#models', input: { ...input, indexes: 64 } });
    assert.deepEqual(await older, { kind: 'superseded' });
    const outcome = await newer;
    assert.ok(
      outcome.kind === 'done' && outcome.result.defrag.indexes === 64 && !outcome.result.cancelled,
      JSON.stringify(outcome).slice(0, 300),
    );
  });

  it('optimises with a helper thread on a large trace: the result of one thread', async () => {
    const options = { mode: 'exact' as const, target: 'minimal' as const, pools: 3, current: POOLS };
    const outcome = await service.optimize({ owner: 'o', input: { type: 'optimize', tracePath: bigTrace, options } });
    assert.ok(outcome.kind === 'done', JSON.stringify(outcome));
    const alone = await optimizeLayout(fileTraceSource(bigTrace), options);
    assert.deepEqual(outcome.result, alone);
    assert.ok(!alone.cancelled && alone.before && alone.drone?.verified, "the current pools and Drone's layout were replayed");
  });

  it('cancels a running optimisation, helper thread included, when the same owner asks again', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const input = { type: 'optimize' as const, tracePath: bigTrace, options: { target: 'minimal' as const, pools: 3, current: POOLS } };
    const older = service.optimize({ owner: 'doc#optimize', input, onProgress: () => started() });
    await running;
    const newer = service.optimize({ owner: 'doc#optimize', input: { ...input, options: { ...input.options, pools: 2 } } });
    assert.deepEqual(await older, { kind: 'superseded' });
    const outcome = await newer;
    assert.ok(outcome.kind === 'done' && outcome.result.poolsRequested === 2, JSON.stringify(outcome).slice(0, 300));
  });

  it('reports a missing or unreadable trace instead of throwing', async () => {
    assert.deepEqual(await service.replay({ owner: 'x', tracePath: join(dir, 'missing'), pools: POOLS }), {
      kind: 'failed',
      message: `${join(dir, 'missing')} does not exist`,
    });
    assert.deepEqual(await service.replay({ owner: 'x', tracePath: dir, pools: POOLS }), {
      kind: 'failed',
      message: `${dir} is a directory, not a regular file`,
    });
  });
});
