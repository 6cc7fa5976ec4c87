// Which firmware heap static is which Drone.toml heap, and what the device's memory says about
// each: the one entry point for the CLI and the server.
//
// A firmware static is paired with a Drone.toml heap by where its pools start (the main heap at
// the end of RAM, an extra heap at its origin). When the pools differ, the firmware was built
// from another Drone.toml: that is a finding of its own, and the figures are of the firmware's
// pools — they are what runs on the board.
import { heapPlacement, poolPlacements, type DroneConfig, type HeapConfig } from '../config/droneConfig';
import { formatAddress } from '../config/sizes';
import { decodeHeap, type DevicePool, type HeapDecoding } from './decodeHeap';
import { isHeapName, POOL_BYTES, type FirmwareHeap, type FirmwarePool } from './heapStatics';
import { mergeRanges, type MemoryRange, type TargetMemory } from './targetMemory';

export interface HeapMatch {
  heap: HeapConfig;
  /** The firmware's static for this heap, or null when the firmware has none. */
  firmware: FirmwareHeap | null;
  /** How the firmware's pools differ from Drone.toml's, or null when they agree. */
  mismatch: string | null;
}

/** Pairs every Drone.toml heap with its firmware static. */
export function matchHeaps(config: DroneConfig, firmwareHeaps: readonly FirmwareHeap[]): HeapMatch[] {
  const taken = new Set<FirmwareHeap>();
  const matches: HeapMatch[] = [];
  const ram = config.memory.find((m) => m.name === 'ram');
  const ramEnd = ram?.origin?.value !== undefined && ram.size?.bytes !== undefined ? ram.origin.value + ram.size.bytes : undefined;
  for (const heap of config.heaps) {
    const written = writtenPools(config, heap);
    const start = heapPlacement(config, heap)?.start;
    const byStart = firmwareHeaps.find((f) => !taken.has(f) && f.pools[0].start === start);
    // A main heap whose size changed starts elsewhere but still ends at the end of RAM.
    const byEnd =
      !heap.isExtra && ramEnd !== undefined
        ? firmwareHeaps.find((f) => !taken.has(f) && f.pools[f.pools.length - 1].edge === ramEnd && isHeapName(f.symbol))
        : undefined;
    const firmware = byStart ?? byEnd ?? null;
    if (firmware) taken.add(firmware);
    matches.push({ heap, firmware, mismatch: firmware ? describeMismatch(firmware, written) : null });
  }
  return matches;
}

/** Drone.toml's pools in the order the firmware lays them out, or null when they are not all valid. */
function writtenPools(config: DroneConfig, heap: HeapConfig): FirmwarePool[] | null {
  const placements = poolPlacements(config, heap);
  if (!placements) return null;
  return [...placements].map(([pool, range]) => ({
    block: pool.block!.bytes!,
    capacity: pool.capacity!.value!,
    start: range.start,
    edge: range.end,
  }));
}

export const describePools = (pools: readonly { block: number; capacity: number }[]): string =>
  pools.map((p) => `${p.capacity}×${p.block} B`).join(', ');

function describeMismatch(firmware: FirmwareHeap, written: FirmwarePool[] | null): string | null {
  if (!written) return null; // Drone.toml's own findings say what is wrong with its pools
  const same =
    written.length === firmware.pools.length &&
    written.every(
      (p, i) => p.block === firmware.pools[i].block && p.capacity === firmware.pools[i].capacity && p.start === firmware.pools[i].start,
    );
  if (same) return null;
  const firmwareStart = firmware.pools[0].start;
  const writtenStart = written[0]?.start;
  const where =
    writtenStart !== undefined && writtenStart !== firmwareStart
      ? ` from ${formatAddress(firmwareStart)} (Drone.toml: ${formatAddress(writtenStart)})`
      : '';
  return `the firmware's ${firmware.displayName} has pools ${describePools(firmware.pools)}${where}; Drone.toml has ${describePools(written)}`;
}

/** What the device says about one heap. */
export interface DeviceHeap {
  match: HeapMatch;
  /** The figures per firmware pool, or why there are none. */
  state: DeviceHeapState;
}

export type DeviceHeapState =
  | { kind: 'decoded'; pools: DevicePool[] }
  | { kind: 'no-static'; reason: string }
  | { kind: 'not-read'; reason: string }
  | { kind: 'not-the-heap'; reason: string }
  | { kind: 'corrupt'; reason: string };

export type DeviceReading =
  | { kind: 'done'; heaps: DeviceHeap[] }
  /** A debug session reads these ranges, then asks again. */
  | { kind: 'needs'; ranges: MemoryRange[] };

/**
 * Decodes every heap from `memory`. With `complete` (a dump file: nothing more can be read)
 * ranges it does not hold are reported per heap; otherwise they are asked for.
 */
export function readDeviceHeaps(matches: readonly HeapMatch[], memory: TargetMemory, complete: boolean): DeviceReading {
  const decodings = matches.map((match) => (match.firmware ? decodeHeap(match.firmware, memory) : null));
  const needs = decodings.flatMap((d) => (d?.kind === 'needs' ? d.ranges : []));
  if (needs.length > 0 && !complete) return { kind: 'needs', ranges: mergeRanges(needs) };
  return {
    kind: 'done',
    heaps: matches.map((match, i) => ({ match, state: stateOf(match, decodings[i], memory) })),
  };
}

function stateOf(match: HeapMatch, decoding: HeapDecoding | null, memory: TargetMemory): DeviceHeapState {
  if (!match.firmware || !decoding) {
    return {
      kind: 'no-static',
      reason: `the firmware has no heap static for \`${match.heap.qualifiedName}\` (an object of 16 bytes per pool in .data whose pools start at the heap's address)`,
    };
  }
  if (decoding.kind === 'decoded') return decoding;
  if (decoding.kind === 'needs') {
    const ranges = decoding.ranges.map((r) => `${formatAddress(r.address)}–${formatAddress(r.address + r.length)}`).join(', ');
    const moved = relocatedStatic(match.firmware, memory);
    return {
      kind: 'not-read',
      reason: `the memory read (${memory.describe()}) does not hold ${ranges}${moved ?? ''}`,
    };
  }
  if (decoding.kind === 'not-the-heap') {
    const moved = relocatedStatic(match.firmware, memory);
    return {
      kind: 'not-the-heap',
      reason: `${decoding.reason}: the board runs another firmware, or the memory is not from ${formatAddress(match.firmware.address)}${moved ?? ''}`,
    };
  }
  return decoding;
}

/**
 * When the static's constant words appear elsewhere in the memory read, the dump was most likely
 * given the wrong start address: say which one would put them in place.
 */
function relocatedStatic(firmware: FirmwareHeap, memory: TargetMemory): string | null {
  for (const piece of memory.pieceList) {
    const words = new DataView(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.byteLength);
    const last = piece.bytes.length - firmware.pools.length * POOL_BYTES;
    for (let offset = 0; offset <= last; offset += 4) {
      const fits = firmware.pools.every(
        (pool, i) =>
          words.getUint32(offset + i * POOL_BYTES + firmware.order.size * 4, true) === pool.block &&
          words.getUint32(offset + i * POOL_BYTES + firmware.order.edge * 4, true) === pool.edge,
      );
      if (fits) {
        const start = firmware.address - offset;
        if (start === piece.address) return null;
        return `; the static's pools are at offset ${formatAddress(offset)} of the ${piece.bytes.length}-byte memory read, so it most likely starts at ${formatAddress(start)}, not ${formatAddress(piece.address)}`;
      }
    }
  }
  return null;
}
