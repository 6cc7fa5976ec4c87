// Which Drone.toml a command is about, when the user did not say: the one in the active
// editor; else the workspace's only one; else (several) the user picks, or, for a view that
// must show something without asking, the one nearest the workspace root.
import * as vscode from 'vscode';

export const isDroneToml = (uri: vscode.Uri): boolean => uri.scheme === 'file' && /(^|\/)Drone\.toml$/.test(uri.path);

/** The active editor's Drone.toml, or undefined. */
export function activeDroneToml(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  return editor && isDroneToml(editor.document.uri) ? editor : undefined;
}

export type WhenSeveral =
  /** Ask with a quick pick titled so. */
  | { ask: string }
  /** Take the one with the shortest path (the heap view, which opens without a question). */
  | 'nearest-root';

export async function findDroneToml(whenSeveral: WhenSeveral): Promise<vscode.Uri | undefined> {
  const active = activeDroneToml();
  if (active) return active.document.uri;
  const found = (await vscode.workspace.findFiles('**/Drone.toml', '**/node_modules/**', 50)).sort(
    (a, b) => a.path.length - b.path.length || a.path.localeCompare(b.path),
  );
  if (found.length <= 1 || whenSeveral === 'nearest-root') return found[0];
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: whenSeveral.ask },
  );
  return picked?.uri;
}
