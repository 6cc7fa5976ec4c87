// Drone's layout arithmetic, reproduced operation for operation (drone's `heap` module). Drone is
// Rust: u32 integers and f64 floats. Every float expression below is evaluated in the same
// order as Drone's, because a different order (S × w / b instead of S / b × w) can round
// differently and change a capacity by one. Integers stay below 2^53 here, so JS numbers
// hold them exactly.

import type { PoolSpec } from '../replay/result';

/** Bytes per machine word on every Drone target (Cortex-M, 32-bit RISC-V). */
export const WORD_SIZE = 4;

/** Rust's `f64::round`: halves go away from zero. (`Math.round` sends −2.5 to −2.) */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Rust's `f64 as u32`: saturating, NaN → 0. Drone relies on it: with one pool, i / (n − 1)
 * is 0 / 0 = NaN, and `NaN as u32` is 0.
 */
export function asU32(x: number): number {
  if (Number.isNaN(x) || x <= 0) return 0;
  if (x >= 0xffff_ffff) return 0xffff_ffff;
  return Math.trunc(x);
}

/** The next multiple of `word` (Drone's `align`). */
export function alignUp(value: number, word = WORD_SIZE): number {
  const rest = value % word;
  return rest > 0 ? value + word - rest : value;
}

/**
 * Drone's share of the heap for each of `n` pools: 1/4 + 3/4 · (1 − (1 − 2i/(n−1))²),
 * normalised to sum 1 — small for the smallest and largest blocks, large in the middle.
 * (Rust's `powi(2)` is a plain multiplication; the sum runs left to right like `Iterator::sum`.)
 * With n = 1 every ratio is NaN, exactly as in Drone; asU32 turns the capacity into 0.
 */
export function droneRatios(n: number): number[] {
  const slope = 4.0;
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = 1.0 - 2.0 * (i / (n - 1));
    ratios.push(1.0 / slope + (1.0 - 1.0 / slope) * (1.0 - t * t));
  }
  let sum = 0;
  for (const r of ratios) sum += r;
  return ratios.map((r) => r / sum);
}

/**
 * Drone's `add_capacity`: round(total / block × ratio) blocks, reduced by just enough whole
 * blocks to fit in `free` bytes.
 */
export function droneAddCapacity(block: number, free: number, ratio: number, total: number): number {
  let capacity = asU32(roundHalfAwayFromZero((total / block) * ratio));
  if (block * capacity > free) capacity -= asU32(Math.ceil((block * capacity - free) / block));
  return capacity;
}

/** Drone's final top-up: from the largest pool down, as many whole blocks as still fit in `size`. */
export function droneTopUp(pools: PoolSpec[], used: number, size: number): number {
  for (let i = pools.length - 1; i >= 0; i--) {
    const { block } = pools[i];
    if (block === 0) continue; // never produced by Drone's procedures; guards the division
    const add = Math.floor((size - used) / block);
    used += add * block;
    pools[i] = { block, capacity: pools[i].capacity + add };
  }
  return used;
}

/** Σ block × capacity. */
export function layoutBytes(pools: readonly PoolSpec[]): number {
  let bytes = 0;
  for (const p of pools) bytes += p.block * p.capacity;
  return bytes;
}
