// Restricted Mode through the real server: while the client says the workspace is not
// trusted, a trace file outside the workspace folder (by a setting, or by a symlink) is not
// read, and the heap's status and a trace-problem diagnostic say why; traces inside are
// replayed as usual; trusting the workspace (or a client that says nothing) reads them all;
// a trace picked with "Import Trace…" is read wherever it is.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReplayResultAnswer } from '../../protocol/lsp';
import type { HeapTraceStatus, TraceStatusParams } from '../../protocol/traceStatus';
import { TestLspClient } from '../support/lspClient';
import { DRONE_TOML, FALLBACK, hasCode } from '../support/traceProject';

/**
 * A temporary directory with `ws/` (the workspace folder, holding Drone.toml) and
 * `outside.trace` beside it, outside the workspace folder.
 */
function layout(files: Record<string, string> = {}): { root: string; ws: string; uri: string; folderUri: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'drone-heap-trust-'));
  const ws = join(root, 'ws');
  mkdirSync(ws);
  writeFileSync(join(ws, 'Drone.toml'), DRONE_TOML);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(ws, name, '..'), { recursive: true });
    writeFileSync(join(ws, name), content);
  }
  const outside = join(root, 'outside.trace');
  writeFileSync(outside, FALLBACK);
  return { root, ws, uri: pathToFileURL(join(ws, 'Drone.toml')).href, folderUri: pathToFileURL(ws).href, outside };
}

const mainHeap = (state: HeapTraceStatus['state']) => (p: TraceStatusParams) => p.heaps[0]?.state === state;

