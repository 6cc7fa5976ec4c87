// The RAM budget in words, for hovers, the code lens at [memory.ram] and the CLI: the RAM
// map from low to high addresses, as built and (when Drone.toml changed since) as written.
import { formatInteger } from '../../../../common/format';
import { formatAddress, formatPercent } from '../config/sizes';
import { STATIC_SECTIONS, type RamBudget } from './ramBudget';

const bytes = (n: number): string => `${formatInteger(n)} B`;

/** `stack 8,896 B · static 1,344 B · heap 10,240 B`, as written (the next build) when that differs from the firmware. */
export function ramLensTitle(budget: RamBudget): string {
  const heap = budget.heapBytesWritten ?? budget.heapBytesBuilt ?? 0;
  const stack = budget.stackBytesAsWritten ?? budget.stackBytes;
  return `stack ${bytes(stack)} · static ${bytes(budget.staticBytes)} · heap ${bytes(heap)}${budget.stale ? ' (as written; rebuild to confirm)' : ''}`;
}

export interface RamMapRow {
  /** `stack room`, a section name, or `heap (as written)`. */
  name: string;
  start: number;
  /** Exclusive. */
  end: number;
  bytes: number;
}

/** RAM from its origin up: the stack's room, then every section the firmware places in RAM. */
export function ramMapRows(budget: RamBudget): RamMapRow[] {
  const origin = budget.ram.origin;
  const rows: RamMapRow[] = [{ name: 'stack room', start: origin, end: origin + budget.stackBytes, bytes: budget.stackBytes }];
  for (const s of budget.sections) rows.push({ name: s.name, start: s.address, end: s.address + s.size, bytes: s.size });
  return rows;
}

/** The same once the heap is as written: the heap ends at the end of RAM, static data is assumed unchanged. */
export function ramMapRowsAsWritten(budget: RamBudget): RamMapRow[] | null {
  if (!budget.stale || budget.heapBytesWritten === null || budget.stackBytesAsWritten === null || budget.stackBytesAsWritten < 0)
    return null;
  const origin = budget.ram.origin;
  const end = origin + budget.ram.size;
  const heapStart = end - (budget.ram.size - budget.staticBytes - budget.stackBytesAsWritten);
  const rows: RamMapRow[] = [
    { name: 'stack room', start: origin, end: origin + budget.stackBytesAsWritten, bytes: budget.stackBytesAsWritten },
  ];
  let at = origin + budget.stackBytesAsWritten;
  for (const name of ['.bss', '.data', '.dronereg'] as const) {
    const size = budget.sections.find((s) => s.name === name)?.size ?? 0;
    if (size === 0) continue;
    rows.push({ name, start: at, end: at + size, bytes: size });
    at += size;
  }
  rows.push({ name: '.heap', start: heapStart, end, bytes: end - heapStart });
  return rows;
}

/** The heap view's RAM strip: the map as built and, when Drone.toml changed since, as written. */
export interface RamView {
  /** The firmware file, as named in messages. */
  firmware: string;
  /** When it was built, ms since the epoch. */
  builtAt: number;
  origin: number;
  size: number;
  rows: RamMapRow[];
  asWritten: RamMapRow[] | null;
  stackBytes: number;
  /** Null when the heap's size is not valid; negative when static data and heap exceed RAM. */
  stackBytesAsWritten: number | null;
}

export function ramView(budget: RamBudget, firmware: string, builtAt: number): RamView {
  return {
    firmware,
    builtAt,
    origin: budget.ram.origin,
    size: budget.ram.size,
    rows: ramMapRows(budget),
    asWritten: ramMapRowsAsWritten(budget),
    stackBytes: budget.stackBytes,
    stackBytesAsWritten: budget.stale ? budget.stackBytesAsWritten : null,
  };
}

/** A Markdown table of the rows, with each one's share of RAM. */
export function ramMapTable(rows: RamMapRow[], ramBytes: number): string {
  const lines = ['| RAM | address | bytes | share |', '|---|---|---:|---:|'];
  for (const row of rows)
    lines.push(
      `| ${row.name} | ${formatAddress(row.start)}..${formatAddress(row.end)} | ${bytes(row.bytes)} | ${formatPercent(row.bytes, ramBytes)} |`,
    );
  return lines.join('\n');
}

/** Hover text: the map as built, as written when stale, and which firmware it comes from. */
export function describeRamBudget(budget: RamBudget, firmwareName: string, modified: Date): string[] {
  const lines = [
    `**RAM budget** from \`${firmwareName}\` (built ${modified.toISOString().replace('T', ' ').slice(0, 16)} UTC)`,
    ramMapTable(ramMapRows(budget), budget.ram.size),
  ];
  lines.push(
    `The stack keeps ${bytes(budget.stackBytes)} as built; static data (${STATIC_SECTIONS.join(', ')}) takes ${bytes(budget.staticBytes)}.`,
  );
  const asWritten = ramMapRowsAsWritten(budget);
  if (asWritten) {
    lines.push(
      `**As written** (heap ${bytes(budget.heapBytesWritten!)} instead of ${bytes(budget.heapBytesBuilt!)}; a prediction until the next build):`,
      ramMapTable(asWritten, budget.ram.size),
    );
  } else if (budget.stale && budget.stackBytesAsWritten !== null && budget.stackBytesAsWritten < 0) {
    lines.push(
      `**As written** the heap (${bytes(budget.heapBytesWritten!)}) and the static data exceed RAM by ${bytes(-budget.stackBytesAsWritten)}: the link will fail.`,
    );
  }
  return lines;
}
