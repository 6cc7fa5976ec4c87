// Shared by the exact search and its fallback: memoised exact peaks of unit groups, cheap
// lower bounds for them, and a split's pools and bytes.

import type { PeakIndex } from './peakIndex';
import type { Grouping } from './units';

export interface ExactSplit {
  /** Pools used (≤ the pools allowed). */
  pools: number;
  grouping: Grouping;
  /** Capacity of each group's pool: its exact peak. */
  peaks: number[];
  /** Σ block × peak. */
  requiredBytes: number;
}

/** Thrown by GroupPeaks.get when the work budget is spent. */
export class BudgetExceeded extends Error {}

/** Reference moments kept for lower bounds (see PeakIndex.referenceStates). */
const REFERENCE_STATES = 32;

/** Memoised exact peaks of groups [lo, hi] of units, with a work budget. */
export class GroupPeaks {
  private readonly table?: Int32Array;
  private readonly map?: Map<number, number>;
  /** Groups whose peak was measured (not counting single units, known from the start). */
  measured = 0;
  /** PeakIndex.work beyond which get() refuses (throws BudgetExceeded) unless told it must. */
  limit = Infinity;
  /** Per-unit live counts (prefix sums) at a few telling moments. */
  readonly references: Int32Array[];

  constructor(
    private readonly index: PeakIndex,
    readonly units: readonly number[],
    readonly unitPeaks: Int32Array,
  ) {
    const k = unitPeaks.length;
    // A flat table answers in one read (the search asks millions of times); past 2048 units it would be too big.
    if (k <= 2048) this.table = new Int32Array(k * k).fill(-1);
    else this.map = new Map();
    this.references = index.referenceStates(REFERENCE_STATES);
  }

  get work(): number {
    return this.index.work;
  }

  /** The memoised peak, or −1. */
  known(lo: number, hi: number): number {
    if (lo === hi) return this.unitPeaks[lo];
    const key = lo * this.unitPeaks.length + hi;
    return this.table ? this.table[key] : (this.map!.get(key) ?? -1);
  }

  /** The exact peak; `atLeast` is a lower bound the caller knows; `mandatory` ignores the budget. */
  get(lo: number, hi: number, atLeast: number, mandatory = false): number {
    const cached = this.known(lo, hi);
    if (cached >= 0) return cached;
    if (!mandatory && this.index.work > this.limit) throw new BudgetExceeded();
    const peak = this.index.peak(lo, hi, atLeast);
    const key = lo * this.unitPeaks.length + hi;
    if (this.table) this.table[key] = peak;
    else this.map!.set(key, peak);
    this.measured++;
    return peak;
  }

  /** A lower bound of the peak of [lo, hi]: its Σ live at the reference moments (the first `count`). */
  referenceLower(lo: number, hi: number, count = this.references.length): number {
    let best = 0;
    for (let r = 0; r < count; r++) {
      const state = this.references[r];
      const sum = state[hi + 1] - state[lo];
      if (sum > best) best = sum;
    }
    return best;
  }

  /** Pools, peaks and bytes of a grouping (every group measured). */
  split(grouping: Grouping, mandatory = false): ExactSplit {
    let requiredBytes = 0;
    const peaks = grouping.ends.map((end, g) => {
      const peak = this.get(g === 0 ? 0 : grouping.ends[g - 1], end - 1, 0, mandatory);
      requiredBytes += this.units[end - 1] * peak;
      return peak;
    });
    return { pools: grouping.ends.length, grouping, peaks, requiredBytes };
  }
}

/**
 * The split behind cell (m, k) of an "at most m + 1 groups" programme: from[m][j] is where
 * the last group of units [0, j) starts, or −1 when the level below is as good.
 */
export function backtrack(from: readonly Int32Array[], m: number, k: number): Grouping {
  const ends: number[] = [];
  let j = k;
  for (let level = m; level >= 0 && j > 0; level--) {
    const start = level === 0 ? 0 : from[level][j];
    if (start < 0) continue;
    ends.push(j);
    j = start;
  }
  return { ends: ends.reverse() };
}
