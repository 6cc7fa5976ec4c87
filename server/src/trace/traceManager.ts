// Which trace belongs to which heap, and the latest replay of each heap's current
// layout. Documents report their parsed config on every change; the manager works out
// what must be replayed (trace path or layout changed, or the trace file changed on
// disk), asks the ReplayService, and tells the server when figures changed. In Restricted
// Mode (TraceAccess) a trace outside the workspace folder is neither read nor watched: the
// heap's state says why, and so does a trace-problem diagnostic on the heap.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../core/checks/finding';
import { validPools, type DroneConfig, type HeapConfig } from '../core/config/droneConfig';
import type { ModelsResult } from '../core/alloc/compare';
import type { OptimizeResult } from '../core/layout/optimize';
import type { PoolSpec, ReplayResult } from '../core/replay/result';
import { traceFindings, unreadableTraceFinding } from '../core/replay/traceFindings';
import { tableAnchor } from '../core/checks/util';
import { FORMAT_DESCRIPTIONS } from '../core/trace/formats';
import type { DocumentTraceStatus, HeapTraceStatus } from './heapStatus';
import type { OptimizeOutcome, OptimizeRequest, ReplayService } from './replayService';
import type { TraceAccess } from './traceAccess';
import type { TraceWatcher } from './traceWatcher';
import { plural } from '../../../shared/format';

/** The file `just heaptrace` writes beside Drone.toml. */
export const DEFAULT_TRACE_NAME = 'heaptrace';
/** Edits come in bursts while typing; replay once the burst is over. */
const REPLAY_DELAY_MS = 150;

interface HeapState {
  status: HeapTraceStatus;
  /** Layout the result (or running replay) belongs to. */
  layoutKey: string | null;
  result: ReplayResult | null;
  /** The trace path being watched for changes: the readable trace path, or null. */
  watching: string | null;
}

/** The trace a heap would use, and where it comes from. */
interface TraceChoice {
  /** Absolute path, or null when the heap has none. */
  path: string | null;
  /** How the user wrote it (the setting's value, `heaptrace`), for messages. */
  written: string;
  /** Where it comes from, for messages. */
  origin: 'import' | 'setting' | 'default';
}

interface ModelsEntry {
  /** Trace path, heap size and index count the models run with. */
  key: string;
  state: 'computing' | 'done' | 'failed';
  result: ModelsResult | null;
  message: string | null;
}

interface DocumentState {
  uri: string;
  config: DroneConfig | undefined;
  heaps: Map<string, HeapState>;
  timer?: NodeJS.Timeout;
}

export interface TraceSettings {
  /** Heap name → trace path (relative to the Drone.toml folder, or absolute). */
  traces: Record<string, string>;
}

export class TraceManager {
  private readonly documents = new Map<string, DocumentState>();
  /** Optimiser proposals per heap, for the layout they were computed from (result null while searching or when none is offered). */
  private readonly proposals = new Map<string, { layoutKey: string; result: OptimizeResult | null; searching: boolean }>();
  /**
   * The general-purpose allocator models replayed on each heap's trace, for the heap size and
   * index count they were run with (they do not depend on the pools, so editing pools keeps them).
   */
  private readonly modelRuns = new Map<string, ModelsEntry>();
  /** Traces picked with "Import Trace…", per document and heap; they win over settings. */
  private readonly imported = new Map<string, Map<string, string>>();

  constructor(
    private readonly replays: ReplayService,
    private readonly watcher: TraceWatcher,
    private readonly settings: () => TraceSettings,
    /** Called whenever figures or states of a document changed. */
    private readonly onDidChange: (uri: string) => void,
    /** Which trace paths may be read (Restricted Mode). */
    private readonly access: Pick<TraceAccess, 'check'>,
  ) {}

  /** The document changed (or opened): note its config and schedule what must be replayed. */
  update(uri: string, config: DroneConfig | undefined): void {
    const document: DocumentState = this.documents.get(uri) ?? { uri, config, heaps: new Map() };
    this.documents.set(uri, document);
    document.config = config;
    if (!config) return; // a syntax error: keep the last figures until the file parses again
    clearTimeout(document.timer);
    document.timer = setTimeout(() => this.refresh(document), REPLAY_DELAY_MS);
  }

