// Names of the trace formats, the problems a decoder can report, and the plain warning that
// must accompany every result read from the lossy drone-core 0.14 format.

/**
 * - `xor-0.14`: drone-core 0.12–0.14, XOR-framed 32-bit ITM words (see xor014.ts).
 * - `stream`: newer Drone, one header byte + little-endian u32 values per record (see stream.ts).
 * - `text`: this project's plain-text trace, one event per line.
 */
export type TraceFormat = 'xor-0.14' | 'stream' | 'text';

export const TRACE_FORMATS: readonly TraceFormat[] = ['xor-0.14', 'stream', 'text'];

export const FORMAT_DESCRIPTIONS: Readonly<Record<TraceFormat, string>> = {
  'xor-0.14': 'drone-core 0.12–0.14 heap trace (XOR-framed ITM words)',
  stream: 'Drone heap trace, stream format',
  text: 'plain-text heap trace',
};

/**
 * Shown whenever the 0.14 format is read. The encoder writes `size >> 24` where it should
 * write `size >> 8`, so bits 8–23 never reach the file; a decoded size is
 * `(size >> 24) << 8 | (size & 0xFF)` (the new size of grow/shrink is exact).
 */
export const LOSSY_014_WARNING =
  'This trace was written by the drone-core 0.12–0.14 encoder, which drops bits 8–23 of every ' +
  'allocation and deallocation size (and of the old size of grow/shrink). Sizes of 256 bytes or ' +
  'more are not the real ones: a 300-byte allocation is read as 44 bytes. Treat every figure ' +
  'derived from such sizes as approximate.';

/** Warnings that belong to a format, whatever the content of the trace. */
export function formatWarnings(format: TraceFormat | null): string[] {
  return format === 'xor-0.14' ? [LOSSY_014_WARNING] : [];
}

export type TraceProblemKind =
  /** a header byte / frame header / text keyword that the format does not define */
  | 'unknown-frame'
  /** a middle or closing 0.14 word with no matching open frame */
  | 'out-of-sequence'
  /** a 0.14 word whose bytes that must be zero are not */
  | 'non-zero-padding'
  /** more nested open 0.14 frames than any interrupt nesting can produce */
  | 'too-many-open-frames'
  /** the data ends inside a record, word or frame sequence */
  | 'truncated'
  /** a text line that is not a valid event */
  | 'bad-line'
  /** the first bytes match no known format */
  | 'unrecognised-format';

/**
 * Corrupt data. Decoding stops at the first problem and keeps every event before it.
 * `byteOffset` is where the offending record / word / frame sequence / line starts;
 * `eventIndex` is the index the offending event would have had (= events decoded before it).
 */
export interface TraceProblem {
  kind: TraceProblemKind;
  message: string;
  byteOffset: number;
  eventIndex: number;
}

export function hex(value: number, digits = 2): string {
  return '0x' + value.toString(16).toUpperCase().padStart(digits, '0');
}