describe('Restricted Mode (workspace trust) in the language server', function () {
  this.timeout(30_000);
  let client: TestLspClient | undefined;
  /** Every trace status the server sent, to prove that nothing was replayed. */
  let statuses: HeapTraceStatus[];

  async function start(
    options: Record<string, unknown>,
    folderUri: string | null,
    initialize: Record<string, unknown> = {},
  ): Promise<TestLspClient> {
    ({ client } = await TestLspClient.start(options, {
      workspaceFolders: folderUri ? [{ uri: folderUri, name: 'ws' }] : null,
      ...initialize,
    }));
    statuses = [];
    void client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => {
      statuses.push(...p.heaps);
      return false;
    });
    return client;
  }

  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('untrusted: a trace outside the workspace folder (setting with ..) is not read, and the status and a trace-problem say why', async () => {
    const { uri, folderUri } = layout();
    const c = await start({ workspaceTrusted: false, settings: { traces: { main: '../outside.trace' } } }, folderUri);
    const restricted = c.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', mainHeap('restricted'));
    await c.open(uri, DRONE_TOML);
    const heap = (await restricted).heaps[0];
    assert.match(
      heap.message,
      /^Restricted Mode: not reading \.\.\/outside\.trace \(setting droneHeap\.traces\), which is outside the workspace folder\. Trust the workspace to read it/,
    );
    assert.equal(heap.events, null);
    const diagnostics = await c.diagnosticsMatching(uri, hasCode('trace-problem'));
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['trace-problem'],
      'no replay, so no trace-failure',
    );
    const problem = diagnostics[0];
    assert.equal(problem.message, heap.message);
    assert.equal(problem.severity, 2);
    assert.equal(problem.range.start.line, 4, 'on the [heap.main] header');
    const answer = await c.request<ReplayResultAnswer>('droneHeap/replayResult', { uri, heap: 'main' });
    assert.equal(answer.result, null);
    assert.ok(
      statuses.every((s) => s.state !== 'replaying' && s.state !== 'done'),
      JSON.stringify(statuses.map((s) => s.state)),
    );
    // The optimiser does not read it either.
    const optimised = await c.request<{ result: unknown; message: string }>('droneHeap/optimizeLayout', { uri, heap: 'main' });
    assert.equal(optimised.result, null);
    assert.match(optimised.message, /Restricted Mode/);
  });

  it('untrusted: a heaptrace beside Drone.toml that is a symlink out of the workspace is not read', async () => {
    const { ws, uri, folderUri, outside } = layout();
    symlinkSync(outside, join(ws, 'heaptrace'));
    const c = await start({ workspaceTrusted: false }, folderUri);
    const restricted = c.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', mainHeap('restricted'));
    await c.open(uri, DRONE_TOML);
    assert.match(
      (await restricted).heaps[0].message,
      /not reading heaptrace \(really .*outside\.trace\), which is outside the workspace folder/,
    );
    assert.deepEqual(
      (await c.diagnosticsMatching(uri, hasCode('trace-problem'))).map((d) => d.code),
      ['trace-problem'],
    );
  });

  it('untrusted: a trace inside the workspace folder (by a setting) is replayed', async () => {
    const { uri, folderUri } = layout({ 'traces/main.trace': FALLBACK });
    const c = await start({ workspaceTrusted: false, settings: { traces: { main: 'traces/main.trace' } } }, folderUri);
    await c.open(uri, DRONE_TOML);
    const diagnostics = await c.diagnosticsMatching(uri, hasCode('trace-failure'));
    assert.match(diagnostics.find((d) => d.code === 'trace-failure')!.message as string, /ran out in traces\/main\.trace/);
    assert.ok(!diagnostics.some((d) => d.code === 'trace-problem'));
  });

  for (const [title, options] of [
    ['a client that says nothing about trust', {}],
    ['a trusted workspace', { workspaceTrusted: true }],
  ] as const) {
    it(`${title}: a trace outside the workspace folder is replayed`, async () => {
      const { uri, folderUri } = layout();
      const c = await start({ ...options, settings: { traces: { main: '../outside.trace' } } }, folderUri);
      await c.open(uri, DRONE_TOML);
      const diagnostics = await c.diagnosticsMatching(uri, hasCode('trace-failure'));
      assert.match(diagnostics.find((d) => d.code === 'trace-failure')!.message as string, /ran out in .*outside\.trace/);
    });
  }

  it('trusting the workspace (droneHeap/workspaceTrust) reads the outside trace', async () => {
    const { uri, folderUri } = layout();
    const c = await start({ workspaceTrusted: false, settings: { traces: { main: '../outside.trace' } } }, folderUri);
    await c.open(uri, DRONE_TOML);
    await c.diagnosticsMatching(uri, hasCode('trace-problem'));
    const done = c.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', mainHeap('done'));
    await c.connection.sendNotification('droneHeap/workspaceTrust', { trusted: true });
    assert.equal((await done).heaps[0].events, 4);
    const diagnostics = await c.diagnosticsMatching(uri, hasCode('trace-failure'));
    assert.ok(!diagnostics.some((d) => d.code === 'trace-problem'), JSON.stringify(diagnostics));
  });

  it('untrusted: a trace picked with Import Trace… is read wherever it is', async () => {
    const { uri, folderUri, outside } = layout();
    const c = await start({ workspaceTrusted: false }, folderUri);
    await c.open(uri, DRONE_TOML);
    await c.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', mainHeap('no-trace'));
    const status = await c.request<HeapTraceStatus>('droneHeap/importTrace', { uri, heap: 'main', tracePath: outside });
    assert.notEqual(status.state, 'restricted');
    const diagnostics = await c.diagnosticsMatching(uri, hasCode('trace-failure'));
    assert.match(diagnostics.find((d) => d.code === 'trace-failure')!.message as string, /ran out in .*outside\.trace/);
  });

  it('untrusted without workspace folders: no trace is read, not even the heaptrace beside Drone.toml', async () => {
    const { uri } = layout({ heaptrace: FALLBACK });
    const c = await start({ workspaceTrusted: false }, null);
    await c.open(uri, DRONE_TOML);
    const diagnostics = await c.diagnosticsMatching(uri, hasCode('trace-problem'));
    assert.match(diagnostics[0].message as string, /not reading heaptrace, which is outside the workspace folder/);
  });

  it('untrusted: a workspace folder added later (didChangeWorkspaceFolders) makes its traces readable', async () => {
    const { root, uri, folderUri } = layout();
    let folders = [{ uri: folderUri, name: 'ws' }];
    const c = await start({ workspaceTrusted: false, settings: { traces: { main: '../outside.trace' } } }, folderUri, {
      capabilities: { workspace: { workspaceFolders: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    c.connection.onRequest('workspace/workspaceFolders', () => folders);
    await c.open(uri, DRONE_TOML);
    await c.diagnosticsMatching(uri, hasCode('trace-problem'));
    const added = { uri: pathToFileURL(root).href, name: 'root' };
    folders = [...folders, added];
    await c.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [added], removed: [] } });
    await c.diagnosticsMatching(uri, hasCode('trace-failure'));
  });
});
