// Settings the server reads, under the `droneHeap` section (see package.json
// `contributes.configuration`). Any LSP client may send them as initializationOptions
// or answer workspace/configuration for `droneHeap`.
export interface Settings {
  wordSize: number;
}

export const DEFAULT_SETTINGS: Settings = { wordSize: 4 };

/** Accepts whatever a client sends and keeps only sane values. */
export function readSettings(raw: unknown): Settings {
  const settings = { ...DEFAULT_SETTINGS };
  if (raw && typeof raw === 'object') {
    const wordSize = (raw as Record<string, unknown>).wordSize;
    if (typeof wordSize === 'number' && Number.isInteger(wordSize) && wordSize > 0 && wordSize <= 64) settings.wordSize = wordSize;
  }
  return settings;
}
