import * as assert from 'node:assert/strict';
import { EventCollector } from '../../../server/src/core/trace/events';
import { StreamDecoder } from '../../../server/src/core/trace/stream';
import { corruptStream, encodeStream, fromColumns, randomEvents, type Ev } from '../../support/traceGen';
import { decodeInPieces } from '../../support/traceHelpers';

describe('stream format decoder', () => {
  const sample: Ev[] = [
    ['alloc', 16],
    ['grow', 16, 300],
    ['shrink', 300, 0x12345678],
    ['free', 0x12345678],
    ['alloc', 0xffffffff],
  ];

  it('decodes every record kind with exact little-endian u32 sizes', () => {
    const bytes = encodeStream(sample);
    assert.equal(bytes.length, 5 + 9 + 9 + 5 + 5);
    assert.deepEqual(decodeInPieces('stream', bytes, [bytes.length]), { events: sample, problem: null });
  });

  it('decodes a hand-written record', () => {
    // 02 | 10 00 00 00 | 2C 01 00 00  = grow(16, 300)
    const decoder = new StreamDecoder();
    const out = new EventCollector();
    decoder.push(Uint8Array.from([2, 0x10, 0, 0, 0, 0x2c, 0x01, 0, 0]), out);
    decoder.finish(out);
    assert.deepEqual(fromColumns(out), [['grow', 16, 300]]);
  });

  it('gives the same events whatever the chunk boundaries', () => {
    const events = randomEvents(7, 500);
    const bytes = encodeStream(events);
    for (const pieces of [[1], [2, 3], [4], [5], [7, 1], [9], [64], [1000]]) {
      assert.deepEqual(decodeInPieces('stream', bytes, pieces), { events, problem: null }, `pieces ${pieces}`);
    }
  });

  it('round-trips random event lists exactly (property, 50 seeds)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const events = randomEvents(seed, 1 + ((seed * 37) % 400), { wellFormed: seed % 2 === 0 });
      const bytes = encodeStream(events);
      assert.deepEqual(decodeInPieces('stream', bytes, [1 + (seed % 13), 4096]), { events, problem: null }, `seed ${seed}`);
    }
  });

  it('fills several batches for a long trace, from small and from huge chunks', () => {
    // A batch holds 32768 events; 5-byte records let one chunk carry several batches.
    const events = randomEvents(3, 80_000);
    const bytes = encodeStream(events);
    // Re-encoding and comparing bytes is much faster than deepEqual on 80 000 tuples.
    for (const pieces of [[1 << 16], [bytes.length], [(1 << 15) * 5 + 3]]) {
      const result = decodeInPieces('stream', bytes, pieces);
      assert.equal(result.problem, null);
      assert.ok(Buffer.from(encodeStream(result.events)).equals(bytes), `pieces ${pieces}`);
    }
    const allocs = encodeStream(Array.from({ length: 80_000 }, (_, i): Ev => ['alloc', i]));
    assert.ok(Buffer.from(encodeStream(decodeInPieces('stream', allocs, [1 << 22]).events)).equals(allocs));
  });

  describe('corrupt data: never throws, reports offset and index, keeps prior events', () => {
    const events = randomEvents(11, 40);
    for (const keep of [0, 1, 17, 40]) {
      it(`unknown header byte after ${keep} events`, () => {
        const { bytes, byteOffset, kept } = corruptStream(events, keep, 'unknown-header');
        for (const pieces of [[bytes.length], [1], [3, 5]]) {
          const result = decodeInPieces('stream', bytes, pieces);
          assert.deepEqual(result.events, kept);
          assert.equal(result.problem?.kind, 'unknown-frame');
          assert.equal(result.problem?.byteOffset, byteOffset);
          assert.equal(result.problem?.eventIndex, keep);
          assert.match(result.problem!.message, /0x07/);
        }
      });
      it(`truncated final record after ${keep} events`, () => {
        const { bytes, byteOffset, kept } = corruptStream(events, keep, 'truncated-record');
        for (const pieces of [[bytes.length], [1], [4]]) {
          const result = decodeInPieces('stream', bytes, pieces);
          assert.deepEqual(result.events, kept);
          assert.equal(result.problem?.kind, 'truncated');
          assert.equal(result.problem?.byteOffset, byteOffset);
          assert.equal(result.problem?.eventIndex, keep);
        }
      });
    }

    it('ignores data pushed after the first problem', () => {
      const decoder = new StreamDecoder();
      const out = new EventCollector();
      decoder.push(Uint8Array.from([0, 1, 0, 0, 0, 9]), out);
      decoder.push(encodeStream([['alloc', 5]]), out);
      decoder.finish(out);
      assert.deepEqual(fromColumns(out), [['alloc', 1]]);
      assert.deepEqual(decoder.problem && { ...decoder.problem, message: '' }, {
        kind: 'unknown-frame',
        message: '',
        byteOffset: 5,
        eventIndex: 1,
      });
    });
  });
});
