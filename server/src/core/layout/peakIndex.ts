// The exact peak of a group of units: max over time of Σ live(u), u ∈ [lo, hi]. That is
// the capacity a pool serving exactly those units needs — per-size peaks do not coincide,
// so it is usually well below Drone's Σ of per-size max loads.
//
// A pass over the whole trace per group would cost O(steps) each, and the search asks
// about many groups. So the index keeps bounds on two axes:
//  - time is cut into leaves of L steps, grouped into a tree (fan-out 8);
//  - units are covered by dyadic pieces [p·2^l, (p+1)·2^l) (a segment tree over units);
//    any group is the union of at most 2·log2(K) pieces.
// For every time node and piece the index stores the piece's highest Σ live within the
// node's time range, and for every leaf the piece's Σ live at the leaf's start. The
// group's peak within a node is at most the sum of its pieces' maxima there — a far
// tighter bound than one term per unit, because each piece's maximum is exact.
// A query is a best-first branch and bound over time: expand the node with the highest
// upper bound, scan a leaf's steps exactly only when its bound beats the best value found,
// stop when no bound does. The answer is exact; the bounds only skip time that cannot hold
// the peak. A lower bound the caller already knows (the peak of a sub-group) prunes more.
// Memory: each table holds about 4M numbers whatever the trace length (L grows instead),
// two bytes each when no sum can exceed 65,535 (Σ of the units' peaks bounds every sum).

import { STEP_CHUNK, STEP_CHUNK_BITS, type LiveSteps, type StepChunk } from './liveSteps';
import { NodeHeap } from './nodeHeap';

const FAN_OUT = 8;
const MIN_LEAF_STEPS = 256;
/** Cap on leaves × pieces, i.e. on the size of one table. */
const TABLE_BUDGET = 1 << 22;

/** Live counts per (node, piece): two bytes when every count fits. */
type CountTable = Uint16Array | Int32Array;

export class PeakIndex {
  readonly unitCount: number;
  readonly leafSteps: number;
  /** Steps scanned plus node bounds summed (one per piece) by all queries so far: the search's measure of work. */
  work = 0;
  /** Dyadic pieces: level l starts at pieceOffset[l]; piece p of level l covers units [p·2^l, (p+1)·2^l) ∩ [0, K). */
  private readonly pieceOffset: number[] = [];
  private readonly pieceCount: number;
  private readonly leafCount: number;
  /** levels[0] = leaves; per node and piece: the piece's highest Σ live in the node's time range. */
  private readonly levels: CountTable[] = [];
  private readonly levelCounts: number[] = [];
  /** Per leaf and piece: Σ live at the leaf's start. */
  private readonly leafStarts: CountTable;
  private readonly heap = new NodeHeap();
  private readonly pieces: number[] = [];

  /** `leafSteps` (a power of two) overrides the shortest leaf; tests use tiny leaves to get deep trees. */
  constructor(
    private readonly steps: LiveSteps,
    options: { leafSteps?: number } = {},
  ) {
    const k = (this.unitCount = steps.units.length);
    let count = 0;
    for (let width = 1; ; width *= 2) {
      this.pieceOffset.push(count);
      count += Math.ceil(k / width);
      if (width >= k) break;
    }
    this.pieceCount = Math.max(count, 1);
    let leafSteps = options.leafSteps ?? MIN_LEAF_STEPS;
    while (leafSteps < STEP_CHUNK && Math.ceil(steps.stepCount / leafSteps) * this.pieceCount > TABLE_BUDGET) leafSteps *= 2;
    this.leafSteps = leafSteps; // a power of two ≤ STEP_CHUNK: no leaf straddles two chunks
    this.leafCount = Math.max(1, Math.ceil(steps.stepCount / leafSteps));
    let bound = 0;
    for (let u = 0; u < k; u++) bound += steps.unitPeaks[u];
    const Table = bound <= 0xffff ? Uint16Array : Int32Array;
    this.leafStarts = new Table(this.leafCount * this.pieceCount);
    for (let n = this.leafCount; ; n = Math.ceil(n / FAN_OUT)) {
      this.levels.push(new Table(n * this.pieceCount));
      this.levelCounts.push(n);
      if (n === 1) break;
    }
    this.build();
  }

