// Decoder for drone-core 0.12–0.14 heap traces (drone-core's `heaptrace` encoder). The file is a sequence of
// 32-bit little-endian words, each XORed with 0xC5ACCE55. Un-XORed, the top byte is a frame
// header and the low 24 bits a payload (3 bytes, most significant first):
//   alloc(size)      A1: size >> 24        A2: size & 0xFF           (A2's upper 2 bytes = 0)
//   dealloc(size)    D1: size >> 24        D2: size & 0xFF           (D2's upper 2 bytes = 0)
//   grow(old, new)   B1: old >> 24         B2: (old & 0xFF) << 16 | new >> 16
//                    B3: new & 0xFFFF      (B3's top byte = 0)
//   shrink(old, new) C1, C2, C3 like grow
// The payload bytes of a sequence are concatenated (3 + 1 bytes, or 3 + 3 + 2 bytes) and
// read as big-endian u32 values. Because the encoder writes `size >> 24` instead of
// `size >> 8`, a decoded size is `(size >> 24) << 8 | (size & 0xFF)`: lossy for ≥ 256 B.
//
// An interrupt can emit a whole event between two words of another, so sequences nest.
// One stack of open sequences per event kind; every middle/closing word continues the most
// recent open sequence of its kind, which must be at the right stage. Events are numbered
// in the order their sequences close.

import { BaseDecoder, type TraceDecoder } from './decoder';
import { EventKind, type EventSink } from './events';
import { hex } from './formats';

export const XOR_KEY = 0xc5acce55;

/** Headers of the 0.14 format (un-XORed top byte). */
export const XOR014_HEADERS = [0xa1, 0xa2, 0xd1, 0xd2, 0xb1, 0xb2, 0xb3, 0xc1, 0xc2, 0xc3] as const;

/**
 * Nesting deeper than this cannot come from interrupts (Cortex-M has at most 256 priority
 * levels, real firmware a handful); it bounds memory on garbage input.
 */
export const MAX_OPEN_FRAMES = 256;

/** Open frame sequences of one event kind, innermost last. */
class OpenFrames {
  depth = 0;
  /** payload of the first word */
  readonly first = new Uint32Array(MAX_OPEN_FRAMES);
  /** payload of the middle word (grow/shrink only) */
  readonly middle = new Uint32Array(MAX_OPEN_FRAMES);
  /** words received so far: 1 after the opening word, 2 after the middle word */
  readonly stage = new Uint8Array(MAX_OPEN_FRAMES);
  /** byte offset of the opening word, for reporting a truncated sequence */
  readonly start = new Float64Array(MAX_OPEN_FRAMES);

  constructor(
    readonly name: string,
    readonly letter: string,
  ) {}
}

export class Xor014Decoder extends BaseDecoder implements TraceDecoder {
  readonly format = 'xor-0.14' as const;
  private readonly allocs = new OpenFrames('alloc', 'A');
  private readonly deallocs = new OpenFrames('dealloc', 'D');
  private readonly grows = new OpenFrames('grow', 'B');
  private readonly shrinks = new OpenFrames('shrink', 'C');
  /** Bytes of a word that straddles two chunks. */
  private readonly carry = new Uint8Array(4);
  private carryLength = 0;

  push(chunk: Uint8Array, sink: EventSink): void {
    if (this.problem) return;
    let pos = 0;
    while (this.carryLength > 0 && this.carryLength < 4 && pos < chunk.length) {
      this.carry[this.carryLength++] = chunk[pos++];
    }
    if (this.carryLength === 4) {
      this.carryLength = 0;
      const carry = this.carry;
      const word = carry[0] | (carry[1] << 8) | (carry[2] << 16) | (carry[3] << 24);
      this.word(word, this.bytesPushed + pos - 4, sink);
    }
    const wholeEnd = pos + ((chunk.length - pos) & ~3);
    while (pos < wholeEnd && !this.problem) {
      const word = chunk[pos] | (chunk[pos + 1] << 8) | (chunk[pos + 2] << 16) | (chunk[pos + 3] << 24);
      this.word(word, this.bytesPushed + pos, sink);
      pos += 4;
    }
    if (!this.problem) {
      while (pos < chunk.length) this.carry[this.carryLength++] = chunk[pos++];
    }
    this.bytesPushed += chunk.length;
    this.flush(sink);
  }

