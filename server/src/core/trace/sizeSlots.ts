// Interns allocation sizes into dense slot numbers so per-size state can live in typed
// arrays. Sizes are few in practice (tens to a few thousand) but may be anything up to
// 2^32 − 1: sizes below DIRECT_SIZES use a flat lookup table (one array read on the hot
// path), larger ones a Map.

export const DIRECT_SIZES = 1 << 16;

export class SizeSlots {
  /** slot + 1 for each size < DIRECT_SIZES; 0 = not seen yet. Hot loops read it directly. */
  readonly direct = new Int32Array(DIRECT_SIZES);
  private readonly large = new Map<number, number>();
  /** size of each slot, in order of first appearance */
  readonly sizes: number[] = [];

  get count(): number {
    return this.sizes.length;
  }

  /** The slot of `size`, or −1 when it has not been seen. */
  find(size: number): number {
    if (size < DIRECT_SIZES) return this.direct[size] - 1;
    const slot = this.large.get(size);
    return slot === undefined ? -1 : slot;
  }

  /** Registers a size not seen before; returns its slot. */
  add(size: number): number {
    const slot = this.sizes.length;
    this.sizes.push(size);
    if (size < DIRECT_SIZES) this.direct[size] = slot + 1;
    else this.large.set(size, slot);
    return slot;
  }
}

/** A copy of `array` with room for at least `length` elements (doubling). */
export function grown<T extends Int32Array | Float64Array>(array: T, length: number): T {
  let capacity = Math.max(array.length, 16);
  while (capacity < length) capacity *= 2;
  if (capacity === array.length) return array;
  const out = new (array.constructor as new (n: number) => T)(capacity);
  out.set(array);
  return out;
}