  close(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    clearTimeout(document.timer);
    for (const heap of document.heaps.values()) {
      this.replays.supersede(ownerOf(uri, heap.status.heap));
      this.forget(ownerOf(uri, heap.status.heap));
      if (heap.watching) this.watcher.unwatch(heap.watching, uri);
    }
    this.documents.delete(uri);
  }

  importTrace(uri: string, heap: string, tracePath: string): HeapTraceStatus | undefined {
    const forDocument = this.imported.get(uri) ?? new Map<string, string>();
    forDocument.set(heap, tracePath);
    this.imported.set(uri, forDocument);
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const state = document.heaps.get(heap);
    if (state) state.layoutKey = null; // force a replay with the new trace
    this.forget(ownerOf(uri, heap));
    this.refresh(document);
    return document.heaps.get(heap)?.status;
  }

  /** Settings, workspace folders or trust changed: trace paths (or whether they may be read) may have changed. */
  refreshAll(): void {
    for (const document of this.documents.values()) this.refresh(document);
  }

  status(uri: string): DocumentTraceStatus {
    const document = this.documents.get(uri);
    return { uri, heaps: document ? [...document.heaps.values()].map((h) => h.status) : [] };
  }

  heapStatus(uri: string, heap: string): HeapTraceStatus | null {
    return this.documents.get(uri)?.heaps.get(heap)?.status ?? null;
  }

  /** The replay of this heap's layout as it is in `config` now; null when stale or absent. */
  resultFor(uri: string, heap: HeapConfig): ReplayResult | null {
    const state = this.documents.get(uri)?.heaps.get(heap.name);
    const pools = poolSpecs(heap);
    if (!state?.result || !pools || state.layoutKey !== layoutKey(pools)) return null;
    return state.result;
  }

  /**
   * The trace file of this heap that may be read (for the optimiser), or null: none found, or
   * not read in Restricted Mode.
   */
  readableTracePath(uri: string, heap: string): string | null {
    const state = this.documents.get(uri)?.heaps.get(heap);
    return state && state.status.state !== 'restricted' ? state.status.tracePath : null;
  }

  /**
   * Findings from the replays, for the heaps of `config` whose replay matches their layout;
   * and a trace-problem on each heap whose trace is not read in Restricted Mode.
   */
  findings(uri: string, config: DroneConfig, wordSize: number): Finding[] {
    const findings: Finding[] = [];
    for (const heap of config.heaps) {
      const status = this.documents.get(uri)?.heaps.get(heap.name)?.status;
      // A trace that cannot be read (not a regular file, unreadable), or is not read in
      // Restricted Mode, is said where the heap is.
      if (status?.state === 'failed' || status?.state === 'restricted') {
        findings.push(unreadableTraceFinding(tableAnchor(heap.table), status.message));
        continue;
      }
      const result = this.resultFor(uri, heap);
      const tracePath = status?.tracePath;
      if (!result || !tracePath) continue;
      findings.push(...traceFindings({ heap, result, traceName: displayName(uri, tracePath), heapAnchor: tableAnchor(heap.table), wordSize }));
    }
    return findings;
  }

  /** Searches a layout for a heap in the worker; a newer search of the same heap supersedes it. */
  optimize(uri: string, heap: string, input: OptimizeRequest['input'], onProgress?: OptimizeRequest['onProgress']): Promise<OptimizeOutcome> {
    return this.replays.optimize({ owner: `${ownerOf(uri, heap)}#optimize`, input, onProgress });
  }

  /** The latest offered proposal for this heap's current layout (the heap view's compare), or null. */
  proposalFor(uri: string, heap: HeapConfig): OptimizeResult | null {
    const pools = poolSpecs(heap);
    const proposal = this.proposals.get(ownerOf(uri, heap.name));
    return pools && proposal?.layoutKey === layoutKey(pools) ? proposal.result : null;
  }

