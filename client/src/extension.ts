// The VS Code side of Drone Heap: starts the language server (bundled as
// dist/server.js, over IPC) for files named Drone.toml, and registers commands.
// Everything about Drone.toml itself lives in the server; this stays a thin shell.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TransportKind, type LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { TraceStatusNotification, WorkspaceTrustNotification, type DroneHeapInitializationOptions } from '../../protocol/lsp';
import { registerCommands } from './commands';
import { ImportedTraces } from './importedTraces';
import { QuietLanguageClient } from './quietClient';
import { LayoutOptimizer } from './optimize';
import { HeapViewPanel } from './heapView/panel';
import { TraceStatusBar } from './traceStatus';
import { DeviceStatusBar } from './device/deviceStatus';
import { DebugMemoryReader } from './device/debugReader';
import { DeviceStatusNotification } from '../../protocol/device';
import { COMMANDS } from './commands';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Drone Heap', { log: true });
  const imported = new ImportedTraces(context.workspaceState);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'toml', pattern: '**/Drone.toml' }],
    // A function, so a restarted server learns the trust of the moment. In Restricted Mode
    // the server reads no trace outside the workspace folder (package.json: capabilities).
    initializationOptions: (): DroneHeapInitializationOptions => ({
      settings: vscode.workspace.getConfiguration('droneHeap'),
      workspaceTrusted: vscode.workspace.isTrusted,
      importedTraces: imported.all(),
    }),
    outputChannel,
  };
  // Quiet: requests made while the client stops for a reload are dropped unlogged (quietClient.ts).
  const languageClient = new QuietLanguageClient('droneHeap', 'Drone Heap', serverOptions, clientOptions);
  client = languageClient;
  const statusBar = new TraceStatusBar();
  const heapView = new HeapViewPanel(context.extensionUri, languageClient);
  const optimizer = new LayoutOptimizer(languageClient, statusBar, outputChannel);
  const deviceStatus = new DeviceStatusBar(COMMANDS.openHeapView);
  const debugReader = new DebugMemoryReader(languageClient, deviceStatus, outputChannel);
  context.subscriptions.push(
    languageClient,
    statusBar,
    heapView,
    languageClient.onNotification(TraceStatusNotification, (params) => {
      statusBar.update(params);
      heapView.onTraceStatus(params);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      languageClient
        .sendNotification(WorkspaceTrustNotification, { trusted: true })
        .catch((error) => outputChannel.error(`workspace trust: ${error}`));
    }),
    deviceStatus,
    debugReader,
    // The heap view asks again on the trace status, which the server sends with this one.
    languageClient.onNotification(DeviceStatusNotification, (params) => deviceStatus.update(params)),
    optimizer,
    ...registerCommands({ client: languageClient, outputChannel, statusBar, heapView, optimizer, imported }),
  );
  await languageClient.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
