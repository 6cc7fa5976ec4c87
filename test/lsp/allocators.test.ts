// "Compare allocators" through the real server: the heap view request starts the models in
// the worker (pools first, models when done), the figures are those of `drone-heap compare`
// on the same trace, a new trace on disk replaces them, and the defrag index count follows
// the setting.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { compareTraceFile } from '../../server/src/core/alloc/compare';
import type { HeapViewData } from '../../protocol/heapView';
import type { TraceStatusParams } from '../../protocol/traceStatus';
import { TestLspClient } from '../support/lspClient';
import { FIXTURES, REPO_ROOT } from '../support/paths';

const EXAMPLE = join(REPO_ROOT, 'examples', 'sensor-logger');

describe('compare allocators in the language server', function () {
  this.timeout(60_000);
  let client: TestLspClient;
  let uri: string;
  let tracePath: string;

  before(async () => {
    ({ client } = await TestLspClient.start());
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-alloc-'));
    cpSync(EXAMPLE, dir, { recursive: true });
    tracePath = join(dir, 'heaptrace');
    uri = pathToFileURL(join(dir, 'Drone.toml')).href;
    const replayed = client.notificationMatching<TraceStatusParams>(
      'droneHeap/traceStatus',
      (p) => p.uri === uri && p.heaps.some((h) => h.heap === 'main' && h.state === 'done'),
    );
    await client.open(uri, readFileSync(join(dir, 'Drone.toml'), 'utf8'));
    await replayed;
  });
  after(() => client.stop());

  /** Asks for the heap view until `accept` takes it, waiting for the server's "figures changed" between asks. */
  async function heapViewUntil(accept: (data: HeapViewData) => boolean): Promise<HeapViewData> {
    for (;;) {
      const changed = client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => p.uri === uri);
      const data = await client.request<HeapViewData>('droneHeap/heapView', { uri, heap: 'main', position: null, buckets: 400 });
      if (accept(data)) return data;
      await changed;
    }
  }

  it('shows the pools at once, then the models on the same heap size with the figures of `drone-heap compare`', async () => {
    const first = await client.request<HeapViewData>('droneHeap/heapView', { uri, heap: 'main', position: null, buckets: 400 });
    assert.equal(first.allocators?.state, 'computing', 'the first request starts the models in the worker');
    assert.equal(first.allocators?.rows[0].id, 'pools-current');

    const data = await heapViewUntil((d) => d.allocators?.state === 'done' && d.allocators.proposal !== 'searching');
    const view = data.allocators!;
    const pools = data.heap!.pools.map(({ block, capacity }) => ({ block, capacity }));
    const expected = await compareTraceFile(tracePath, pools, data.heap!.size!);
    assert.equal(view.heapBytes, data.heap!.size);
    const row = (id: string) => view.rows.find((r) => r.id === id)!;
    assert.equal(row('pools-current').failures, expected.drone.failures);
    assert.ok(expected.drone.failures > 0, 'the example fails in its 336 B pool');
    assert.equal(row('pools-current').peakBytesInUse, expected.drone.peakReservedBytes);
    for (const [id, model] of [
      ['best-fit', expected.bestFit],
      ['defrag', expected.defrag],
      ['defrag-compacting', expected.defragCompacting],
    ] as const) {
      assert.equal(row(id).failures, model.failures, id);
      assert.equal(row(id).firstFailure, model.firstFailure, id);
      assert.equal(row(id).peakBytesInUse, model.peakBytesInUse, id);
      assert.equal(row(id).maxExternalFragmentation, model.maxExternalFragmentation, id);
    }
    assert.equal(view.proposal, 'offered', 'the optimiser finds a layout that serves the example');
    assert.equal(row('pools-proposed').failures, 0);
    assert.ok(view.fragmentation && view.fragmentation.buckets <= 400 && view.fragmentation.lines.length === 3);
  });

  it('replays the models again when the trace file changes on disk', async () => {
    const before = await heapViewUntil((d) => d.allocators?.state === 'done');
    writeFileSync(tracePath, readFileSync(join(FIXTURES, 'traces', 'fallback.txt')));
    const data = await heapViewUntil(
      (d) => d.allocators?.state === 'done' && d.allocators.fragmentation!.events !== before.allocators!.fragmentation!.events,
    );
    const pools = data.heap!.pools.map(({ block, capacity }) => ({ block, capacity }));
    const expected = await compareTraceFile(tracePath, pools, data.heap!.size!);
    assert.equal(data.allocators!.fragmentation!.events, expected.bestFit.events);
    assert.equal(data.allocators!.rows.find((r) => r.id === 'best-fit')!.peakBytesInUse, expected.bestFit.peakBytesInUse);
    assert.equal(data.allocators!.rows.find((r) => r.id === 'pools-current')!.failures, expected.drone.failures);
  });

  it('runs defrag with the index count of droneHeap.compare.defragIndexes', async () => {
    void client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { droneHeap: { compare: { defragIndexes: 1000 } } },
    });
    const data = await heapViewUntil((d) => d.allocators?.indexes === 1000 && d.allocators.state === 'done');
    const pools = data.heap!.pools.map(({ block, capacity }) => ({ block, capacity }));
    const expected = await compareTraceFile(tracePath, pools, data.heap!.size!, { indexes: 1000 });
    const defrag = data.allocators!.rows.find((r) => r.id === 'defrag')!;
    assert.equal(defrag.failures, expected.defrag.failures);
    assert.equal(defrag.failureKinds?.outOfIndexes, 0, 'the example never has 1000 blocks live');
  });
});
