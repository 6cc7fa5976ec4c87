// Pool configuration as the allocator sees it: sorted by block size, like the `heap!` macro
// does at build time. The sort is stable, so pools with equal blocks stay separate, in
// configuration order (the second one is used only when the first is full).

import type { PoolSpec } from './result';

export function sortPools(pools: readonly PoolSpec[]): PoolSpec[] {
  for (const { block, capacity } of pools) {
    if (!isU32(block) || !isU32(capacity)) {
      throw new RangeError(`Invalid pool {block: ${block}, capacity: ${capacity}}: both must be integers in 0..2^32−1.`);
    }
  }
  return pools.map(({ block, capacity }) => ({ block, capacity })).sort((x, y) => x.block - y.block);
}

/** Index of the first pool (in sorted order) with block ≥ size; pools.length when none. */
export function bestFitPool(sortedBlocks: ArrayLike<number>, size: number): number {
  let lo = 0;
  let hi = sortedBlocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedBlocks[mid] < size) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isU32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}
