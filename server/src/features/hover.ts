// Hover: what a size string means in bytes, what a pool costs and where it sits, and
// the heap's totals on its table header or `size`.
import { MarkupKind, type Hover } from 'vscode-languageserver';
import {
  findMemory,
  heapPlacement,
  type DroneConfig,
  type HeapConfig,
  type MemoryRegion,
  type PoolConfig,
} from '../core/config/droneConfig';
import { describeDevicePool, dumpCommands } from '../core/device/describeDevice';
import { devicePoolsOf } from './deviceFigures';
import { describeBytes, describeRange, heapFigures, memoryFigures, poolFigures } from '../core/config/describe';
import { locate } from '../core/config/locate';
import { formatAddress, parseSize } from '../core/config/sizes';
import type { TomlValue } from '../core/config/tomlTree';
import { traceFileName, traceNameIn } from '../core/trace/traceName';
import { describeRamBudget } from '../core/firmware/describeBudget';
import { folderOf } from '../trace/traceFiles';
import { poolTraceRows, replaySummary } from '../core/replay/describeReplay';
import type { PoolReport, ReplayResult } from '../core/replay/result';
import { reportsByPool } from '../core/replay/traceFindings';
import type { HeapFigures } from '../trace/heapReplays';
import { toRange } from './convert';
import { parsedDocument, type Feature, type ServerContext } from './feature';
import { formatInteger, plural } from '../../../common/format';

export const hoverFeature: Feature = {
  capabilities: { hoverProvider: true },
  register(context) {
    const { connection, replays } = context;
    connection.onHover((params): Hover | null => {
      const open = parsedDocument(context, params.textDocument.uri);
      if (!open) return null;
      const { document, config } = open;
      const offset = config.lines.offsetAt(params.position);
      const found = locate(config, offset);
      if (!found) return null;
      let lines: string[];
      if (found.kind === 'pool') {
        lines = describePool(config, found.heap, found.pool, found.field);
        const figures = replays.figuresFor(document.uri, found.heap);
        const report = figures && reportsByPool(found.heap, figures.result, figures.current ? 'exact' : 'same-blocks')?.get(found.pool);
        if (figures && report) lines.push(...describePoolTrace(report, figures.result), ...staleNote(figures));
        lines.push(...devicePoolLines(context, document.uri, config, found.heap, found.pool, report?.peak ?? null));
      } else if (found.kind === 'heap') {
        lines = [
          ...describeValue(
            found.field === 'size' ? found.heap.size?.entry.value : found.field === 'origin' ? found.heap.origin?.entry.value : undefined,
          ),
          ...describeHeap(config, found.heap),
        ];
        if (found.field === 'size' && !found.heap.isExtra) lines.push(...ramBudgetLines(context, document.uri, config, false));
        const figures = replays.figuresFor(document.uri, found.heap);
        const tracePath = replays.heapStatus(document.uri, found.heap.name)?.tracePath;
        if (figures && tracePath)
          lines.push(
            replaySummary(traceFileName(tracePath), figures.result),
            ...figures.result.warnings.map((w) => `_${w}_`),
            ...staleNote(figures),
          );
        if (found.field === 'header') lines.push(...deviceHeapLines(context, document.uri, config, found.heap));
      } else if (found.field === 'header') {
        lines = describeMemory(config, found.region);
        if (found.region.name === 'ram') lines.push(...ramBudgetLines(context, document.uri, config, true));
      } else {
        const value = found.field === 'size' ? found.region.size?.entry.value : found.region.origin?.entry.value;
        lines = [`**memory.${found.region.name}.${found.field}**`, ...describeValue(value)];
        if (found.region.name === 'ram' && found.field === 'size') lines.push(...ramBudgetLines(context, document.uri, config, false));
      }
      if (lines.length === 0) return null;
      return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n\n') }, range: toRange(config.lines, found.span) };
    });
  },
};

