// Heap traces in the real extension host, on traced/Drone.toml: the harness copies it and its
// `heaptrace` from examples/sensor-logger at run time (lib/codeServer.mjs, copyTestWorkspace).
// The trace (see examples/sensor-logger/README.md) makes the 336 B pool (3 blocks) fail, and
// overflows the 8 B pool into the 20 B pool and the 336 B pool into the 512 B pool.
// Replays run in the server's worker thread ~150 ms after an edit, so every check that needs
// a replayed result first waits (bounded, on onDidChangeDiagnostics) for the trace findings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeOf, find, hoverText, labelText, ours, poolLines, waitForDiagnostics, workspaceRoot } from './helpers';

/** Blocks whose pools the example's trace makes fail / overflow into (facts of the trace). */
const FAILING_BLOCK = 336;
const OVERFLOW_BLOCKS = [20, 512];

interface PoolLine {
  line: number;
  block: number;
  capacity: number;
  /** The inline table `{ … }`, where the trace findings go. */
  table: vscode.Range;
}

/** The `{ block = "N", capacity = M }` lines of the pools array, read from the document. */
function pools(doc: vscode.TextDocument): PoolLine[] {
  return poolLines(doc).map((line) => {
    const text = doc.lineAt(line).text;
    const m = /(\{\s*block\s*=\s*"(\d+)"\s*,\s*capacity\s*=\s*(\d+)\s*\})/.exec(text);
    assert.ok(m, `pool line ${line + 1} is not a plain { block, capacity } table: ${text}`);
    const start = m.index;
    return { line, block: Number(m[2]), capacity: Number(m[3]), table: new vscode.Range(line, start, line, start + m[1].length) };
  });
}

const poolOf = (doc: vscode.TextDocument, block: number): PoolLine => {
  const pool = pools(doc).find((p) => p.block === block);
  assert.ok(pool, `no pool with block ${block} in ${doc.uri.path}`);
  return pool;
};

