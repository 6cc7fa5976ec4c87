// The priority queue of PeakIndex's best-first search: time nodes by upper bound, highest
// first, in parallel typed arrays (no object per entry; a query may push thousands).

/** A max-heap of (bound, level, node), in parallel typed arrays (no object per entry). */
export class NodeHeap {
  private bounds = new Float64Array(64);
  private levels = new Int32Array(64);
  private nodes = new Int32Array(64);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  topBound(): number {
    return this.bounds[0];
  }

  topLevel(): number {
    return this.levels[0];
  }

  topNode(): number {
    return this.nodes[0];
  }

  push(bound: number, level: number, node: number): void {
    if (this.size === this.bounds.length) this.growArrays();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.bounds[parent] >= bound) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, bound, level, node);
  }

  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    const bound = this.bounds[last];
    const level = this.levels[last];
    const node = this.nodes[last];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.bounds[child + 1] > this.bounds[child]) child++;
      if (this.bounds[child] <= bound) break;
      this.move(child, i);
      i = child;
    }
    this.set(i, bound, level, node);
  }

  private move(from: number, to: number): void {
    this.set(to, this.bounds[from], this.levels[from], this.nodes[from]);
  }

  private set(i: number, bound: number, level: number, node: number): void {
    this.bounds[i] = bound;
    this.levels[i] = level;
    this.nodes[i] = node;
  }

  private growArrays(): void {
    const n = this.bounds.length * 2;
    const bounds = new Float64Array(n);
    bounds.set(this.bounds);
    const levels = new Int32Array(n);
    levels.set(this.levels);
    const nodes = new Int32Array(n);
    nodes.set(this.nodes);
    Object.assign(this, { bounds, levels, nodes });
  }
}