  /** One pass over the steps fills every table. */
  private build(): void {
    const pieces = this.pieceCount;
    const offsets = Int32Array.from(this.pieceOffset);
    const depth = offsets.length;
    const sums = new Int32Array(pieces);
    const nodeMax = this.levels.map(() => new Int32Array(pieces));
    for (let leaf = 0; leaf < this.leafCount; leaf++) {
      this.leafStarts.set(sums, leaf * pieces);
      const max = nodeMax[0];
      max.set(sums);
      const { chunk, from, to } = this.leafRange(leaf);
      for (let s = from; s < to; s++) {
        const step = chunk[s];
        const unit = step >> 1;
        if (step & 1) {
          for (let l = 0; l < depth; l++) sums[offsets[l] + (unit >> l)]--;
        } else {
          for (let l = 0; l < depth; l++) {
            const id = offsets[l] + (unit >> l);
            if (++sums[id] > max[id]) max[id] = sums[id];
          }
        }
      }
      // Close this leaf and every ancestor whose last child it is; fold maxima upwards.
      let index = leaf;
      for (let level = 0; level < this.levels.length; level++) {
        this.levels[level].set(nodeMax[level], index * pieces);
        if (level + 1 < this.levels.length) {
          const parent = nodeMax[level + 1];
          const child = nodeMax[level];
          if (index % FAN_OUT === 0) parent.set(child);
          else for (let id = 0; id < pieces; id++) if (child[id] > parent[id]) parent[id] = child[id];
        }
        const isLastChild = (index + 1) % FAN_OUT === 0 || index + 1 === this.levelCounts[level];
        if (!isLastChild) break;
        index = Math.floor(index / FAN_OUT);
      }
    }
  }

  /**
   * Peak of Σ live over units [lo, hi] (inclusive). `atLeast` must be a value the group
   * surely reaches (e.g. the peak of a sub-group, or 0); it only speeds the search up.
   */
  peak(lo: number, hi: number, atLeast = 0): number {
    this.decompose(lo, hi);
    let best = atLeast;
    const heap = this.heap;
    heap.clear();
    const top = this.levels.length - 1;
    for (let node = 0; node < this.levelCounts[top]; node++) {
      const bound = this.sum(this.levels[top], node);
      if (bound > best) heap.push(bound, top, node);
    }
    while (heap.size > 0) {
      const bound = heap.topBound();
      if (bound <= best) break; // nothing left can beat what was found
      const level = heap.topLevel();
      const node = heap.topNode();
      heap.pop();
      // A node costs one bound per child, each a sum over the pieces.
      this.work += this.pieces.length * (level === 0 ? 1 : FAN_OUT);
      if (level === 0) {
        const start = this.sum(this.leafStarts, node);
        if (start > best) best = start;
        if (bound > best) best = this.scanLeaf(node, lo, hi, start, best, bound);
        continue;
      }
      const table = this.levels[level - 1];
      const first = node * FAN_OUT;
      const end = Math.min(first + FAN_OUT, this.levelCounts[level - 1]);
      for (let child = first; child < end; child++) {
        const childBound = this.sum(table, child);
        if (childBound > best) heap.push(childBound, level - 1, child);
      }
    }
    return best;
  }

  /**
   * Live counts per unit (as prefix sums over units, length K + 1) at up to `count`
   * moments worth remembering: when the widest dyadic pieces reach their peaks (all
   * units first, then each half, each quarter…). Σ over a group at any such moment is a
   * lower bound of the group's peak that costs one subtraction.
   */
  referenceStates(count: number): Int32Array[] {
    const states: Int32Array[] = [];
    const seen = new Set<number>();
    for (let level = this.pieceOffset.length - 1; level >= 0 && states.length < count; level--) {
      const first = this.pieceOffset[level];
      const end = level + 1 < this.pieceOffset.length ? this.pieceOffset[level + 1] : this.pieceCount;
      for (let piece = first; piece < end && states.length < count; piece++) {
        const state = this.stateAtPeakOf(piece, level);
        if (state && !seen.has(state.time)) {
          seen.add(state.time);
          states.push(state.prefix);
        }
      }
    }
    return states;
  }

