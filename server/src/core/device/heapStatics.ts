// The heap statics of a firmware, read from its ELF file alone (reference §7): `heap!` makes a
// `Heap { pools: [Pool; N] }` whose initial value is computed at build time, so the static lives
// in `.data` and its initial image is in the file. Each Pool is four words — size, edge, free,
// uninit — in an order Rust does not promise, so the order is told from the values: in the
// initial image `free` is null, `uninit` is the pool's first address, `edge` lies a whole
// number of blocks above it, and the pools sit back to back, sorted by block size.
//
// Nothing here trusts a name: any object of 16·N bytes whose image reads as such a heap is
// one, and the names ending in HEAP are only looked at first.
import { symbolImage, withElfFile, type ElfInfo, type ElfSymbol, type FileReader } from '../firmware/elf';

/** Bytes per Pool on a 32-bit target: four words. */
export const POOL_BYTES = 16;
/** More pools than this in one static is not a Drone heap (Drone.toml heaps have a handful). */
const MAX_POOLS = 256;
const SHT_PROGBITS = 1;
const SHF_WRITE = 0x1;
const SHF_ALLOC = 0x2;

/** Which word of a Pool holds each field (0–3). */
export interface PoolFieldOrder {
  size: number;
  edge: number;
  free: number;
  uninit: number;
}

/** A pool as the firmware was built with it. */
export interface FirmwarePool {
  block: number;
  capacity: number;
  /** The pool's first block. */
  start: number;
  /** One past its last block. */
  edge: number;
}

/** A heap static found in the firmware. */
export interface FirmwareHeap {
  /** The symbol as written in the ELF file (mangled). */
  symbol: string;
  /** The symbol's path without the hash, for people: `app::HEAP`. */
  displayName: string;
  /** Where the static lives in the target's RAM. */
  address: number;
  order: PoolFieldOrder;
  pools: FirmwarePool[];
}

/** Whether a (mangled) symbol name is a static called HEAP: plain, legacy (`…4HEAP17h<hash>E`) or v0 (`…4HEAP`). */
export function isHeapName(name: string): boolean {
  return /(?:^|\d)HEAP(?:17h[0-9a-f]{16}E)?$/.test(name);
}

/** `_ZN3app4HEAP17h0123456789abcdefE` → `app::HEAP`; other names stay as they are. */
export function displaySymbol(name: string): string {
  if (!name.startsWith('_ZN') || !name.endsWith('E')) return name;
  const parts: string[] = [];
  let at = 3;
  while (at < name.length - 1) {
    const digits = /^\d+/.exec(name.slice(at));
    if (!digits) return name;
    const length = Number(digits[0]);
    at += digits[0].length;
    parts.push(name.slice(at, at + length));
    at += length;
  }
  if (at !== name.length - 1 || parts.length === 0) return name;
  if (/^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) parts.pop();
  return parts.join('::');
}

/** Every heap static in the firmware, the ones named HEAP first, then by address. */
export function findFirmwareHeaps(info: ElfInfo, read: FileReader): FirmwareHeap[] {
  const candidates = info.symbols.filter((symbol) => {
    if (symbol.size === 0 || symbol.size % POOL_BYTES !== 0 || symbol.size > POOL_BYTES * MAX_POOLS) return false;
    const section = info.sections[symbol.section];
    return section !== undefined && section.type === SHT_PROGBITS && (section.flags & (SHF_ALLOC | SHF_WRITE)) === (SHF_ALLOC | SHF_WRITE);
  });
  candidates.sort((a, b) => Number(isHeapName(b.name)) - Number(isHeapName(a.name)) || a.value - b.value);
  const heaps: FirmwareHeap[] = [];
  const seen = new Set<number>();
  for (const symbol of candidates) {
    if (seen.has(symbol.value)) continue; // an alias of a static already taken
    const image = symbolImage(info, symbol, read);
    if (typeof image === 'string') continue;
    const heap = readHeapImage(symbol, image);
    if (heap) {
      heaps.push(heap);
      seen.add(symbol.value);
    }
  }
  return heaps;
}

/** Reads a static's initial image as a heap, or null when it is not one. */
export function readHeapImage(symbol: Pick<ElfSymbol, 'name' | 'value'>, image: Uint8Array): FirmwareHeap | null {
  const count = image.length / POOL_BYTES;
  if (count === 0 || !Number.isInteger(count)) return null;
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const records = Array.from({ length: count }, (_, i) => [0, 1, 2, 3].map((w) => view.getUint32(i * POOL_BYTES + w * 4, true)));
  for (const order of FIELD_ORDERS) {
    const pools = poolsInOrder(records, order);
    if (pools) return { symbol: symbol.name, displayName: displaySymbol(symbol.name), address: symbol.value, order, pools };
  }
  return null;
}

/** The 24 ways to place the four fields in four words, the declared order first. */
const FIELD_ORDERS: PoolFieldOrder[] = (() => {
  const orders: PoolFieldOrder[] = [];
  const words = [0, 1, 2, 3];
  for (const size of words)
    for (const edge of words)
      for (const free of words)
        for (const uninit of words) if (new Set([size, edge, free, uninit]).size === 4) orders.push({ size, edge, free, uninit });
  return orders;
})();

/** The pools of an initial image read with `order`, or null when the values do not fit it. */
function poolsInOrder(records: number[][], order: PoolFieldOrder): FirmwarePool[] | null {
  const pools: FirmwarePool[] = [];
  for (const record of records) {
    const block = record[order.size];
    const edge = record[order.edge];
    const start = record[order.uninit];
    const previous = pools[pools.length - 1];
    if (record[order.free] !== 0 || block === 0 || start === 0 || edge < start || (edge - start) % block !== 0) return null;
    if (previous && (start !== previous.edge || block < previous.block)) return null;
    pools.push({ block, capacity: (edge - start) / block, start, edge });
  }
  // Every pool empty says nothing about which word is which: not a heap we can read.
  return pools.some((p) => p.capacity > 0) ? pools : null;
}

/** The heap statics of a firmware file (throws ElfError or a read error, like readElfFile). */
export function readFirmwareHeaps(path: string): FirmwareHeap[] {
  return withElfFile(path, findFirmwareHeaps);
}
