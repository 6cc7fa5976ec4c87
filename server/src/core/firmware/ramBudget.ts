// Where the RAM goes, from the firmware as built and the Drone.toml as written. drone-ld
// (drone 0.12–0.14) lays RAM out from low to high as: the stack's room (from ORIGIN(RAM)
// up to STACK_POINTER; the stack grows down towards ORIGIN(RAM)), `.bss`, `.data`,
// `.dronereg`, then `.heap`, which ends at the end of RAM. So the stack gets exactly what
// the static data and the heap leave, and nothing warns at build time when that is too
// little: a stack that outgrows its room runs below ORIGIN(RAM) and faults on the device.
import { findMemory, heapPlacement, type DroneConfig, type HeapConfig } from '../config/droneConfig';
import { formatAddress } from '../config/sizes';
import { SHF_ALLOC } from './elf';

/** What the budget needs of a firmware image (core/firmware/elf.ts reads it from an ELF file). */
export interface FirmwareImage {
  machine: 'arm' | 'riscv';
  sections: readonly { name: string; address: number; size: number; flags: number }[];
  symbols: readonly { name: string; value: number }[];
}

/** The static data drone-ld places below the heap; the stack gets RAM minus these and the heap. */
export const STATIC_SECTIONS = ['.bss', '.data', '.dronereg'] as const;

export interface RamSection {
  name: string;
  address: number;
  size: number;
}

export interface RamBudget {
  ram: { origin: number; size: number };
  /** Sections the firmware places in RAM, by address. */
  sections: RamSection[];
  /** `.bss` + `.data` + `.dronereg` as built. */
  staticBytes: number;
  /** The stack's room as built: STACK_POINTER − ORIGIN(RAM). */
  stackBytes: number;
  /** The main heap's size as built (the `.heap` section), or null when the firmware has none. */
  heapBytesBuilt: number | null;
  /** The main heap's `size` as written now, or null when it is missing or invalid. */
  heapBytesWritten: number | null;
  /** The firmware was built with another heap size than Drone.toml says now. */
  stale: boolean;
  /**
   * The stack's room after the next build, assuming the static data stays as it is:
   * RAM − static − heap as written (negative: the link will fail). Null without a heap size.
   */
  stackBytesAsWritten: number | null;
}

export type RamBudgetResult = { ok: true; budget: RamBudget } | { ok: false; reason: string };

/** The main heap: `[heap.main]`, or the legacy `[heap]`. */
export function mainHeap(config: DroneConfig): HeapConfig | undefined {
  return config.heaps.find((h) => !h.isExtra);
}

export function ramBudget(config: DroneConfig, firmware: FirmwareImage): RamBudgetResult {
  const ramRegion = findMemory(config, 'ram');
  const origin = ramRegion?.origin?.value;
  const size = ramRegion?.size?.bytes;
  if (origin === undefined || size === undefined) return { ok: false, reason: 'Drone.toml has no valid [memory.ram] origin and size' };
  const end = origin + size;
  const sections = firmware.sections
    .filter((s) => (s.flags & SHF_ALLOC) !== 0 && s.size > 0 && s.address >= origin && s.address < end)
    .map(({ name, address, size: bytes }) => ({ name, address, size: bytes }))
    .sort((a, b) => a.address - b.address || a.name.localeCompare(b.name));
  const sizeOf = (name: string) => sections.find((s) => s.name === name)?.size ?? 0;
  const staticBytes = STATIC_SECTIONS.reduce((sum, name) => sum + sizeOf(name), 0);
  const symbol = (name: string) => firmware.symbols.find((s) => s.name === name)?.value;
  // The initial stack pointer; without the symbol, where the lowest RAM section starts.
  const stackTop = stackTopOf(firmware) ?? sections[0]?.address ?? end;
  const heapSection = firmware.sections.find((s) => s.name === '.heap' && (s.flags & SHF_ALLOC) !== 0);
  // drone-ld ends the heap at the end of RAM: a firmware whose heap ends elsewhere was linked
  // for another [memory.ram], and its figures would say nothing about this one.
  const builtEnd = heapSection ? heapSection.address + heapSection.size : stackTopOf(firmware);
  if (heapSection ? builtEnd !== end : builtEnd === undefined || builtEnd < origin || builtEnd > end) {
    const where = heapSection
      ? `its heap ends at ${formatAddress(builtEnd!)}`
      : builtEnd === undefined
        ? 'it has no STACK_POINTER symbol'
        : `its stack starts at ${formatAddress(builtEnd)}`;
    return {
      ok: false,
      reason: `the firmware was linked for another RAM: ${where}, while [memory.ram] spans ${formatAddress(origin)}..${formatAddress(end)} (built from another Drone.toml?)`,
    };
  }
  const heapStart = symbol('HEAP_START');
  const heapEnd = symbol('HEAP_END');
  const heapBytesBuilt = heapSection?.size ?? (heapStart !== undefined && heapEnd !== undefined ? heapEnd - heapStart : null);
  const heapBytesWritten = mainHeap(config)?.size?.bytes ?? null;
  // drone-ld rounds the heap section up to a multiple of 4 (`. = ALIGN(4)`).
  const stale = heapBytesBuilt !== null && heapBytesWritten !== null && alignUp(heapBytesWritten, 4) !== heapBytesBuilt;
  return {
    ok: true,
    budget: {
      ram: { origin, size },
      sections,
      staticBytes,
      stackBytes: stackTop - origin,
      heapBytesBuilt,
      heapBytesWritten,
      stale,
      stackBytesAsWritten: heapBytesWritten === null ? null : size - staticBytes - alignUp(heapBytesWritten, 4),
    },
  };
}

/** The stack's room after a build with a main heap of `heapBytes` (static data as built): what a proposed layout would leave. */
export function stackBytesWithHeap(budget: RamBudget, heapBytes: number): number {
  return budget.ram.size - budget.staticBytes - alignUp(heapBytes, 4);
}

/** Alloc sections of the firmware (in any region) that overlap an extra heap's address range. */
export function sectionsOverlappingHeap(config: DroneConfig, heap: HeapConfig, firmware: FirmwareImage): RamSection[] {
  const range = heapPlacement(config, heap);
  if (!heap.isExtra || !range) return [];
  return firmware.sections
    .filter((s) => (s.flags & SHF_ALLOC) !== 0 && s.size > 0 && s.address < range.end && s.address + s.size > range.start)
    .map(({ name, address, size }) => ({ name, address, size }));
}

const alignUp = (value: number, to: number): number => Math.ceil(value / to) * to;

const stackTopOf = (firmware: FirmwareImage): number | undefined => firmware.symbols.find((s) => s.name === 'STACK_POINTER')?.value;
