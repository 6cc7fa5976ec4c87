// The free runs of a word-aligned region, for the allocator models' hot path: exact best fit
// (smallest run ≥ need, lowest address among equal sizes) in O(1)-ish time whatever the
// number of runs, where FreeRuns (freeRuns.ts) keeps one sorted array whose inserts and
// removals shift O(runs) entries.
//
// Valid when every run starts on a word (4 B) and every size taken or released is a whole
// number of words, except that the region's own end may be unaligned: what the models do
// (requests are rounded up to the word, the overhead is 8 B, the region starts at 0).
// Then a run's size class, ⌊size / 4⌋, orders runs the way best fit needs:
//  - every run in class c fits a need of 4c or less, none fits more (needs are whole words);
//  - within a class every size is 4c except perhaps the run that ends at the region's end,
//    which is the highest address of all: address order within a class is (size, address)
//    order, so the lowest address of the smallest non-empty class ≥ need / 4 is the best fit.
// Structure, all typed arrays indexed by word (granule) or class, nothing allocated per call:
//  - per start granule: the run's size, and the start + 1 of the run ending at each granule
//    (finds both neighbours of a freed range at once, as in FreeRuns);
//  - per class: a doubly linked list of its runs in address order (links per start granule);
//  - a bit tree over the classes (one bit per non-empty class, one bit per non-zero word
//    above it): the smallest non-empty class ≥ c and the largest non-empty class are a few
//    word operations away.
// Classes are usually short (runs of one size are few), so inserting in address order is
// cheap; appending after the last run of its class, the common case, is O(1).

/** Regions up to this size can be indexed by granule (the same limit as FreeRuns'). */
export const WORD_RUNS_MAX_BYTES = 4 << 20;

export class WordFreeRuns {
  /** Σ free bytes. */
  total = 0;
  private count = 0;
  /**
   * Four numbers per granule g, side by side so that one run's bookkeeping shares a cache line:
   * at 4g the size of the run starting at g (0 = none); at 4g + 1 the start + 1 of the run
   * ending at granule ⌈end / 4⌉ (0 = none); at 4g + 2 and 4g + 3 the next and previous run of
   * the same class as the run starting at g, as granule + 1 (0 = none).
   */
  private readonly cells: Int32Array;
  /** Per class: its first and last run (lowest and highest address), as granule + 1 (0 = empty). */
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly classes: BitTree;
  /** The largest non-empty class, −1 when nothing is free. */
  private top = -1;
  /** Size of the largest run, or −1 when it must be looked up again (the models ask after every event). */
  private largestSize = 0;

  /** Whether a region [start, start + size) can use this index. */
  static fits(start: number, size: number): boolean {
    return (
      Number.isInteger(start) && Number.isInteger(size) && start >= 0 && start % 4 === 0 && size >= 0 && start + size <= WORD_RUNS_MAX_BYTES
    );
  }

  constructor(start: number, size: number) {
    const granules = ((start + size + 3) >> 2) + 1;
    const classes = (size >> 2) + 1;
    this.cells = new Int32Array(4 * granules);
    this.head = new Int32Array(classes);
    this.tail = new Int32Array(classes);
    this.classes = new BitTree(classes);
    if (size > 0) {
      this.addRun(start, size);
      this.total = size;
    }
  }

  /** Size of the largest free run (0 when nothing is free). */
  largest(): number {
    if (this.largestSize < 0) this.largestSize = this.top < 0 ? 0 : this.cells[4 * (this.tail[this.top] - 1)];
    return this.largestSize;
  }

  /** Size of the free run starting at `addr` (a whole word), 0 when none starts there. */
  runAt(addr: number): number {
    return this.cells[4 * (addr >> 2)];
  }

  get runs(): number {
    return this.count;
  }

  /**
   * Best fit: takes `need` bytes (a whole number of words) from the low end of the smallest
   * run ≥ need (lowest address on ties) and returns their address, or −1 when none is large enough.
   */
  take(need: number): number {
    const wanted = need >> 2;
    if (wanted > this.top) return -1;
    const c = this.classes.next(wanted);
    const g = this.head[c] - 1;
    const size = this.cells[4 * g];
    const addr = g << 2;
    this.removeRun(c, g, addr, size);
    this.total -= need;
    if (size !== need) this.addRun(addr + need, size - need);
    return addr;
  }

  /** Frees [addr, addr + size) (addr and size whole words, or the range ends the region), coalescing with the runs just before and after. */
  release(addr: number, size: number): void {
    const cells = this.cells;
    let start = addr;
    let end = addr + size;
    const before = cells[4 * (addr >> 2) + 1] - 1;
    if (before >= 0) {
      const beforeSize = addr - before;
      this.removeRun(beforeSize >> 2, before >> 2, before, beforeSize);
      start = before;
    }
    const endGranule = (end + 3) >> 2;
    const afterSize = 4 * endGranule < cells.length ? cells[4 * endGranule] : 0;
    if (afterSize > 0) {
      this.removeRun(afterSize >> 2, endGranule, end, afterSize);
      end += afterSize;
    }
    this.addRun(start, end - start);
    this.total += size;
  }

