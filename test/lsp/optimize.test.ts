// One-click optimisation through the real server: the code lens and quick fix that start
// it, the proposal (searched in the worker, verified by replay), and the minimal edit
// that writes it — after which the replay of the new layout shows no failure.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { DroneHeapErrorCodes } from '../../protocol/lsp';
import { checkDroneToml } from '../../server/src/core/checks/index';
import { applyEdits, LineIndex } from '../../server/src/core/config/span';
import type { HeapViewData } from '../../protocol/heapView';
import type { LayoutEditsAnswer, OptimizeLayoutAnswer } from '../../protocol/lsp';
import type { TraceStatusParams } from '../../protocol/traceStatus';
import { TestLspClient } from '../support/lspClient';
import { FIXTURES } from '../support/paths';

// 16×1 + 32×2 = 80 B: the fallback trace overflows and fails (see test/fixtures/traces/fallback.txt).
const DRONE_TOML = `# A comment before the heap
[memory.ram]
size = "20K"
origin = 0x20000000

[heap.main]
size = "80" # bytes, keep this comment
pools = [
    { block = "16", capacity = 1 },
    { block = "32", capacity = 2 },
]

[linker]
platform = "arm"
`;

function applyLspEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return applyEdits(
    text,
    edits.map((e) => ({ span: { start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end) }, newText: e.newText })),
  );
}

