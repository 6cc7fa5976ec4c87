// The VS Code side of Drone Heap: starts the language server (bundled as
// dist/server.js, over IPC) for files named Drone.toml, and registers commands.
// Everything about Drone.toml itself lives in the server; this stays a thin shell.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { TraceStatusNotification } from '../../server/src/protocol';
import { importTrace } from './importTrace';
import { TraceStatusBar } from './traceStatus';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Drone Heap', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'toml', pattern: '**/Drone.toml' }],
    initializationOptions: { settings: vscode.workspace.getConfiguration('droneHeap') },
    outputChannel,
  };
  const languageClient = new LanguageClient('droneHeap', 'Drone Heap', serverOptions, clientOptions);
  client = languageClient;
  const statusBar = new TraceStatusBar();
  context.subscriptions.push(
    languageClient,
    statusBar,
    languageClient.onNotification(TraceStatusNotification, (params) => statusBar.update(params)),
    vscode.commands.registerCommand('droneHeap.restartServer', () => languageClient.restart()),
    vscode.commands.registerCommand('droneHeap.showOutput', () => outputChannel.show()),
    vscode.commands.registerCommand('droneHeap.importTrace', (file?: vscode.Uri) => importTrace(languageClient, statusBar, file)),
    // The summary code lens runs this; until the heap view exists it shows the status.
    vscode.commands.registerCommand('droneHeap.showTraceStatus', (uri: string) => {
      const lines = statusBar.statusOf(uri).map((h) => `${h.qualifiedName}: ${h.message}`);
      void vscode.window.showInformationMessage(lines.join('\n') || 'No trace applied.');
    }),
  );
  await languageClient.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
