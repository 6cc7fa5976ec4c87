// The pool-sum quick fix: offered at the diagnostic, and its edit touches only the size value.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, codeOf, fixtureUri, heapSizeValueRange, waitForDiagnostics } from './helpers';

export default function register(): void {
  describe('quick fix for pool-sum-mismatch', () => {
    let doc: vscode.TextDocument;
    let range: vscode.Range;
    let fix: vscode.CodeAction | undefined;
    let diagnostic: vscode.Diagnostic;

    before(async () => {
      await activateExtension();
      const uri = fixtureUri('broken');
      doc = await vscode.workspace.openTextDocument(uri);
      const ds = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'pool-sum-mismatch'), 'pool-sum-mismatch');
      diagnostic = ds.find((x) => codeOf(x) === 'pool-sum-mismatch')!;
      range = heapSizeValueRange(doc);
    });

    after(async () => {
      // Leave the fixture as it was for later suites (the harness works on a copy anyway).
      if (doc?.isDirty) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    });

    it('offers a quickfix titled Set size to "10752"', async () => {
      // The 4th argument makes VS Code resolve lazily computed edits (codeAction/resolve).
      const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        range,
        undefined,
        50,
      );
      const titles = (actions ?? []).map((a) => a.title);
      fix = (actions ?? []).find((a): a is vscode.CodeAction => a.title.startsWith('Set size to "10752"') && 'kind' in a);
      assert.ok(fix, `no 'Set size to "10752"' action among ${JSON.stringify(titles)}`);
      assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind is ${fix.kind?.value}`);
      if (fix.diagnostics?.length) assert.equal(codeOf(fix.diagnostics[0]), codeOf(diagnostic));
    });

    it('changes only "10K" to "10752"', async () => {
      assert.ok(fix, 'no fix from the previous test');
      const before = doc.getText();
      const offset = doc.offsetAt(range.start);
      const expected = before.slice(0, offset) + '"10752"' + before.slice(doc.offsetAt(range.end));
      if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit returned false');
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      assert.ok(fix.edit || fix.command, 'the action has neither an edit nor a command');
      assert.equal(doc.getText(), expected);
    });

    it('clears the diagnostic after the fix', async () => {
      assert.ok(fix, 'no fix from the previous test');
      await waitForDiagnostics(doc.uri, (ds) => ds.length === 0, 'no diagnostics after the fix');
    });
  });
}
