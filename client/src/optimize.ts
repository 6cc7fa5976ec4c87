// One-click layout optimisation: ask the server for a layout that serves the heap's
// trace, preview it as a diff beside the current Drone.toml with the figures before and
// after, and apply it as one undoable edit that replaces only `pools` and `size`.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LayoutEditsRequest, OptimizeLayoutRequest, type OptimizeLayoutParams } from '../../protocol/lsp';
import type { OptimizeResult } from '../../protocol/optimize';
import type { PoolSpec } from '../../protocol/replay';
import type { TraceStatusBar } from './traceStatus';
import { findDroneToml } from './droneToml';

const PROPOSAL_SCHEME = 'drone-heap-proposal';

/** Options for scripted use (tests, keybindings): `apply: true` skips the question. */
export interface OptimizeCommandOptions {
  apply?: boolean;
  target?: OptimizeLayoutParams['target'];
}

export class LayoutOptimizer implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly proposals = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly client: LanguageClient,
    private readonly statusBar: TraceStatusBar,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString()) ?? '';
  }

  /** `droneHeap.optimizeLayout [uri] [heap] [options]`. */
  async optimize(uriArgument?: string, heapArgument?: string, options: OptimizeCommandOptions = {}): Promise<boolean> {
    const document = await this.documentFor(uriArgument);
    if (!document) {
      void vscode.window.showWarningMessage('Drone Heap: open a Drone.toml to optimise its heap layout.');
      return false;
    }
    const uri = document.uri.toString();
    const heap = heapArgument ?? (await this.pickHeap(uri));
    if (!heap) return false;
    const settings = vscode.workspace.getConfiguration('droneHeap', document.uri);
    const params: OptimizeLayoutParams = {
      uri,
      heap,
      mode: settings.get<'exact' | 'drone'>('optimize.mode', 'exact'),
      target: options.target ?? 'fit',
      marginPercent: options.target === 'minimal' ? settings.get<number>('optimize.marginPercent', 10) : undefined,
    };
    const answer = await this.client.sendRequest(OptimizeLayoutRequest, params);
    const result = answer.result;
    if (result?.unchanged) {
      // No empty diff to look at: the heap already has the proposed layout.
      void vscode.window.showInformationMessage(`Drone Heap: ${answer.message}`);
      return false;
    }
    if (!result?.offered) {
      if (options.apply) throw new Error(answer.message);
      const smallest = params.target === 'fit' && result ? 'Find the smallest heap instead' : undefined;
      const choice = await vscode.window.showWarningMessage(`Drone Heap: ${answer.message}`, ...(smallest ? [smallest] : []));
      return choice === smallest ? this.optimize(uri, heap, { ...options, target: 'minimal' }) : false;
    }
    return this.previewAndApply(document, heap, result, answer.message, options);
  }

  /** `droneHeap.applyLayout {uri, heap, pools}` (the heap view's Apply): write a layout the user already saw. */
  async applyLayout(args: { uri: string; heap: string; pools: PoolSpec[]; size?: number }): Promise<boolean> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
    const edits = await this.layoutEdits(document, args.heap, args.pools, args.size);
    return edits ? this.apply(document, edits) : false;
  }

  private async previewAndApply(
    document: vscode.TextDocument,
    heap: string,
    result: OptimizeResult,
    message: string,
    options: OptimizeCommandOptions,
  ): Promise<boolean> {
    const edits = await this.layoutEdits(document, heap, result.pools, result.size);
    if (!edits) return false;
    if (options.apply) return this.apply(document, edits);

    const proposalUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: document.uri.path, query: `heap=${heap}` });
    this.proposals.set(proposalUri.toString(), applyToText(document, edits));
    this.changed.fire(proposalUri);
    await vscode.commands.executeCommand('vscode.diff', document.uri, proposalUri, `Drone.toml ↔ proposed layout of ${heap}`, {
      preview: true,
    });
    // A notification (not a modal) so the diff stays usable; it shows one paragraph, so the
    // before → after figures go in the text, the longer list in the detail of the output log.
    this.log.info(`Proposed layout for ${heap} of ${document.uri.fsPath}:\n${describeFigures(result)}`);
    const choice = await vscode.window.showInformationMessage(`Drone Heap: ${message} ${beforeAfter(result)}`, 'Apply', 'Cancel');
    // The preview has served its purpose: close it and go back to the file itself.
    await closeDiffsOf(proposalUri);
    this.proposals.delete(proposalUri.toString());
    await vscode.window.showTextDocument(document);
    return choice === 'Apply' ? this.apply(document, edits) : false;
  }

  private async layoutEdits(
    document: vscode.TextDocument,
    heap: string,
    pools: PoolSpec[],
    size?: number,
  ): Promise<vscode.TextEdit[] | undefined> {
    const answer = await this.client.sendRequest(LayoutEditsRequest, { uri: document.uri.toString(), heap, pools, size });
    if (!answer.edits) {
      void vscode.window.showErrorMessage(`Drone Heap: cannot write this layout: ${answer.reason}`);
      return undefined;
    }
    if (answer.version !== document.version) {
      void vscode.window.showWarningMessage('Drone Heap: Drone.toml changed meanwhile; run the optimisation again.');
      return undefined;
    }
    return this.client.protocol2CodeConverter.asTextEdits(answer.edits);
  }

  /** One WorkspaceEdit: a single undo step restores the old layout. */
  private async apply(document: vscode.TextDocument, edits: vscode.TextEdit[]): Promise<boolean> {
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.set(document.uri, edits);
    return vscode.workspace.applyEdit(workspaceEdit);
  }

  private async documentFor(uri?: string): Promise<vscode.TextDocument | undefined> {
    const target = uri ? vscode.Uri.parse(uri) : await findDroneToml({ ask: 'Optimise the heap layout of which Drone.toml?' });
    return target && vscode.workspace.openTextDocument(target);
  }

  private async pickHeap(uri: string): Promise<string | undefined> {
    const heaps = this.statusBar.statusOf(uri).filter((h) => h.state === 'done');
    if (heaps.length <= 1) return heaps[0]?.heap ?? 'main';
    return (
      await vscode.window.showQuickPick(
        heaps.map((h) => ({ label: h.qualifiedName, heap: h.heap, description: h.message })),
        { title: 'Optimise which heap?' },
      )
    )?.heap;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

async function closeDiffsOf(modified: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === modified.toString());
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

/** The document's text with `edits` applied (they never overlap). */
function applyToText(document: vscode.TextDocument, edits: vscode.TextEdit[]): string {
  let text = document.getText();
  const byOffset = edits
    .map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  for (const e of byOffset) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  return text;
}

/** `Failures 4 → 0 · peak 4660 → 4630 B · fragmentation at the peak 900 → 200 B.` */
function beforeAfter(result: OptimizeResult): string {
  const { before, after } = result;
  if (!before || !after) return '';
  return `Failures ${before.failures} → ${after.failures} · peak ${before.peakReservedBytes} → ${after.peakReservedBytes} B · fragmentation at the peak ${before.fragmentationAtHeapPeak} → ${after.fragmentationAtHeapPeak} B.`;
}

function describeFigures(result: OptimizeResult): string {
  const lines: string[] = [];
  const row = (label: string, before: string | number, after: string | number) => lines.push(`${label}: ${before} → ${after}`);
  if (result.before && result.after) {
    row('Failures', result.before.failures, result.after.failures);
    row('Peak reserved', `${result.before.peakReservedBytes} B`, `${result.after.peakReservedBytes} B`);
    row('Fragmentation at the peak', `${result.before.fragmentationAtHeapPeak} B`, `${result.after.fragmentationAtHeapPeak} B`);
    row('Heap bytes', result.before.heapBytes, result.after.heapBytes);
  }
  lines.push(
    `Bytes the trace needs with these blocks: ${result.requiredBytes} B${result.drone ? ` (Drone's method: ${result.drone.requiredBytes} B)` : ''}`,
  );
  lines.push(`Pools: ${result.pools.map((p) => `${p.block}×${p.capacity}`).join(', ')}`);
  // What one more (or one fewer) pool buys, so the pool count is an informed choice.
  if (result.tradeoff.length > 0)
    lines.push(`Bytes needed by pool count: ${result.tradeoff.map((row) => `${row.pools}: ${row.requiredBytes}`).join(', ')}`);
  return lines.join('\n');
}
