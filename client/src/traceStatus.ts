// The status bar item: which trace is applied to the Drone.toml in the active editor,
// and its state (replaying n%, events, failures). Fed by the server's
// droneHeap/traceStatus notification; clicking it opens the heap view.
import * as vscode from 'vscode';
import type { HeapTraceStatus, TraceStatusParams } from '../../protocol/traceStatus';
import { COMMANDS } from './commands';
import { plural } from '../../common/format';

export class TraceStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('droneHeap.trace', vscode.StatusBarAlignment.Left, 50);
  private readonly byUri = new Map<string, HeapTraceStatus[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.item.name = 'Drone Heap trace';
    this.item.command = COMMANDS.openHeapView;
    this.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(() => this.render()));
  }

  update(params: TraceStatusParams): void {
    this.byUri.set(params.uri, params.heaps);
    this.render();
  }

  /** Status of every heap of a document, as last reported. */
  statusOf(uri: string): HeapTraceStatus[] {
    return this.byUri.get(uri) ?? [];
  }

  private render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const heaps = uri ? this.byUri.get(uri) : undefined;
    if (!heaps || heaps.length === 0) {
      this.item.hide();
      return;
    }
    this.item.text = heaps.map(describe).join('  ');
    this.item.tooltip = heaps.map((h) => `${h.qualifiedName}: ${h.message}`).join('\n');
    const failing = heaps.some((h) => (h.failures ?? 0) > 0 || h.state === 'failed');
    this.item.backgroundColor = failing ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}

function describe(heap: HeapTraceStatus): string {
  const name = heap.tracePath?.split(/[\\/]/).pop() ?? 'no trace';
  switch (heap.state) {
    case 'no-trace':
      return `$(circle-slash) ${heap.qualifiedName}: no trace`;
    case 'layout-invalid':
      return `$(warning) ${heap.qualifiedName}: ${name} (fix the pools)`;
    case 'replaying':
      return `$(sync~spin) ${heap.qualifiedName}: replaying ${name} ${Math.round(heap.progress * 100)}%`;
    case 'failed':
      return `$(error) ${heap.qualifiedName}: ${name} unreadable`;
    case 'restricted':
      return `$(shield) ${heap.qualifiedName}: ${name} not read (Restricted Mode)`;
    case 'done':
      return `$(pulse) ${heap.qualifiedName}: ${name} · ${plural(heap.events ?? 0, 'event')} · ${heap.failures ? plural(heap.failures, 'failure') : 'served'}`;
  }
}
