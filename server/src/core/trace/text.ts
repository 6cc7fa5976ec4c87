// Decoder for the plain-text trace: one event per line,
//   alloc SIZE | free SIZE | grow OLD NEW | shrink OLD NEW
// `dealloc` is accepted as a synonym of `free`; keywords are case-insensitive; sizes are
// decimal or 0x-hex u32; `#` starts a comment (whole line or after the event); blank lines,
// CRLF and a UTF-8 BOM are fine. Lines are parsed from bytes, no strings per line.

import { BaseDecoder, type TraceDecoder } from './decoder';
import { EventKind, type EventSink } from './events';

/** A longer line is certainly not a trace line; bounds the carried partial line. */
export const MAX_TEXT_LINE = 4096;

const NEWLINE = 0x0a;
const HASH = 0x23;

const KEYWORDS: ReadonlyMap<string, { kind: EventKind; sizes: 1 | 2 }> = new Map([
  ['alloc', { kind: EventKind.Alloc, sizes: 1 }],
  ['free', { kind: EventKind.Free, sizes: 1 }],
  ['dealloc', { kind: EventKind.Free, sizes: 1 }],
  ['grow', { kind: EventKind.Grow, sizes: 2 }],
  ['shrink', { kind: EventKind.Shrink, sizes: 2 }],
]);

export class TextTraceDecoder extends BaseDecoder implements TraceDecoder {
  readonly format = 'text' as const;
  /** The start of a line that continues in the next chunk. */
  private carry: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array, sink: EventSink): void {
    if (this.problem) return;
    let start = 0;
    while (!this.problem) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) break;
      if (this.carry.length > 0) {
        const lineStart = this.bytesPushed - this.carry.length;
        const line = concat(this.carry, chunk.subarray(0, newline));
        this.carry = new Uint8Array(0);
        this.parseLine(line, lineStart, sink);
      } else {
        this.parseLine(chunk.subarray(start, newline), this.bytesPushed + start, sink);
      }
      start = newline + 1;
    }
    if (!this.problem && start < chunk.length) {
      const rest = chunk.subarray(start);
      if (this.carry.length + rest.length > MAX_TEXT_LINE) {
        this.fail('bad-line', `Line longer than ${MAX_TEXT_LINE} bytes: not a trace line.`, this.bytesPushed + start - this.carry.length);
      } else {
        this.carry = concat(this.carry, rest);
      }
    }
    this.bytesPushed += chunk.length;
    this.flush(sink);
  }

  /** A last line without a newline is complete in a text file, so it is parsed, not reported. */
  finish(sink: EventSink): void {
    if (!this.problem && this.carry.length > 0) {
      this.parseLine(this.carry, this.bytesPushed - this.carry.length, sink);
      this.carry = new Uint8Array(0);
    }
    this.flush(sink);
  }

  private parseLine(line: Uint8Array, lineOffset: number, sink: EventSink): void {
    let pos = lineOffset === 0 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf ? 3 : 0;
    pos = skipBlanks(line, pos);
    if (pos === line.length || line[pos] === HASH) return;
    const wordStart = pos;
    while (pos < line.length && isLetter(line[pos])) pos++;
    const keyword = KEYWORDS.get(ascii(line, wordStart, pos).toLowerCase());
    if (!keyword || (pos < line.length && !isBlank(line[pos]))) {
      return this.badLine(line, lineOffset, 'expected alloc, free, grow or shrink');
    }
    const values = [0, 0];
    for (let v = 0; v < keyword.sizes; v++) {
      const next = skipBlanks(line, pos);
      if (next === pos) return this.badLine(line, lineOffset, `expected ${keyword.sizes} size${keyword.sizes > 1 ? 's' : ''}`);
      const end = scanNumber(line, next);
      const value = end > next ? parseSize(ascii(line, next, end)) : NaN;
      if (Number.isNaN(value)) return this.badLine(line, lineOffset, 'a size must be a decimal or 0x-hex integer below 2^32');
      values[v] = value;
      pos = end;
    }
    pos = skipBlanks(line, pos);
    if (pos < line.length && line[pos] !== HASH) {
      return this.badLine(line, lineOffset, `unexpected text after the ${keyword.sizes === 1 ? 'size' : 'sizes'}`);
    }
    this.emit(keyword.kind, values[0], values[1], sink);
  }

  private badLine(line: Uint8Array, lineOffset: number, why: string): void {
    const shown = ascii(line, 0, Math.min(line.length, 80)).replace(/[^\x20-\x7e]/g, '?').trim();
    this.fail('bad-line', `Not a trace line (${why}): "${shown}".`, lineOffset);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function skipBlanks(line: Uint8Array, pos: number): number {
  while (pos < line.length && isBlank(line[pos])) pos++;
  return pos;
}

/** End of a run of characters that may form a number (digits, letters for hex/x). */
function scanNumber(line: Uint8Array, pos: number): number {
  while (pos < line.length && (isLetter(line[pos]) || (line[pos] >= 0x30 && line[pos] <= 0x39))) pos++;
  return pos;
}

function parseSize(token: string): number {
  const value = /^0[xX][0-9a-fA-F]+$/.test(token) ? parseInt(token.slice(2), 16) : /^[0-9]+$/.test(token) ? Number(token) : NaN;
  return value <= 0xffffffff ? value : NaN;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
