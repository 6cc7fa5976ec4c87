// Exact mode's search: split the units into at most n contiguous groups (one pool each,
// block = the group's largest unit, capacity = the group's exact peak) minimising the bytes
// the heap needs, Σ block × peak.
//
// Why "at most": unlike Drone's measure, bytes can grow when a pool is split — two sizes
// that are never live together share one block in a joint pool but need one block each in
// separate pools. F[m][j] = least bytes for units [0, j) in at most m groups:
//   F[1][j] = s[j−1] · peak(0, j−1)
//   F[m][j] = min(F[m−1][j], min over i in [1, j−1] of F[m−1][i] + s[j−1] · peak(i, j−1))
// Peaks come from PeakIndex on demand and are memoised. Most groups are never measured:
//   - the split of the neighbouring cell is tried first, so a good bound is known early;
//   - F[m−1][·] never decreases in j and a group's peak never decreases as it grows left,
//     so once F[m−1][1] + s[j−1] · (a lower bound of the peak) exceeds the best found, no
//     group further left can win and the scan stops;
//   - a candidate whose lower bound already loses is skipped without measuring it. Lower
//     bounds: the peak of the group one unit shorter on either side (just measured, or
//     memoised), the unit's own peak, and Σ live at a few reference moments.
// The result is the proven optimum whenever the programme finishes within its work budget
// (traces with up to a few hundred distinct sizes). Otherwise exactFallback.ts takes over
// with what is left of the budget and reports a proven lower bound, so the gap is known.

import { exactFallback } from './exactFallback';
import { backtrack, BudgetExceeded, GroupPeaks, type ExactSplit } from './groupPeaks';
import type { PeakIndex } from './peakIndex';

export type { ExactSplit } from './groupPeaks';

export interface ExactSearch {
  /** Element m − 1: the best split found with at most m pools, m = 1..min(maxPools, units). */
  splits: ExactSplit[];
  /** True when every split is the proven optimum (the dynamic programme finished). */
  optimal: boolean;
  method: 'dynamic-programming' | 'local-search';
  /** Per element of splits: a proven lower bound on the optimum (equal to requiredBytes when optimal). */
  lowerBounds: number[];
  /** Groups whose peak was measured. */
  groupsMeasured: number;
}

export interface ExactSearchOptions {
  /** PeakIndex work (steps scanned, node bounds computed) the search may spend; see DEFAULT_WORK_BUDGET. */
  workBudget?: number;
  /** The pool count whose answer matters most: the fallback improves it first. */
  focus?: number;
  /** Called as the search advances, with a fraction 0..1. */
  onProgress?: (fraction: number) => void;
}

/**
 * Default work budget, about a second of peak queries. Two thirds go to the dynamic
 * programme; if it does not finish, the last third (at least) to the fallback.
 */
export const DEFAULT_WORK_BUDGET = 300_000_000;

export function exactSplits(
  index: PeakIndex,
  units: readonly number[],
  unitPeaks: Int32Array,
  maxPools: number,
  options: ExactSearchOptions = {},
): ExactSearch {
  const levels = Math.min(maxPools, units.length);
  if (levels < 1) return { splits: [], optimal: true, method: 'dynamic-programming', lowerBounds: [], groupsMeasured: 0 };
  const budget = options.workBudget ?? DEFAULT_WORK_BUDGET;
  const progress = options.onProgress ?? (() => {});
  const peaks = new GroupPeaks(index, units, unitPeaks);
  peaks.limit = peaks.work + (budget * 2) / 3;
  try {
    const splits = dynamicProgramme(peaks, levels, (done) => progress((done / levels) * 0.7));
    progress(1);
    return {
      splits,
      optimal: true,
      method: 'dynamic-programming',
      lowerBounds: splits.map((s) => s.requiredBytes),
      groupsMeasured: peaks.measured,
    };
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
  }
  // The memo keeps every peak measured so far; the fallback gets what is left.
  peaks.limit = Math.max(peaks.limit, peaks.work) + budget / 3;
  const { splits, lowerBounds } = exactFallback(peaks, levels, Math.min(options.focus ?? levels, levels));
  progress(1);
  return { splits, optimal: false, method: 'local-search', lowerBounds, groupsMeasured: peaks.measured };
}

function dynamicProgramme(peaks: GroupPeaks, levels: number, onLevel: (done: number) => void): ExactSplit[] {
  const { units, unitPeaks } = peaks;
  const k = units.length;
  // cost[m][j]: least bytes for units [0, j) in at most m + 1 groups; from[m][j]: where the
  // last group starts, or −1 when the level below is as good (fewer pools).
  const cost: Float64Array[] = [];
  const from: Int32Array[] = [];
  const first = new Float64Array(k + 1);
  let carry = 0;
  for (let j = 1; j <= k; j++) {
    carry = peaks.get(0, j - 1, Math.max(carry, unitPeaks[j - 1], peaks.referenceLower(0, j - 1)));
    first[j] = units[j - 1] * carry;
  }
  cost.push(first);
  from.push(new Int32Array(k + 1).fill(-1));
  onLevel(1);

  for (let m = 1; m < levels; m++) {
    const previous = cost[m - 1];
    const current = new Float64Array(k + 1);
    const start = new Int32Array(k + 1).fill(-1);
    // The last level only matters for all units (nothing builds on it).
    for (let j = m === levels - 1 ? k : 1; j <= k; j++) {
      const hi = j - 1;
      const block = units[hi];
      let best = previous[j];
      let bestStart = -1;
      // Ties: a split (one more pool) beats "as below", and the first split found stays.
      const seed = j > 1 && start[j - 1] >= 1 ? start[j - 1] : from[m - 1][j];
      if (seed >= 1 && seed < j) {
        const candidate = previous[seed] + block * peaks.get(seed, hi, peaks.referenceLower(seed, hi));
        if (candidate <= best) {
          best = candidate;
          bestStart = seed;
        }
      }
      let peak = 0; // a lower bound of peak(i, hi) while i moves left; exact when measured
      for (let i = hi; i >= 1; i--) {
        let lower = Math.max(peak, unitPeaks[i]);
        if (i < hi) lower = Math.max(lower, peaks.known(i, hi - 1));
        if (previous[1] + block * lower > best) break;
        let optimistic = previous[i] + block * lower;
        if (optimistic > best || (optimistic === best && bestStart >= 0)) {
          peak = lower;
          continue;
        }
        // Measuring costs; the reference moments often show first that it cannot win.
        if (peaks.known(i, hi) < 0) {
          lower = Math.max(lower, peaks.referenceLower(i, hi));
          optimistic = previous[i] + block * lower;
          if (optimistic > best || (optimistic === best && bestStart >= 0)) {
            peak = lower;
            continue;
          }
        }
        peak = peaks.get(i, hi, lower);
        const candidate = previous[i] + block * peak;
        if (candidate < best || (candidate === best && bestStart < 0)) {
          best = candidate;
          bestStart = i;
        }
      }
      current[j] = best;
      start[j] = bestStart;
    }
    cost.push(current);
    from.push(start);
    onLevel(m + 1);
  }
  return Array.from({ length: levels }, (_, m) => peaks.split(backtrack(from, m, k), true));
}
