// Deterministic trace generator for tests: scenarios written as text traces, encoders for
// both binary formats (written independently of the product's decoders, from what Drone's
// encoders write), 0.14 interleaving, every kind of corruption, and seeded random event lists.

import { EventBatch, EventKind } from '../../server/src/core/trace/events';

/** One event, the way tests write them. */
export type Ev =
  readonly ['alloc', number] | readonly ['free', number] | readonly ['grow', number, number] | readonly ['shrink', number, number];

const KIND_CODE = { alloc: EventKind.Alloc, free: EventKind.Free, grow: EventKind.Grow, shrink: EventKind.Shrink } as const;
const KIND_NAME = ['alloc', 'free', 'grow', 'shrink'] as const;

/** Scenario text → events. Same syntax as the text format; written independently of its decoder. */
export function parseScenario(text: string): Ev[] {
  const events: Ev[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [word, ...numbers] = line.split(/\s+/);
    const values = numbers.map(Number);
    if (word === 'alloc' || word === 'free') events.push([word, values[0]]);
    else if (word === 'grow' || word === 'shrink') events.push([word, values[0], values[1]]);
    else throw new Error(`bad scenario line: ${raw}`);
  }
  return events;
}

export function toText(events: readonly Ev[]): string {
  return events.map((e) => e.join(' ')).join('\n') + '\n';
}

/** Events from the columns an EventCollector gathered. */
export function fromColumns(columns: { kinds: number[]; a: number[]; b: number[] }): Ev[] {
  return columns.kinds.map((kind, i) => {
    const name = KIND_NAME[kind];
    return name === 'alloc' || name === 'free' ? [name, columns.a[i]] : [name, columns.a[i], columns.b[i]];
  }) as Ev[];
}

/** One batch holding `events` (for feeding a replayer without any decoding). */
export function batchOf(events: readonly Ev[]): EventBatch {
  const batch = new EventBatch(Math.max(events.length, 1));
  events.forEach((e, i) => {
    batch.kinds[i] = KIND_CODE[e[0]];
    batch.a[i] = e[1];
    batch.b[i] = e.length === 3 ? e[2] : 0;
  });
  batch.length = events.length;
  return batch;
}

// ---- stream format ------------------------------------------------------------------------

export function encodeStream(events: readonly Ev[]): Uint8Array {
  let length = 0;
  for (const e of events) length += e.length === 3 ? 9 : 5;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const e of events) {
    out[at] = KIND_CODE[e[0]];
    view.setUint32(at + 1, e[1], true);
    if (e.length === 3) view.setUint32(at + 5, e[2], true);
    at += e.length === 3 ? 9 : 5;
  }
  return out;
}

// ---- drone-core 0.14 format ---------------------------------------------------------------

export const KEY = 0xc5acce55;

/** The raw (XORed) word for a frame header and 24-bit payload. */
export function xorWord(header: number, payload: number): number {
  return (((header << 24) | payload) ^ KEY) >>> 0;
}

/** The words the 0.14 encoder writes for one event (with its size >> 24 quirk). */
export function eventWords(e: Ev): number[] {
  const [kind, x] = e;
  if (kind === 'alloc' || kind === 'free') {
    const [h1, h2] = kind === 'alloc' ? [0xa1, 0xa2] : [0xd1, 0xd2];
    return [xorWord(h1, x >>> 24), xorWord(h2, x & 0xff)];
  }
  const y = e[2] as number;
  const [h1, h2, h3] = kind === 'grow' ? [0xb1, 0xb2, 0xb3] : [0xc1, 0xc2, 0xc3];
  return [xorWord(h1, x >>> 24), xorWord(h2, ((x & 0xff) << 16) | (y >>> 16)), xorWord(h3, y & 0xffff)];
}

/** What a 0.14 decoder must return for a size the encoder saw: bits 8–23 are lost. */
export function lossy014(size: number): number {
  return (((size >>> 24) << 8) | (size & 0xff)) >>> 0;
}

/** The event a 0.14 decoder must produce for `e` (old size lossy, new size of grow/shrink exact). */
export function decoded014(e: Ev): Ev {
  return e.length === 2 ? [e[0], lossy014(e[1])] : [e[0], lossy014(e[1]), e[2]];
}

export function wordsToBytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w, true));
  return out;
}

export function encodeXor014(events: readonly Ev[]): Uint8Array {
  return wordsToBytes(events.flatMap(eventWords));
}

/**
 * Encodes `events` in order but lets a later event interrupt an earlier one between two of
 * its words (probability `p` per gap, nesting up to `maxDepth`), like an interrupt handler
 * that allocates. Returns the words and the order in which a decoder closes the events.
 */
