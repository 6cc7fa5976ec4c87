// The free runs of one contiguous region, indexed two ways:
//  - by (size, address) in two parallel sorted typed arrays: best fit is one binary search
//    (smallest run ≥ need, lowest address among equal sizes), the largest run is the last;
//  - by start and by end address: a freed range finds both neighbours in O(1) and is
//    coalesced with them at once. Up to DIRECT_BYTES of region these are typed arrays
//    indexed by 4-byte granule (run starts are word-aligned; an end is word-aligned or the
//    region's end), beyond that two Maps.
// Runs are few (bounded by live blocks + 1); the sorted arrays shift with plain loops,
// faster than copyWithin at these lengths.

/** Regions up to this size index neighbours by granule (2 × 8 B per 4 B of region). */
const DIRECT_BYTES = 4 << 20;

export class FreeRuns {
  private sizes: Float64Array;
  private addrs: Float64Array;
  private count = 0;
  /** Direct index: run size at granule ceil(start / 4), run start + 1 at granule ceil(end / 4); 0 = none. */
  private readonly sizeAt: Float64Array | null;
  private readonly startBefore: Float64Array | null;
  private readonly byStart = new Map<number, number>();
  private readonly byEnd = new Map<number, number>();
  /** Σ free bytes. */
  total = 0;

  constructor(start: number, size: number) {
    this.sizes = new Float64Array(64);
    this.addrs = new Float64Array(64);
    const direct = start + size <= DIRECT_BYTES;
    this.sizeAt = direct ? new Float64Array(Math.ceil((start + size) / 4) + 1) : null;
    this.startBefore = direct ? new Float64Array(Math.ceil((start + size) / 4) + 1) : null;
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
    this.unindex(addr, size);
    this.total -= need;
    // The rest keeps allocated neighbours on both sides: nothing to coalesce. It only moves
    // down in the size order, past the runs between its new and old keys.
    if (size > need) {
      this.move(at, size - need, addr + need);
      this.index(addr + need, size - need);
    } else this.removeAt(at);
    return addr;
  }

  /** Frees [addr, addr + size), coalescing with the free runs just before and just after it. */
  release(addr: number, size: number): void {
    const start = addr;
    let end = addr + size;
    const { sizeAt, startBefore } = this;
    const before = startBefore !== null ? startBefore[Math.ceil(start / 4)] - 1 : (this.byEnd.get(start) ?? -1);
    const afterSize = sizeAt !== null ? sizeAt[Math.ceil(end / 4)] : (this.byStart.get(end) ?? 0);
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
        this.move(this.lowerBound(afterSize, end), afterSize + end - start, start);
        this.index(start, afterSize + end - start);
        this.total += afterSize + end - start;
        return;
      }
      end += afterSize;
    }
    const beforeSize = addr - before;
    this.unindex(before, beforeSize);
    this.total -= beforeSize;
    this.move(this.lowerBound(beforeSize, before), end - before, before);
    this.index(before, end - before);
    this.total += end - before;
  }

  /** Forgets every run (compaction), then frees [start, start + size). */
  reset(start: number, size: number): void {
    for (let i = 0; i < this.count; i++) this.unindex(this.addrs[i], this.sizes[i]);
    this.count = 0;
    this.total = 0;
    if (size > 0) this.add(start, size);
  }

  /** The runs in address order (tests and debugging). */
  list(): { addr: number; size: number }[] {
    const out: { addr: number; size: number }[] = [];
    for (let i = 0; i < this.count; i++) out.push({ addr: this.addrs[i], size: this.sizes[i] });
    return out.sort((x, y) => x.addr - y.addr);
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
    const { sizes, addrs } = this;
    for (let i = this.count; i > at; i--) {
      sizes[i] = sizes[i - 1];
      addrs[i] = addrs[i - 1];
    }
    sizes[at] = size;
    addrs[at] = addr;
    this.count++;
    this.index(addr, size);
    this.total += size;
  }

  /** Gives the entry at `at` the key (size, addr) and slides it to its place in the order. */
  private move(at: number, size: number, addr: number): void {
    const { sizes, addrs } = this;
    let i = at;
    while (i > 0 && (sizes[i - 1] > size || (sizes[i - 1] === size && addrs[i - 1] > addr))) {
      sizes[i] = sizes[i - 1];
      addrs[i] = addrs[i - 1];
      i--;
    }
    const last = this.count - 1;
    while (i < last && (sizes[i + 1] < size || (sizes[i + 1] === size && addrs[i + 1] < addr))) {
      sizes[i] = sizes[i + 1];
      addrs[i] = addrs[i + 1];
      i++;
    }
    sizes[i] = size;
    addrs[i] = addr;
  }

  private index(addr: number, size: number): void {
    if (this.sizeAt !== null) {
      this.sizeAt[Math.ceil(addr / 4)] = size;
      this.startBefore![Math.ceil((addr + size) / 4)] = addr + 1;
    } else {
      this.byStart.set(addr, size);
      this.byEnd.set(addr + size, addr);
    }
  }

  private unindex(addr: number, size: number): void {
    if (this.sizeAt !== null) {
      this.sizeAt[Math.ceil(addr / 4)] = 0;
      this.startBefore![Math.ceil((addr + size) / 4)] = 0;
    } else {
      this.byStart.delete(addr);
      this.byEnd.delete(addr + size);
    }
  }

  private remove(addr: number, size: number): void {
    this.removeAt(this.lowerBound(size, addr));
    this.unindex(addr, size);
    this.total -= size;
  }

  private removeAt(at: number): void {
    const { sizes, addrs } = this;
    const last = --this.count;
    for (let i = at; i < last; i++) {
      sizes[i] = sizes[i + 1];
      addrs[i] = addrs[i + 1];
    }
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
