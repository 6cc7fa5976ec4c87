// Small helpers shared by the check rules.
import type { DroneConfig, HeapConfig, PoolConfig } from '../config/droneConfig';
import type { Span } from '../config/span';
import type { TomlTable } from '../config/tomlTree';

/** Where to report something about a table as a whole: its `[header]` or dotted key, else its opening brace. */
export function tableAnchor(table: TomlTable): Span {
  if (table.headerSpan) return table.headerSpan;
  if (table.origin === 'implicit') return table.span;
  return { start: table.span.start, end: Math.min(table.span.end, table.span.start + 1) };
}

/** "pool 3 (block 20 B)" — how messages name a pool: by position and, when known, block. */
export function poolName(pool: PoolConfig): string {
  return pool.block?.bytes !== undefined ? `pool ${pool.index + 1} (block ${pool.block.bytes} B)` : `pool ${pool.index + 1}`;
}

export function sourceText(config: DroneConfig, span: Span): string {
  return config.text.slice(span.start, span.end);
}

export function allPools(heap: HeapConfig): PoolConfig[] {
  return heap.pools?.items ?? [];
}

/** Levenshtein distance, small inputs only (keys). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The closest known key, if it is plausibly what the user meant. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  const normalised = key.toLowerCase().replace(/_/g, '-');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = normalised === candidate ? 0 : editDistance(normalised, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(1, Math.floor((best?.length ?? 0) / 3));
  return bestDistance <= limit ? best : undefined;
}

export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
