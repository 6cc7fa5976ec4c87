// The typed model of a Drone.toml: memory regions and heaps with their pools, every
// field keeping its source entry so checks can point at it and fixes can edit it.
// Values are only interpreted here (`bytes`, `value`); whether they are acceptable is
// the business of core/checks.
import { parseSize, U32_MAX } from './sizes';
import type { Span } from './span';
import { LineIndex } from './span';
import { entryOf, parseTomlTree, type TomlEntry, type TomlTable, type TomlValue } from './tomlTree';

/** A `size`/`block` entry; `bytes` is set only when it is a valid size string. */
export interface SizeField {
  entry: TomlEntry;
  bytes?: number;
}

/** A `capacity`/`origin` entry; `value` is set only when it is an integer in u32 range. */
export interface IntegerField {
  entry: TomlEntry;
  value?: number;
}

export interface PoolConfig {
  /** Position in the `pools` array as written (0-based). */
  index: number;
  table: TomlTable;
  span: Span;
  block?: SizeField;
  capacity?: IntegerField;
}

export interface PoolsField {
  entry: TomlEntry;
  /** False when `pools` is not an array; `items` is then empty. */
  isArray: boolean;
  items: PoolConfig[];
  /** Array elements that are not tables. */
  invalidItems: { index: number; value: TomlValue }[];
}

export interface HeapConfig {
  /** `main` for the legacy `[heap]` table and for `[heap.main]`. */
  name: string;
  /** The legacy single-heap shape `[heap]` (drone 0.12–0.13). */
  legacy: boolean;
  /** Extra heaps (0.14 `[heap.NAME]`, NAME ≠ main) carry their own `origin`. */
  isExtra: boolean;
  /** How Drone names the table in its messages: `heap` or `heap.main`. */
  qualifiedName: string;
  table: TomlTable;
  size?: SizeField;
  origin?: IntegerField;
  pools?: PoolsField;
}

export interface MemoryRegion {
  name: string;
  table: TomlTable;
  size?: SizeField;
  origin?: IntegerField;
}

export interface DroneConfig {
  text: string;
  lines: LineIndex;
  root: TomlTable;
  /** The `heap` table itself, when present. */
  heapTable?: TomlTable;
  heaps: HeapConfig[];
  memory: MemoryRegion[];
}

export type ConfigParse =
  { ok: true; config: DroneConfig; lines: LineIndex } | { ok: false; error: { message: string; span: Span }; lines: LineIndex };

const LEGACY_HEAP_KEYS = ['size', 'pools'];

export function parseDroneConfig(text: string): ConfigParse {
  const tree = parseTomlTree(text);
  const lines = new LineIndex(text);
  if (!tree.ok) return { ok: false, error: tree.error, lines };
  const root = tree.root;
  const heapEntry = entryOf(root, 'heap');
  const heapTable = heapEntry?.value.kind === 'table' ? heapEntry.value.table : undefined;
  return {
    ok: true,
    lines,
    config: { text, lines, root, heapTable, heaps: heapTable ? readHeaps(heapTable) : [], memory: readMemory(root) },
  };
}

function readHeaps(heapTable: TomlTable): HeapConfig[] {
  const isLegacy = heapTable.entries.some((e) => LEGACY_HEAP_KEYS.includes(e.key));
  if (isLegacy) return [readHeap(heapTable, 'main', true, false, 'heap')];
  const heaps: HeapConfig[] = [];
  for (const entry of heapTable.entries) {
    if (entry.value.kind !== 'table') continue; // reported by the type checks
    const isExtra = entry.key !== 'main';
    heaps.push(readHeap(entry.value.table, entry.key, false, isExtra, `heap.${entry.key}`));
  }
  // Main first: placement of extra heaps is checked against it.
  return heaps.sort((a, b) => Number(a.isExtra) - Number(b.isExtra));
}

function readHeap(table: TomlTable, name: string, legacy: boolean, isExtra: boolean, qualifiedName: string): HeapConfig {
  const heap: HeapConfig = { name, legacy, isExtra, qualifiedName, table };
  const size = entryOf(table, 'size');
  if (size) heap.size = readSize(size);
  const origin = entryOf(table, 'origin');
  if (origin) heap.origin = readInteger(origin);
  const pools = entryOf(table, 'pools');
  if (pools) heap.pools = readPools(pools);
  return heap;
}

