// A position-keeping view of a TOML document: every table (from a `[header]`, an
// `[[array.table]]`, an inline table or a dotted key) becomes one TomlTable whose
// entries remember the exact source spans of their key and value. toml-eslint-parser
// gives us the syntax tree; this module resolves it into the nested structure TOML
// defines, which is what Drone's serde deserialiser sees.
import { parseTOML, ParseError, type AST } from 'toml-eslint-parser';
import type { Span } from './span';

export type TomlScalar =
  | { kind: 'string'; value: string }
  | { kind: 'integer'; value: bigint; /** The literal as written, e.g. `0x2000_0000`. */ literal: string }
  | { kind: 'float'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'datetime'; value: string };

export type TomlValue =
  (TomlScalar & { span: Span }) | { kind: 'array'; span: Span; items: TomlValue[] } | { kind: 'table'; span: Span; table: TomlTable };

export interface TomlEntry {
  key: string;
  keySpan: Span;
  /** `key = value` as written (for dotted keys: from the first key part). */
  span: Span;
  value: TomlValue;
}

export interface TomlTable {
  path: string[];
  /** Where the table is introduced: its `[header]`, its inline `{ }`, or its dotted key. */
  span: Span;
  /** The `[a.b]` header, when the table has one. */
  headerSpan?: Span;
  /** How the table came to be, which decides what edits may do to it. */
  origin: 'root' | 'header' | 'array-header' | 'inline' | 'implicit';
  entries: TomlEntry[];
}

export type TomlParse = { ok: true; root: TomlTable } | { ok: false; error: { message: string; span: Span } };

export function parseTomlTree(text: string): TomlParse {
  // A byte order mark at the start is allowed (editors hide it; some clients keep it in the
  // text). It is parsed as the space it takes, so every offset stays an offset into `text`.
  const source = text.startsWith('\uFEFF') ? ' ' + text.slice(1) : text;
  // TOML ends lines with LF or CRLF only; the parser lets a lone CR through as whitespace.
  const bareCr = /\r(?!\n)/.exec(source)?.index;
  const bareCrError = (): TomlParse => ({
    ok: false,
    error: {
      message: 'TOML syntax error: a carriage return (CR) that is not followed by a line feed; TOML lines end with LF or CRLF',
      span: { start: bareCr!, end: bareCr! + 1 },
    },
  });
  let program: AST.TOMLProgram;
  try {
    program = parseTOML(source, { tomlVersion: '1.0' });
  } catch (error) {
    if (error instanceof ParseError) {
      const start = Math.min(error.index, text.length);
      if (bareCr !== undefined && bareCr <= start) return bareCrError();
      return { ok: false, error: { message: `TOML syntax error: ${error.message}`, span: errorSpan(source, start) } };
    }
    throw error;
  }
  if (bareCr !== undefined) return bareCrError();
  const root: TomlTable = { path: [], span: { start: 0, end: text.length }, origin: 'root', entries: [] };
  const builder = new TreeBuilder(root);
  for (const item of program.body[0].body) {
    if (item.type === 'TOMLKeyValue') builder.addKeyValue(root, item);
    else builder.addTable(item);
  }
  return { ok: true, root };
}

/**
 * Marks the offending token rather than a zero-width point. When the parser stops at a
 * line end (an unterminated string, a missing value), the token is the one that runs
 * into it, e.g. the `"10K` of `size = "10K`.
 */
function errorSpan(text: string, start: number): Span {
  if (start >= text.length || text[start] === '\n' || text[start] === '\r') {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const line = text.slice(lineStart, start);
    const tokenStart = line.search(/[^\s=]*\s*$/);
    const trimmedEnd = lineStart + line.trimEnd().length;
    if (trimmedEnd > lineStart + tokenStart) return { start: lineStart + tokenStart, end: trimmedEnd };
  }
  let end = start;
  while (end < text.length && !/[\s,\]}=]/.test(text[end])) end++;
  return { start, end: Math.max(end, Math.min(start + 1, text.length)) };
}

const span = (node: { range: [number, number] }): Span => ({ start: node.range[0], end: node.range[1] });

class TreeBuilder {
  constructor(private readonly root: TomlTable) {}