/** The RAM map from the built firmware; without one, when `explain`, how to get it (the [memory.ram] header). */
function ramBudgetLines(context: ServerContext, uri: string, config: DroneConfig, explain: boolean): string[] {
  const budget = context.firmware.budgetOf(uri, config);
  if (budget) return describeRamBudget(budget.budget, traceNameIn(folderOf(uri), budget.state.path), new Date(budget.state.modified));
  if (!explain) return [];
  const state = context.firmware.stateOf(uri);
  switch (state.kind) {
    case 'none':
      return [`_No RAM budget: ${state.problem}. Build the firmware (\`just build\`) to see what the heap leaves for the stack._`];
    case 'restricted':
      return [`_No RAM budget in Restricted Mode: the firmware ${state.path} is outside the workspace folder._`];
    case 'unreadable':
      return [`_No RAM budget: ${state.message}_`];
    case 'read':
      return [];
  }
}

/** What the device says about a pool (paired by block size), compared with the trace's peak. */
function devicePoolLines(
  context: ServerContext,
  uri: string,
  config: DroneConfig,
  heap: HeapConfig,
  pool: PoolConfig,
  tracePeak: number | null,
): string[] {
  const reading = context.device.readingOf(uri, config);
  const onDevice = devicePoolsOf(reading, heap)?.find((p) => p.block === pool.block?.bytes);
  return reading && onDevice ? describeDevicePool(onDevice, reading.sourceName, tracePeak) : [];
}

/**
 * On a heap's header: the device's figures in one line each, or how to get them — the dump
 * commands with this heap's firmware addresses filled in (RAM, which holds the static and the
 * main heap; an extra heap's own range too).
 */
function deviceHeapLines(context: ServerContext, uri: string, config: DroneConfig, heap: HeapConfig): string[] {
  const reading = context.device.readingOf(uri, config);
  if (reading && 'problem' in reading) return [`_No device figures from ${reading.sourceName}: ${reading.problem}._`];
  const state = reading?.heaps.find((h) => h.match.heap === heap)?.state;
  if (reading && state?.kind === 'decoded') {
    const now = state.pools.reduce((sum, p) => sum + (p.inUse ?? 0) * p.block, 0);
    return [
      `**On the device** (${reading.sourceName}): ${now} B in use now; peaks ${state.pools.map((p) => `${p.highWater}/${p.capacity}`).join(', ')}`,
    ];
  }
  if (reading && state && 'reason' in state) return [`_No device figures from ${reading.sourceName}: ${state.reason}._`];
  const firmware = context.device.firmwareHeaps(uri);
  const ram = findMemory(config, 'ram');
  if (!firmware.ok || ram?.origin?.value === undefined || ram.size?.bytes === undefined) return [];
  const ranges = [{ start: ram.origin.value, length: ram.size.bytes }];
  const placement = heap.isExtra ? heapPlacement(config, heap) : undefined;
  if (placement) ranges.push({ start: placement.start, length: placement.end - placement.start });
  const commands = ranges.flatMap((r, i) =>
    dumpCommands(r.start, r.length, i === 0 ? 'ram.bin' : `${heap.name}.bin`).map((c) => `${c.tool}: \`${c.command}\``),
  );
  return [
    `**Device figures** (no trace needed): at a breakpoint, dump RAM and run **Drone Heap: Load Device Memory Dump…**, or pause a debug session.`,
    commands.map((c) => `- ${c}`).join('\n'),
  ];
}

/** Figures kept from the previous layout while the new one replays say so. */
function staleNote(figures: HeapFigures): string[] {
  return figures.current ? [] : ['_These figures are of the previous layout; the new one is being replayed._'];
}

/** The value of a size string or an address in bytes, with the surprises spelt out. */
function describeValue(value: TomlValue | undefined): string[] {
  if (!value) return [];
  if (value.kind === 'integer') {
    // Each form once: the literal as written, then decimal and hex unless it is written so.
    const n = Number(value.value);
    const written = value.literal.replace(/_/g, '').toLowerCase();
    const forms = [`\`${value.literal}\``];
    if (!/^\+?[0-9]+$/.test(written)) forms.push(formatInteger(n));
    if (!written.startsWith('0x')) forms.push(formatAddress(n));
    return [forms.join(' = ')];
  }
  if (value.kind !== 'string') return [];
  const parsed = parseSize(value.value);
  if (!parsed.ok) return [`\`"${value.value}"\` is not a valid size: ${parsed.reason}.`];
  const lines = [`\`"${value.value}"\` = ${describeBytes(parsed.value)}`];
  if (/^0[0-7]/.test(value.value)) lines.push(`Note: a leading 0 makes this an **octal** number, as in linker scripts.`);
  return lines;
}

