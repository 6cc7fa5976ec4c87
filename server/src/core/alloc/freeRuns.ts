// The free runs of one contiguous region, indexed two ways:
//  - by (size, address), in one typed array of (size, address) pairs sorted lexicographically:
//    best fit is one binary search (smallest run ≥ need, lowest address among equal sizes),
//    the largest run is the last. Pairs sit side by side, so a search or a shift touches one
//    array: in V8's loops, one array's bounds and map checks per step instead of two;
//  - by start and by end address: a freed range finds both neighbours in O(1) and is
//    coalesced with them at once. Up to DIRECT_BYTES of region this is one Int32Array indexed
//    by 4-byte granule (run starts are word-aligned; an end is word-aligned or the region's
//    end), beyond that (or with fractional bounds: granule() needs integers) two Maps.
// Runs are few (bounded by live blocks + 1); the sorted pairs shift with plain loops,
// faster than copyWithin at these lengths.

/** Regions up to this size index neighbours by granule (2 × 4 B per 4 B of region). */
const DIRECT_BYTES = 4 << 20;

/** ceil(x / 4) without a division; exact for integers below 2³¹ − 3, as every offset of a directly indexed region is. */
function granule(x: number): number {
  return (x + 3) >> 2;
}

export class FreeRuns {
  /** Run i is (size, address) = (pairs[2i], pairs[2i + 1]), in (size, address) order. */
  private pairs: Float64Array;
  private count = 0;
  /**
   * Direct neighbour index, per granule g: at 2g the size of the run starting at granule g,
   * at 2g + 1 the start + 1 of the run ending at granule g (ceil(end / 4)); 0 = none.
   */
  private readonly edges: Int32Array | null;
  private readonly byStart = new Map<number, number>();
  private readonly byEnd = new Map<number, number>();
  /** Σ free bytes. */
  total = 0;

  constructor(start: number, size: number) {
    this.pairs = new Float64Array(128);
    const direct = start + size <= DIRECT_BYTES && Number.isInteger(start) && Number.isInteger(size);
    this.edges = direct ? new Int32Array(2 * (granule(start + size) + 1)) : null;
    if (size > 0) this.add(start, size);
  }

  /** Size of the largest free run (0 when nothing is free). */
  largest(): number {
    return this.count === 0 ? 0 : this.pairs[2 * this.count - 2];
  }

  get runs(): number {
    return this.count;
  }

  /**
   * Best fit: takes `need` bytes from the low end of the smallest run ≥ need (lowest address
   * on ties) and returns their address, or −1 when no run is large enough.
   */
  take(need: number): number {
    const pairs = this.pairs;
    // The first run whose size is ≥ need: among equal sizes, the lowest address comes first.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pairs[2 * mid] < need) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.count) return -1;
    const size = pairs[2 * lo];
    const addr = pairs[2 * lo + 1];
    this.unindex(addr, size);
    this.total -= need;
    if (size === need) {
      this.removeAt(lo);
      return addr;
    }
    // The rest keeps allocated neighbours on both sides: nothing to coalesce. Its key only
    // decreases, so it moves down in the order, past the runs between its new and old keys.
    this.move(lo, size - need, addr + need);
    this.index(addr + need, size - need);
    return addr;
  }

  /** Frees [addr, addr + size), coalescing with the free runs just before and just after it. */
  release(addr: number, size: number): void {
    const start = addr;
    let end = addr + size;
    const edges = this.edges;
    const before = edges !== null ? edges[2 * granule(start) + 1] - 1 : (this.byEnd.get(start) ?? -1);
    const afterSize = edges !== null ? edges[2 * granule(end)] : (this.byStart.get(end) ?? 0);
    if (before < 0 && afterSize === 0) {
      this.add(start, size);
      return;
    }
    // Grow one neighbour's entry in place (its key only moves up); drop the other neighbour.
    if (afterSize > 0) {
      if (before >= 0) this.remove(end, afterSize);
      else {
        this.unindex(end, afterSize);
        this.total -= afterSize;
        this.move(this.find(afterSize, end), afterSize + end - start, start);
        this.index(start, afterSize + end - start);
        this.total += afterSize + end - start;
        return;
      }
      end += afterSize;
    }
    const beforeSize = addr - before;
    this.unindex(before, beforeSize);
    this.total -= beforeSize;
    this.move(this.find(beforeSize, before), end - before, before);
    this.index(before, end - before);
    this.total += end - before;
  }

  /** Forgets every run (compaction), then frees [start, start + size). */
  reset(start: number, size: number): void {
    for (let i = 0; i < this.count; i++) this.unindex(this.pairs[2 * i + 1], this.pairs[2 * i]);
    this.count = 0;
    this.total = 0;
    if (size > 0) this.add(start, size);
  }

  /** The runs in address order (tests and debugging). */
  list(): { addr: number; size: number }[] {
    const out: { addr: number; size: number }[] = [];
    for (let i = 0; i < this.count; i++) out.push({ addr: this.pairs[2 * i + 1], size: this.pairs[2 * i] });
    return out.sort((x, y) => x.addr - y.addr);
  }

  private add(addr: number, size: number): void {
    if (2 * this.count === this.pairs.length) {
      const pairs = new Float64Array(this.pairs.length * 2);
      pairs.set(this.pairs);
      this.pairs = pairs;
    }
    // A new last entry, slid down to its place.
    this.move(this.count++, size, addr);
    this.index(addr, size);
    this.total += size;
  }

  /** Gives run `at` the key (size, addr) and slides it to its place in the order. */
  private move(at: number, size: number, addr: number): void {
    const pairs = this.pairs;
    let i = 2 * at;
    while (i > 0 && (pairs[i - 2] > size || (pairs[i - 2] === size && pairs[i - 1] > addr))) {
      pairs[i] = pairs[i - 2];
      pairs[i + 1] = pairs[i - 1];
      i -= 2;
    }
    const last = 2 * this.count - 2;
    while (i < last && (pairs[i + 2] < size || (pairs[i + 2] === size && pairs[i + 3] < addr))) {
      pairs[i] = pairs[i + 2];
      pairs[i + 1] = pairs[i + 3];
      i += 2;
    }
    pairs[i] = size;
    pairs[i + 1] = addr;
  }

  private index(addr: number, size: number): void {
    const edges = this.edges;
    if (edges !== null) {
      edges[2 * granule(addr)] = size;
      edges[2 * granule(addr + size) + 1] = addr + 1;
    } else {
      this.byStart.set(addr, size);
      this.byEnd.set(addr + size, addr);
    }
  }

  private unindex(addr: number, size: number): void {
    const edges = this.edges;
    if (edges !== null) {
      edges[2 * granule(addr)] = 0;
      edges[2 * granule(addr + size) + 1] = 0;
    } else {
      this.byStart.delete(addr);
      this.byEnd.delete(addr + size);
    }
  }

  private remove(addr: number, size: number): void {
    this.removeAt(this.find(size, addr));
    this.unindex(addr, size);
    this.total -= size;
  }

  private removeAt(at: number): void {
    const pairs = this.pairs;
    const last = 2 * --this.count;
    for (let i = 2 * at; i < last; i += 2) {
      pairs[i] = pairs[i + 2];
      pairs[i + 1] = pairs[i + 3];
    }
  }

  /** Position of the run (size, addr), which must exist. */
  private find(size: number, addr: number): number {
    const pairs = this.pairs;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = pairs[2 * mid];
      if (s < size || (s === size && pairs[2 * mid + 1] < addr)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
