// A minimal LSP client for tests: spawns the bundled server (dist/server.js) over stdio,
// as Neovim or Helix would, and speaks JSON-RPC to it. Waits on messages, never on time.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from './paths';

export const SERVER_PATH = join(REPO_ROOT, 'dist', 'server.js');

export class TestLspClient {
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; version: number; resolve: (d: Diagnostic[]) => void }[] = [];
  private readonly predicateWaiters: { uri: string; accept: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  private versions = new Map<string, number>();
  private readonly notificationListeners = new Map<string, Set<(params: unknown) => void>>();
  private readonly serverRequestListeners = new Map<string, Set<(params: unknown) => void>>();
  stderr = '';

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && (params.version === undefined || params.version >= waiter.version)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params.diagnostics);
        }
      }
      for (const waiter of [...this.predicateWaiters]) {
        if (waiter.uri === params.uri && waiter.accept(params.diagnostics)) {
          this.predicateWaiters.splice(this.predicateWaiters.indexOf(waiter), 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
  }

  /**
   * Spawns the server and initializes it. `initialize` adds to (or overrides) the initialize
   * params, e.g. `workspaceFolders` or client `capabilities`.
   */
  static async start(
    initializationOptions?: unknown,
    initialize: Record<string, unknown> = {},
  ): Promise<{ client: TestLspClient; init: InitializeResult }> {
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestLspClient(child, connection);
    child.stderr!.on('data', (chunk) => (client.stderr += chunk));
    connection.listen();
    const init = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
      initializationOptions,
      ...initialize,
    })) as InitializeResult;
    await connection.sendNotification('initialized', {});
    return { client, init };
  }

  /** Opens a document and resolves with the diagnostics the server publishes for it. */
  open(uri: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const received = this.nextDiagnostics(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'toml', version: 1, text } });
    return received;
  }

  /** Replaces the whole text (a full-document change) and waits for the new diagnostics. */
  change(uri: string, text: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const received = this.nextDiagnostics(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return received;
  }

  /** Resolves with the first published diagnostics of `uri` (the latest already received included) that `accept` takes. */
  diagnosticsMatching(uri: string, accept: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const latest = this.diagnostics.get(uri);
    if (latest && accept(latest.diagnostics)) return Promise.resolve(latest.diagnostics);
    return new Promise((resolve) => this.predicateWaiters.push({ uri, accept, resolve }));
  }

  /** Resolves with the first notification `method` whose params `accept` takes. */
  notificationMatching<P>(method: string, accept: (params: P) => boolean): Promise<P> {
    // jsonrpc keeps one handler per method: register it once and fan out to waiters.
    let listeners = this.notificationListeners.get(method);
    if (!listeners) {
      const set = new Set<(params: unknown) => void>();
      listeners = set;
      this.notificationListeners.set(method, set);
      this.connection.onNotification(method, (params: unknown) => set.forEach((listener) => listener(params)));
    }
    const set = listeners;
    return new Promise((resolve) => {
      const listener = (params: unknown) => {
        if (!accept(params as P)) return;
        set.delete(listener);
        resolve(params as P);
      };
      set.add(listener);
    });
  }

  /** Resolves when the server sends the request `method` (e.g. `workspace/codeLens/refresh`); it is answered with null. */
  serverRequest<P>(method: string): Promise<P> {
    let listeners = this.serverRequestListeners.get(method);
    if (!listeners) {
      const set = new Set<(params: unknown) => void>();
      listeners = set;
      this.serverRequestListeners.set(method, set);
      this.connection.onRequest(method, (params: unknown) => {
        const waiting = [...set];
        set.clear();
        waiting.forEach((listener) => listener(params));
        return null;
      });
    }
    const set = listeners;
    return new Promise((resolve) => set.add((params) => resolve(params as P)));
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  private nextDiagnostics(uri: string, version: number): Promise<Diagnostic[]> {
    return new Promise((resolve) => this.waiters.push({ uri, version, resolve }));
  }

  /** Shuts the server down the LSP way and waits until its process has exited. */
  async stop(): Promise<void> {
    const exited = this.process.exitCode !== null ? Promise.resolve() : new Promise((resolve) => this.process.once('exit', resolve));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    await exited;
    this.connection.dispose();
  }
}