export function interleavedXor014(events: readonly Ev[], seed: number, p = 0.3, maxDepth = 4): { words: number[]; decodedOrder: Ev[] } {
  const random = mulberry32(seed);
  const words: number[] = [];
  const decodedOrder: Ev[] = [];
  let next = 0;
  const emit = (depth: number): void => {
    const event = events[next++];
    const own = eventWords(event);
    words.push(own[0]);
    for (let w = 1; w < own.length; w++) {
      while (depth < maxDepth && next < events.length && random() < p) emit(depth + 1);
      words.push(own[w]);
    }
    decodedOrder.push(decoded014(event));
  };
  while (next < events.length) emit(0);
  return { words, decodedOrder };
}

// ---- corruption --------------------------------------------------------------------------

export type Xor014Corruption = 'unknown-header' | 'closing-without-opening' | 'non-zero-padding' | 'truncated-word' | 'truncated-sequence';

/**
 * `events` encoded sequentially, then damaged right after the first `keep` events.
 * Returns the bytes, the byte offset the decoder must report and the events it must keep.
 */
export function corruptXor014(
  events: readonly Ev[],
  keep: number,
  how: Xor014Corruption,
): { bytes: Uint8Array; byteOffset: number; kept: Ev[] } {
  const head = events.slice(0, keep).flatMap(eventWords);
  const tail = events.slice(keep).flatMap(eventWords);
  const byteOffset = head.length * 4;
  const kept = events.slice(0, keep).map(decoded014);
  switch (how) {
    case 'unknown-header':
      return { bytes: wordsToBytes([...head, xorWord(0x42, 0), ...tail]), byteOffset, kept };
    case 'closing-without-opening':
      return { bytes: wordsToBytes([...head, xorWord(0xa2, 7), ...tail]), byteOffset, kept };
    case 'non-zero-padding':
      return { bytes: wordsToBytes([...head, xorWord(0xa1, 0), xorWord(0xa2, 0x0100 | 7), ...tail]), byteOffset: byteOffset + 4, kept };
    case 'truncated-word': {
      const bytes = wordsToBytes([...head, xorWord(0xa1, 0)]);
      return { bytes: bytes.subarray(0, bytes.length - 2), byteOffset, kept };
    }
    case 'truncated-sequence':
      return { bytes: wordsToBytes([...head, xorWord(0xb1, 0), xorWord(0xb2, 0x400000)]), byteOffset, kept };
  }
}

export type StreamCorruption = 'unknown-header' | 'truncated-record';

export function corruptStream(
  events: readonly Ev[],
  keep: number,
  how: StreamCorruption,
): { bytes: Uint8Array; byteOffset: number; kept: Ev[] } {
  const head = encodeStream(events.slice(0, keep));
  const kept = events.slice(0, keep);
  if (how === 'unknown-header') {
    const tail = encodeStream(events.slice(keep));
    return { bytes: Uint8Array.from([...head, 7, 1, 2, 3, 4, ...tail]), byteOffset: head.length, kept };
  }
  const record = encodeStream([['grow', 16, 32]]);
  return { bytes: Uint8Array.from([...head, ...record.subarray(0, 6)]), byteOffset: head.length, kept };
}

// ---- random events -----------------------------------------------------------------------

/** Small, fast, seedable PRNG (mulberry32): same seed, same sequence, on every platform. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomEventOptions {
  /** Largest size (default 2^32 − 1: any u32). */
  maxSize?: number;
  /** Only free/resize sizes that are live (a well-formed trace); default true. */
  wellFormed?: boolean;
}

/** A seeded random event list. With wellFormed, every free/old size is a live allocation. */
export function randomEvents(seed: number, count: number, options: RandomEventOptions = {}): Ev[] {
  const random = mulberry32(seed);
  const maxSize = options.maxSize ?? 0xffffffff;
  const wellFormed = options.wellFormed ?? true;
  const size = () => (random() < 0.8 ? Math.floor(random() * Math.min(maxSize + 1, 600)) : Math.floor(random() * (maxSize + 1)));
  const live: number[] = [];
  const events: Ev[] = [];
  const pickLive = () => {
    const i = Math.floor(random() * live.length);
    const s = live[i];
    live[i] = live[live.length - 1];
    live.pop();
    return s;
  };
  while (events.length < count) {
    const r = random();
    if (live.length === 0 || r < 0.45) {
      const s = size();
      live.push(s);
      events.push(['alloc', s]);
    } else if (r < 0.85) {
      events.push(['free', wellFormed ? pickLive() : size()]);
    } else {
      const old = wellFormed ? pickLive() : size();
      const s = size();
      live.push(s);
      events.push([r < 0.93 ? 'grow' : 'shrink', old, s]);
    }
  }
  return events;
}
