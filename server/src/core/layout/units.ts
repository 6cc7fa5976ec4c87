// The optimiser's input: distinct allocation sizes rounded up to the word size ("units"),
// ascending. Rounding first is harmless: pool blocks are multiples of the word size, so two
// sizes that round to the same value always land in the same pool.

import type { DroneStats } from '../trace/droneStats';
import { alignUp, WORD_SIZE } from './droneMath';

export interface SizeUnit {
  /** The size rounded up to the word size: the block of a pool that ends with this unit. */
  size: number;
  /** How many blocks of this unit are needed (Drone: the sum of its sizes' max loads). */
  load: number;
}

/**
 * Drone's input (as `drone heap generate` builds it): each distinct size rounded up to W, with its max load;
 * sizes that round to the same value are merged by ADDING their max loads (as Drone does,
 * even though their peaks need not coincide). Zero-size requests never touch a pool, so
 * size 0 is left out (Drone would make a pool of 0-byte blocks for it).
 */
export function droneUnits(stats: DroneStats, wordSize = WORD_SIZE): SizeUnit[] {
  const units: SizeUnit[] = [];
  for (const { size, maxLoad } of stats.sizes) {
    if (size === 0 || maxLoad === 0) continue;
    const aligned = alignUp(size, wordSize);
    const last = units[units.length - 1];
    if (last && last.size === aligned) last.load += maxLoad;
    else units.push({ size: aligned, load: maxLoad });
  }
  return units;
}

/** A split of the units into contiguous groups: group g is units [starts[g], ends[g]). */
export interface Grouping {
  /** Exclusive end index of each group, ascending; the last is the unit count. */
  ends: number[];
}

/** Drone's fragmentation of a grouping: Σ (group block − unit size) × unit load. */
export function droneFragmentation(units: readonly SizeUnit[], grouping: Grouping): number {
  let fragmentation = 0;
  let start = 0;
  for (const end of grouping.ends) {
    const block = units[end - 1].size;
    for (let u = start; u < end; u++) fragmentation += (block - units[u].size) * units[u].load;
    start = end;
  }
  return fragmentation;
}
