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

interface Keyword {
  /** lower-case ASCII bytes */
  bytes: Uint8Array;
  kind: EventKind;
  sizes: 1 | 2;
}

const defineKeyword = (word: string, kind: EventKind, sizes: 1 | 2): Keyword => ({
  bytes: Uint8Array.from(word, (c) => c.charCodeAt(0)),
  kind,
  sizes,
});

const KEYWORDS: readonly Keyword[] = [
  defineKeyword('alloc', EventKind.Alloc, 1),
  defineKeyword('free', EventKind.Free, 1),
  defineKeyword('dealloc', EventKind.Free, 1),
  defineKeyword('grow', EventKind.Grow, 2),
  defineKeyword('shrink', EventKind.Shrink, 2),
];

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
        this.parseLine(line, 0, line.length, lineStart, sink);
      } else {
        this.parseLine(chunk, start, newline, this.bytesPushed + start, sink);
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
      this.parseLine(this.carry, 0, this.carry.length, this.bytesPushed - this.carry.length, sink);
      this.carry = new Uint8Array(0);
    }
    this.flush(sink);
  }

  /** Parses the line bytes[start..end) (no newline), which starts at byte `lineOffset` of the trace. */
  private parseLine(bytes: Uint8Array, start: number, end: number, lineOffset: number, sink: EventSink): void {
    let pos = lineOffset === 0 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf ? start + 3 : start;
    pos = skipBlanks(bytes, pos, end);
    if (pos === end || bytes[pos] === HASH) return;
    const wordStart = pos;
    while (pos < end && isLetter(bytes[pos])) pos++;
    const keyword = findKeyword(bytes, wordStart, pos);
    const bad = (why: string) => this.badLine(bytes, start, end, lineOffset, why);
    if (!keyword || (pos < end && !isBlank(bytes[pos]))) return bad('expected alloc, free, grow or shrink');
    let first = 0;
    let second = 0;
    for (let v = 0; v < keyword.sizes; v++) {
      const next = skipBlanks(bytes, pos, end);
      if (next === pos) return bad(`expected ${keyword.sizes} size${keyword.sizes > 1 ? 's' : ''}`);
      const numberEnd = scanNumber(bytes, next, end);
      const value = parseSize(bytes, next, numberEnd);
      if (value < 0) return bad('a size must be a decimal or 0x-hex integer below 2^32');
      if (v === 0) first = value;
      else second = value;
      pos = numberEnd;
    }
    pos = skipBlanks(bytes, pos, end);
    if (pos < end && bytes[pos] !== HASH) return bad(`unexpected text after the ${keyword.sizes === 1 ? 'size' : 'sizes'}`);
    this.emit(keyword.kind, first, second, sink);
  }

  private badLine(bytes: Uint8Array, start: number, end: number, lineOffset: number, why: string): void {
    const shown = ascii(bytes, start, Math.min(end, start + 80))
      .replace(/[^\x20-\x7e]/g, '?')
      .trim();
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

function skipBlanks(bytes: Uint8Array, pos: number, end: number): number {
  while (pos < end && isBlank(bytes[pos])) pos++;
  return pos;
}

/** End of a run of characters that may form a number (digits, letters for hex/x). */
function scanNumber(bytes: Uint8Array, pos: number, end: number): number {
  while (pos < end && (isLetter(bytes[pos]) || (bytes[pos] >= 0x30 && bytes[pos] <= 0x39))) pos++;
  return pos;
}

/** The keyword spelled by line[start..end) in any case, or undefined. */
function findKeyword(line: Uint8Array, start: number, end: number): Keyword | undefined {
  return KEYWORDS.find(({ bytes }) => {
    if (bytes.length !== end - start) return false;
    for (let i = 0; i < bytes.length; i++) if ((line[start + i] | 0x20) !== bytes[i]) return false;
    return true;
  });
}

/** Decimal or 0x-hex u32 in line[start..end); −1 when it is not one. Parsed from bytes: no strings per line. */
function parseSize(line: Uint8Array, start: number, end: number): number {
  const hex = end - start > 2 && line[start] === 0x30 && (line[start + 1] | 0x20) === 0x78;
  const base = hex ? 16 : 10;
  let value = 0;
  for (let i = hex ? start + 2 : start; i < end; i++) {
    const digit = digitValue(line[i]);
    if (digit >= base) return -1;
    value = value * base + digit;
    if (value > 0xffffffff) return -1;
  }
  return end > start ? value : -1;
}

/** 0–9 and a–f/A–F as their values; anything else 99. */
function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : 99;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