  /** Forgets every run (compaction), then frees [start, start + size). */
  reset(start: number, size: number): void {
    while (this.top >= 0) {
      const g = this.head[this.top] - 1;
      this.removeRun(this.top, g, g << 2, this.cells[4 * g]);
    }
    this.total = 0;
    if (size > 0) {
      this.addRun(start, size);
      this.total = size;
    }
  }

  /** The runs in address order (tests and debugging). */
  list(): { addr: number; size: number }[] {
    const out: { addr: number; size: number }[] = [];
    for (let c = this.classes.next(0); c >= 0; c = c + 1 < this.head.length ? this.classes.next(c + 1) : -1) {
      for (let g = this.head[c] - 1; g >= 0; g = this.cells[4 * g + 2] - 1) out.push({ addr: g << 2, size: this.cells[4 * g] });
    }
    return out.sort((x, y) => x.addr - y.addr);
  }

  /** Indexes the run [addr, addr + size) and links it into its class in address order. */
  private addRun(addr: number, size: number): void {
    const g = addr >> 2;
    const cells = this.cells;
    cells[4 * g] = size;
    cells[4 * ((addr + size + 3) >> 2) + 1] = addr + 1;
    const c = size >> 2;
    const { head, tail } = this;
    const last = tail[c];
    if (last === 0) {
      head[c] = tail[c] = g + 1;
      cells[4 * g + 2] = 0;
      cells[4 * g + 3] = 0;
      this.classes.set(c);
      if (c > this.top) this.top = c;
    } else if (last - 1 < g) {
      // After the last run of its class: the common case.
      cells[4 * (last - 1) + 2] = g + 1;
      cells[4 * g + 3] = last;
      cells[4 * g + 2] = 0;
      tail[c] = g + 1;
    } else {
      let after = head[c];
      let before = 0;
      while (after !== 0 && after - 1 < g) {
        before = after;
        after = cells[4 * (after - 1) + 2];
      }
      cells[4 * g + 2] = after;
      cells[4 * g + 3] = before;
      cells[4 * (after - 1) + 3] = g + 1; // `after` is not 0: g is below the last run
      if (before === 0) head[c] = g + 1;
      else cells[4 * (before - 1) + 2] = g + 1;
    }
    if (this.largestSize >= 0 && size > this.largestSize) this.largestSize = size;
    this.count++;
  }

  /** Unlinks and unindexes the run of class `c` starting at granule `g` (address `addr`, `size` bytes). */
  private removeRun(c: number, g: number, addr: number, size: number): void {
    const cells = this.cells;
    cells[4 * g] = 0;
    cells[4 * ((addr + size + 3) >> 2) + 1] = 0;
    const n = cells[4 * g + 2];
    const p = cells[4 * g + 3];
    if (p === 0) this.head[c] = n;
    else cells[4 * (p - 1) + 2] = n;
    if (n === 0) this.tail[c] = p;
    else cells[4 * (n - 1) + 3] = p;
    if (n === 0 && p === 0) {
      this.classes.clear(c);
      if (c === this.top) this.top = c > 0 ? this.classes.previous(c - 1) : -1;
    }
    if (size === this.largestSize) this.largestSize = -1;
    this.count--;
  }
}

/** A set of small integers with fast "next ≥ i" and "previous ≤ i": 32-bit words, with a summary word level above each level. */
export class BitTree {
  /** levels[0]: one bit per item; levels[k + 1]: one bit per non-zero word of levels[k]. */
  private readonly levels: Int32Array[] = [];

  constructor(items: number) {
    let n = Math.max(items, 1);
    do {
      n = (n + 31) >> 5;
      this.levels.push(new Int32Array(n));
    } while (n > 1);
  }

  set(i: number): void {
    const levels = this.levels;
    for (let k = 0; k < levels.length; k++) {
      const level = levels[k];
      const w = i >> 5;
      const was = level[w];
      level[w] = was | (1 << (i & 31));
      if (was !== 0) return;
      i = w;
    }
  }

  clear(i: number): void {
    const levels = this.levels;
    for (let k = 0; k < levels.length; k++) {
      const level = levels[k];
      const w = i >> 5;
      const now = level[w] & ~(1 << (i & 31));
      level[w] = now;
      if (now !== 0) return;
      i = w;
    }
  }

  /** The smallest member ≥ i, or −1. */
  next(i: number): number {
    const levels = this.levels;
    let k = 0;
    for (; k < levels.length; k++) {
      const level = levels[k];
      const w = i >> 5;
      if (w >= level.length) return -1;
      const m = level[w] & (-1 << (i & 31));
      if (m !== 0) {
        i = (w << 5) | (31 - Math.clz32(m & -m));
        break;
      }
      i = w + 1;
    }
    if (k === levels.length) return -1;
    while (k > 0) {
      const word = levels[--k][i];
      i = (i << 5) | (31 - Math.clz32(word & -word));
    }
    return i;
  }

  /** The largest member ≤ i, or −1. */
  previous(i: number): number {
    const levels = this.levels;
    let k = 0;
    for (; k < levels.length; k++) {
      const w = i >> 5;
      const m = levels[k][w] & ((2 << (i & 31)) - 1);
      if (m !== 0) {
        i = (w << 5) | (31 - Math.clz32(m));
        break;
      }
      if (w === 0) return -1;
      i = w - 1;
    }
    if (k === levels.length) return -1;
    while (k > 0) i = (i << 5) | (31 - Math.clz32(levels[--k][i]));
    return i;
  }
}
