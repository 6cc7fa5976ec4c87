// Drone-compatible optimisation (what `drone heap generate` does with a trace): split the units into n
// contiguous groups; each group is a pool with the group's largest size as block and the
// sum of its loads as capacity; minimise fragmentation = Σ (block − size) × load.
//
// Drone searches the splits with a recursive branch and bound. Here a dynamic programme
// finds the exact optimum in O(n·K²) with O(1) group costs from prefix sums:
//   F[1][j] = cost(0, j)
//   F[m][j] = min over i in [m−1, j−1] of F[m−1][i] + cost(i, j)     (units [0, j), m groups)
//   cost(i, j) = s[j−1] · Σ_{u∈[i,j)} load_u − Σ_{u∈[i,j)} s_u · load_u
// One run gives the optimum for every pool count up to the largest asked for (the
// trade-off table). Figures are exact while they stay below 2^53 bytes; a grouping that
// large can never be a heap (heaps are u32), so its rounding cannot change the answer.

import type { Grouping, SizeUnit } from './units';

export interface DroneSplit {
  /** Pools actually used: min(requested, distinct units). */
  pools: number;
  grouping: Grouping;
  /** Σ (block − size) × load. */
  fragmentation: number;
  /** Σ block × capacity of the tight layout (= Σ size × load + fragmentation). */
  requiredBytes: number;
}

/** The optimum for each pool count 1..min(maxPools, K): element m − 1 is for m pools. */
export function droneSplits(units: readonly SizeUnit[], maxPools: number): DroneSplit[] {
  const k = units.length;
  const levels = Math.min(maxPools, k);
  if (levels < 1) return [];
  const loads = new Float64Array(k + 1);
  const weighted = new Float64Array(k + 1);
  for (let u = 0; u < k; u++) {
    loads[u + 1] = loads[u] + units[u].load;
    weighted[u + 1] = weighted[u] + units[u].size * units[u].load;
  }
  const cost = (i: number, j: number) => units[j - 1].size * (loads[j] - loads[i]) - (weighted[j] - weighted[i]);

  // best[m][j]: least fragmentation of units [0, j) in m + 1 groups; from[m][j]: where its last group starts.
  const best: Float64Array[] = [];
  const from: Int32Array[] = [];
  const first = new Float64Array(k + 1).fill(Infinity);
  for (let j = 1; j <= k; j++) first[j] = cost(0, j);
  best.push(first);
  from.push(new Int32Array(k + 1));
  for (let m = 1; m < levels; m++) {
    const previous = best[m - 1];
    const current = new Float64Array(k + 1).fill(Infinity);
    const start = new Int32Array(k + 1);
    for (let j = m + 1; j <= k; j++) {
      const block = units[j - 1].size;
      const loadsJ = loads[j];
      const weightedJ = weighted[j];
      let bestCost = Infinity;
      let bestStart = j - 1;
      // Right to left: on ties the last pool stays small (Drone's search also keeps the
      // later split on ties).
      for (let i = j - 1; i >= m; i--) {
        const c = previous[i] + block * (loadsJ - loads[i]) - (weightedJ - weighted[i]);
        if (c < bestCost) {
          bestCost = c;
          bestStart = i;
        }
      }
      current[j] = bestCost;
      start[j] = bestStart;
    }
    best.push(current);
    from.push(start);
  }

  const splits: DroneSplit[] = [];
  for (let m = 0; m < levels; m++) {
    const ends: number[] = [];
    let j = k;
    for (let level = m; level >= 0; level--) {
      ends.push(j);
      j = level === 0 ? 0 : from[level][j];
    }
    ends.reverse();
    const fragmentation = best[m][k];
    splits.push({ pools: m + 1, grouping: { ends }, fragmentation, requiredBytes: weighted[k] + fragmentation });
  }
  return splits;
}

/** The optimum for `pools` pools (fewer when there are fewer distinct units). */
export function droneSplit(units: readonly SizeUnit[], pools: number): DroneSplit | undefined {
  const splits = droneSplits(units, pools);
  return splits[splits.length - 1];
}
