// Heap traces through the real server: a `heaptrace` beside Drone.toml is found,
// replayed in the worker, and its figures reach diagnostics, inlay hints, hovers, code
// lenses and the status notification; edits and trace changes refresh them.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeLens, Hover, InlayHint, MarkupContent } from 'vscode-languageserver-protocol';
import type { ReplayResultAnswer } from '../../protocol/lsp';
import type { TraceStatusParams } from '../../protocol/traceStatus';
import { LineIndex } from '../../server/src/core/config/span';
import { TestLspClient } from '../support/lspClient';
import { codes, DRONE_TOML, FALLBACK, hasCode, project } from '../support/traceProject';
import { encodeStream, encodeXor014, parseScenario } from '../support/traceGen';

describe('heap traces in the language server', function () {
  this.timeout(30_000);
  let client: TestLspClient;

  beforeEach(async () => {
    ({ client } = await TestLspClient.start());
  });
  afterEach(async () => {
    await client.stop();
  });

  it('replays the heaptrace beside Drone.toml and reports failure and overflow on the pool', async () => {
    const { uri } = project({ 'Drone.toml': DRONE_TOML, heaptrace: FALLBACK });
    const status = client.notificationMatching<TraceStatusParams>(
      'droneHeap/traceStatus',
      (p) => p.uri === uri && p.heaps[0]?.state === 'done',
    );
    assert.deepEqual(await client.open(uri, DRONE_TOML), [], 'the text itself is fine, and is reported without waiting for the replay');
    const diagnostics = await client.diagnosticsMatching(uri, hasCode('trace-failure'));
    // No request is larger than 20 B, so the 32 B blocks are also oversized.
    assert.deepEqual(codes(diagnostics), ['trace-failure', 'trace-overflow', 'trace-oversized-block']);
    const failure = diagnostics.find((d) => d.code === 'trace-failure')!;
    assert.equal(failure.severity, 1);
    assert.deepEqual(failure.range.start, new LineIndex(DRONE_TOML).positionAt(DRONE_TOML.indexOf('{ block = "32"')));
    assert.match(failure.message as string, /Pool 2 \(block 32 B\) ran out in heaptrace: 1 request .* first failure is at event 3/);

    const heap = (await status).heaps[0];
    assert.equal(heap.heap, 'main');
    assert.equal(heap.events, 4);
    assert.equal(heap.failures, 1);
    assert.equal(heap.format, 'text');
    assert.match(heap.message, /, 1 failure \(first at event 3\)/, 'one failure, not "1 failures"');

    const lines = new LineIndex(DRONE_TOML);
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: lines.positionAt(DRONE_TOML.length) },
    });
    assert.deepEqual(
      hints.map((h) => h.label),
      ['16 B · 20.0%', 'peak 1/1 · 100.0%', '64 B · 80.0%', 'peak 2/2 · 100.0% · ✖ 1 failed · ⚠ 1 overflowed in'],
    );
    // After each pool's comma, so that no comma is left standing after the hints.
    const after = (pool: string) => lines.positionAt(DRONE_TOML.indexOf(pool) + pool.length);
    assert.deepEqual(
      hints.map((h) => h.position),
      [
        after('{ block = "16", capacity = 1 },'),
        after('{ block = "16", capacity = 1 },'),
        after('{ block = "32", capacity = 2 },'),
        after('{ block = "32", capacity = 2 },'),
      ],
    );

    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: lines.positionAt(DRONE_TOML.indexOf('{ block = "32"') + 2),
    });
    const text = (hover.contents as MarkupContent).value;
    assert.match(text, /\*\*From the trace\*\* \(4 events\)/);
    assert.match(text, /\| peak blocks in use \| 2 of 2 \(100\.0%\), first at event 2 \|/);
    assert.match(text, /\| overflowed in from smaller pools \| 1 \|/);
    assert.match(text, /\| 8 B \| 1 \| 24 B \|\n\| 20 B \| 1 \| 12 B \|/);

    const heapHover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: lines.positionAt(DRONE_TOML.indexOf('heap.main') + 1),
    });
    assert.match(
      (heapHover.contents as MarkupContent).value,
      /✖ 1 failure, first at event 3 · peak 80 of 80 B \(100\.0%\) · 4 events · heaptrace/,
    );

    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      [
        '$(wand) Optimise layout to serve the trace (2 pools)',
        '✖ 1 failure, first at event 3 · peak 80 of 80 B (100.0%) · 4 events · heaptrace',
      ],
    );

    const answer = await client.request<ReplayResultAnswer>('droneHeap/replayResult', { uri, heap: 'main' });
    assert.equal(answer.result?.events, 4);
    assert.deepEqual(
      answer.result?.pools.map((p) => p.peak),
      [1, 2],
    );
  });

  it('keeps the figures of the previous layout while the edited one replays, then replaces them in one piece', async () => {
    const { uri } = project({ 'Drone.toml': DRONE_TOML, heaptrace: FALLBACK });
    await client.open(uri, DRONE_TOML);
    await client.diagnosticsMatching(uri, hasCode('trace-failure'));
    const roomier = DRONE_TOML.replace('size = "80"', 'size = "112"').replace(
      '{ block = "32", capacity = 2 }',
      '{ block = "32", capacity = 3 }',
    );
    // The edit's own diagnostics still carry the trace's findings: no squiggle blinks out while typing.
    assert.deepEqual(codes(await client.change(uri, roomier)), ['trace-failure', 'trace-overflow', 'trace-oversized-block']);
    // The replay starts once typing pauses (150 ms), so these are asked before it ends.
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
    });
    const stale = hints.find((h) => String(h.label).startsWith('peak 2/2'));
    assert.equal(
      stale?.tooltip,
      'Of the previous layout: the new one is being replayed.',
      `hints: ${JSON.stringify(hints.map((h) => h.label))}`,
    );
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: new LineIndex(roomier).positionAt(roomier.indexOf('"32"') + 1),
    });
    assert.match((hover.contents as MarkupContent).value, /previous layout; the new one is being replayed/);
    // With a third 32 B block nothing fails; the overflow of the second 8 B request remains.
    const after = await client.diagnosticsMatching(uri, (d) => !hasCode('trace-failure')(d) && hasCode('trace-overflow')(d));
    assert.deepEqual(codes(after), ['trace-overflow', 'trace-oversized-block']);
  });

  it('asks the client to refresh code lenses and hints when their settings change', async () => {
    const { uri } = project({ 'Drone.toml': DRONE_TOML, heaptrace: FALLBACK });
    const done = client.notificationMatching<TraceStatusParams>(
      'droneHeap/traceStatus',
      (p) => p.uri === uri && p.heaps[0]?.state === 'done',
    );
    await client.open(uri, DRONE_TOML);
    await done;
    const titles = async () =>
      (await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).map((l) => l.command?.title ?? '');
    // The answer also flushes the refreshes the replay asked for: the ones awaited below come from the settings.
    assert.ok(
      (await titles()).some((t) => t.endsWith(' · heaptrace')),
      'the summary lens is shown by default',
    );
    const lensRefresh = client.serverRequest('workspace/codeLens/refresh');
    const hintRefresh = client.serverRequest('workspace/inlayHint/refresh');
    void client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { droneHeap: { traceSummaryLens: false, traceFigures: 'codeLens' } },
    });
    await Promise.all([lensRefresh, hintRefresh]);
    const after = await titles();
    assert.ok(!after.some((t) => t.endsWith(' · heaptrace')), `no summary lens after the change: ${JSON.stringify(after)}`);
    assert.ok(
      after.some((t) => t.startsWith('peak ')),
      `pool figures as lenses: ${JSON.stringify(after)}`,
    );
  });

  it('refreshes when the trace file grows (a capture still running)', async () => {
    const { dir, uri } = project({ 'Drone.toml': DRONE_TOML, heaptrace: 'alloc 8\nfree 8\n' });
    await client.open(uri, DRONE_TOML);
    const first = await client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => p.heaps[0]?.state === 'done');
    assert.equal(first.heaps[0].events, 2);
    appendFileSync(join(dir, 'heaptrace'), 'alloc 20\nalloc 20\nalloc 20\n');
    const diagnostics = await client.diagnosticsMatching(uri, hasCode('trace-failure'));
    assert.deepEqual(codes(diagnostics), ['trace-failure', 'trace-oversized-block']);
  });

  it('uses a trace imported for the heap instead of the default one', async () => {
    const { dir, uri } = project({ 'Drone.toml': DRONE_TOML, heaptrace: 'alloc 8\n', 'other.trace': FALLBACK });
    await client.open(uri, DRONE_TOML);
    await client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => p.heaps[0]?.state === 'done');
    const status = await client.request<{ tracePath: string }>('droneHeap/importTrace', {
      uri,
      heap: 'main',
      tracePath: join(dir, 'other.trace'),
    });
    assert.equal(status.tracePath, join(dir, 'other.trace'));
    const diagnostics = await client.diagnosticsMatching(uri, hasCode('trace-failure'));
    assert.match(diagnostics.find((d) => d.code === 'trace-failure')!.message as string, /ran out in other\.trace/);
  });

  it('uses the traces the client says were imported in an earlier session', async () => {
    const { dir, uri } = project({ 'Drone.toml': DRONE_TOML, heaptrace: 'alloc 8\n', 'other.trace': FALLBACK });
    const importedTraces = [{ uri, heap: 'main', tracePath: join(dir, 'other.trace') }];
    const { client: reloaded } = await TestLspClient.start({ importedTraces });
    try {
      const done = reloaded.notificationMatching<TraceStatusParams>(
        'droneHeap/traceStatus',
        (p) => p.uri === uri && p.heaps[0]?.state === 'done',
      );
      await reloaded.open(uri, DRONE_TOML);
      const status = (await done).heaps[0];
      assert.equal(status.tracePath, join(dir, 'other.trace'));
      assert.equal(status.failures, 1);
    } finally {
      await reloaded.stop();
    }
  });

  it('falls back to heaptrace while an imported trace is gone, says which, and uses the import again once it is back', async () => {
    const { dir, uri } = project({ 'Drone.toml': DRONE_TOML, heaptrace: FALLBACK, 'burst.trace': 'alloc 8\nfree 8\n' });
    const burst = join(dir, 'burst.trace');
    await client.open(uri, DRONE_TOML);
    await client.request('droneHeap/importTrace', { uri, heap: 'main', tracePath: burst });
    await client.notificationMatching<TraceStatusParams>(
      'droneHeap/traceStatus',
      (p) => p.heaps[0]?.tracePath === burst && p.heaps[0]?.state === 'done',
    );
    unlinkSync(burst);
    const fallback = await client.notificationMatching<TraceStatusParams>(
      'droneHeap/traceStatus',
      (p) => p.heaps[0]?.tracePath === join(dir, 'heaptrace') && p.heaps[0]?.state === 'done',
    );
    assert.equal(
      fallback.heaps[0].message,
      `The imported trace ${burst} is gone; using heaptrace until it is back. heaptrace: plain-text heap trace, 4 events, 1 failure (first at event 3).`,
    );
    await client.diagnosticsMatching(uri, hasCode('trace-failure'));
    writeFileSync(burst, 'alloc 8\nfree 8\n');
    const back = await client.notificationMatching<TraceStatusParams>(
      'droneHeap/traceStatus',
      (p) => p.heaps[0]?.tracePath === burst && p.heaps[0]?.state === 'done',
    );
    assert.equal(back.heaps[0].failures, 0);
  });

  it('says which imported trace is gone when there is no heaptrace either, and picks up a heaptrace that appears', async () => {
    const { dir, uri } = project({ 'Drone.toml': DRONE_TOML, 'burst.trace': 'alloc 8\nfree 8\n' });
    const burst = join(dir, 'burst.trace');
    await client.open(uri, DRONE_TOML);
    await client.request('droneHeap/importTrace', { uri, heap: 'main', tracePath: burst });
    await client.notificationMatching<TraceStatusParams>(
      'droneHeap/traceStatus',
      (p) => p.heaps[0]?.tracePath === burst && p.heaps[0]?.state === 'done',
    );
    unlinkSync(burst);
    const none = await client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => p.heaps[0]?.state === 'no-trace');
    assert.match(
      none.heaps[0].message,
      new RegExp(`^The imported trace ${burst.replace(/[.]/g, '\\.')} is gone\\. No trace at ${join(dir, 'heaptrace')}\\.`),
    );
    writeFileSync(join(dir, 'heaptrace'), FALLBACK);
    const appeared = await client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => p.heaps[0]?.state === 'done');
    assert.equal(appeared.heaps[0].tracePath, join(dir, 'heaptrace'));
  });

  it('reads both binary formats, warns about the lossy 0.14 sizes, and reports corrupt data with its offset', async () => {
    const events = parseScenario(FALLBACK);
    const xor = project({ 'Drone.toml': DRONE_TOML, heaptrace: encodeXor014(events) });
    await client.open(xor.uri, DRONE_TOML);
    const lossy = await client.diagnosticsMatching(xor.uri, hasCode('trace-lossy-format'));
    assert.deepEqual(codes(lossy), ['trace-failure', 'trace-lossy-format', 'trace-overflow', 'trace-oversized-block']);
    assert.match(lossy.find((d) => d.code === 'trace-lossy-format')!.message as string, /drops bits 8–23/);

    // A stream-format trace whose 4th record has an unknown header byte: 3 events are kept.
    const stream = encodeStream(events);
    const corrupt = new Uint8Array([...stream.slice(0, 15), 9, 0, 0, 0, 0]);
    const bad = project({ 'Drone.toml': DRONE_TOML, heaptrace: corrupt });
    await client.open(bad.uri, DRONE_TOML);
    const problem = await client.diagnosticsMatching(bad.uri, hasCode('trace-problem'));
    assert.match(
      problem.find((d) => d.code === 'trace-problem')!.message as string,
      /corrupt data at byte 15 \(event 3\).*cover the 3 events before it/,
    );
  });

  it('refuses a trace that is not a regular file at once: the trace-problem diagnostic and the status say what it is', async () => {
    // The default `heaptrace` is a FIFO (reading it would block), then a directory.
    const { dir, uri } = project({ 'Drone.toml': DRONE_TOML });
    execFileSync('mkfifo', [join(dir, 'heaptrace')]);
    const status = client.notificationMatching<TraceStatusParams>(
      'droneHeap/traceStatus',
      (p) => p.uri === uri && p.heaps[0]?.state === 'failed',
    );
    await client.open(uri, DRONE_TOML);
    const fifo = await client.diagnosticsMatching(uri, hasCode('trace-problem'));
    assert.match(fifo[0].message as string, /heaptrace is a FIFO \(named pipe\), not a regular file/);
    assert.deepEqual(fifo[0].range.start, new LineIndex(DRONE_TOML).positionAt(DRONE_TOML.indexOf('heap.main')), 'on the heap');
    assert.match((await status).heaps[0].message, /is a FIFO \(named pipe\), not a regular file/);

    // A device named in the workspace setting droneHeap.traces: refused, not decoded forever.
    const configured = await TestLspClient.start({ settings: { traces: { main: '/dev/zero' } } });
    try {
      const other = project({ 'Drone.toml': DRONE_TOML });
      await configured.client.open(other.uri, DRONE_TOML);
      const device = await configured.client.diagnosticsMatching(other.uri, hasCode('trace-problem'));
      assert.match(device[0].message as string, /\/dev\/zero is a character device, not a regular file/);
    } finally {
      await configured.client.stop();
    }

    const folder = project({ 'Drone.toml': DRONE_TOML });
    mkdirSync(join(folder.dir, 'heaptrace'));
    await client.open(folder.uri, DRONE_TOML);
    const directory = await client.diagnosticsMatching(folder.uri, hasCode('trace-problem'));
    assert.match(directory[0].message as string, /heaptrace is a directory, not a regular file/);
  });

  it('says how to get a trace when there is none, and answers hovers meanwhile', async () => {
    const { uri } = project({ 'Drone.toml': DRONE_TOML });
    const status = client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => p.uri === uri);
    assert.deepEqual(await client.open(uri, DRONE_TOML), []);
    const heap = (await status).heaps[0];
    assert.equal(heap.state, 'no-trace');
    assert.match(heap.message, /just heaptrace/);
  });
});
