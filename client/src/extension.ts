// The VS Code side of Drone Heap: starts the language server (bundled as
// dist/server.js, over IPC) for files named Drone.toml, and registers commands.
// Everything about Drone.toml itself lives in the server; this stays a thin shell.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

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
  client = new LanguageClient('droneHeap', 'Drone Heap', serverOptions, clientOptions);
  context.subscriptions.push(
    client,
    vscode.commands.registerCommand('droneHeap.restartServer', () => client?.restart()),
    vscode.commands.registerCommand('droneHeap.showOutput', () => outputChannel.show()),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
