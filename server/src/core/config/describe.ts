// Plain-text figures about heaps and pools, shared by hovers, inlay hints, symbols and
// the CLI, so that every surface states the same numbers the same way.
import {
  findMemory,
  heapPlacement,
  poolPlacements,
  poolSum,
  validPools,
  type DroneConfig,
  type HeapConfig,
  type MemoryRegion,
  type PoolConfig,
} from './droneConfig';
import { describeBytes, formatAddress, formatPercent } from './sizes';

export interface PoolFigures {
  block: number;
  capacity: number;
  bytes: number;
  /** Share of the heap's `size` (or of the pool sum when `size` is unusable). */
  share?: string;
  address?: { start: number; end: number };
}

export function poolFigures(config: DroneConfig, heap: HeapConfig, pool: PoolConfig): PoolFigures | undefined {
  const block = pool.block?.bytes;
  const capacity = pool.capacity?.value;
  if (block === undefined || capacity === undefined) return undefined;
  const bytes = block * capacity;
  const whole = heap.size?.bytes ?? poolSum(heap);
  return {
    block,
    capacity,
    bytes,
    share: whole ? formatPercent(bytes, whole) : undefined,
    address: poolPlacements(config, heap)?.get(pool),
  };
}

export interface HeapFigures {
  size?: number;
  poolCount: number;
  poolSum?: number;
  ramShare?: string;
  address?: { start: number; end: number };
}

export function heapFigures(config: DroneConfig, heap: HeapConfig): HeapFigures {
  const ram = findMemory(config, 'ram')?.size?.bytes;
  const size = heap.size?.bytes;
  return {
    size,
    poolCount: heap.pools?.items.length ?? 0,
    poolSum: validPools(heap) ? poolSum(heap) : undefined,
    ramShare: size !== undefined && ram && !heap.isExtra ? formatPercent(size, ram) : undefined,
    address: heapPlacement(config, heap),
  };
}

export interface MemoryFigures {
  origin?: number;
  size?: number;
  /** Exclusive. */
  end?: number;
  /** The heaps that lie in the region, in address order, with their share of it. */
  heaps: { heap: HeapConfig; address: { start: number; end: number }; share?: string }[];
  /** Bytes of the region no heap takes. */
  rest?: number;
}

export function memoryFigures(config: DroneConfig, region: MemoryRegion): MemoryFigures {
  const origin = region.origin?.value;
  const size = region.size?.bytes;
  const end = origin !== undefined && size !== undefined ? origin + size : undefined;
  const heaps = [];
  if (origin !== undefined && end !== undefined) {
    for (const heap of config.heaps) {
      const address = heapPlacement(config, heap);
      if (address && address.start >= origin && address.end <= end)
        heaps.push({ heap, address, share: size ? formatPercent(address.end - address.start, size) : undefined });
    }
    heaps.sort((a, b) => a.address.start - b.address.start);
  }
  const used = heaps.reduce((sum, h) => sum + (h.address.end - h.address.start), 0);
  return { origin, size, end, heaps, rest: size !== undefined && end !== undefined ? size - used : undefined };
}

export const describeRange = (range: { start: number; end: number }): string =>
  `${formatAddress(range.start)}..${formatAddress(range.end)} (end exclusive)`;

export { describeBytes };
