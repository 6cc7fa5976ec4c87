// The starter layout: what `drone new` (and `drone heap generate` without a trace) writes
// for a heap of S bytes and n pools (drone's `heap` module, without a trace). It must match Drone number for number,
// because real Drone.toml files were written by it (the corpus holds two of them).

import type { PoolSpec } from '../replay/result';
import { alignUp, asU32, droneAddCapacity, droneRatios, droneTopUp, roundHalfAwayFromZero, WORD_SIZE } from './droneMath';

export const DEFAULT_POOL_COUNT = 8;

/** Why Drone's formula cannot produce a layout for these inputs, or undefined when it can. */
export function starterProblem(size: number, pools: number, wordSize = WORD_SIZE): string | undefined {
  if (!Number.isInteger(pools) || pools < 1) return `the pool count must be a whole number ≥ 1, not ${pools}`;
  if (!Number.isInteger(size) || size < 0 || size > 0xffff_ffff) return `the size must be a 32-bit byte count, not ${size}`;
  // Drone computes ⌊S/20⌋ − W in u32: below 20·W bytes it underflows (a panic or garbage).
  if (Math.floor(size / 20) < wordSize)
    return `Drone's starter formula needs a heap of at least ${20 * wordSize} bytes (⌊size / 20⌋ ≥ ${wordSize}); ${size} is too small`;
  return undefined;
}

/**
 * Drone's starter layout for `size` bytes and `pools` pools, in ascending block order.
 * Pools whose capacity ends up 0 are kept (Drone's writer skips them; see formatPools).
 * Throws a RangeError when starterProblem() says the inputs are unusable.
 */
export function starterLayout(size: number, pools = DEFAULT_POOL_COUNT, wordSize = WORD_SIZE): PoolSpec[] {
  const problem = starterProblem(size, pools, wordSize);
  if (problem) throw new RangeError(problem);
  const poolMin = wordSize;
  const poolMax = Math.floor(size / 20);
  const ratios = droneRatios(pools);
  const layout: PoolSpec[] = [];
  let used = 0;
  let previousBlock = 0;
  for (let i = 0; i < pools; i++) {
    // The block sizes follow a power curve from one word to S/20. With one pool, 0/0 is
    // NaN and Drone's `as u32` makes the offset 0: a single pool of one word.
    const curve = Math.pow(i / (pools - 1), 2.75);
    let block = poolMin + asU32(roundHalfAwayFromZero(curve * (poolMax - poolMin)));
    block = alignUp(block, wordSize);
    if (block <= previousBlock) block = previousBlock + wordSize;
    const capacity = droneAddCapacity(block, size - used, ratios[i], size);
    used += block * capacity;
    previousBlock = block;
    layout.push({ block, capacity });
  }
  droneTopUp(layout, used, size);
  return layout;
}