function describePool(config: DroneConfig, heap: HeapConfig, pool: PoolConfig, field?: 'block' | 'capacity'): string[] {
  const lines = [`**Pool ${pool.index + 1} of ${heap.qualifiedName}**`];
  if (field === 'block') lines.push(...describeValue(pool.block?.entry.value));
  const figures = poolFigures(config, heap, pool);
  if (!figures) return lines;
  lines.push(`${figures.block} × ${figures.capacity} = ${figures.bytes} B${figures.share ? ` · ${figures.share} of the heap` : ''}`);
  if (figures.address) lines.push(`Address ${describeRange(figures.address)}`);
  return lines;
}

/** The pool's figures from the replayed trace, and which sizes landed in it. */
function describePoolTrace(report: PoolReport, result: ReplayResult): string[] {
  const rows = poolTraceRows(report, result).map(([name, value]) => `| ${name} | ${value} |`);
  const lines = [`**From the trace** (${plural(result.events, 'event')})`, ['| | |', '|---|---|', ...rows].join('\n')];
  if (report.sizes.length > 0) {
    const sizeRows = report.sizes.map((s) => `| ${s.size} B | ${s.count} | ${report.block - s.size} B |`);
    const omitted = report.sizesOmittedCount > 0 ? `\n\n…and ${plural(report.sizesOmittedCount, 'block')} of other sizes` : '';
    lines.push(['| size | blocks taken | waste each |', '|---:|---:|---:|', ...sizeRows].join('\n') + omitted);
  }
  for (const warning of result.warnings) lines.push(`_${warning}_`);
  return lines;
}

/** A `[memory.NAME]` header: where the region is, and which heaps lie in it. */
function describeMemory(config: DroneConfig, region: MemoryRegion): string[] {
  const f = memoryFigures(config, region);
  const lines = [`**memory.${region.name}**${f.size !== undefined ? ` · ${describeBytes(f.size)}` : ''}`];
  if (f.origin !== undefined && f.end !== undefined) lines.push(`Address ${describeRange({ start: f.origin, end: f.end })}`);
  else lines.push(`${f.origin === undefined ? '`origin`' : '`size`'} is missing or not valid, so the addresses are unknown.`);
  if (f.heaps.length > 0) {
    const rows = f.heaps.map(({ heap, address, share }) => {
      const where = heap.isExtra ? 'at its `origin`' : 'at the end of the region';
      return `- ${heap.qualifiedName}: ${describeRange(address)}, ${describeBytes(address.end - address.start)}${share ? ` · ${share}` : ''}, ${where}`;
    });
    lines.push(`Used by ${plural(f.heaps.length, 'heap')}:\n${rows.join('\n')}`);
  } else if (f.end !== undefined) lines.push('No heap lies in this region.');
  if (f.rest !== undefined && f.heaps.length > 0)
    lines.push(`${describeBytes(f.rest)} not taken by a heap${region.name === 'ram' ? ' (the stack and static data live there)' : ''}.`);
  return lines;
}

function describeHeap(config: DroneConfig, heap: HeapConfig): string[] {
  const f = heapFigures(config, heap);
  const lines = [`**${heap.qualifiedName}**${f.size !== undefined ? ` · ${describeBytes(f.size)}` : ''}`];
  const sum = f.poolSum;
  if (sum !== undefined) {
    const verdict =
      f.size === undefined
        ? ''
        : sum === f.size
          ? ' (matches `size`)'
          : ` (**${sum > f.size ? 'over' : 'under'} \`size\` by ${Math.abs(sum - f.size)} B**)`;
    lines.push(`${plural(f.poolCount, 'pool')}, Σ block × capacity = ${sum} B${verdict}`);
  }
  if (f.ramShare) lines.push(`${f.ramShare} of memory.ram`);
  if (f.address) {
    const where = heap.isExtra ? 'at its `origin`' : 'at the end of memory.ram';
    lines.push(`Address ${describeRange(f.address)}, ${where}`);
  }
  return lines;
}