  /**
   * Makes sure a proposal for the heap's current layout exists or is being searched (in the
   * background, with the default options: same pool count, fit the heap's size). When it
   * arrives the document's figures count as changed, so the heap view asks again.
   */
  requestProposal(uri: string, heap: HeapConfig, wordSize: number): void {
    const pools = poolSpecs(heap);
    const tracePath = this.documents.get(uri)?.heaps.get(heap.name)?.status.tracePath;
    const size = heap.size?.bytes;
    if (!pools || !tracePath || size === undefined || !this.resultFor(uri, heap)) return;
    const key = layoutKey(pools);
    const owner = ownerOf(uri, heap.name);
    const known = this.proposals.get(owner);
    if (known?.layoutKey === key) return;
    this.proposals.set(owner, { layoutKey: key, result: null, searching: true });
    void this.replays
      .optimize({ owner: `${owner}#background`, input: { type: 'optimize', tracePath, options: { mode: 'exact', pools: pools.length, target: 'fit', size, wordSize, current: pools } } })
      .then((outcome) => {
        if (this.proposals.get(owner)?.layoutKey !== key) return;
        if (outcome.kind !== 'done') {
          this.proposals.delete(owner); // try again next time the view asks
          return;
        }
        this.recordProposal(uri, heap.name, pools, outcome.result);
      });
  }

  /** Whether the background search for this heap's current layout is running, found a layout, or found none to offer. */
  proposalState(uri: string, heap: HeapConfig): 'searching' | 'offered' | 'none' {
    const pools = poolSpecs(heap);
    const proposal = this.proposals.get(ownerOf(uri, heap.name));
    if (!pools || proposal?.layoutKey !== layoutKey(pools)) return 'none';
    return proposal.result ? 'offered' : proposal.searching ? 'searching' : 'none';
  }

  /**
   * The allocator models on the heap's trace for a region of `heapBytes` with `indexes`: their
   * state and, once done, their result. The first ask for these figures starts them in the
   * worker; when they are done the document's figures count as changed, so the view asks
   * again. Null without a trace or a replay of the heap's current layout.
   */
  models(uri: string, heap: HeapConfig, heapBytes: number, indexes: number): Omit<ModelsEntry, 'key'> | null {
    const tracePath = this.documents.get(uri)?.heaps.get(heap.name)?.status.tracePath;
    if (!tracePath || !this.resultFor(uri, heap)) return null;
    const key = JSON.stringify([tracePath, heapBytes, indexes]);
    const owner = ownerOf(uri, heap.name);
    let entry = this.modelRuns.get(owner);
    if (entry?.key !== key) {
      const started: ModelsEntry = { key, state: 'computing', result: null, message: null };
      this.modelRuns.set(owner, (entry = started));
      void this.replays.models({ owner: `${owner}#models`, input: { type: 'models', tracePath, heapBytes, indexes } }).then((outcome) => {
        if (this.modelRuns.get(owner) !== started) return; // forgotten or asked again for other figures meanwhile
        if (outcome.kind === 'superseded') {
          this.modelRuns.delete(owner); // run again next time the view asks
          return;
        }
        Object.assign(started, outcome.kind === 'done' ? { state: 'done', result: outcome.result } : { state: 'failed', message: outcome.message });
        this.onDidChange(uri);
      });
    }
    const { state, result, message } = entry;
    return { state, result, message };
  }

  /** Drops what was computed for a heap's old trace (proposal, models) and stops their jobs. */
  private forget(owner: string): void {
    this.proposals.delete(owner);
    this.modelRuns.delete(owner);
    this.replays.supersede(`${owner}#background`);
    this.replays.supersede(`${owner}#models`);
  }

  /** Remembers a proposal (from the background search or the Optimise command) for the heap view. */
  recordProposal(uri: string, heap: string, current: PoolSpec[], result: OptimizeResult): void {
    this.proposals.set(ownerOf(uri, heap), { layoutKey: layoutKey(current), result: result.offered ? result : null, searching: false });
    this.onDidChange(uri);
  }

