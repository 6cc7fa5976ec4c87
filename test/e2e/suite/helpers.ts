// Shared helpers for the in-host suites. Everything waits on VS Code events with a bound,
// never on fixed sleeps.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'drone-heap.drone-heap';
export const SOURCE = 'drone-heap';
/** Generous: the first wait includes activating the extension and starting the server. */
export const WAIT_MS = 60_000;

/** The corpus fixtures: test/e2e/workspace/<name>/Drone.toml, all of which are clean. */
export const CLEAN_FIXTURES = [
  'bluepill-blink',
  'cc2538-starter',
  'legacy-heap-stm32f103',
  'legacy-heap-stm32f4-nucleo144',
  'longan-blink',
  'no-heap-old-format',
  'nrf9160dk-blink',
];

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder open (the harness opens test/e2e/workspace)');
  return folder.uri;
}

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name, 'Drone.toml');
}

export async function activateExtension(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  await ext.activate();
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** The diagnostic code as a string (a code with a link arrives as `{ value, target }`). */
export function codeOf(d: vscode.Diagnostic): unknown {
  return typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
}

function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  return JSON.stringify(ds.map((d) => ({ code: codeOf(d), source: d.source, message: d.message, line: d.range.start.line })));
}

/**
 * Resolves with `uri`'s diagnostics from our source once `done(diagnostics)` holds — checked now
 * and on every onDidChangeDiagnostics event for `uri`. Rejects after `timeoutMs`.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  done: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = WAIT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const ds = ours(uri);
      if (!done(ds)) return false;
      cleanup();
      resolve(ds);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; diagnostics now: ${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`,
        ),
      );
    }, timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      sub.dispose();
    }
    check();
  });
}

/** Resolves on the next onDidChangeDiagnostics event that names `uri` (subscribe before opening). */
export function nextDiagnosticsEvent(uri: vscode.Uri, timeoutMs = WAIT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no diagnostics event for ${uri.path} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

/** 0-based position of the first occurrence of `needle` on a line that satisfies `onLine`. */
export function find(doc: vscode.TextDocument, needle: string, onLine: (line: string) => boolean = () => true): vscode.Position {
  for (let i = 0; i < doc.lineCount; i++) {
    const text = doc.lineAt(i).text;
    const at = text.indexOf(needle);
    if (at >= 0 && onLine(text)) return new vscode.Position(i, at);
  }
  throw new Error(`"${needle}" not found in ${doc.uri.path}`);
}

/** The range of `size = "..."`'s value (quotes included) under [heap.main] (or legacy [heap]). */
export function heapSizeValueRange(doc: vscode.TextDocument): vscode.Range {
  let inHeap = false;
  for (let i = 0; i < doc.lineCount; i++) {
    const text = doc.lineAt(i).text;
    const header = /^\s*\[([^\]]+)\]/.exec(text);
    if (header) inHeap = header[1].trim() === 'heap.main' || header[1].trim() === 'heap';
    const m = inHeap ? /^(\s*size\s*=\s*)("[^"]*")/.exec(text) : null;
    if (m) return new vscode.Range(i, m[1].length, i, m[1].length + m[2].length);
  }
  throw new Error(`no heap size in ${doc.uri.path}`);
}

/** Lines of the `pools = [ ... ]` array: the `{ block = ... }` entries. */
export function poolLines(doc: vscode.TextDocument): number[] {
  const lines: number[] = [];
  for (let i = 0; i < doc.lineCount; i++) if (/^\s*\{\s*block\s*=/.test(doc.lineAt(i).text)) lines.push(i);
  return lines;
}

/** Markdown/plain text of hover contents, with &nbsp; and U+00A0 turned into plain spaces. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n')
    .replace(/&nbsp;|\u00a0/g, ' ');
}

export function labelText(hint: vscode.InlayHint): string {
  const label = typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join('');
  return label.replace(/\u00a0/g, ' ');
}

/** The labels (labelText) of the inlay hints VS Code has on the whole of `uri` that start with `prefix`. */
export async function hintLabels(uri: vscode.Uri, prefix: string): Promise<string[]> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
    'vscode.executeInlayHintProvider',
    uri,
    new vscode.Range(0, 0, doc.lineCount, 0),
  );
  return (hints ?? []).map(labelText).filter((label) => label.startsWith(prefix));
}

export function findSymbol(symbols: readonly vscode.DocumentSymbol[], name: string): vscode.DocumentSymbol | undefined {
  for (const s of symbols) {
    if (s.name === name) return s;
    const inner = findSymbol(s.children ?? [], name);
    if (inner) return inner;
  }
  return undefined;
}
