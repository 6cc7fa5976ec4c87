// The latest replay of each heap's current layout through its trace. Documents report
// their parsed config on every change; this works out what must be replayed (the trace,
// or the layout, changed, or the trace file changed on disk), runs it as a trace job, and
// says when a document's figures or states changed. Which file is a heap's trace, and
// whether it may be read, is TraceFiles' business; the wording of states is statusText's.
import { existsSync } from 'node:fs';
import type { Finding } from '../core/checks/finding';
import { tableAnchor } from '../core/checks/util';
import { poolSpecs, type DroneConfig, type HeapConfig } from '../core/config/droneConfig';
import { layoutKey, type PoolSpec, type ReplayResult } from '../core/replay/result';
import { traceFindings, unreadableTraceFinding } from '../core/replay/traceFindings';
import type { DocumentTraceStatus, HeapTraceStatus } from './heapStatus';
import {
  layoutInvalidMessage,
  noTraceStatus,
  replayedStatus,
  replayFailedMessage,
  replayingMessage,
  restrictedMessage,
} from './statusText';
import { traceNameFor, type TraceFiles } from './traceFiles';
import { heapJobOwner, type TraceJobs } from './traceJobs';

/** Edits come in bursts while typing; replay once the burst is over. */
const REPLAY_DELAY_MS = 150;

interface HeapState {
  status: HeapTraceStatus;
  /** Trace and layout of the latest replay started (running or done), or null to force one. */
  replayKey: string | null;
  /** The latest finished replay, with the layout and trace it is of. */
  result: { replay: ReplayResult; layoutKey: string; tracePath: string } | null;
}

/** A heap's figures to show: the replay of its current layout, or (while that runs) the one before. */
export interface HeapFigures {
  result: ReplayResult;
  /** False: of the previous layout, kept until the replay of the current one replaces it, so figures never blink while typing. */
  current: boolean;
}

interface DocumentState {
  uri: string;
  config: DroneConfig | undefined;
  heaps: Map<string, HeapState>;
  timer?: NodeJS.Timeout;
}

export class HeapReplays {
  private readonly documents = new Map<string, DocumentState>();

  constructor(
    private readonly jobs: Pick<TraceJobs, 'replay' | 'supersede'>,
    private readonly files: Pick<TraceFiles, 'lookUp' | 'release' | 'importTrace'>,
    /** Called whenever figures or states of a document changed. */
    private readonly onDidChange: (uri: string) => void,
    /** A heap's trace was replaced, changed on disk or dropped: what was computed from the old one is void. */
    private readonly onTraceReplaced: (uri: string, heap: string) => void,
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
    for (const name of document.heaps.keys()) this.drop(uri, name);
    this.documents.delete(uri);
  }

  /** Use the file the user picked for this heap; its status, or undefined when the document is not open. */
  importTrace(uri: string, heap: string, tracePath: string): HeapTraceStatus | undefined {
    this.files.importTrace(uri, heap, tracePath);
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const state = document.heaps.get(heap);
    if (state) state.replayKey = null; // force a replay with the new trace
    this.onTraceReplaced(uri, heap);
    this.refresh(document);
    return document.heaps.get(heap)?.status;
  }