  addTable(node: AST.TOMLTable): void {
    const path = node.resolvedKey;
    let table = this.root;
    const names: string[] = [];
    for (let i = 0; i < path.length; i++) {
      const part = path[i];
      if (typeof part === 'number') continue; // consumed together with its array name below
      names.push(part);
      const isLast = i === path.length - 1 || (i === path.length - 2 && typeof path[i + 1] === 'number');
      const keyNode = node.key.keys[Math.min(names.length - 1, node.key.keys.length - 1)];
      const arrayIndex = typeof path[i + 1] === 'number' ? (path[i + 1] as number) : undefined;
      if (arrayIndex !== undefined) {
        const entry = this.arrayEntry(table, part, span(keyNode), isLast ? span(node) : undefined);
        const items = (entry.value as Extract<TomlValue, { kind: 'array' }>).items;
        if (isLast) {
          const child: TomlTable = { path: [...names], span: span(node), headerSpan: span(node.key), origin: 'array-header', entries: [] };
          items.push({ kind: 'table', span: span(node), table: child });
          table = child;
        } else {
          const lastItem = items[items.length - 1];
          if (lastItem?.kind !== 'table') return;
          table = lastItem.table;
        }
        continue;
      }
      table = this.childTable(table, part, span(keyNode), isLast ? node : undefined);
    }
    for (const keyValue of node.body) this.addKeyValue(table, keyValue);
  }

  addKeyValue(table: TomlTable, node: AST.TOMLKeyValue): void {
    const parts = node.key.keys;
    let target = table;
    for (let i = 0; i < parts.length - 1; i++) {
      target = this.childTable(target, keyName(parts[i]), span(parts[i]));
    }
    const last = parts[parts.length - 1];
    target.entries.push({
      key: keyName(last),
      keySpan: span(last),
      span: span(node),
      value: convertValue(node.value, [...target.path, keyName(last)]),
    });
  }

  /** Finds or creates the sub-table `name` of `table` (a header, or implied by a dotted key). */
  private childTable(table: TomlTable, name: string, keySpan: Span, header?: AST.TOMLTable): TomlTable {
    const existing = table.entries.find((e) => e.key === name);
    if (existing?.value.kind === 'table') {
      if (header) {
        existing.value.table.headerSpan = span(header.key);
        existing.value.table.span = span(header);
        existing.value.table.origin = 'header';
      }
      return existing.value.table;
    }
    const child: TomlTable = {
      path: [...table.path, name],
      span: header ? span(header) : keySpan,
      headerSpan: header ? span(header.key) : undefined,
      origin: header ? 'header' : 'implicit',
      entries: [],
    };
    table.entries.push({ key: name, keySpan, span: child.span, value: { kind: 'table', span: child.span, table: child } });
    return child;
  }

  private arrayEntry(table: TomlTable, name: string, keySpan: Span, firstSpan?: Span): TomlEntry {
    const existing = table.entries.find((e) => e.key === name);
    if (existing?.value.kind === 'array') return existing;
    const entry: TomlEntry = {
      key: name,
      keySpan,
      span: firstSpan ?? keySpan,
      value: { kind: 'array', span: firstSpan ?? keySpan, items: [] },
    };
    table.entries.push(entry);
    return entry;
  }
}

function keyName(node: AST.TOMLBare | AST.TOMLQuoted): string {
  return node.type === 'TOMLBare' ? node.name : node.value;
}

function convertValue(node: AST.TOMLContentNode, path: string[]): TomlValue {
  const where = span(node);
  switch (node.type) {
    case 'TOMLArray':
      return { kind: 'array', span: where, items: node.elements.map((element) => convertValue(element, path)) };
    case 'TOMLInlineTable': {
      const table: TomlTable = { path, span: where, origin: 'inline', entries: [] };
      const builder = new TreeBuilder(table);
      for (const keyValue of node.body) builder.addKeyValue(table, keyValue);
      return { kind: 'table', span: where, table };
    }
    case 'TOMLValue':
      switch (node.kind) {
        case 'string':
          return { kind: 'string', value: node.value, span: where };
        case 'integer':
          return { kind: 'integer', value: node.bigint, literal: node.number, span: where };
        case 'float':
          return { kind: 'float', value: node.value, span: where };
        case 'boolean':
          return { kind: 'boolean', value: node.value, span: where };
        default:
          return { kind: 'datetime', value: node.datetime, span: where };
      }
  }
}

/** Looks up a direct entry of a table by key. */
export function entryOf(table: TomlTable, key: string): TomlEntry | undefined {
  return table.entries.find((e) => e.key === key);
}

export function describeKind(value: TomlValue): string {
  switch (value.kind) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'float':
      return 'a float';
    case 'boolean':
      return 'a boolean';
    case 'datetime':
      return 'a date/time';
    case 'array':
      return 'an array';
    case 'table':
      return 'a table';
  }
}
