// Writes a layout into a Drone.toml with a minimal edit: the value of `size` and the value
// of `pools` are replaced, and nothing else moves — comments before, after and between
// them, the other keys and sections stay byte-identical. (Comments *inside* the old pools
// array describe pools that no longer exist and go with it.) The new array copies the
// shape of the old one: its indentation, line breaks (CRLF too), one line or several, and
// `[[heap.main.pools]]` array tables when the file uses them.

import type { DroneConfig, HeapConfig } from '../config/droneConfig';
import { replaceStringValue, replaceWithString } from '../config/edits';
import { formatSize } from '../config/sizes';
import type { Span, TextEdit } from '../config/span';
import type { TomlValue } from '../config/tomlTree';
import type { PoolSpec } from '../replay/result';
import { DRONE_POOLS_FORMAT, formatPoolsArray, writtenPools, type PoolsFormat } from './format';

export interface LayoutToWrite {
  /** Heap size in bytes (normally Σ block × capacity, so that Drone's build check passes). */
  size: number;
  pools: readonly PoolSpec[];
}

export type LayoutEdits = { ok: true; edits: TextEdit[] } | { ok: false; reason: string };

/** The edits that put `layout` into `heap` of `config`. */
export function applyLayout(config: DroneConfig, heap: HeapConfig, layout: LayoutToWrite): LayoutEdits {
  const pools = writtenPools(layout.pools);
  if (pools.length === 0) return { ok: false, reason: 'the layout has no pool with a capacity above 0' };
  if (!Number.isInteger(layout.size) || layout.size < 0 || layout.size > 0xffff_ffff) {
    return { ok: false, reason: `${layout.size} bytes is not a valid heap size (at most 4 GiB − 1)` };
  }
  const text = config.text;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const edits: TextEdit[] = [];

  const poolsEdit = heap.pools
    ? replacePools(text, heap.pools.entry.span, heap.pools.entry.value, pools, newline)
    : insertPools(text, heap, pools, newline);
  if (!poolsEdit.ok) return poolsEdit;
  edits.push(poolsEdit.edit);

  const sizeText = formatSize(layout.size);
  if (heap.size) {
    // Same bytes, possibly written another way ("0x2800" for "10K"): leave the user's spelling.
    if (heap.size.bytes !== layout.size) {
      const value = heap.size.entry.value;
      edits.push(value.kind === 'string' ? replaceStringValue(text, value, sizeText) : replaceWithString(value, sizeText));
    }
  } else {
    const insert = insertSize(text, heap, sizeText, newline);
    if (!insert.ok) return insert;
    edits.push(insert.edit);
  }
  return { ok: true, edits };
}

type EditResult = { ok: true; edit: TextEdit } | { ok: false; reason: string };

function replacePools(text: string, entrySpan: Span, value: TomlValue, pools: PoolSpec[], newline: string): EditResult {
  if (
    value.kind === 'array' &&
    value.items.length > 0 &&
    value.items.every((i) => i.kind === 'table' && i.table.origin === 'array-header')
  ) {
    return replaceArrayTables(text, value.items, pools);
  }
  const format =
    value.kind === 'array'
      ? detectFormat(text, value, newline)
      : { ...DRONE_POOLS_FORMAT, newline, closingIndent: indentOfLine(text, entrySpan.start) };
  return { ok: true, edit: { span: value.span, newText: formatPoolsArray(pools, format) } };
}

/** Copies the shape of an inline pools array. */
function detectFormat(text: string, array: Extract<TomlValue, { kind: 'array' }>, fallbackNewline: string): PoolsFormat {
  const body = text.slice(array.span.start, array.span.end);
  const newline = body.includes('\r\n') ? '\r\n' : body.includes('\n') ? '\n' : fallbackNewline;
  if (array.items.length > 0 && !body.includes('\n')) return { ...DRONE_POOLS_FORMAT, newline, singleLine: true };
  const closing = array.span.end - 1;
  const closingIndent = startsLine(text, closing) ? indentOfLine(text, closing) : indentOfLine(text, array.span.start);
  const first = array.items[0];
  const indent = first && startsLine(text, first.span.start) ? indentOfLine(text, first.span.start) : closingIndent + '    ';
  return { indent, closingIndent, newline, singleLine: false };
}

/**
 * `[[heap.main.pools]]` tables: the run from the first table to the end of the last one is
 * rewritten with the same header, key indentation and separation. Only when nothing but
 * blanks and comments sits between them (another table there would be destroyed).
 */
