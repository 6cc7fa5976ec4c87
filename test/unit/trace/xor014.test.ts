import * as assert from 'node:assert/strict';
import { EventCollector } from '../../../server/src/core/trace/events';
import { Xor014Decoder, MAX_OPEN_FRAMES } from '../../../server/src/core/trace/xor014';
import {
  corruptXor014,
  decoded014,
  encodeXor014,
  eventWords,
  fromColumns,
  interleavedXor014,
  lossy014,
  randomEvents,
  wordsToBytes,
  xorWord,
  type Ev,
  type Xor014Corruption,
} from '../../support/traceGen';
import { decodeInPieces } from '../../support/traceHelpers';

describe('drone-core 0.14 decoder (XOR-framed ITM words)', () => {
  it('decodes a hand-assembled alloc: A1 0x000000, A2 0x000010 → alloc(16)', () => {
    // Un-XORed words A1000000 and A2000010; XOR with C5ACCE55 gives 64ACCE55 and 67ACCE45,
    // stored little-endian.
    const bytes = Uint8Array.from([0x55, 0xce, 0xac, 0x64, 0x45, 0xce, 0xac, 0x67]);
    assert.deepEqual(decodeInPieces('xor-0.14', bytes, [8]), { events: [['alloc', 16]], problem: null });
  });

  it('loses bits 8–23 of sizes like the real encoder: 300 → 44', () => {
    // 300 = 0x12C: the encoder writes 300 >> 24 = 0 and 300 & 0xFF = 0x2C = 44.
    assert.equal(lossy014(300), 44);
    // 0x01020304: (0x01 << 8) | 0x04 = 260.
    assert.equal(lossy014(0x01020304), 260);
    const bytes = encodeXor014([
      ['alloc', 300],
      ['free', 300],
      ['alloc', 0x01020304],
    ]);
    assert.deepEqual(decodeInPieces('xor-0.14', bytes, [bytes.length]).events, [
      ['alloc', 44],
      ['free', 44],
      ['alloc', 260],
    ]);
  });

  it('decodes grow/shrink: old size lossy, new size exact', () => {
    // grow(300, 0x00ABCDEF): B1 0, B2 (0x2C << 16) | 0x00AB, B3 0xCDEF → old 44, new 0xABCDEF.
    const bytes = encodeXor014([
      ['grow', 300, 0xabcdef],
      ['shrink', 0x01000005, 7],
    ]);
    assert.deepEqual(decodeInPieces('xor-0.14', bytes, [bytes.length]).events, [
      ['grow', 44, 0xabcdef],
      ['shrink', 0x105, 7],
    ]);
  });

  it('decodes sizes < 256 exactly, whatever the chunk boundaries', () => {
    const events = randomEvents(5, 300, { maxSize: 255 });
    const bytes = encodeXor014(events);
    for (const pieces of [[1], [2], [3], [4], [5, 7], [bytes.length]]) {
      assert.deepEqual(decodeInPieces('xor-0.14', bytes, pieces), { events, problem: null }, `pieces ${pieces}`);
    }
  });

  it('decodes any u32 size as the lossy formula says (property)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const events = randomEvents(seed, 200);
      assert.deepEqual(decodeInPieces('xor-0.14', encodeXor014(events), [4093]), { events: events.map(decoded014), problem: null });
    }
  });

  describe('interleaved frame sequences', () => {
    it('closes the most recent open sequence: an alloc inside an alloc', () => {
      // A1(outer) [A1 A2 (inner 20)] A2(outer 100): the inner alloc closes first.
      const [o1, o2] = eventWords(['alloc', 100]);
      const [i1, i2] = eventWords(['alloc', 20]);
      const bytes = wordsToBytes([o1, i1, i2, o2]);
      assert.deepEqual(decodeInPieces('xor-0.14', bytes, [bytes.length]).events, [
        ['alloc', 20],
        ['alloc', 100],
      ]);
    });

    it('keeps kinds apart: a dealloc and a grow inside a grow', () => {
      const [g1, g2, g3] = eventWords(['grow', 8, 40]);
      const [d1, d2] = eventWords(['free', 12]);
      const [h1, h2, h3] = eventWords(['grow', 16, 24]);
      const bytes = wordsToBytes([g1, d1, g2, h1, h2, d2, h3, g3]);
      assert.deepEqual(decodeInPieces('xor-0.14', bytes, [bytes.length]).events, [
        ['free', 12],
        ['grow', 16, 24],
        ['grow', 8, 40],
      ]);
    });

    it('decodes random nestings in closing order (property, 30 seeds)', () => {
      for (let seed = 1; seed <= 30; seed++) {
        const events = randomEvents(seed, 150, { maxSize: 255 });
        const { words, decodedOrder } = interleavedXor014(events, seed, 0.4);
        const bytes = wordsToBytes(words);
        assert.deepEqual(decodeInPieces('xor-0.14', bytes, [3, 8, 1]), { events: decodedOrder, problem: null }, `seed ${seed}`);
      }
    });
  });

  describe('corrupt data: never throws, reports offset and index, keeps prior events', () => {
    const events: Ev[] = randomEvents(21, 30, { maxSize: 255 });
    const cases: { how: Xor014Corruption; kind: string }[] = [
      { how: 'unknown-header', kind: 'unknown-frame' },
      { how: 'closing-without-opening', kind: 'out-of-sequence' },
      { how: 'non-zero-padding', kind: 'non-zero-padding' },
      { how: 'truncated-word', kind: 'truncated' },
      { how: 'truncated-sequence', kind: 'truncated' },
    ];
    for (const { how, kind } of cases) {
      for (const keep of [0, 13, 30]) {
        it(`${how} after ${keep} events → ${kind}`, () => {
          const { bytes, byteOffset, kept } = corruptXor014(events, keep, how);
          for (const pieces of [[bytes.length], [1], [6]]) {
            const result = decodeInPieces('xor-0.14', bytes, pieces);
            assert.deepEqual(result.events, kept);
            assert.equal(result.problem?.kind, kind);
            assert.equal(result.problem?.byteOffset, byteOffset);
            assert.equal(result.problem?.eventIndex, keep);
          }
        });
      }
    }

    it('rejects a middle word out of order (B3 before B2) and a B2 after B2', () => {
      const b1 = xorWord(0xb1, 0);
      const b2 = xorWord(0xb2, 0x100020);
      const b3 = xorWord(0xb3, 0x40);
      let result = decodeInPieces('xor-0.14', wordsToBytes([b1, b3]), [8]);
      assert.deepEqual([result.problem?.kind, result.problem?.byteOffset], ['out-of-sequence', 4]);
      result = decodeInPieces('xor-0.14', wordsToBytes([b1, b2, b2]), [12]);
      assert.deepEqual([result.problem?.kind, result.problem?.byteOffset], ['out-of-sequence', 8]);
      result = decodeInPieces('xor-0.14', wordsToBytes([b1, b2, xorWord(0xb3, 0x010040)]), [12]);
      assert.deepEqual([result.problem?.kind, result.problem?.byteOffset], ['non-zero-padding', 8]);
    });

    it('reports the earliest unfinished sequence when several are open at the end', () => {
      const words = [...eventWords(['alloc', 1]), xorWord(0xd1, 0), xorWord(0xa1, 0), ...eventWords(['alloc', 2])];
      const result = decodeInPieces('xor-0.14', wordsToBytes(words), [64]);
      assert.deepEqual(result.events, [
        ['alloc', 1],
        ['alloc', 2],
      ]);
      assert.equal(result.problem?.kind, 'truncated');
      assert.equal(result.problem?.byteOffset, 8);
      assert.equal(result.problem?.eventIndex, 2);
    });

    it('bounds the number of open sequences', () => {
      const words = Array.from({ length: MAX_OPEN_FRAMES + 1 }, () => xorWord(0xa1, 0));
      const result = decodeInPieces('xor-0.14', wordsToBytes(words), [4096]);
      assert.equal(result.problem?.kind, 'too-many-open-frames');
      assert.equal(result.problem?.byteOffset, MAX_OPEN_FRAMES * 4);
    });

    it('stops at the first problem even with more data after it', () => {
      const decoder = new Xor014Decoder();
      const out = new EventCollector();
      decoder.push(wordsToBytes([...eventWords(['alloc', 3]), xorWord(0x00, 0)]), out);
      decoder.push(encodeXor014([['alloc', 4]]), out);
      decoder.finish(out);
      assert.deepEqual(fromColumns(out), [['alloc', 3]]);
      assert.equal(decoder.problem?.byteOffset, 8);
      assert.match(decoder.problem!.message, /Unknown frame header 0x00/);
    });
  });
});