  /** The moment piece `piece` (of level `level`) first reaches its peak, and every unit's live count then. */
  private stateAtPeakOf(piece: number, level: number): { time: number; prefix: Int32Array } | undefined {
    const pieces = this.pieceCount;
    const maxima = this.levels[0];
    let leaf = 0;
    for (let l = 1; l < this.leafCount; l++) if (maxima[l * pieces + piece] > maxima[leaf * pieces + piece]) leaf = l;
    const target = maxima[leaf * pieces + piece];
    if (target === 0) return undefined;
    const k = this.unitCount;
    const live = Int32Array.from(this.leafStarts.subarray(leaf * pieces, leaf * pieces + k)); // level 0: one unit per piece
    const lo = (piece - this.pieceOffset[level]) << level;
    const hi = Math.min(lo + (1 << level), k) - 1;
    let sum = 0;
    for (let u = lo; u <= hi; u++) sum += live[u];
    const { chunk, from, to } = this.leafRange(leaf);
    let time = leaf * this.leafSteps;
    for (let s = from; s < to && sum < target; s++, time++) {
      const step = chunk[s];
      const unit = step >> 1;
      const delta = step & 1 ? -1 : 1;
      live[unit] += delta;
      if (unit >= lo && unit <= hi) sum += delta;
    }
    const prefix = new Int32Array(k + 1);
    for (let u = 0; u < k; u++) prefix[u + 1] = prefix[u] + live[u];
    return { time, prefix };
  }

  /** Sets `pieces` to the dyadic pieces whose union is [lo, hi]. */
  private decompose(lo: number, hi: number): void {
    const pieces = this.pieces;
    pieces.length = 0;
    for (let x = lo; x <= hi;) {
      let level = 0;
      // Widen while x is aligned to the wider piece and the piece stays inside [x, hi].
      while (level + 1 < this.pieceOffset.length && x % (2 << level) === 0 && Math.min(x + (2 << level), this.unitCount) - 1 <= hi) level++;
      pieces.push(this.pieceOffset[level] + (x >> level));
      x = Math.min(x + (1 << level), this.unitCount);
    }
  }

  /** Σ of the current pieces' entries in row `node` of `table`. */
  private sum(table: CountTable, node: number): number {
    const at = node * this.pieceCount;
    const pieces = this.pieces;
    let total = 0;
    for (let i = 0; i < pieces.length; i++) total += table[at + pieces[i]];
    return total;
  }

  /** Exact maximum of the group's sum within one leaf (stops early once it reaches `bound`). */
  private scanLeaf(leaf: number, lo: number, hi: number, start: number, best: number, bound: number): number {
    const { chunk, from, to } = this.leafRange(leaf);
    this.work += to - from;
    let sum = start;
    // Branch-free membership (whether a step's unit is in the group is a coin toss for the
    // branch predictor): d = step − 2·lo is in [0, 2·(hi − lo) + 1] exactly for the group's
    // units, and keeps the step's sign bit; the mask is −1 then, else 0. Steps and units stay
    // far below 2^30, so the int32 arithmetic is exact.
    const base = lo << 1;
    const span = ((hi - lo) << 1) | 1;
    for (let s = from; s < to; s++) {
      const d = chunk[s] - base;
      sum += (1 - ((d & 1) << 1)) & ~((d | (span - d)) >> 31);
      if (sum > best) {
        best = sum;
        if (best >= bound) break;
      }
    }
    return best;
  }

  private leafRange(leaf: number): { chunk: StepChunk; from: number; to: number } {
    const first = leaf * this.leafSteps;
    const last = Math.min(first + this.leafSteps, this.steps.stepCount);
    const chunk = this.steps.chunks[first >>> STEP_CHUNK_BITS] ?? new Int32Array(0);
    const from = first & (STEP_CHUNK - 1);
    return { chunk, from, to: from + Math.max(0, last - first) };
  }
}
