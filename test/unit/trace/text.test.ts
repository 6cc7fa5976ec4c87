import * as assert from 'node:assert/strict';
import { MAX_TEXT_LINE } from '../../../server/src/core/trace/text';
import { randomEvents, toText } from '../../support/traceGen';
import { decodeInPieces } from '../../support/traceHelpers';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('plain-text trace decoder', () => {
  it('reads events, comments, blank lines, CRLF, hex, case and a last line without newline', () => {
    const text =
      '\ufeff# captured by hand\r\n\r\nalloc 16\r\n  FREE\t16   # trailing comment\nDealloc 0x10\ngrow 8 0x20\n\n   \nshrink 32 4';
    const result = decodeInPieces('text', Buffer.from(text, 'utf8'), [1 << 20]);
    assert.deepEqual(result, {
      events: [
        ['alloc', 16],
        ['free', 16],
        ['free', 16],
        ['grow', 8, 32],
        ['shrink', 32, 4],
      ],
      problem: null,
    });
  });

  it('gives the same events whatever the chunk boundaries (property)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const events = randomEvents(seed, 200);
      const data = bytes(toText(events));
      for (const pieces of [[1], [7, 2], [data.length]]) {
        assert.deepEqual(decodeInPieces('text', data, pieces), { events, problem: null }, `seed ${seed} pieces ${pieces}`);
      }
    }
  });

  const badLines: [string, RegExp][] = [
    ['allocate 16', /expected alloc, free, grow or shrink/],
    ['alloc', /expected 1 size/],
    ['grow 16', /expected 2 sizes/],
    ['alloc -4', /decimal or 0x-hex/],
    ['alloc 16 17', /unexpected text/],
    ['alloc 4294967296', /below 2\^32/],
    ['alloc 12abc', /decimal or 0x-hex/],
    ['alloc16', /expected alloc/],
    ['alloc 0x', /decimal or 0x-hex/],
    ['free 0x1G', /decimal or 0x-hex/],
  ];
  for (const [line, message] of badLines) {
    it(`reports "${line}" with its byte offset and event index, keeping earlier events`, () => {
      const text = `alloc 1\n# comment\nfree 1\n${line}\nalloc 2\n`;
      for (const pieces of [[1000], [1], [5]]) {
        const result = decodeInPieces('text', bytes(text), pieces);
        assert.deepEqual(result.events, [
          ['alloc', 1],
          ['free', 1],
        ]);
        assert.equal(result.problem?.kind, 'bad-line');
        assert.equal(result.problem?.byteOffset, 'alloc 1\n# comment\nfree 1\n'.length);
        assert.equal(result.problem?.eventIndex, 2);
        assert.match(result.problem!.message, message);
      }
    });
  }

  it('accepts 0xFFFFFFFF and rejects an endless line', () => {
    assert.deepEqual(decodeInPieces('text', bytes('alloc 0xFFFFFFFF\n'), [99]).events, [['alloc', 0xffffffff]]);
    const long = bytes('alloc 1\n' + '#'.repeat(MAX_TEXT_LINE + 10));
    const result = decodeInPieces('text', long, [1000]);
    assert.deepEqual([result.problem?.kind, result.problem?.byteOffset, result.events.length], ['bad-line', 8, 1]);
  });
});
