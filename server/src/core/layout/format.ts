// Writing layouts the way Drone writes them:
//   [heap.main]
//   size = "10K"
//   pools = [
//       { block = "4", capacity = 118 },
//   ]
// Pools of capacity 0 are left out, as Drone's writer does (they would hold nothing).

import { formatSize } from '../config/sizes';
import type { PoolSpec } from '../replay/result';
import { layoutBytes } from './droneMath';

export interface PoolsFormat {
  /** Indentation of each pool line (multi-line arrays). Drone: four spaces. */
  indent: string;
  /** Indentation of the closing `]` (that of the line holding `pools =`). */
  closingIndent: string;
  newline: string;
  /** One line `[{ … }, { … }]` instead of one pool per line. */
  singleLine: boolean;
}

export const DRONE_POOLS_FORMAT: PoolsFormat = { indent: '    ', closingIndent: '', newline: '\n', singleLine: false };

/** Pools worth writing, in ascending block order (how the `heap!` macro sees them anyway). */
export function writtenPools(pools: readonly PoolSpec[]): PoolSpec[] {
  return pools.filter((p) => p.capacity > 0).sort((a, b) => a.block - b.block);
}

export function formatPool(pool: PoolSpec): string {
  return `{ block = "${formatSize(pool.block)}", capacity = ${pool.capacity} }`;
}

/** The value of `pools = …`: from `[` to `]`. */
export function formatPoolsArray(pools: readonly PoolSpec[], format: PoolsFormat = DRONE_POOLS_FORMAT): string {
  const items = writtenPools(pools).map(formatPool);
  if (format.singleLine) return `[${items.join(', ')}]`;
  const { indent, closingIndent, newline } = format;
  return `[${newline}${items.map((item) => `${indent}${item},${newline}`).join('')}${closingIndent}]`;
}

/**
 * A whole heap section as Drone prints it; `size` is Σ block × capacity (Drone prints the
 * sum, which is below the requested size when the smallest block does not divide the rest).
 */
export function formatHeapSection(pools: readonly PoolSpec[], options: { legacy?: boolean; name?: string } = {}): string {
  const header = options.legacy ? '[heap]' : `[heap.${options.name ?? 'main'}]`;
  return `${header}\nsize = "${formatSize(layoutBytes(pools))}"\npools = ${formatPoolsArray(pools)}\n`;
}
