// The heap view panel's host side: one WebviewPanel per window ("Drone Heap: Open Heap
// View", the heap summary code lens, the status bar item), restored after a reload by a
// serializer. It follows the Drone.toml in the active editor and the heap under its cursor,
// asks the server for the figures (droneHeap/heapView) and hands them to the page; it
// refreshes when the server says a replay of that document changed, or the text changed.
// Messages both ways are the protocol's typed unions (protocol/heapViewMessages.ts); the page is dist/webview.js.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from '../commands';
import type { HeapViewData, ViewRange } from '../../../protocol/heapView';
import type { HeapViewHostMessage, HeapViewPageMessage, HeapViewPageState } from '../../../protocol/heapViewMessages';
import { HeapViewRangeRequest, HeapViewRequest, type HeapViewParams } from '../../../protocol/lsp';
import type { TraceStatusParams } from '../../../protocol/traceStatus';
import { activeDroneToml, findDroneToml, isDroneToml } from '../droneToml';
import { heapViewHtml } from './html';

export const HEAP_VIEW_TYPE = 'droneHeap.heapView';

/** How long to wait after a burst of cursor moves, edits or replay progress before asking again. */
const DELAY = { cursor: 120, edit: 250, trace: 200 };

export class HeapViewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The document and heap shown; the cursor position, when it should pick the heap. */
  private uri: string | undefined;
  private heap: string | null = null;
  private position: vscode.Position | null = null;
  private lastLine: number | null = null;
  private buckets = 1000;
  private pageReady = false;
  private lastPosted = '';
  private requestSequence = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
  ) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(HEAP_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, (state ?? {}) as HeapViewPageState),
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!editor || !isDroneToml(editor.document.uri)) return;
        this.follow(editor, editor.selection.active);
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor !== vscode.window.activeTextEditor || !isDroneToml(event.textEditor.document.uri)) return;
        this.follow(event.textEditor, event.selections[0]?.active ?? null);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length && event.document.uri.toString() === this.uri) this.schedule(DELAY.edit);
      }),
    );
  }

  /** The server's droneHeap/traceStatus notification: figures of a document changed. */
  onTraceStatus(params: TraceStatusParams): void {
    if (params.uri === this.uri) this.schedule(DELAY.trace);
  }

  /** Opens (or reveals) the panel on `uri`'s heap `heap`, or on the active Drone.toml and the heap under its cursor. */
  async open(uri?: string, heap?: string): Promise<void> {
    const active = activeDroneToml();
    const target = uri ?? active?.document.uri.toString() ?? this.uri ?? (await findDroneToml('nearest-root'))?.toString();
    if (target !== this.uri) this.heap = null;
    this.uri = target;
    if (heap) {
      this.heap = heap;
      this.position = null;
    } else if (active && active.document.uri.toString() === target) {
      this.position = active.selection.active;
    }
    if (this.panel) {
      this.panel.reveal(undefined, true);
    } else {
      const panel = vscode.window.createWebviewPanel(
        HEAP_VIEW_TYPE,
        'Heap View',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        {},
      );
      this.attach(panel);
    }
    this.schedule(0);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }

  private restore(panel: vscode.WebviewPanel, state: HeapViewPageState): void {
    if (this.panel) {
      panel.dispose(); // one heap view per window
      return;
    }
    this.uri = state.uri ?? activeDroneToml()?.document.uri.toString();
    this.heap = state.heap ?? null;
    this.position = null;
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.pageReady = false;
    this.lastPosted = '';
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = heapViewHtml({
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    });
    this.panelSubscriptions = [
      panel.webview.onDidReceiveMessage((message: HeapViewPageMessage) => void this.onMessage(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.pageReady = false; // its page is unloaded until shown again
      }),
      panel.onDidDispose(() => {
        this.panelSubscriptions.forEach((s) => s.dispose());
        this.panelSubscriptions = [];
        this.panel = undefined;
        this.pageReady = false;
      }),
    ];
  }

  private follow(editor: vscode.TextEditor, position: vscode.Position | null): void {
    if (!this.panel) return;
    const uri = editor.document.uri.toString();
    if (uri !== this.uri) {
      this.uri = uri;
      this.heap = null;
      this.lastLine = null;
    }
    // Only a move to another line can change the heap under the cursor.
    if (position && position.line === this.lastLine) return;
    this.position = position;
    this.schedule(DELAY.cursor);
  }

  private async onMessage(message: HeapViewPageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        this.lastPosted = '';
        if (Number.isFinite(message.buckets) && message.buckets > 0) this.buckets = Math.round(message.buckets);
        this.schedule(0);
        break;
      case 'pickHeap':
        if (message.uri !== this.uri) return;
        this.heap = message.heap;
        this.position = null;
        this.schedule(0);
        break;
      case 'reveal':
        await reveal(message.uri, message.range);
        break;
      case 'zoom': {
        // The chart's zoomed range at its resolution; the page drops an answer to an older zoom.
        const { uri, heap, from, to, buckets } = message;
        try {
          await whenRunning(this.client);
          const series = await this.client.sendRequest(HeapViewRangeRequest, { uri, heap, from, to, buckets });
          this.post({ type: 'range', from, to, series });
        } catch {
          this.post({ type: 'range', from, to, series: null });
        }
        break;
      }
      case 'importTrace':
        await reveal(message.uri, null);
        await vscode.commands.executeCommand(COMMANDS.importTrace);
        break;
      case 'applyLayout': {
        const available = await vscode.commands.getCommands(true);
        if (!available.includes(COMMANDS.applyLayout)) {
          void vscode.window.showWarningMessage('Drone Heap: applying a proposed layout is not available in this version.');
          return;
        }
        await vscode.commands.executeCommand(COMMANDS.applyLayout, {
          uri: message.uri,
          heap: message.heap,
          pools: message.pools,
          size: message.size,
        });
        break;
      }
    }
  }

  /** Asks again after `delay` ms; calls in the meantime join that one (it reads the latest state). */
  private schedule(delay: number): void {
    if (!this.panel || !this.pageReady) return;
    if (this.timer !== undefined && delay > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delay);
  }

  private async refresh(): Promise<void> {
    // A hidden panel's page is unloaded; it says `ready` again when shown, and is answered then.
    if (!this.panel || !this.pageReady || !this.panel.visible) return;
    const sequence = ++this.requestSequence;
    if (!this.uri) {
      this.post({ type: 'noDocument' });
      return;
    }
    const params: HeapViewParams = {
      uri: this.uri,
      heap: this.heap,
      position: this.position ? { line: this.position.line, character: this.position.character } : null,
      buckets: this.buckets,
    };
    this.lastLine = this.position?.line ?? null;
    let data: HeapViewData;
    try {
      await whenRunning(this.client);
      // The server knows only open documents; opening (without showing) makes it replay.
      await vscode.workspace.openTextDocument(vscode.Uri.parse(params.uri));
      data = await this.client.sendRequest(HeapViewRequest, params);
    } catch (error) {
      if (sequence === this.requestSequence) this.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (sequence !== this.requestSequence || params.uri !== this.uri) return; // a newer request is on its way
    if (data.heap) this.heap = data.heap.name;
    if (this.panel) this.panel.title = data.heap ? `Heap: ${data.heap.qualifiedName}` : 'Heap View';
    this.post({ type: 'data', data });
  }

  private post(message: HeapViewHostMessage): void {
    const text = JSON.stringify(message);
    if (!this.panel || text === this.lastPosted) return;
    this.lastPosted = text;
    void this.panel.webview.postMessage(message);
  }
}

async function whenRunning(client: LanguageClient): Promise<void> {
  if (client.state === State.Running) return;
  await new Promise<void>((resolve) => {
    const subscription = client.onDidChangeState((event) => {
      if (event.newState === State.Running) {
        subscription.dispose();
        resolve();
      }
    });
  });
}

/** Shows `range` of the document in a text editor (not over the panel), or just the document. */
async function reveal(uri: string, range: ViewRange | null): Promise<void> {
  const target = vscode.Uri.parse(uri);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
  const document = await vscode.workspace.openTextDocument(target);
  const selection = range ? new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character) : undefined;
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
    selection,
    preserveFocus: false,
  });
  if (selection) editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
