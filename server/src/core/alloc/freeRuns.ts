// The free runs of one contiguous region, indexed two ways:
//  - by (size, address) in two parallel sorted typed arrays: best fit is one binary search
//    (smallest run ≥ need, lowest address among equal sizes), the largest run is the last;
//  - by start and by end address in two Maps: a freed range finds both neighbours in O(1)
//    and is coalesced with them at once.
// Runs are few (bounded by live blocks + 1), so insertion/removal by copyWithin is cheap.

export class FreeRuns {
  private sizes: Float64Array;
  private addrs: Float64Array;
  private count = 0;
  private readonly byStart = new Map<number, number>();
  private readonly byEnd = new Map<number, number>();
  /** Σ free bytes. */
  total = 0;

  constructor(start: number, size: number) {
    this.sizes = new Float64Array(64);
    this.addrs = new Float64Array(64);
    if (size > 0) this.add(start, size);
  }

  /** Size of the largest free run (0 when nothing is free). */
  largest(): number {
    return this.count === 0 ? 0 : this.sizes[this.count - 1];
  }

  get runs(): number {
    return this.count;
  }

  /**
   * Best fit: takes `need` bytes from the low end of the smallest run ≥ need (lowest address
   * on ties) and returns their address, or −1 when no run is large enough.
   */
  take(need: number): number {
    const at = this.lowerBound(need, -1);
    if (at === this.count) return -1;
    const addr = this.addrs[at];
    const size = this.sizes[at];
    this.removeAt(at);
    this.byStart.delete(addr);
    this.byEnd.delete(addr + size);
    this.total -= size;
    // The rest keeps allocated neighbours on both sides: nothing to coalesce.
    if (size > need) this.add(addr + need, size - need);
    return addr;
  }

  /** Frees [addr, addr + size), coalescing with the free runs just before and just after it. */
  release(addr: number, size: number): void {
    let start = addr;
    let end = addr + size;
    const before = this.byEnd.get(start);
    if (before !== undefined) {
      this.remove(before, start - before);
      start = before;
    }
    const afterSize = this.byStart.get(end);
    if (afterSize !== undefined) {
      this.remove(end, afterSize);
      end += afterSize;
    }
    this.add(start, end - start);
  }

  /** Forgets every run (compaction), then frees [start, start + size). */
  reset(start: number, size: number): void {
    this.count = 0;
    this.total = 0;
    this.byStart.clear();
    this.byEnd.clear();
    if (size > 0) this.add(start, size);
  }

  /** The runs in address order (tests and debugging). */
  list(): { addr: number; size: number }[] {
    return [...this.byStart].map(([addr, size]) => ({ addr, size })).sort((x, y) => x.addr - y.addr);
  }

  private add(addr: number, size: number): void {
    if (this.count === this.sizes.length) {
      const sizes = new Float64Array(this.count * 2);
      const addrs = new Float64Array(this.count * 2);
      sizes.set(this.sizes);
      addrs.set(this.addrs);
      this.sizes = sizes;
      this.addrs = addrs;
    }
    const at = this.lowerBound(size, addr);
    this.sizes.copyWithin(at + 1, at, this.count);
    this.addrs.copyWithin(at + 1, at, this.count);
    this.sizes[at] = size;
    this.addrs[at] = addr;
    this.count++;
    this.byStart.set(addr, size);
    this.byEnd.set(addr + size, addr);
    this.total += size;
  }

  private remove(addr: number, size: number): void {
    this.removeAt(this.lowerBound(size, addr));
    this.byStart.delete(addr);
    this.byEnd.delete(addr + size);
    this.total -= size;
  }

  private removeAt(at: number): void {
    this.sizes.copyWithin(at, at + 1, this.count);
    this.addrs.copyWithin(at, at + 1, this.count);
    this.count--;
  }

  /** First position whose (size, addr) ≥ (size, addr) in lexicographic order. */
  private lowerBound(size: number, addr: number): number {
    const { sizes, addrs } = this;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = sizes[mid];
      if (s < size || (s === size && addrs[mid] < addr)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
