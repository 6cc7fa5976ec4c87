// Every command of the extension: its ID and what it runs, in one place. The IDs the server
// puts into code lenses and code actions come from the protocol; the others are the
// client's own. package.json contributes the user-facing ones (an in-host test checks
// that each contributed command is registered here).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { APPLY_LAYOUT_COMMAND, OPEN_HEAP_VIEW_COMMAND, OPTIMIZE_LAYOUT_COMMAND } from '../../protocol/commands';
import type { HeapViewPanel } from './heapView/panel';
import { importTrace } from './importTrace';
import type { ImportedTraces } from './importedTraces';
import type { LayoutOptimizer, OptimizeCommandOptions } from './optimize';
import type { TraceStatusBar } from './traceStatus';
import { loadDeviceDump } from './device/loadDump';
import { DeviceClearRequest } from '../../protocol/device';
import { findDroneToml } from './droneToml';

export const COMMANDS = {
  restartServer: 'droneHeap.restartServer',
  showOutput: 'droneHeap.showOutput',
  importTrace: 'droneHeap.importTrace',
  openHeapView: OPEN_HEAP_VIEW_COMMAND,
  optimizeLayout: OPTIMIZE_LAYOUT_COMMAND,
  loadDeviceDump: 'droneHeap.loadDeviceDump',
  clearDeviceFigures: 'droneHeap.clearDeviceFigures',
  /** Internal: the heap view's and the preview's Apply (not in the command palette). */
  applyLayout: APPLY_LAYOUT_COMMAND,
} as const;

export interface CommandTargets {
  client: LanguageClient;
  outputChannel: vscode.OutputChannel;
  statusBar: TraceStatusBar;
  heapView: HeapViewPanel;
  optimizer: LayoutOptimizer;
  imported: ImportedTraces;
}

/** Registers every command; dispose the result to unregister them. */
export function registerCommands({ client, outputChannel, statusBar, heapView, optimizer, imported }: CommandTargets): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.restartServer, () => client.restart()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => outputChannel.show()),
    vscode.commands.registerCommand(COMMANDS.importTrace, (file?: vscode.Uri) => importTrace(client, statusBar, imported, file)),
    // From a code lens (uri and heap as strings), the status bar, or the explorer's context (a Uri).
    vscode.commands.registerCommand(COMMANDS.openHeapView, (uri?: unknown, heap?: unknown) =>
      heapView.open(
        typeof uri === 'string' ? uri : uri instanceof vscode.Uri ? uri.toString() : undefined,
        typeof heap === 'string' ? heap : undefined,
      ),
    ),
    vscode.commands.registerCommand(COMMANDS.optimizeLayout, (uri?: string, heap?: string, options?: OptimizeCommandOptions) =>
      optimizer.optimize(uri, heap, options),
    ),
    vscode.commands.registerCommand(COMMANDS.loadDeviceDump, (file?: unknown, address?: unknown) =>
      loadDeviceDump(client, file instanceof vscode.Uri ? file : undefined, typeof address === 'number' ? address : undefined),
    ),
    vscode.commands.registerCommand(COMMANDS.clearDeviceFigures, async () => {
      const uri = await findDroneToml({ ask: 'Clear the device figures of which Drone.toml?' });
      if (uri) await client.sendRequest(DeviceClearRequest, { uri: uri.toString() });
    }),
    vscode.commands.registerCommand(COMMANDS.applyLayout, (args: Parameters<LayoutOptimizer['applyLayout']>[0]) =>
      optimizer.applyLayout(args),
    ),
  ];
}