  /** A trace file changed on disk: replay the heaps that use it. */
  traceChanged(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    for (const heap of document.heaps.values()) {
      heap.layoutKey = null;
      this.forget(ownerOf(uri, heap.status.heap)); // proposed and modelled for the old trace
    }
    this.refresh(document);
  }

  private refresh(document: DocumentState): void {
    const config = document.config;
    if (!config) return;
    // Most edits (typing in a comment, another section) change nothing here: then nobody
    // needs to redraw hints, lenses and diagnostics.
    const before = JSON.stringify([...document.heaps.values()].map((h) => [h.status, h.layoutKey]));
    const seen = new Set<string>();
    for (const heap of config.heaps) {
      seen.add(heap.name);
      const choice = this.traceFor(document.uri, heap);
      const tracePath = choice.path;
      // An imported trace was picked by the user in a file dialog: read wherever it is.
      const decision = tracePath && choice.origin !== 'import' ? this.access.check(tracePath) : { allowed: true as const };
      const readable = decision.allowed ? tracePath : null;
      const state: HeapState = document.heaps.get(heap.name) ?? { status: emptyStatus(heap, tracePath), layoutKey: null, result: null, watching: null };
      // A trace that may not be read is not watched either (watching polls its size and time).
      if (state.watching !== readable) {
        if (state.watching) this.watcher.unwatch(state.watching, document.uri);
        if (readable) this.watcher.watch(readable, document.uri);
        state.watching = readable;
      }
      state.status.tracePath = tracePath;
      state.status.qualifiedName = heap.qualifiedName;
      document.heaps.set(heap.name, state);
      if (decision.allowed) this.replayIfNeeded(document, heap, state);
      else this.refuse(document, heap, state, restrictedMessage(choice, decision.realPath));
    }
    for (const [name, state] of document.heaps) {
      if (seen.has(name)) continue;
      this.replays.supersede(ownerOf(document.uri, name));
      this.forget(ownerOf(document.uri, name));
      if (state.watching) this.watcher.unwatch(state.watching, document.uri);
      document.heaps.delete(name);
    }
    const after = JSON.stringify([...document.heaps.values()].map((h) => [h.status, h.layoutKey]));
    if (after !== before) this.onDidChange(document.uri);
  }

  /** Restricted Mode: the heap's trace is not read; drop what came from it and say why. */
  private refuse(document: DocumentState, heap: HeapConfig, state: HeapState, message: string): void {
    const owner = ownerOf(document.uri, heap.name);
    if (state.status.state !== 'restricted') {
      this.replays.supersede(owner);
      this.forget(owner);
    }
    state.result = null;
    state.layoutKey = null;
    Object.assign(state.status, { state: 'restricted', progress: 0, events: null, failures: null, format: null, message });
  }

  private replayIfNeeded(document: DocumentState, heap: HeapConfig, state: HeapState): void {
    const tracePath = state.status.tracePath;
    const pools = poolSpecs(heap);
    if (!tracePath || !existsSync(tracePath)) {
      state.result = null;
      state.layoutKey = null;
      Object.assign(state.status, emptyStatus(heap, tracePath));
      return;
    }
    if (!pools) {
      Object.assign(state.status, { state: 'layout-invalid', progress: 0, message: `Fix the pools of \`${heap.qualifiedName}\` to replay ${displayName(document.uri, tracePath)} through them.` });
      return;
    }
    const key = layoutKey(pools);
    if (state.layoutKey === key) return; // this layout is replayed or being replayed
    state.layoutKey = key;
    Object.assign(state.status, { state: 'replaying', progress: 0, message: `Replaying ${displayName(document.uri, tracePath)} through ${pools.length} pools…` });
    const owner = ownerOf(document.uri, heap.name);
    void this.replays
      .replay({
        owner,
        tracePath,
        pools,
        onProgress: (fraction) => {
          state.status.progress = fraction;
          this.onDidChange(document.uri);
        },
      })
      .then((outcome) => {
        if (this.documents.get(document.uri) !== document || state.layoutKey !== key) return; // closed or superseded meanwhile
        if (outcome.kind === 'superseded') return;
        if (outcome.kind === 'failed') {
          state.result = null;
          Object.assign(state.status, { state: 'failed', progress: 0, events: null, failures: null, message: `Could not replay the trace: ${outcome.message}` });
        } else {
          state.result = outcome.result;
          Object.assign(state.status, describeResult(displayName(document.uri, tracePath), outcome.result));
        }
        this.onDidChange(document.uri);
      });
  }

