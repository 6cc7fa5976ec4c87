// What lies under the cursor in a Drone.toml: a heap, one of its pools, a memory
// region, and which of their values. Hover and (later) trace figures start from here.
import type { DroneConfig, HeapConfig, MemoryRegion, PoolConfig } from './droneConfig';
import { contains, type Span } from './span';
import type { TomlEntry } from './tomlTree';

export type Located =
  | { kind: 'pool'; heap: HeapConfig; pool: PoolConfig; field?: 'block' | 'capacity'; span: Span }
  | { kind: 'heap'; heap: HeapConfig; field?: 'size' | 'origin' | 'header'; span: Span }
  | { kind: 'memory'; region: MemoryRegion; field: 'size' | 'origin' | 'header'; span: Span };

const inEntry = (entry: TomlEntry | undefined, offset: number): boolean => !!entry && contains(entry.span, offset);

export function locate(config: DroneConfig, offset: number): Located | undefined {
  for (const heap of config.heaps) {
    for (const pool of heap.pools?.items ?? []) {
      if (!contains(pool.span, offset)) continue;
      if (inEntry(pool.block?.entry, offset)) return { kind: 'pool', heap, pool, field: 'block', span: pool.block!.entry.value.span };
      if (inEntry(pool.capacity?.entry, offset))
        return { kind: 'pool', heap, pool, field: 'capacity', span: pool.capacity!.entry.value.span };
      return { kind: 'pool', heap, pool, span: pool.span };
    }
    if (inEntry(heap.size?.entry, offset)) return { kind: 'heap', heap, field: 'size', span: heap.size!.entry.value.span };
    if (inEntry(heap.origin?.entry, offset)) return { kind: 'heap', heap, field: 'origin', span: heap.origin!.entry.value.span };
    if (heap.table.headerSpan && contains(heap.table.headerSpan, offset))
      return { kind: 'heap', heap, field: 'header', span: heap.table.headerSpan };
  }
  for (const region of config.memory) {
    if (inEntry(region.size?.entry, offset)) return { kind: 'memory', region, field: 'size', span: region.size!.entry.value.span };
    if (inEntry(region.origin?.entry, offset)) return { kind: 'memory', region, field: 'origin', span: region.origin!.entry.value.span };
    if (region.table.headerSpan && contains(region.table.headerSpan, offset))
      return { kind: 'memory', region, field: 'header', span: region.table.headerSpan };
  }
  return undefined;
}
