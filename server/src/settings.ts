// Settings the server reads, under the `droneHeap` section (see package.json
// `contributes.configuration`). Any LSP client may send them as initializationOptions
// or answer workspace/configuration for `droneHeap`.
export type TraceFigures = 'inlayHints' | 'codeLens' | 'off';

export interface Settings {
  wordSize: number;
  /** Heap name → trace file (relative to the Drone.toml folder, or absolute). */
  traces: Record<string, string>;
  /** Where each pool's figures from the trace appear. */
  traceFigures: TraceFigures;
  /** A code lens above each heap summarising its trace. */
  traceSummaryLens: boolean;
}

export const DEFAULT_SETTINGS: Settings = { wordSize: 4, traces: {}, traceFigures: 'inlayHints', traceSummaryLens: true };

/** Accepts whatever a client sends and keeps only sane values. */
export function readSettings(raw: unknown): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS, traces: {} };
  if (!raw || typeof raw !== 'object') return settings;
  const given = raw as Record<string, unknown>;
  const wordSize = given.wordSize;
  if (typeof wordSize === 'number' && Number.isInteger(wordSize) && wordSize > 0 && wordSize <= 64) settings.wordSize = wordSize;
  if (given.traces && typeof given.traces === 'object') {
    for (const [heap, path] of Object.entries(given.traces as Record<string, unknown>)) {
      if (typeof path === 'string' && path.trim()) settings.traces[heap] = path.trim();
    }
  }
  if (given.traceFigures === 'inlayHints' || given.traceFigures === 'codeLens' || given.traceFigures === 'off') settings.traceFigures = given.traceFigures;
  if (typeof given.traceSummaryLens === 'boolean') settings.traceSummaryLens = given.traceSummaryLens;
  return settings;
}