const withCode = (ds: readonly vscode.Diagnostic[], code: string) => ds.filter((d) => codeOf(d) === code);
const summarise = (ds: readonly vscode.Diagnostic[]) =>
  JSON.stringify(ds.map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`));

export default function register(): void {
  describe('heap trace on traced/Drone.toml (examples/sensor-logger)', () => {
    let uri: vscode.Uri;
    let doc: vscode.TextDocument;
    let diagnostics: vscode.Diagnostic[];

    before(async () => {
      await activateExtension();
      uri = vscode.Uri.joinPath(workspaceRoot(), 'traced', 'Drone.toml');
      doc = await vscode.workspace.openTextDocument(uri);
      // Bounded (WAIT_MS): covers the server reading the trace file and the worker's replay.
      diagnostics = await waitForDiagnostics(
        uri,
        (ds) => withCode(ds, 'trace-failure').length > 0 && withCode(ds, 'trace-overflow').length > 0,
        'trace-failure and trace-overflow on traced/Drone.toml',
      );
    });

    it("trace-failure (error) on the 336 B pool's inline table, naming the first failing event", () => {
      const failures = withCode(diagnostics, 'trace-failure');
      const pool = poolOf(doc, FAILING_BLOCK);
      assert.equal(failures.length, 1, `trace-failure diagnostics: ${summarise(failures)}`);
      const [d] = failures;
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(d.source, 'drone-heap');
      assert.ok(d.range.isEqual(pool.table), `range ${summarise([d])} ≠ the pool's { … } on line ${pool.line + 1}`);
      assert.equal(doc.getText(d.range), doc.getText(pool.table));
      assert.match(d.message, /first failure is at event \d+/);
    });

    it('trace-overflow (warning) on the 20 B and 512 B pools', () => {
      const overflow = withCode(diagnostics, 'trace-overflow');
      const want = OVERFLOW_BLOCKS.map((b) => poolOf(doc, b));
      assert.deepEqual(
        overflow.map((d) => d.range.start.line).sort((a, b) => a - b),
        want.map((p) => p.line),
        summarise(overflow),
      );
      for (const d of overflow) {
        assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
        assert.ok(
          want.some((p) => p.table.isEqual(d.range)),
          `range of ${summarise([d])} is not a pool's { … }`,
        );
      }
      // The file itself is valid: every diagnostic comes from the trace.
      for (const d of diagnostics) assert.match(String(codeOf(d)), /^trace-/, summarise(diagnostics));
    });

    it('inlay hints: `peak …` after every pool, ✖ on the failing one', async () => {
      const all = pools(doc);
      const range = new vscode.Range(all[0].line, 0, all[all.length - 1].line + 1, 0);
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, range);
      const peaks = (hints ?? []).filter((h) => labelText(h).startsWith('peak '));
      const byLine = new Map(peaks.map((h) => [h.position.line, labelText(h)]));
      assert.deepEqual(
        [...byLine.keys()].sort((a, b) => a - b),
        all.map((p) => p.line),
        `peak hints: ${JSON.stringify([...byLine])}`,
      );
      for (const p of all) {
        const label = byLine.get(p.line)!;
        assert.match(label, new RegExp(`^peak \\d+/${p.capacity} · `), label);
        assert.equal(label.includes('✖'), p.block === FAILING_BLOCK, `pool ${p.block}: ${label}`);
      }
      assert.match(byLine.get(poolOf(doc, FAILING_BLOCK).line)!, /✖ \d+ failed/);
    });

    it('hover on the 336 B pool shows the figures from the trace', async () => {
      const at = find(doc, `"${FAILING_BLOCK}"`, (l) => /capacity\s*=/.test(l)).translate(0, 1);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
      const text = hoverText(hovers ?? []);
      assert.ok(text.includes('From the trace'), `hover text was: ${JSON.stringify(text)}`);
    });

    it('code lens above [heap.main] summarises the trace (events)', async () => {
      const header = find(doc, '[heap.main]').line;
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const titles = (lenses ?? []).filter((l) => l.range.start.line === header).map((l) => l.command?.title ?? '');
      assert.ok(
        titles.some((t) => /\d+ events/.test(t) && t.includes('heaptrace')),
        `lenses on line ${header + 1}: ${JSON.stringify(titles)}`,
      );
    });

    it('giving the 336 B pool enough capacity (and size to match) clears trace-failure', async () => {
      const pool = poolOf(doc, FAILING_BLOCK);
      // The trace holds up to 5 blocks of 257–336 B at once (3 + 1 overflowing into 512 + failures);
      // twice the capacity is plenty.
      const capacity = pool.capacity * 2;
      const sum = pools(doc).reduce((s, p) => s + p.block * (p.block === FAILING_BLOCK ? capacity : p.capacity), 0);
      const capacityAt = doc.lineAt(pool.line).text.indexOf(`capacity = ${pool.capacity}`, pool.table.start.character);
      assert.ok(capacityAt >= 0);
      // The first `size =` after [heap.main] (memory regions come before it in this file).
      const heapHeader = find(doc, '[heap.main]').line;
      let sizeRange: vscode.Range | undefined;
      for (let i = heapHeader + 1; i < doc.lineCount && !sizeRange; i++) {
        const m = /^(\s*size\s*=\s*)("[^"]*")/.exec(doc.lineAt(i).text);
        if (m) sizeRange = new vscode.Range(i, m[1].length, i, m[1].length + m[2].length);
      }
      assert.ok(sizeRange, 'no size under [heap.main]');

      const edit = new vscode.WorkspaceEdit();
      const oldCapacity = `capacity = ${pool.capacity}`;
      edit.replace(uri, new vscode.Range(pool.line, capacityAt, pool.line, capacityAt + oldCapacity.length), `capacity = ${capacity}`);
      edit.replace(uri, sizeRange, `"${sum}"`);
      // Subscribe before editing so that no event is missed; then wait for the replay of the
      // new layout: no trace-failure, and the 512 B pool now unused (a finding that only a
      // replay of the edited pools can produce, not a stale or partial publication).
      const unused = poolOf(doc, 512).line;
      const cleared = waitForDiagnostics(
        uri,
        (ds) => withCode(ds, 'trace-failure').length === 0 && withCode(ds, 'trace-unused-pool').some((d) => d.range.start.line === unused),
        'trace-failure to go away after the edit',
      );
      assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit returned false');
      assert.ok(doc.lineAt(pool.line).text.includes(`capacity = ${capacity}`), doc.lineAt(pool.line).text);
      const after = await cleared;
      // The edit keeps the file valid: pool sum = size, so no text diagnostics either.
      assert.deepEqual(after.filter((d) => !String(codeOf(d)).startsWith('trace-')).map(codeOf), []);
      assert.ok(ours(uri).every((d) => codeOf(d) !== 'trace-failure'));
    });
  });

  describe('an imported trace (imported-trace/Drone.toml, written by this suite)', () => {
    // Pools 16×1 and 32×2: burst.trace makes the 32 B pool fail; heaptrace uses only the 16 B pool.
    const DRONE_TOML =
      '[memory.ram]\nsize = "20K"\norigin = 0x20000000\n\n[heap.main]\nsize = "80"\npools = [\n    { block = "16", capacity = 1 },\n    { block = "32", capacity = 2 },\n]\n';
    let folder: vscode.Uri;
    let uri: vscode.Uri;
    let burst: vscode.Uri;
    const write = (target: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    const failsIn = (name: string) => (ds: vscode.Diagnostic[]) =>
      withCode(ds, 'trace-failure').some((d) => d.message.includes(`ran out in ${name}`));

    before(async () => {
      await activateExtension();
      folder = vscode.Uri.joinPath(workspaceRoot(), 'imported-trace');
      uri = vscode.Uri.joinPath(folder, 'Drone.toml');
      burst = vscode.Uri.joinPath(folder, 'captures', 'burst.trace');
      await write(uri, DRONE_TOML);
      await write(vscode.Uri.joinPath(folder, 'heaptrace'), 'alloc 8\nfree 8\n');
      await write(burst, 'alloc 8\nalloc 8\nalloc 20\nalloc 20\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    });

    it('is used once imported, and again after the server restarts (as after a window reload)', async () => {
      const imported = waitForDiagnostics(uri, failsIn('captures/burst.trace'), 'the failure in the imported trace');
      await vscode.commands.executeCommand('droneHeap.importTrace', burst);
      await imported;
      // The new server knows nothing but what the client sends at its start: a restart is what a reload does to it.
      let sawFresh = false;
      const fresh = vscode.languages.onDidChangeDiagnostics(() => {
        if (!ours(uri).some((d) => String(codeOf(d)).startsWith('trace-'))) sawFresh = true;
      });
      try {
        const replayed = waitForDiagnostics(
          uri,
          (ds) => sawFresh && failsIn('captures/burst.trace')(ds),
          'the imported trace replayed by the restarted server',
        );
        await vscode.commands.executeCommand('droneHeap.restartServer');
        await replayed;
      } finally {
        fresh.dispose();
      }
    });

    it('gives way to heaptrace while the imported file is gone', async () => {
      const fallback = waitForDiagnostics(
        uri,
        (ds) =>
          !failsIn('captures/burst.trace')(ds) &&
          withCode(ds, 'trace-unused-pool').some((d) => d.message.includes('never used in heaptrace')),
        'the figures of heaptrace after burst.trace is deleted',
      );
      await vscode.workspace.fs.delete(burst);
      await fallback;
    });
  });
}
