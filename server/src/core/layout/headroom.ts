// Turning the tight layout (exactly what the trace needs) into the one to write: either
// fill the heap's existing size with headroom the way Drone does, or add a safety margin
// and make the heap just that big.

import type { PoolSpec } from '../replay/result';
import { droneAddCapacity, droneRatios, droneTopUp, layoutBytes } from './droneMath';

/**
 * Drone's `extend`: the bytes of `size` not used yet are handed out with the starter
 * layout's weights (total = the spare bytes at the start), then topped up from the largest
 * pool down. The result's Σ can stay below `size` by less than the smallest block.
 * Requires layoutBytes(pools) ≤ size.
 */
export function distributeSpare(pools: readonly PoolSpec[], size: number): PoolSpec[] {
  const out = pools.map(({ block, capacity }) => ({ block, capacity }));
  let used = layoutBytes(out);
  if (used > size) throw new RangeError(`the layout needs ${used} bytes, more than the heap's ${size}`);
  const spare = size - used;
  const ratios = droneRatios(out.length);
  out.forEach((pool, i) => {
    const add = droneAddCapacity(pool.block, size - used, ratios[i], spare);
    used += add * pool.block;
    pool.capacity += add;
  });
  droneTopUp(out, used, size);
  return out;
}

/**
 * Capacities × (1 + percent/100), rounded up. Computed in basis points with integers, so
 * that 10 × 1.1 is 11 and not the 12 that ⌈10 × 1.1⌉ gives in floating point.
 */
export function withMargin(pools: readonly PoolSpec[], percent: number): PoolSpec[] {
  if (!(percent >= 0) || !Number.isFinite(percent)) throw new RangeError(`the margin must be a percentage ≥ 0, not ${percent}`);
  const basisPoints = Math.round(percent * 100);
  return pools.map(({ block, capacity }) => ({ block, capacity: Math.floor((capacity * (10_000 + basisPoints) + 9_999) / 10_000) }));
}