function replaceArrayTables(text: string, items: TomlValue[], pools: PoolSpec[]): EditResult {
  for (let i = 1; i < items.length; i++) {
    const between = text.slice(items[i - 1].span.end, items[i].span.start);
    if (!/^(\s|#[^\n]*)*$/.test(between)) {
      return {
        ok: false,
        reason: 'the [[pools]] tables are not next to each other (another table sits between them); rewrite them by hand',
      };
    }
  }
  const first = items[0] as Extract<TomlValue, { kind: 'table' }>;
  const headerEnd = text.indexOf(']]', first.table.headerSpan?.end ?? first.span.start) + 2;
  const header = text.slice(first.span.start, headerEnd);
  const firstKey = first.table.entries[0];
  const keyIndent = firstKey ? indentOfLine(text, firstKey.span.start) : '';
  const afterHeader = text.slice(headerEnd, firstKey ? firstKey.span.start - keyIndent.length : first.span.end);
  const newline = afterHeader.includes('\r\n') ? '\r\n' : '\n';
  const separator =
    items.length > 1
      ? text
          .slice(items[0].span.end, items[1].span.start)
          .replace(/#[^\r\n]*/g, '')
          .replace(/[ \t]+(?=\r?\n)/g, '')
      : newline + newline;
  const tables = pools.map(
    (p) => `${header}${newline}${keyIndent}block = "${formatSize(p.block)}"${newline}${keyIndent}capacity = ${p.capacity}`,
  );
  const span = { start: items[0].span.start, end: items[items.length - 1].span.end };
  return { ok: true, edit: { span, newText: tables.join(separator || newline) } };
}

/** No `pools` yet: a new line after `size`, in a heap written as a `[header]` table. */
function insertPools(text: string, heap: HeapConfig, pools: PoolSpec[], newline: string): EditResult {
  if (!heap.size || heap.table.origin !== 'header' || heap.size.entry.key !== 'size' || !isOwnLine(text, heap.size.entry.span)) {
    return {
      ok: false,
      reason: `${heap.qualifiedName} has no \`pools\` and no \`size = …\` line to put them after; add \`pools = []\` first`,
    };
  }
  const at = lineEnd(text, heap.size.entry.span.end);
  const indent = indentOfLine(text, heap.size.entry.span.start);
  const array = formatPoolsArray(pools, { ...DRONE_POOLS_FORMAT, newline, closingIndent: indent, indent: indent + '    ' });
  return { ok: true, edit: { span: { start: at, end: at }, newText: `${newline}${indent}pools = ${array}` } };
}

/** No `size` yet: a new line before `pools` (or after the header when pools are array tables). */
function insertSize(text: string, heap: HeapConfig, sizeText: string, newline: string): EditResult {
  if (heap.table.origin !== 'header' || !heap.table.headerSpan) {
    return {
      ok: false,
      reason: `${heap.qualifiedName} has no \`size\` and is not a [table] with a header to put it under; add \`size = "0"\` first`,
    };
  }
  const poolsEntry = heap.pools?.entry;
  const inlinePools =
    poolsEntry &&
    poolsEntry.key === 'pools' &&
    poolsEntry.span.start > heap.table.headerSpan.end &&
    isOwnLine(text, poolsEntry.span) &&
    !isArrayTables(poolsEntry.value);
  if (inlinePools) {
    const start = poolsEntry.span.start;
    const indent = indentOfLine(text, start);
    return { ok: true, edit: { span: { start, end: start }, newText: `size = "${sizeText}"${newline}${indent}` } };
  }
  const at = lineEnd(text, heap.table.headerSpan.end);
  return { ok: true, edit: { span: { start: at, end: at }, newText: `${newline}size = "${sizeText}"` } };
}

function isArrayTables(value: TomlValue): boolean {
  return value.kind === 'array' && value.items.some((i) => i.kind === 'table' && i.table.origin === 'array-header');
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the line break (or end of text) ending the line that holds `offset`. */
function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Only blanks before `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

function indentOfLine(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset), offset))![0];
}

/** The span starts its line and nothing but blanks or a comment follows it. */
function isOwnLine(text: string, span: Span): boolean {
  return startsLine(text, span.start) && /^[ \t]*(#.*)?$/.test(text.slice(span.end, lineEnd(text, span.end)));
}
