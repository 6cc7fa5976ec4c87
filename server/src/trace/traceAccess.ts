// Which trace files the server may read. In a trusted workspace (and for clients that say
// nothing about trust: Neovim, Helix, Emacs…) every path is read. While VS Code's workspace
// is not trusted (Restricted Mode), a trace path from the settings or the default
// `heaptrace` beside Drone.toml is read only when its real path (symlinks resolved) lies
// inside one of the workspace folders: a workspace must not make the extension read files
// elsewhere on the machine. Traces picked with "Import Trace…" are the user's explicit
// choice and are not checked here (see TraceManager).
import { realpathSync } from 'node:fs';
import { dirname, join, posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

type Flavour = 'posix' | 'win32';
const HOST_FLAVOUR: Flavour = process.platform === 'win32' ? 'win32' : 'posix';

/**
 * Whether absolute `path` is `folder` or lies under it, by the path text alone (`..`
 * segments are resolved lexically; symlinks are the caller's business: pass real paths).
 * Windows paths compare case-insensitively, with `/` and `\` alike and the `\\?\` prefix
 * ignored; a path on another drive is outside.
 */
export function isInsideFolder(path: string, folder: string, flavour: Flavour = HOST_FLAVOUR): boolean {
  const api = flavour === 'win32' ? win32 : posix;
  // path.win32.relative compares case-insensitively.
  const normal = (p: string) => api.resolve(flavour === 'win32' ? p.replace(/^[\\/]{2}\?[\\/]/, '') : p);
  const relative = api.relative(normal(folder), normal(path));
  if (relative === '') return true;
  if (api.isAbsolute(relative)) return false;
  const first = relative.split(api.sep)[0];
  return first !== '..';
}

/**
 * The real path of `path`: symlinks resolved. For a file that does not exist (yet), the
 * real path of its nearest existing ancestor with the rest of the path appended, so a
 * missing trace under a linked folder is judged by where the link points.
 */
export function realPathOf(path: string): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      const real = realpathSync.native(current);
      return missing.length ? join(real, ...missing.reverse()) : real;
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(current.slice(parent.length).replace(/^[\\/]+/, ''));
      current = parent;
    }
  }
}

/** The filesystem paths of the workspace folders an LSP client named (file: URIs only). */
export function foldersFromUris(uris: readonly string[]): string[] {
  const folders: string[] = [];
  for (const uri of uris) {
    if (!uri.startsWith('file:')) continue;
    try {
      folders.push(fileURLToPath(uri));
    } catch {
      // not a usable file URI: no folder
    }
  }
  return folders;
}

export type TraceAccessDecision =
  | { allowed: true }
  /** Not read: `realPath` (where the path really leads) is outside every workspace folder. */
  | { allowed: false; realPath: string };

export class TraceAccess {
  /** Clients that say nothing about trust are trusted (the editor's own business). */
  private trusted = true;
  private folders: string[] = [];

  constructor(trusted = true, folders: readonly string[] = []) {
    this.trusted = trusted;
    this.folders = [...folders];
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
  }

  setFolders(folders: readonly string[]): void {
    this.folders = [...folders];
  }

  /** May the trace at absolute `path` (from the settings or the default name) be read? */
  check(path: string): TraceAccessDecision {
    if (this.trusted) return { allowed: true };
    const realPath = realPathOf(path);
    const inside = this.folders.some((folder) => isInsideFolder(realPath, realPathOf(folder)));
    return inside ? { allowed: true } : { allowed: false, realPath };
  }
}
