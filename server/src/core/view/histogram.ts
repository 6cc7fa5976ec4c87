// The histogram of requested sizes for the heap view: how many allocations asked for each
// size, how many of them were live at once (Drone's "max load"), and what rounding each
// size up to its pool's block wastes. Bins never straddle a pool boundary, so the pool
// boundaries can be drawn between bins: every bin belongs to exactly one best-fitting pool
// (or to none: larger than every block). With few distinct sizes there is one bin per
// size; with many (a random trace can have millions) each pool's sizes are cut into
// consecutive groups of about equal numbers of distinct sizes, the bins shared among the
// pools in proportion to how many distinct sizes each has.

import type { DroneSizeStats } from '../trace/droneStats';

export interface SizeBin {
  /** Smallest and largest requested size in the bin (bytes, inclusive). */
  from: number;
  to: number;
  /** Distinct sizes in the bin. */
  sizes: number;
  /** Best-fitting pool (index in ascending block order); null when larger than every block. */
  pool: number | null;
  /** Allocations of these sizes (the new block of grow/shrink included). */
  allocations: number;
  /** Σ over the sizes of their peak live count (each size's own peak; they need not coincide). */
  peakLive: number;
  /** Σ size × peak live: the bytes these sizes asked for at their peaks. */
  requestedBytes: number;
  /** Σ (block − size) × peak live: the bytes lost to rounding up to the pool's block at those peaks. */
  wasteBytes: number;
}

export interface SizeHistogram {
  bins: SizeBin[];
  /** The pools' blocks in ascending order (what the boundaries are drawn at). */
  blocks: number[];
  /** Requests of 0 bytes: they touch no pool. */
  zeroSize: { allocations: number; peakLive: number };
  distinctSizes: number;
  /** One bin per distinct size. */
  exact: boolean;
}

/** Default bin budget: enough to see the shape, small enough to label. */
export const DEFAULT_MAX_BINS = 120;

/**
 * @param sizes Drone's per-size statistics, ascending by size (result.droneStats.sizes).
 * @param blocks The pools' blocks in ascending order.
 */
export function sizeHistogram(sizes: readonly DroneSizeStats[], blocks: readonly number[], maxBins = DEFAULT_MAX_BINS): SizeHistogram {
  const zeroSize = { allocations: 0, peakLive: 0 };
  const sorted = sizes; // ascending, as DroneStats promises
  // Group the distinct non-zero sizes by best-fitting pool (blocks.length: too large). Sizes
  // ascend, so the best fit only moves forward: one pass, no search (millions of sizes).
  const groups: { pool: number; from: number; to: number }[] = [];
  let pool = 0;
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i];
    if (s.size === 0) {
      zeroSize.allocations += s.allocations;
      zeroSize.peakLive += s.maxLoad;
      continue;
    }
    while (pool < blocks.length && blocks[pool] < s.size) pool++;
    const last = groups[groups.length - 1];
    if (last && last.pool === pool) last.to = i + 1;
    else groups.push({ pool, from: i, to: i + 1 });
    distinct++;
  }
  const budget = Math.max(Math.floor(maxBins), groups.length, 1);
  const exact = distinct <= budget;
  const counts = groups.map((g) => g.to - g.from);
  const quotas = exact ? counts : shareBins(counts, budget);

  const bins: SizeBin[] = [];
  groups.forEach((group, g) => {
    const quota = quotas[g];
    const count = counts[g];
    const block = group.pool < blocks.length ? blocks[group.pool] : null;
    for (let b = 0; b < quota; b++) {
      const from = group.from + Math.floor((b * count) / quota);
      const to = group.from + Math.floor(((b + 1) * count) / quota);
      if (to <= from) continue;
      bins.push(binOf(sorted, from, to, block === null ? null : group.pool, block));
    }
  });
  return { bins, blocks: [...blocks], zeroSize, distinctSizes: distinct, exact };
}

function binOf(members: readonly DroneSizeStats[], from: number, to: number, pool: number | null, block: number | null): SizeBin {
  const bin: SizeBin = {
    from: members[from].size,
    to: members[to - 1].size,
    sizes: to - from,
    pool,
    allocations: 0,
    peakLive: 0,
    requestedBytes: 0,
    wasteBytes: 0,
  };
  for (let i = from; i < to; i++) {
    const s = members[i];
    bin.allocations += s.allocations;
    bin.peakLive += s.maxLoad;
    bin.requestedBytes += s.size * s.maxLoad;
    if (block !== null) bin.wasteBytes += (block - s.size) * s.maxLoad;
  }
  return bin;
}

/**
 * Splits `budget` bins among groups in proportion to their counts (largest remainder), each
 * non-empty group getting at least one and none more than it has members.
 */
export function shareBins(counts: readonly number[], budget: number): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  const spare = budget - counts.length;
  const ideal = counts.map((c) => (spare * c) / total);
  const quotas = counts.map((c, i) => Math.min(c, 1 + Math.floor(ideal[i])));
  let left = budget - quotas.reduce((s, q) => s + q, 0);
  const byRemainder = counts.map((_, i) => i).sort((a, b) => ideal[b] - Math.floor(ideal[b]) - (ideal[a] - Math.floor(ideal[a])) || a - b);
  while (left > 0) {
    let gave = false;
    for (const i of byRemainder) {
      if (left === 0) break;
      if (quotas[i] < counts[i]) {
        quotas[i]++;
        left--;
        gave = true;
      }
    }
    if (!gave) break;
  }
  return quotas;
}
