// Which trace file each heap of a Drone.toml uses, whether it may be read, and watching it
// for changes. A trace picked with "Import Trace…" wins over the setting droneHeap.traces,
// which wins over `heaptrace` beside Drone.toml (the main heap only: an extra heap has no
// default trace). In Restricted Mode (TraceAccess) a trace outside the workspace folders is
// neither read nor watched, unless the user picked it in a file dialog.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HeapConfig } from '../core/config/droneConfig';
import { traceNameIn } from '../core/trace/traceName';
import type { TraceAccess } from './traceAccess';
import type { TraceWatcher } from './traceWatcher';

/** The file `just heaptrace` writes beside Drone.toml. */
export const DEFAULT_TRACE_NAME = 'heaptrace';

export interface TraceSettings {
  /** Heap name → trace path (relative to the Drone.toml folder, or absolute). */
  traces: Record<string, string>;
}

/** The trace a heap would use, and where it comes from. */
export interface TraceChoice {
  /** Absolute path, or null when the heap has none. */
  path: string | null;
  /** How the user wrote it (the setting's value, `heaptrace`), for messages. */
  written: string;
  origin: 'import' | 'setting' | 'default';
  /**
   * The trace the user imported for this heap, when that file is gone (deleted, renamed):
   * the setting or `heaptrace` is used meanwhile, and the import again once the file is back.
   */
  missingImport: string | null;
}

export type TraceLookup =
  /** The trace may be read (or there is none: `choice.path` null). */
  | { choice: TraceChoice; readable: true }
  /** Restricted Mode: `realPath`, where the path really leads, is outside every workspace folder. */
  | { choice: TraceChoice; readable: false; realPath: string };

export class TraceFiles {
  /** Traces picked with "Import Trace…": document URI → heap name → path. */
  private readonly imported = new Map<string, Map<string, string>>();
  /** The paths watched for each heap (`uri#heap`, and `uri#heap#import` for a missing import, to see it come back). */
  private readonly watching = new Map<string, { uri: string; path: string }>();

  constructor(
    private readonly settings: () => TraceSettings,
    private readonly access: Pick<TraceAccess, 'check'>,
    private readonly watcher: Pick<TraceWatcher, 'watch' | 'unwatch'>,
  ) {}

  /** The user picked this file for this heap; it is read wherever it is. */
  importTrace(uri: string, heap: string, tracePath: string): void {
    const forDocument = this.imported.get(uri) ?? new Map<string, string>();
    forDocument.set(heap, tracePath);
    this.imported.set(uri, forDocument);
  }

  /** The heap's trace and whether it may be read; watches it when it may (and stops watching the one before). */
  lookUp(uri: string, heap: HeapConfig): TraceLookup {
    const choice = this.choose(uri, heap);
    // An imported trace was picked by the user in a file dialog: read wherever it is.
    const decision = choice.path && choice.origin !== 'import' ? this.access.check(choice.path) : { allowed: true as const };
    this.watch(`${uri}#${heap.name}`, uri, decision.allowed ? choice.path : null);
    this.watch(`${uri}#${heap.name}#import`, uri, choice.missingImport);
    return decision.allowed ? { choice, readable: true } : { choice, readable: false, realPath: decision.realPath };
  }

  /** The heap is gone (or its document closed): stop watching its trace. */
  release(uri: string, heap: string): void {
    this.watch(`${uri}#${heap}`, uri, null);
    this.watch(`${uri}#${heap}#import`, uri, null);
  }

  private watch(key: string, uri: string, path: string | null): void {
    const before = this.watching.get(key)?.path ?? null;
    if (before === path) return;
    if (path) this.watching.set(key, { uri, path });
    else this.watching.delete(key);
    // The watcher counts documents, not heaps: two heaps of a file may share a trace.
    if (before && !this.isWatchedBy(uri, before)) this.watcher.unwatch(before, uri);
    if (path) this.watcher.watch(path, uri);
  }

  private isWatchedBy(uri: string, path: string): boolean {
    for (const watched of this.watching.values()) if (watched.uri === uri && watched.path === path) return true;
    return false;
  }

  private choose(uri: string, heap: HeapConfig): TraceChoice {
    const folder = folderOf(uri);
    const picked = this.imported.get(uri)?.get(heap.name);
    const missingImport = picked !== undefined && !existsSync(picked) ? picked : null;
    const imported = missingImport ? undefined : picked;
    const setting = this.settings().traces[heap.name];
    const chosen = imported ?? setting;
    const origin = imported ? 'import' : setting ? 'setting' : 'default';
    if (!folder) return { path: null, written: chosen ?? DEFAULT_TRACE_NAME, origin, missingImport };
    if (chosen) return { path: isAbsolute(chosen) ? chosen : resolve(folder, chosen), written: chosen, origin, missingImport };
    return { path: heap.isExtra ? null : join(folder, DEFAULT_TRACE_NAME), written: DEFAULT_TRACE_NAME, origin, missingImport };
  }
}

/** The folder of a `file:` document (where Drone.toml is), or undefined for other schemes. */
export function folderOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** How a document's trace is named in messages: relative to the Drone.toml folder when inside it. */
export function traceNameFor(uri: string, tracePath: string): string {
  return traceNameIn(folderOf(uri), tracePath);
}
