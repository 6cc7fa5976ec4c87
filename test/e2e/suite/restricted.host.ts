// Restricted Mode in the real VS Code: run.mjs's `host-restricted` phase opens the workspace
// with workspace trust on and no prompt, so it is not trusted. The extension declares
// `capabilities.untrustedWorkspaces: limited` (package.json): it must be active, its checks,
// quick fixes, hovers, hints and the heap view must work on the workspace's files, and a
// trace inside the workspace must be replayed; a trace that the user settings name outside
// the workspace folder (droneHeap.traces → dma: ../../outside.trace, see
// lib/codeServer.mjs RESTRICTED_SETTINGS) must not be read, and the trace-problem diagnostic
// on [heap.dma] says why. The workspace's own .vscode/settings.json maps dma to another
// trace (../../workspace-setting.trace); VS Code ignores that value while untrusted because
// droneHeap.traces is listed in restrictedConfigurations.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  codeOf,
  EXTENSION_ID,
  find,
  fixtureUri,
  heapSizeValueRange,
  hintLabels,
  hoverText,
  labelText,
  poolLines,
  waitForDiagnostics,
  WAIT_MS,
} from './helpers';

const withCode = (ds: readonly vscode.Diagnostic[], code: string) => ds.filter((d) => codeOf(d) === code);

/** Resolves once `done()` holds: checked now and on every tab change; rejects after WAIT_MS. */
function waitForTabs(done: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer);
      sub.dispose();
      if (error) reject(error);
      else resolve();
    };
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => done() && finish());
    const timer = setTimeout(() => finish(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`)), WAIT_MS);
    if (done()) finish();
  });
}

const heapViewTabs = () =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('droneHeap.heapView'));

export default function register(): void {
  describe('Restricted Mode (an untrusted workspace)', () => {
    before(async () => {
      await activateExtension();
    });

    it('the workspace is not trusted, and the extension is active in it', () => {
      assert.equal(vscode.workspace.isTrusted, false, 'the harness should have opened the folder in Restricted Mode');
      assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    });

    it('VS Code ignores the workspace value of droneHeap.traces (restrictedConfigurations): the user value applies', () => {
      const traces = vscode.workspace.getConfiguration('droneHeap').get<Record<string, string>>('traces');
      assert.deepEqual(traces, { dma: '../../outside.trace' });
    });

    describe('the checks and the quick fix on broken/Drone.toml', () => {
      let doc: vscode.TextDocument;

      after(async () => {
        if (doc?.isDirty) {
          await vscode.window.showTextDocument(doc);
          await vscode.commands.executeCommand('workbench.action.files.revert');
        }
      });

      it('pool-sum-mismatch is reported, and its quick fix applies and clears it', async () => {
        doc = await vscode.workspace.openTextDocument(fixtureUri('broken'));
        const ds = await waitForDiagnostics(doc.uri, (d) => withCode(d, 'pool-sum-mismatch').length > 0, 'pool-sum-mismatch');
        assert.equal(withCode(ds, 'pool-sum-mismatch')[0].severity, vscode.DiagnosticSeverity.Error);
        const range = heapSizeValueRange(doc);
        const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
          'vscode.executeCodeActionProvider',
          doc.uri,
          range,
          undefined,
          50,
        );
        const fix = (actions ?? []).find((a): a is vscode.CodeAction => a.title.startsWith('Set size to "10752"') && 'kind' in a);
        assert.ok(fix?.edit, `no 'Set size to "10752"' edit among ${JSON.stringify((actions ?? []).map((a) => a.title))}`);
        assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit returned false');
        assert.equal(doc.getText(heapSizeValueRange(doc)), '"10752"');
        await waitForDiagnostics(doc.uri, (d) => d.length === 0, 'no diagnostics after the fix');
      });
    });

    it("hover on bluepill-blink's 336 B pool shows 336 × 3 = 1008 B", async () => {
      const doc = await vscode.workspace.openTextDocument(fixtureUri('bluepill-blink'));
      const at = find(doc, '"336"', (l) => /capacity\s*=\s*3\b/.test(l)).translate(0, 1);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      assert.ok(hoverText(hovers ?? []).includes('336 × 3 = 1008 B'), hoverText(hovers ?? []));
    });

    it('the heaptrace inside the workspace (traced/) is replayed: trace-failure and `peak` inlay hints', async () => {
      const uri = fixtureUri('traced');
      const doc = await vscode.workspace.openTextDocument(uri);
      const ds = await waitForDiagnostics(uri, (d) => withCode(d, 'trace-failure').length > 0, 'trace-failure from traced/heaptrace');
      assert.deepEqual(
        withCode(ds, 'trace-problem').map((d) => d.message),
        [],
        'nothing refused in traced/',
      );
      const pools = poolLines(doc);
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        uri,
        new vscode.Range(pools[0], 0, pools[pools.length - 1] + 1, 0),
      );
      const peaks = (hints ?? []).map(labelText).filter((l) => l.startsWith('peak '));
      assert.equal(peaks.length, pools.length, JSON.stringify((hints ?? []).map(labelText)));
    });

    describe('restricted/Drone.toml, whose dma heap the user settings map to ../../outside.trace', () => {
      let uri: vscode.Uri;
      let doc: vscode.TextDocument;
      let problem: vscode.Diagnostic;

      before(async () => {
        uri = fixtureUri('restricted');
        doc = await vscode.workspace.openTextDocument(uri);
        const ds = await waitForDiagnostics(uri, (d) => withCode(d, 'trace-problem').length > 0, 'trace-problem on restricted/Drone.toml');
        problem = withCode(ds, 'trace-problem')[0];
      });

      it('the outside trace is not read: trace-problem on [heap.dma] says Restricted Mode and how to read it', async () => {
        assert.equal(problem.range.start.line, find(doc, '[heap.dma]').line, JSON.stringify(problem.range));
        assert.equal(problem.severity, vscode.DiagnosticSeverity.Warning);
        assert.match(
          problem.message,
          /^Restricted Mode: not reading \.\.\/\.\.\/outside\.trace \(setting droneHeap\.traces\), which is outside the workspace folder\. Trust the workspace to read it/,
        );
        // Had it been read, the fallback trace would make the 32 B pool of heap.dma fail and
        // put `peak` hints on its pools.
        const ds = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'drone-heap');
        assert.deepEqual(ds.map(codeOf), ['trace-problem'], JSON.stringify(ds.map((d) => d.message)));
        assert.deepEqual(await hintLabels(uri, 'peak '), []);
      });

      it('the summary code lens above [heap.dma] says so too', async () => {
        const header = find(doc, '[heap.dma]').line;
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        const titles = (lenses ?? []).filter((l) => l.range.start.line === header).map((l) => l.command?.title ?? '');
        assert.ok(
          titles.some((t) => t.startsWith('Restricted Mode: not reading')),
          JSON.stringify(titles),
        );
      });

      it('the heap view opens on the dma heap', async () => {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('droneHeap.openHeapView', uri.toString(), 'dma');
        await waitForTabs(() => heapViewTabs().length === 1, 'the heap view tab');
        await vscode.window.tabGroups.close(heapViewTabs());
      });
    });
  });
}
