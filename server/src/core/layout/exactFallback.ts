// Exact mode's fallback, when the dynamic programme would take too long (thousands of
// distinct sizes on a long trace): for each pool count, start from the better of two
// splits that are optimal under bounds of the group peaks —
//   - an upper bound: Σ of the units' own peaks (what Drone does with max loads);
//   - a lower bound: the largest unit peak, or Σ live at a reference moment;
// then move or remove single boundaries while that lowers the bytes and the budget lasts.
// The lower-bound optimum is a proven lower bound of the true optimum, so the result says
// how far from optimal it can be at most.

import { droneSplits } from './droneSplit';
import { backtrack, BudgetExceeded, type ExactSplit, type GroupPeaks } from './groupPeaks';
import type { Grouping } from './units';

/** Cap on the lower-bound programme's work (levels · K²/2 · reference moments). */
const LOWER_BOUND_OPERATIONS = 200_000_000;

export function exactFallback(peaks: GroupPeaks, levels: number, focus: number): { splits: ExactSplit[]; lowerBounds: number[] } {
  const lower = lowerBoundSplits(peaks, levels);
  const upper = droneSplits(
    peaks.units.map((size, u) => ({ size, load: peaks.unitPeaks[u] })),
    levels,
  );
  // The starting splits are measured whatever the budget: there must be an answer.
  const splits = Array.from({ length: levels }, (_, m) =>
    [upper[m].grouping, lower.groupings[m]].map((g) => peaks.split(g, true)).reduce((a, b) => (b.requiredBytes < a.requiredBytes ? b : a)),
  );
  // Polish, the pool count that matters most first.
  for (const m of [focus, ...Array.from({ length: levels }, (_, i) => i + 1).filter((m) => m !== focus)]) {
    splits[m - 1] = localSearch(peaks, splits[m - 1]);
  }
  // At most m pools: a split with fewer pools that needs fewer bytes counts too.
  const best = splits.map((split, m) => splits.slice(0, m + 1).reduce((a, b) => (b.requiredBytes < a.requiredBytes ? b : a), split));
  return { splits: best, lowerBounds: lower.bounds };
}

/** Single moves — shift a boundary by one unit, or remove it — while one lowers the bytes and the budget lasts. */
function localSearch(peaks: GroupPeaks, start: ExactSplit): ExactSplit {
  let current = start;
  try {
    for (let improved = true; improved;) {
      improved = false;
      for (let g = 0; g + 1 < current.grouping.ends.length; g++) {
        for (const move of [-1, 1, 0]) {
          const ends = current.grouping.ends.slice();
          if (move === 0) ends.splice(g, 1);
          else {
            ends[g] += move;
            if (ends[g] <= (g === 0 ? 0 : ends[g - 1]) || ends[g] >= ends[g + 1]) continue;
          }
          const candidate = peaks.split({ ends });
          if (candidate.requiredBytes < current.requiredBytes) {
            current = candidate;
            improved = true;
            break;
          }
        }
      }
    }
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
  }
  return current;
}

/**
 * For each pool count, the optimum when every group's peak is replaced by a lower bound of
 * it (the largest unit peak, or Σ live at a reference moment), and its split. No group
 * needs less than its bound, so this optimum is ≤ the true one. O(levels · K² · moments),
 * no trace access; candidates the cheap bound already rules out are skipped.
 */
function lowerBoundSplits(peaks: GroupPeaks, levels: number): { bounds: number[]; groupings: Grouping[] } {
  const { units, unitPeaks } = peaks;
  const k = units.length;
  const moments = Math.max(1, Math.min(peaks.references.length, Math.floor(LOWER_BOUND_OPERATIONS / (levels * ((k * k) / 2)))));
  const groupLower = (lo: number, hi: number, maxUnitPeak: number) => Math.max(maxUnitPeak, peaks.referenceLower(lo, hi, moments));
  const cost: Float64Array[] = [];
  const from: Int32Array[] = [];
  const first = new Float64Array(k + 1);
  let carry = 0;
  for (let j = 1; j <= k; j++) {
    carry = Math.max(carry, unitPeaks[j - 1]);
    first[j] = units[j - 1] * groupLower(0, j - 1, carry);
  }
  cost.push(first);
  from.push(new Int32Array(k + 1).fill(-1));
  for (let m = 1; m < levels; m++) {
    const previous = cost[m - 1];
    const current = new Float64Array(k + 1);
    const start = new Int32Array(k + 1).fill(-1);
    for (let j = 1; j <= k; j++) {
      const block = units[j - 1];
      let best = previous[j];
      let max = 0;
      for (let i = j - 1; i >= 1; i--) {
        max = Math.max(max, unitPeaks[i]);
        if (previous[1] + block * max >= best) break; // F never decreases, bounds only grow leftwards
        if (previous[i] + block * max >= best) continue;
        const candidate = previous[i] + block * groupLower(i, j - 1, max);
        if (candidate < best) {
          best = candidate;
          start[j] = i;
        }
      }
      current[j] = best;
    }
    cost.push(current);
    from.push(start);
  }
  return { bounds: cost.map((c) => c[k]), groupings: cost.map((_, m) => backtrack(from, m, k)) };
}
