// Decoder for the newer Drone heap trace ("stream format", written by drone-core after 0.14): a sequence of
// records, each one header byte followed by little-endian u32 values:
//   0 alloc(size)   1 dealloc(size)   2 grow(old, new)   3 shrink(old, new)
// No alignment, no XOR. A record cut off at the end of the data is the normal end of a
// capture that was stopped; it is reported as a 'truncated' problem, not thrown.

import { BaseDecoder, type TraceDecoder } from './decoder';
import { type EventKind, type EventSink } from './events';
import { hex } from './formats';

/** Total bytes of a record with this header (header included), or 0 for an invalid header. */
export function streamRecordLength(header: number): number {
  return header <= 1 ? 5 : header <= 3 ? 9 : 0;
}

export class StreamDecoder extends BaseDecoder implements TraceDecoder {
  readonly format = 'stream' as const;
  /** The start of a record that straddles two chunks (at most 8 bytes). */
  private readonly carry = new Uint8Array(9);
  private carryLength = 0;

  push(chunk: Uint8Array, sink: EventSink): void {
    if (this.problem) return;
    let pos = 0;
    if (this.carryLength > 0) {
      pos = this.completeCarriedRecord(chunk, sink);
      if (this.carryLength > 0 || this.problem) {
        this.bytesPushed += chunk.length;
        this.flush(sink);
        return;
      }
    }
    pos = this.decodeRecords(chunk, pos, sink);
    if (!this.problem && pos < chunk.length) {
      this.carry.set(chunk.subarray(pos));
      this.carryLength = chunk.length - pos;
    }
    this.bytesPushed += chunk.length;
    this.flush(sink);
  }

  finish(sink: EventSink): void {
    if (!this.problem && this.carryLength > 0) {
      const length = streamRecordLength(this.carry[0]);
      this.fail(
        'truncated',
        `The trace ends inside a record: ${this.carryLength} of its ${length} bytes are present ` +
          '(a capture that was cut off). Every event before it was kept.',
        this.bytesPushed - this.carryLength,
      );
    }
    this.flush(sink);
  }

  /**
   * The hot loop: decodes whole records from `chunk[pos..]` straight into the batch arrays.
   * While at least 9 bytes remain, every record is read the same way whatever its kind
   * (header, u32 at +1, u32 at +5; the second value masked to 0 for alloc/dealloc) so the
   * loop has a single, predictable branch; DataView reads unaligned little-endian u32s in
   * one instruction. The last few records of a chunk take the careful path.
   * Returns where the first incomplete record starts.
   */
  private decodeRecords(chunk: Uint8Array, pos: number, sink: EventSink): number {
    const batch = this.batch;
    const { kinds, a, b, capacity } = batch;
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
    const end = chunk.length;
    let n = batch.length;
    for (;;) {
      // Fast path: a whole 9-byte window is available, and the batch has room for every
      // record that can start before fastEnd (records are at least 5 bytes long).
      const fastEnd = Math.min(end - 9, pos + 5 * (capacity - n - 1));
      while (pos <= fastEnd) {
        const header = chunk[pos];
        if (header > 3) break;
        kinds[n] = header;
        a[n] = view.getUint32(pos + 1, true);
        b[n] = view.getUint32(pos + 5, true) & -(header >>> 1); // 0 for alloc/dealloc
        pos += 5 + ((header & 2) << 1); // 5 or 9 bytes
        n++;
      }
      if (n === capacity) {
        batch.length = n;
        this.flush(sink);
        n = 0;
        continue;
      }
      // Careful path: near the end of the chunk, or an invalid header.
      if (pos >= end) break;
      const header = chunk[pos];
      const length = streamRecordLength(header);
      if (length === 0) {
        batch.length = n;
        this.failOnHeader(header, this.bytesPushed + pos);
        return pos;
      }
      if (pos + length > end) break;
      kinds[n] = header;
      a[n] = view.getUint32(pos + 1, true);
      b[n] = length === 9 ? view.getUint32(pos + 5, true) : 0;
      pos += length;
      if (++n === capacity) {
        batch.length = n;
        this.flush(sink);
        n = 0;
      }
    }
    batch.length = n;
    return pos;
  }

  /** Adds bytes of `chunk` to the carried partial record; decodes it once complete. */
  private completeCarriedRecord(chunk: Uint8Array, sink: EventSink): number {
    const carry = this.carry;
    const header = carry[0];
    const length = streamRecordLength(header);
    const take = Math.min(length - this.carryLength, chunk.length);
    carry.set(chunk.subarray(0, take), this.carryLength);
    this.carryLength += take;
    if (this.carryLength < length) return take;
    this.carryLength = 0;
    const first = readU32LE(carry, 1);
    if (header <= 1) this.emit(header, first, 0, sink);
    else this.emit(header as EventKind, first, readU32LE(carry, 5), sink);
    return take;
  }

  private failOnHeader(header: number, offset: number): void {
    this.fail(
      'unknown-frame',
      `Invalid record header byte ${hex(header)} (the stream format defines 0–3: alloc, dealloc, grow, shrink).`,
      offset,
    );
  }
}

function readU32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}
