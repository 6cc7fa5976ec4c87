// The heap view's zoom through the real server: droneHeap/heapViewRange answers a zoomed event
// range at the chart's resolution, down to one event per step, from the worker's replay; the
// figures are those of a replay that keeps one bucket per event.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HeapViewData, HeapViewRangeSeries } from '../../protocol/heapView';
import type { HeapViewRangeParams } from '../../protocol/lsp';
import type { TraceStatusParams } from '../../protocol/traceStatus';
import { simulateTraceFile } from '../../server/src/core/replay/simulate';
import { TestLspClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/paths';

const EXAMPLE = join(REPO_ROOT, 'examples', 'sensor-logger');

describe('the heap view zoom in the language server', function () {
  this.timeout(60_000);
  let client: TestLspClient;
  let uri: string;
  let tracePath: string;
  let data: HeapViewData;

  before(async () => {
    ({ client } = await TestLspClient.start());
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-range-'));
    cpSync(EXAMPLE, dir, { recursive: true });
    tracePath = join(dir, 'heaptrace');
    uri = pathToFileURL(join(dir, 'Drone.toml')).href;
    const replayed = client.notificationMatching<TraceStatusParams>(
      'droneHeap/traceStatus',
      (p) => p.uri === uri && p.heaps.some((h) => h.heap === 'main' && h.state === 'done'),
    );
    await client.open(uri, readFileSync(join(dir, 'Drone.toml'), 'utf8'));
    await replayed;
    data = await client.request<HeapViewData>('droneHeap/heapView', { uri, heap: 'main', position: null, buckets: 600 });
  });
  after(() => client.stop());

  const range = (params: Omit<HeapViewRangeParams, 'uri' | 'heap'>) =>
    client.request<HeapViewRangeSeries | null>('droneHeap/heapViewRange', { uri, heap: 'main', ...params });

  it('draws a zoom of ~1,500 events one event per step, exactly as a replay with a bucket per event', async () => {
    const series = data.series!;
    assert.equal(series.events, 37_525);
    assert.ok(series.bucketWidth >= 64, `the whole trace is drawn in wide steps (${series.bucketWidth} events)`);

    const answer = await range({ from: 20_000, to: 21_500, buckets: 600 + 1000 });
    assert.ok(answer);
    assert.equal(answer.fromSteps, true, 'from the replay’s per-event steps');
    assert.deepEqual([answer.from, answer.to, answer.bucketWidth, answer.buckets], [20_000, 21_500, 1, 1500]);

    const pools = data.heap!.pools.map(({ block, capacity }) => ({ block, capacity }));
    const reference = await simulateTraceFile(tracePath, pools, { seriesBuckets: 40_000 });
    assert.equal(reference.series.bucketWidth, 1);
    reference.series.pools.forEach((pool, p) => {
      assert.deepEqual(answer.pools[p].max, pool.max.slice(20_000, 21_500), `most in use, ${pool.block} B pool`);
      assert.deepEqual(answer.pools[p].min, pool.min.slice(20_000, 21_500), `fewest in use, ${pool.block} B pool`);
    });
  });

  it('merges events to the chart’s width, keeping each step’s min and max', async () => {
    const answer = await range({ from: 1000, to: 4000, buckets: 500 });
    assert.ok(answer);
    assert.deepEqual([answer.from, answer.bucketWidth, answer.buckets], [1000, 6, 500]);
    const pools = data.heap!.pools.map(({ block, capacity }) => ({ block, capacity }));
    const reference = await simulateTraceFile(tracePath, pools, { seriesBuckets: 40_000 });
    reference.series.pools.forEach((pool, p) => {
      for (const k of [0, 17, 250, 499]) {
        const from = 1000 + 6 * k;
        assert.equal(answer.pools[p].max[k], Math.max(...pool.max.slice(from, from + 6)));
        assert.equal(answer.pools[p].min[k], Math.min(...pool.min.slice(from, from + 6)));
      }
    });
  });

  it('answers null for an empty range or an unknown heap', async () => {
    assert.equal(await range({ from: 5000, to: 5000, buckets: 500 }), null);
    assert.equal(await client.request('droneHeap/heapViewRange', { uri, heap: 'nope', from: 0, to: 100, buckets: 100 }), null);
  });
});