  /** A trace file changed on disk: replay the heaps of the document. */
  traceChanged(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    for (const [name, heap] of document.heaps) {
      heap.replayKey = null;
      this.onTraceReplaced(uri, name);
    }
    this.refresh(document);
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

  /** The replay of this heap's layout as it is in `heap` now (of its trace as last read); null when there is none. */
  resultFor(uri: string, heap: HeapConfig): ReplayResult | null {
    const state = this.documents.get(uri)?.heaps.get(heap.name);
    const pools = poolSpecs(heap);
    if (!state?.result || !pools || state.result.layoutKey !== layoutKey(pools) || state.result.tracePath !== state.status.tracePath)
      return null;
    return state.result.replay;
  }

  /**
   * What to show beside the pools: the replay of the current layout; or, until the replay of
   * an edited layout is in, the previous replay of the same trace, so that figures and
   * squiggles stay until the new ones replace them.
   */
  figuresFor(uri: string, heap: HeapConfig): HeapFigures | null {
    const current = this.resultFor(uri, heap);
    if (current) return { result: current, current: true };
    const state = this.documents.get(uri)?.heaps.get(heap.name);
    // 'done' too: an edit is seen here before its replay is scheduled (typing pauses first).
    const waiting = state?.status.state === 'replaying' || state?.status.state === 'done';
    if (!waiting || !state.result || state.result.tracePath !== state.status.tracePath) return null;
    return { result: state.result.replay, current: false };
  }

  /** The trace file of this heap that may be read (for the optimiser), or null: none found, or not read in Restricted Mode. */
  readableTracePath(uri: string, heap: string): string | null {
    const state = this.documents.get(uri)?.heaps.get(heap);
    return state && state.status.state !== 'restricted' ? state.status.tracePath : null;
  }

  /**
   * Findings from each heap's figures (figuresFor: the current replay, or the previous one
   * while it runs); and a trace-problem on each heap whose trace cannot be read, or is not
   * read in Restricted Mode.
   */
  findings(uri: string, config: DroneConfig, wordSize: number): Finding[] {
    const findings: Finding[] = [];
    for (const heap of config.heaps) {
      const status = this.documents.get(uri)?.heaps.get(heap.name)?.status;
      if (status?.state === 'failed' || status?.state === 'restricted') {
        findings.push(unreadableTraceFinding(tableAnchor(heap.table), status.message));
        continue;
      }
      const figures = this.figuresFor(uri, heap);
      const tracePath = status?.tracePath;
      if (!figures || !tracePath) continue;
      const context = {
        heap,
        result: figures.result,
        traceName: traceNameFor(uri, tracePath),
        heapAnchor: tableAnchor(heap.table),
        wordSize,
        stale: !figures.current,
      };
      findings.push(...traceFindings(context));
    }
    return findings;
  }

  private refresh(document: DocumentState): void {
    const config = document.config;
    if (!config) return;
    // Most edits (typing in a comment, another section) change nothing here: then nobody
    // needs to redraw hints, lenses and diagnostics.
    let changed = false;
    const seen = new Set<string>();
    for (const heap of config.heaps) {
      seen.add(heap.name);
      const lookup = this.files.lookUp(document.uri, heap);
      const tracePath = lookup.choice.path;
      let state = document.heaps.get(heap.name);
      if (!state) {
        state = { status: noTraceStatus(heap, tracePath, null), replayKey: null, result: null };
        document.heaps.set(heap.name, state);
        changed = true;
      }
      const before = state.status.tracePath;
      if (patchStatus(state.status, { tracePath, qualifiedName: heap.qualifiedName })) {
        changed = true;
        // Another file (settings, an import, an import that is gone): what came from the old one is void.
        if (before !== tracePath) this.onTraceReplaced(document.uri, heap.name);
      }
      if (lookup.readable) changed = this.replayIfNeeded(document, heap, state, lookup.choice.missingImport) || changed;
      else changed = this.refuse(document, heap, state, restrictedMessage(lookup.choice, lookup.realPath)) || changed;
    }
    for (const name of document.heaps.keys()) {
      if (seen.has(name)) continue;
      this.drop(document.uri, name);
      document.heaps.delete(name);
      changed = true;
    }
    if (changed) this.onDidChange(document.uri);
  }

  /** The heap is gone (or its document closed): stop its replay, what came from its trace, and watching it. */
  private drop(uri: string, heap: string): void {
    this.jobs.supersede(heapJobOwner(uri, heap, 'replay'));
    this.onTraceReplaced(uri, heap);
    this.files.release(uri, heap);
  }

  /** Restricted Mode: the heap's trace is not read; drop what came from it and say why. */
  private refuse(document: DocumentState, heap: HeapConfig, state: HeapState, message: string): boolean {
    if (state.status.state !== 'restricted') {
      this.jobs.supersede(heapJobOwner(document.uri, heap.name, 'replay'));
      this.onTraceReplaced(document.uri, heap.name);
    }
    state.result = null;
    state.replayKey = null;
    return patchStatus(state.status, { state: 'restricted', progress: 0, events: null, failures: null, format: null, message });
  }

  /** Starts a replay when the heap's layout or trace changed; whether the heap's status changed. */
  private replayIfNeeded(document: DocumentState, heap: HeapConfig, state: HeapState, missingImport: string | null): boolean {
    const tracePath = state.status.tracePath;
    const pools = poolSpecs(heap);
    if (!tracePath || !existsSync(tracePath)) {
      state.result = null;
      state.replayKey = null;
      return patchStatus(state.status, noTraceStatus(heap, tracePath, missingImport));
    }
    const traceName = traceNameFor(document.uri, tracePath);
    if (!pools) return patchStatus(state.status, { state: 'layout-invalid', progress: 0, message: layoutInvalidMessage(heap, traceName) });
    const key = `${tracePath}\0${layoutKey(pools)}`;
    if (state.replayKey === key) return false; // this trace and layout are replayed or being replayed
    state.replayKey = key;
    this.replay(document, state, tracePath, pools, key, missingImport);
    return patchStatus(state.status, { state: 'replaying', progress: 0, message: replayingMessage(traceName, pools.length) });
  }

  private replay(
    document: DocumentState,
    state: HeapState,
    tracePath: string,
    pools: PoolSpec[],
    key: string,
    missingImport: string | null,
  ): void {
    const onProgress = (fraction: number): void => {
      state.status.progress = fraction;
      this.onDidChange(document.uri);
    };
    void this.jobs
      .replay({ owner: heapJobOwner(document.uri, state.status.heap, 'replay'), tracePath, pools, onProgress })
      .then((outcome) => {
        if (this.documents.get(document.uri) !== document || state.replayKey !== key) return; // closed or superseded meanwhile
        if (outcome.kind === 'superseded') return;
        if (outcome.kind === 'failed') {
          state.result = null;
          patchStatus(state.status, {
            state: 'failed',
            progress: 0,
            events: null,
            failures: null,
            message: replayFailedMessage(outcome.message),
          });
        } else {
          state.result = { replay: outcome.result, layoutKey: layoutKey(pools), tracePath };
          patchStatus(state.status, replayedStatus(traceNameFor(document.uri, tracePath), outcome.result, missingImport));
        }
        this.onDidChange(document.uri);
      });
  }
}

/** Sets the fields of `patch` on `status`; whether any of them changed. */
function patchStatus(status: HeapTraceStatus, patch: Partial<HeapTraceStatus>): boolean {
  let changed = false;
  for (const key of Object.keys(patch) as (keyof HeapTraceStatus)[]) {
    if (status[key] === patch[key]) continue;
    (status as unknown as Record<string, unknown>)[key] = patch[key];
    changed = true;
  }
  return changed;
}
