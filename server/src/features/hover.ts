// Hover: what a size string means in bytes, what a pool costs and where it sits, and
// the heap's totals on its table header or `size`.
import { basename } from 'node:path';
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { DroneConfig, HeapConfig, MemoryRegion, PoolConfig } from '../core/config/droneConfig';
import { describeBytes, describeRange, heapFigures, memoryFigures, poolFigures } from '../core/config/describe';
import { locate } from '../core/config/locate';
import { formatAddress, parseSize } from '../core/config/sizes';
import type { TomlValue } from '../core/config/tomlTree';
import { poolTraceRows, replaySummary } from '../core/replay/describeReplay';
import type { PoolReport, ReplayResult } from '../core/replay/result';
import { reportsByPool } from '../core/replay/traceFindings';
import { toRange } from './convert';
import type { Feature } from './feature';
import { formatInteger, plural } from '../../../shared/format';

export const hoverFeature: Feature = {
  capabilities: { hoverProvider: true },
  register({ connection, documents, analyses, traces }) {
    connection.onHover((params): Hover | null => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const analysis = analyses.get(document);
      if (!analysis.parse.ok) return null;
      const config = analysis.parse.config;
      const offset = config.lines.offsetAt(params.position);
      const found = locate(config, offset);
      if (!found) return null;
      let lines: string[];
      if (found.kind === 'pool') {
        lines = describePool(config, found.heap, found.pool, found.field);
        const result = traces.resultFor(document.uri, found.heap);
        const report = result && reportsByPool(found.heap, result)?.get(found.pool);
        if (result && report) lines.push(...describePoolTrace(report, result));
      }
      else if (found.kind === 'heap') {
        lines = [...describeValue(found.field === 'size' ? found.heap.size?.entry.value : found.field === 'origin' ? found.heap.origin?.entry.value : undefined), ...describeHeap(config, found.heap)];
        const result = traces.resultFor(document.uri, found.heap);
        const tracePath = traces.heapStatus(document.uri, found.heap.name)?.tracePath;
        if (result && tracePath) lines.push(replaySummary(basename(tracePath), result), ...result.warnings.map((w) => `_${w}_`));
      }
      else if (found.field === 'header') lines = describeMemory(config, found.region);
      else {
        const value = found.field === 'size' ? found.region.size?.entry.value : found.region.origin?.entry.value;
        lines = [`**memory.${found.region.name}.${found.field}**`, ...describeValue(value)];
      }
      if (lines.length === 0) return null;
      return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n\n') }, range: toRange(config.lines, found.span) };
    });
  },
};

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
  if (f.rest !== undefined && f.heaps.length > 0) lines.push(`${describeBytes(f.rest)} not taken by a heap${region.name === 'ram' ? ' (the stack and static data live there)' : ''}.`);
  return lines;
}

function describeHeap(config: DroneConfig, heap: HeapConfig): string[] {
  const f = heapFigures(config, heap);
  const lines = [`**${heap.qualifiedName}**${f.size !== undefined ? ` · ${describeBytes(f.size)}` : ''}`];
  const sum = f.poolSum;
  if (sum !== undefined) {
    const verdict = f.size === undefined ? '' : sum === f.size ? ' (matches `size`)' : ` (**${sum > f.size ? 'over' : 'under'} \`size\` by ${Math.abs(sum - f.size)} B**)`;
    lines.push(`${plural(f.poolCount, 'pool')}, Σ block × capacity = ${sum} B${verdict}`);
  }
  if (f.ramShare) lines.push(`${f.ramShare} of memory.ram`);
  if (f.address) {
    const where = heap.isExtra ? 'at its `origin`' : 'at the end of memory.ram';
    lines.push(`Address ${describeRange(f.address)}, ${where}`);
  }
  return lines;
}
