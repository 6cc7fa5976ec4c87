// "Drone Heap: Import Trace…": pick a trace file for a heap of the Drone.toml in the
// active editor (or the only one in the workspace); the server replays it from then on.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ImportTraceRequest, type ImportTraceParams } from '../../protocol/lsp';
import { findDroneToml } from './droneToml';
import type { ImportedTraces } from './importedTraces';
import type { TraceStatusBar } from './traceStatus';

export async function importTrace(
  client: LanguageClient,
  statusBar: TraceStatusBar,
  imported: ImportedTraces,
  fileArgument?: vscode.Uri,
): Promise<void> {
  const config = await findDroneToml({ ask: 'Import a trace for which Drone.toml?' });
  if (!config) return;
  const document = await vscode.workspace.openTextDocument(config);
  await vscode.window.showTextDocument(document, { preview: false });
  const heaps = statusBar.statusOf(config.toString());
  const heap =
    heaps.length > 1
      ? (
          await vscode.window.showQuickPick(
            heaps.map((h) => ({ label: h.qualifiedName, heap: h.heap, description: h.message })),
            { title: 'Which heap is the trace of?' },
          )
        )?.heap
      : (heaps[0]?.heap ?? 'main');
  if (!heap) return;
  const file =
    fileArgument ??
    (
      await vscode.window.showOpenDialog({
        title: 'Import heap trace',
        defaultUri: vscode.Uri.joinPath(config, '..'),
        canSelectMany: false,
        openLabel: 'Use this trace',
      })
    )?.[0];
  if (!file) return;
  const params: ImportTraceParams = { uri: config.toString(), heap, tracePath: file.fsPath };
  const status = await client.sendRequest(ImportTraceRequest, params);
  await imported.remember(params);
  void vscode.window.setStatusBarMessage(`Drone Heap: ${status.qualifiedName} now uses ${file.fsPath}`, 5000);
}