  private traceFor(uri: string, heap: HeapConfig): TraceChoice {
    const folder = folderOf(uri);
    const imported = this.imported.get(uri)?.get(heap.name);
    const setting = this.settings().traces[heap.name];
    const chosen = imported ?? setting;
    const origin = imported ? 'import' : setting ? 'setting' : 'default';
    if (!folder) return { path: null, written: chosen ?? DEFAULT_TRACE_NAME, origin };
    if (chosen) return { path: isAbsolute(chosen) ? chosen : resolve(folder, chosen), written: chosen, origin };
    return { path: heap.isExtra ? null : join(folder, DEFAULT_TRACE_NAME), written: DEFAULT_TRACE_NAME, origin };
  }
}

function poolSpecs(heap: HeapConfig): PoolSpec[] | undefined {
  return validPools(heap)?.map(({ block, capacity }) => ({ block, capacity }));
}

/** Pools in replay order, so that writing the same pools in another order reuses the replay. */
function layoutKey(pools: PoolSpec[]): string {
  return JSON.stringify([...pools].sort((a, b) => a.block - b.block || a.capacity - b.capacity));
}

const ownerOf = (uri: string, heap: string): string => `${uri}#${heap}`;

function folderOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** The trace's path relative to the Drone.toml folder when it lies inside it. */
function displayName(uri: string, tracePath: string): string {
  const folder = folderOf(uri);
  return folder && tracePath.startsWith(folder + '/') ? tracePath.slice(folder.length + 1) : tracePath;
}

function restrictedMessage(choice: TraceChoice, realPath: string): string {
  const from = choice.origin === 'setting' ? ' (setting droneHeap.traces)' : '';
  const leads = realPath !== choice.path ? ` (really ${realPath})` : '';
  return (
    `Restricted Mode: not reading ${choice.written}${from}${leads}, which is outside the workspace folder. ` +
    `Trust the workspace to read it, or pick the file with "Drone Heap: Import Trace…".`
  );
}

function emptyStatus(heap: HeapConfig, tracePath: string | null): HeapTraceStatus {
  return {
    heap: heap.name,
    qualifiedName: heap.qualifiedName,
    tracePath,
    state: 'no-trace',
    progress: 0,
    events: null,
    failures: null,
    format: null,
    message: tracePath
      ? `No trace at ${tracePath}. Capture one with \`just heaptrace\` (flash with \`just features=heaptrace flash\` first), or run "Drone Heap: Import Trace…".`
      : `No trace for \`${heap.qualifiedName}\`: map it in the setting droneHeap.traces, or run "Drone Heap: Import Trace…".`,
  };
}

function describeResult(name: string, result: ReplayResult): Partial<HeapTraceStatus> {
  const format = result.format ? FORMAT_DESCRIPTIONS[result.format] : 'unknown format';
  const failures = result.failures === 0 ? 'no failures' : `${plural(result.failures, 'failure')} (first at event ${result.firstFailure})`;
  const notes = [result.problem ? `corrupt data at byte ${result.problem.byteOffset}` : '', result.unmatchedFrees ? `${result.unmatchedFrees} unmatched frees` : '']
    .filter(Boolean)
    .join(', ');
  return {
    state: 'done',
    progress: 1,
    events: result.events,
    failures: result.failures,
    format: result.format,
    message: `${name}: ${format}, ${result.events} events, ${failures}${notes ? `; ${notes}` : ''}.`,
  };
}
