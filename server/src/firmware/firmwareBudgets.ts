// The firmware of each open Drone.toml, and the RAM budget from it: found (findFirmware),
// read (its ELF headers only, milliseconds even for a large file), and watched, so that a
// rebuild updates the figures. Before the first build the files a build would write are
// watched, so the first one is picked up too. In Restricted Mode a firmware outside the
// workspace folders is not read, like a trace.
import type { Finding } from '../core/checks/finding';
import type { DroneConfig } from '../core/config/droneConfig';
import { firmwareFindings } from '../core/firmware/firmwareFindings';
import { findFirmware, type FirmwareSearch } from '../core/firmware/findFirmware';
import { ramBudget, type FirmwareImage, type RamBudget } from '../core/firmware/ramBudget';
import { traceNameIn } from '../core/trace/traceName';
import type { TraceAccess } from '../trace/traceAccess';
import { folderOf } from '../trace/traceFiles';
import type { TraceWatcher } from '../trace/traceWatcher';

export type FirmwareState =
  /** No firmware named or built: `problem` says why, in one sentence. */
  | { kind: 'none'; problem: string }
  /** Restricted Mode: the firmware lies outside the workspace folders. */
  | { kind: 'restricted'; path: string }
  /** The file is there but is not a firmware this tool can read. */
  | { kind: 'unreadable'; path: string; message: string }
  | { kind: 'read'; path: string; modified: number; image: FirmwareImage };

export interface FirmwareSettings {
  firmware: string;
  minStackBytes: number;
}

export class FirmwareBudgets {
  private readonly states = new Map<string, { state: FirmwareState; watched: string[] }>();

  constructor(
    private readonly readImage: (path: string) => FirmwareImage,
    private readonly watcher: Pick<TraceWatcher, 'watch' | 'unwatch'>,
    private readonly settings: () => FirmwareSettings,
    private readonly access: Pick<TraceAccess, 'check'>,
    /** The firmware of a document changed (rebuilt, first built, removed). */
    private readonly onDidChange: (uri: string) => void,
  ) {}

  /** The document's firmware, looked up (and read) the first time it is asked for. */
  stateOf(uri: string): FirmwareState {
    return this.states.get(uri)?.state ?? this.refresh(uri, false);
  }

  /** The budget and its findings for `config` (the document as it is now), or null without a readable firmware. */
  budgetOf(
    uri: string,
    config: DroneConfig,
  ): { budget: RamBudget; findings: Finding[]; state: Extract<FirmwareState, { kind: 'read' }> } | null {
    const state = this.stateOf(uri);
    if (state.kind !== 'read') return null;
    const result = ramBudget(config, state.image);
    if (!result.ok) return null;
    const firmwareName = traceNameIn(folderOf(uri), state.path);
    const findings = firmwareFindings(config, result.budget, state.image, { minStackBytes: this.settings().minStackBytes, firmwareName });
    return { budget: result.budget, findings, state };
  }

  /** Looks again (a rebuild, settings or trust changed); tells onDidChange when asked to. */
  refresh(uri: string, notify = true): FirmwareState {
    const folder = folderOf(uri);
    const search = folder ? findFirmware(folder, this.settings().firmware || undefined) : null;
    const state: FirmwareState = search ? this.read(search) : { kind: 'none', problem: 'the document is not a file on disk' };
    const before = this.states.get(uri);
    const watched = state.kind === 'restricted' ? [] : (search?.lookedFor ?? []);
    for (const path of before?.watched ?? []) if (!watched.includes(path)) this.watcher.unwatch(path, uri);
    for (const path of watched) if (!before?.watched.includes(path)) this.watcher.watch(path, uri);
    this.states.set(uri, { state, watched });
    if (notify && stateKey(before?.state) !== stateKey(state)) this.onDidChange(uri);
    return state;
  }

  refreshAll(): void {
    for (const uri of this.states.keys()) this.refresh(uri);
  }

  close(uri: string): void {
    for (const path of this.states.get(uri)?.watched ?? []) this.watcher.unwatch(path, uri);
    this.states.delete(uri);
  }

  private read(search: FirmwareSearch): FirmwareState {
    if (!search.path || search.modified === null) return { kind: 'none', problem: search.problem ?? 'no firmware found' };
    if (!this.access.check(search.path).allowed) return { kind: 'restricted', path: search.path };
    try {
      return { kind: 'read', path: search.path, modified: search.modified, image: this.readImage(search.path) };
    } catch (error) {
      return { kind: 'unreadable', path: search.path, message: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** What identifies a state for change detection: a rebuild changes the time, not the path. */
function stateKey(state: FirmwareState | undefined): string {
  switch (state?.kind) {
    case undefined:
      return '';
    case 'none':
      return `none\0${state.problem}`;
    case 'restricted':
      return `restricted\0${state.path}`;
    case 'unreadable':
      return `unreadable\0${state.path}\0${state.message}`;
    case 'read':
      return `read\0${state.path}\0${state.modified}`;
  }
}
