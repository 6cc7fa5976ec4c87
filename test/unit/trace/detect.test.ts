import * as assert from 'node:assert/strict';
import { detectFormat } from '../../../server/src/core/trace/detect';
import { encodeStream, encodeXor014, eventWords, randomEvents, toText, wordsToBytes } from '../../support/traceGen';

describe('trace format detection', () => {
  const events = randomEvents(1, 200, { maxSize: 255 });

  it('recognises each format with high confidence', () => {
    assert.deepEqual([detectFormat(encodeXor014(events)).format, detectFormat(encodeXor014(events)).confidence], ['xor-0.14', 'high']);
    assert.deepEqual([detectFormat(encodeStream(events)).format, detectFormat(encodeStream(events)).confidence], ['stream', 'high']);
    const text = Buffer.from('# heap trace\n' + toText(events));
    assert.deepEqual([detectFormat(text).format, detectFormat(text).confidence], ['text', 'high']);
  });

  it('resolves a text file starting with "grow" (its first word also passes the 0.14 test)', () => {
    const text = Buffer.from('grow 16 32\nfree 32\n');
    const detection = detectFormat(text);
    assert.equal(detection.format, 'text');
    assert.match(detection.reason, /xor-0\.14/);
  });

  it('resolves a 0.14 capture that also passes the stream test', () => {
    // A capture that starts late, on a closing word A2 whose payload byte XOR 0x55 is 0..3:
    // its first byte is 0x00..0x03 like a stream record. The run of valid 0.14 headers
    // still tells them apart: the stream reading hits an invalid header within a few records.
    const bytes = wordsToBytes([(((0xa2 << 24) | 0x55) ^ 0xc5acce55) >>> 0, ...events.flatMap(eventWords)]);
    assert.equal(bytes[0], 0);
    const detection = detectFormat(bytes);
    assert.equal(detection.format, 'xor-0.14');
    assert.equal(detection.confidence, 'high');
  });

  it('says when nothing matches, and when the file is empty', () => {
    assert.deepEqual(detectFormat(Uint8Array.from([0x99, 1, 2, 3, 4])).format, null);
    assert.equal(detectFormat(Uint8Array.from([0x99, 1, 2, 3, 4])).confidence, 'low');
    assert.match(detectFormat(new Uint8Array(0)).reason, /empty/);
  });

  it('takes a damaged stream file for a stream file', () => {
    const bytes = Uint8Array.from([...encodeStream(events.slice(0, 3)), 9, 9, 9, 9]);
    const detection = detectFormat(bytes);
    assert.deepEqual([detection.format, detection.confidence], ['stream', 'medium']);
  });
});
