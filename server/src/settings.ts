// Settings the server reads, under the `droneHeap` section (see package.json
// `contributes.configuration`). Any LSP client may send them as initializationOptions
// or answer workspace/configuration for `droneHeap`.
import { DEFAULT_DEFRAG_INDEXES } from './core/alloc/models';

export type TraceFigures = 'inlayHints' | 'codeLens' | 'off';

export interface Settings {
  wordSize: number;
  /** Heap name → trace file (relative to the Drone.toml folder, or absolute). */
  traces: Record<string, string>;
  /** Where each pool's figures from the trace appear. */
  traceFigures: TraceFigures;
  /** A code lens above each heap summarising its trace. */
  traceSummaryLens: boolean;
  /** Allocation indexes of the defrag model in the heap view's allocator comparison. */
  defragIndexes: number;
  /** The firmware ELF, relative to the Drone.toml folder (or absolute); empty: found from Cargo.toml and .cargo/config. */
  firmware: string;
  /** Below this many bytes of stack room, `stack-room-low` warns. */
  minStackBytes: number;
  /** Show the device's figures (from a RAM dump or a paused debug session) beside each pool. */
  deviceFigures: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  wordSize: 4,
  traces: {},
  traceFigures: 'inlayHints',
  traceSummaryLens: true,
  defragIndexes: DEFAULT_DEFRAG_INDEXES,
  firmware: '',
  minStackBytes: 1024,
  deviceFigures: true,
};

/** More indexes than this would be more metadata than any MCU's RAM holds. */
const MAX_DEFRAG_INDEXES = 1 << 20;

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
  if (given.traceFigures === 'inlayHints' || given.traceFigures === 'codeLens' || given.traceFigures === 'off')
    settings.traceFigures = given.traceFigures;
  if (typeof given.traceSummaryLens === 'boolean') settings.traceSummaryLens = given.traceSummaryLens;
  const compare = given.compare as Record<string, unknown> | undefined;
  const indexes = compare && typeof compare === 'object' ? compare.defragIndexes : undefined;
  if (typeof indexes === 'number' && Number.isInteger(indexes) && indexes >= 1 && indexes <= MAX_DEFRAG_INDEXES)
    settings.defragIndexes = indexes;
  if (typeof given.firmware === 'string') settings.firmware = given.firmware.trim();
  const minStack = given.minStackBytes;
  if (typeof minStack === 'number' && Number.isInteger(minStack) && minStack >= 0 && minStack <= 0xffff_ffff)
    settings.minStackBytes = minStack;
  if (typeof given.deviceFigures === 'boolean') settings.deviceFigures = given.deviceFigures;
  return settings;
}