function readPools(entry: TomlEntry): PoolsField {
  const field: PoolsField = { entry, isArray: entry.value.kind === 'array', items: [], invalidItems: [] };
  if (entry.value.kind !== 'array') return field;
  entry.value.items.forEach((item, index) => {
    if (item.kind !== 'table') {
      field.invalidItems.push({ index, value: item });
      return;
    }
    const pool: PoolConfig = { index, table: item.table, span: item.span };
    const block = entryOf(item.table, 'block');
    if (block) pool.block = readSize(block);
    const capacity = entryOf(item.table, 'capacity');
    if (capacity) pool.capacity = readInteger(capacity);
    field.items.push(pool);
  });
  return field;
}

function readMemory(root: TomlTable): MemoryRegion[] {
  const memory = entryOf(root, 'memory');
  if (memory?.value.kind !== 'table') return [];
  const regions: MemoryRegion[] = [];
  for (const entry of memory.value.table.entries) {
    if (entry.value.kind !== 'table') continue;
    const table = entry.value.table;
    const region: MemoryRegion = { name: entry.key, table };
    const size = entryOf(table, 'size');
    if (size) region.size = readSize(size);
    const origin = entryOf(table, 'origin');
    if (origin) region.origin = readInteger(origin);
    regions.push(region);
  }
  return regions;
}

function readSize(entry: TomlEntry): SizeField {
  if (entry.value.kind !== 'string') return { entry };
  const parsed = parseSize(entry.value.value);
  return parsed.ok ? { entry, bytes: parsed.value } : { entry };
}

function readInteger(entry: TomlEntry): IntegerField {
  const v = entry.value;
  if (v.kind !== 'integer' || v.value < 0n || v.value > BigInt(U32_MAX)) return { entry };
  return { entry, value: Number(v.value) };
}

// ---- Derived figures shared by checks, hovers, hints and (later) the replay ----

/** Pools with a valid block and capacity; `undefined` when any pool is incomplete or invalid. */
export function validPools(heap: HeapConfig): { block: number; capacity: number; pool: PoolConfig }[] | undefined {
  if (!heap.pools?.isArray || heap.pools.invalidItems.length > 0) return undefined;
  const pools = [];
  for (const pool of heap.pools.items) {
    if (pool.block?.bytes === undefined || pool.capacity?.value === undefined) return undefined;
    pools.push({ block: pool.block.bytes, capacity: pool.capacity.value, pool });
  }
  return pools;
}

/** The heap's pools as the replay and the optimiser take them (in file order), or undefined when any pool is not valid. */
export function poolSpecs(heap: HeapConfig): { block: number; capacity: number }[] | undefined {
  return validPools(heap)?.map(({ block, capacity }) => ({ block, capacity }));
}

/** Σ block × capacity, or undefined when a pool is not valid. */
export function poolSum(heap: HeapConfig): number | undefined {
  const pools = validPools(heap);
  return pools?.reduce((sum, p) => sum + p.block * p.capacity, 0);
}

export function findMemory(config: DroneConfig, name: string): MemoryRegion | undefined {
  return config.memory.find((m) => m.name === name);
}

export interface AddressRange {
  start: number;
  /** Exclusive. */
  end: number;
}

/**
 * Where a heap sits in memory. Drone 0.14 puts the main heap at the end of RAM
 * (origin = ram.origin + ram.size − heap.size); extra heaps have an explicit origin.
 * The legacy `[heap]` shape is placed the same way by this project (documented).
 */
export function heapPlacement(config: DroneConfig, heap: HeapConfig): AddressRange | undefined {
  const size = heap.size?.bytes;
  if (size === undefined) return undefined;
  if (heap.isExtra) {
    const origin = heap.origin?.value;
    return origin === undefined ? undefined : { start: origin, end: origin + size };
  }
  const ram = findMemory(config, 'ram');
  if (ram?.origin?.value === undefined || ram.size?.bytes === undefined || size > ram.size.bytes) return undefined;
  const end = ram.origin.value + ram.size.bytes;
  return { start: end - size, end };
}

/**
 * Address range of every pool, in the order the `heap!` macro lays them out: sorted by
 * block size (stable), back to back from the heap's origin.
 */
export function poolPlacements(config: DroneConfig, heap: HeapConfig): Map<PoolConfig, AddressRange> | undefined {
  const placement = heapPlacement(config, heap);
  const pools = validPools(heap);
  if (!placement || !pools) return undefined;
  const sorted = [...pools].sort((a, b) => a.block - b.block);
  const result = new Map<PoolConfig, AddressRange>();
  let address = placement.start;
  for (const p of sorted) {
    const bytes = p.block * p.capacity;
    result.set(p.pool, { start: address, end: address + bytes });
    address += bytes;
  }
  return result;
}