  finish(sink: EventSink): void {
    if (this.problem) return;
    // Report the earliest thing left incomplete: an open sequence or a partial word.
    let offset = Infinity;
    let what = '';
    for (const frames of [this.allocs, this.deallocs, this.grows, this.shrinks]) {
      if (frames.depth > 0 && frames.start[0] < offset) {
        offset = frames.start[0];
        what = `an unfinished ${frames.name} frame sequence (${frames.letter}${frames.stage[0]} was its last word)`;
      }
    }
    if (this.carryLength > 0 && this.bytesPushed - this.carryLength < offset) {
      offset = this.bytesPushed - this.carryLength;
      what = `a partial word (${this.carryLength} of 4 bytes)`;
    }
    if (offset !== Infinity) {
      this.fail('truncated', `The trace ends with ${what} (a capture that was cut off). Every event before it was kept.`, offset);
    }
    this.flush(sink);
  }

  /** Handles one raw word found at byte `at`. */
  private word(raw: number, at: number, sink: EventSink): void {
    const word = (raw ^ XOR_KEY) >>> 0;
    const header = word >>> 24;
    const payload = word & 0xffffff;
    switch (header) {
      case 0xa1:
        return this.open(this.allocs, payload, at);
      case 0xa2:
        return this.closeShort(this.allocs, EventKind.Alloc, payload, at, sink);
      case 0xd1:
        return this.open(this.deallocs, payload, at);
      case 0xd2:
        return this.closeShort(this.deallocs, EventKind.Free, payload, at, sink);
      case 0xb1:
        return this.open(this.grows, payload, at);
      case 0xb2:
        return this.middle(this.grows, payload, at);
      case 0xb3:
        return this.closeLong(this.grows, EventKind.Grow, payload, at, sink);
      case 0xc1:
        return this.open(this.shrinks, payload, at);
      case 0xc2:
        return this.middle(this.shrinks, payload, at);
      case 0xc3:
        return this.closeLong(this.shrinks, EventKind.Shrink, payload, at, sink);
      default:
        this.fail(
          'unknown-frame',
          `Unknown frame header ${hex(header)} in word ${hex(raw >>> 0, 8)} (after XOR with ${hex(XOR_KEY, 8)}: ${hex(word, 8)}).`,
          at,
        );
    }
  }

  private open(frames: OpenFrames, payload: number, at: number): void {
    const d = frames.depth;
    if (d === MAX_OPEN_FRAMES) {
      this.fail(
        'too-many-open-frames',
        `More than ${MAX_OPEN_FRAMES} nested ${frames.name} frame sequences are open; no interrupt nesting produces that.`,
        at,
      );
      return;
    }
    frames.first[d] = payload;
    frames.stage[d] = 1;
    frames.start[d] = at;
    frames.depth = d + 1;
  }

  /** A2 / D2: closes an alloc/dealloc sequence; only its low byte carries data. */
  private closeShort(frames: OpenFrames, kind: EventKind, payload: number, at: number, sink: EventSink): void {
    const d = frames.depth - 1;
    if (d < 0) return this.outOfSequence(frames, 2, at);
    if (payload > 0xff) {
      this.fail(
        'non-zero-padding',
        `${frames.letter}2 word with non-zero padding (payload ${hex(payload, 6)}; only its last byte may be set).`,
        at,
      );
      return;
    }
    frames.depth = d;
    this.emit(kind, frames.first[d] * 256 + payload, 0, sink);
  }

  /** B2 / C2: the middle word of grow/shrink. */
  private middle(frames: OpenFrames, payload: number, at: number): void {
    const d = frames.depth - 1;
    if (d < 0 || frames.stage[d] !== 1) return this.outOfSequence(frames, 2, at);
    frames.middle[d] = payload;
    frames.stage[d] = 2;
  }

  /** B3 / C3: closes grow/shrink. old = first·2⁸ | middle >> 16, new = (middle & 0xFFFF)·2¹⁶ | last. */
  private closeLong(frames: OpenFrames, kind: EventKind, payload: number, at: number, sink: EventSink): void {
    const d = frames.depth - 1;
    if (d < 0 || frames.stage[d] !== 2) return this.outOfSequence(frames, 3, at);
    if (payload > 0xffff) {
      this.fail(
        'non-zero-padding',
        `${frames.letter}3 word with non-zero padding (payload ${hex(payload, 6)}; its top byte must be 0).`,
        at,
      );
      return;
    }
    frames.depth = d;
    const middle = frames.middle[d];
    const oldSize = frames.first[d] * 256 + (middle >>> 16);
    const newSize = (middle & 0xffff) * 65536 + payload;
    this.emit(kind, oldSize, newSize, sink);
  }

  private outOfSequence(frames: OpenFrames, stage: number, at: number): void {
    this.fail(
      'out-of-sequence',
      `${frames.letter}${stage} word without an open ${frames.name} sequence waiting for it ` +
        `(${frames.letter}${stage} continues the most recent open sequence, which must have received ${frames.letter}${stage - 1}).`,
      at,
    );
  }
}