describe('layout optimisation in the language server', function () {
  this.timeout(30_000);
  let client: TestLspClient;
  let uri: string;
  let failure: Diagnostic;

  before(async () => {
    ({ client } = await TestLspClient.start());
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-opt-'));
    writeFileSync(join(dir, 'Drone.toml'), DRONE_TOML);
    writeFileSync(join(dir, 'heaptrace'), readFileSync(join(FIXTURES, 'traces', 'fallback.txt')));
    uri = pathToFileURL(join(dir, 'Drone.toml')).href;
    await client.open(uri, DRONE_TOML);
    const diagnostics = await client.diagnosticsMatching(uri, (ds) => ds.some((d) => d.code === 'trace-failure'));
    failure = diagnostics.find((d) => d.code === 'trace-failure')!;
  });
  after(() => client.stop());

  it('offers the optimiser as a code lens above the heap and as a quick fix on the failing pool', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const lens = lenses.find((l) => l.command?.command === 'droneHeap.optimizeLayout');
    assert.equal(lens?.command?.title, '$(wand) Optimise layout to serve the trace (2 pools)');
    assert.deepEqual(lens?.command?.arguments, [uri, 'main']);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: failure.range,
      context: { diagnostics: [failure] },
    });
    const action = actions.find((a) => a.command?.command === 'droneHeap.optimizeLayout');
    assert.equal(action?.title, 'Optimise the layout of heap.main to serve the trace…');
  });

  it("fills the heap view's compare from a background search, and refreshes the view when it is done", async () => {
    const params = { uri, heap: 'main', position: null, buckets: 200 };
    let refreshed = client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => p.uri === uri);
    const first = await client.request<HeapViewData>('droneHeap/heapView', params);
    assert.equal(first.compare, null, 'nothing proposed yet: the first request starts the search');
    // The search and the allocator models both end with a refresh, in either order: ask on each.
    let second: HeapViewData;
    for (;;) {
      await refreshed;
      refreshed = client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => p.uri === uri);
      second = await client.request<HeapViewData>('droneHeap/heapView', params);
      if (second.compare) break;
    }
    assert.deepEqual(second.compare?.current.pools, [
      { block: 16, capacity: 1 },
      { block: 32, capacity: 2 },
    ]);
    assert.equal(second.compare?.current.failures, 1);
    assert.equal(second.compare?.proposed.failures, 0);
    assert.equal(second.compare?.proposed.size, 80);
    assert.equal(second.compare?.proposed.requiredBytes, 56);
  });

  it('proposes a verified layout that fits the heap, and writes it with a minimal edit', async () => {
    const answer = await client.request<OptimizeLayoutAnswer>('droneHeap/optimizeLayout', { uri, heap: 'main' });
    const result = answer.result!;
    assert.ok(result.offered, answer.message);
    assert.equal(result.verified?.failures, 0);
    assert.equal(result.size, 80, 'the fit target keeps the heap size');
    assert.equal(result.before?.failures, 1);
    assert.equal(result.after?.failures, 0);
    // Two 8 B and two 20 B requests are live at once: blocks 8 and 20, two each, need 56 B.
    assert.equal(result.requiredBytes, 56);
    assert.deepEqual(result.needed, [
      { block: 8, capacity: 2 },
      { block: 20, capacity: 2 },
    ]);

    const edits = await client.request<LayoutEditsAnswer>('droneHeap/layoutEdits', {
      uri,
      heap: 'main',
      pools: result.pools,
      size: result.size,
    });
    assert.equal(edits.reason, null);
    const written = applyLspEdits(DRONE_TOML, edits.edits!);
    // Everything outside the two values is byte-identical.
    const outside = (text: string) =>
      text.replace(/size = "80"|size = "\d+"(?= # bytes)/, 'SIZE').replace(/pools = \[[\s\S]*?\n\]/, 'POOLS');
    assert.equal(outside(written), outside(DRONE_TOML));
    assert.deepEqual(
      checkDroneToml(written).findings.map((f) => f.code),
      [],
      'the written layout passes every check',
    );

    const after = await client.change(uri, written);
    assert.deepEqual(after, []);
    const replayed = await client.diagnosticsMatching(
      uri,
      (ds) => !ds.some((d) => d.code === 'trace-failure') && !ds.some((d) => d.code === 'pool-sum-mismatch'),
    );
    assert.ok(!replayed.some((d) => d.code === 'trace-failure'));
  });

  it('says the applied layout is optimal, in the lens and the answer, instead of offering it again', async () => {
    // The previous test wrote the proposal into the document: once it is replayed, the lens says so.
    const titles = async () =>
      (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).map((l) => l.command?.title ?? '');
    let lenses: string[];
    for (;;) {
      // Listen before asking, so a replay that ends in between is not missed.
      const replayed = client.notificationMatching<TraceStatusParams>(
        'droneHeap/traceStatus',
        (p) => p.uri === uri && p.heaps[0]?.state === 'done',
      );
      lenses = await titles();
      if (lenses.some((t) => t.startsWith('no failures'))) break;
      await replayed;
    }
    assert.equal(lenses[0], '$(check) Layout optimal for this trace (2 pools)');
    const answer = await client.request<OptimizeLayoutAnswer>('droneHeap/optimizeLayout', { uri, heap: 'main' });
    assert.equal(answer.result?.unchanged, true);
    assert.equal(answer.result?.offered, false);
    assert.match(
      answer.message,
      /^The layout is already optimal for this trace: the search proposes these 2 pools and 80 B \(exact mode\)\. Nothing to change\.$/,
    );
    // The heap view's compare says the same, with nothing to apply.
    const view = await client.request<HeapViewData>('droneHeap/heapView', { uri, heap: 'main', position: null, buckets: 50 });
    assert.equal(view.compare?.unchanged, true);
  });

  it('refuses requests about a heap it cannot find with named error codes', async () => {
    const codeOf = (request: Promise<unknown>) =>
      request.then(
        () => assert.fail('the request should fail'),
        (error: { code: number; message: string }) => [error.code, error.message],
      );
    const pools = [{ block: 16, capacity: 5 }];
    assert.deepEqual(await codeOf(client.request('droneHeap/layoutEdits', { uri: 'file:///nowhere/Drone.toml', heap: 'main', pools })), [
      DroneHeapErrorCodes.DocumentNotOpen,
      'file:///nowhere/Drone.toml is not open',
    ]);
    assert.deepEqual(await codeOf(client.request('droneHeap/layoutEdits', { uri, heap: 'dma', pools })), [
      DroneHeapErrorCodes.NoSuchHeap,
      'Drone.toml has no heap "dma"',
    ]);
    assert.deepEqual(await codeOf(client.request('droneHeap/importTrace', { uri, heap: 'dma', tracePath: '/tmp/x' })), [
      DroneHeapErrorCodes.NoSuchHeap,
      'Drone.toml has no heap "dma"',
    ]);
  });
});
