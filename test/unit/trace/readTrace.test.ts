import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventCollector } from '../../../server/src/core/trace/events';
import { LOSSY_014_WARNING } from '../../../server/src/core/trace/formats';
import { readTraceFile, TraceReader } from '../../../server/src/core/trace/readTrace';
import { corruptStream, encodeStream, encodeXor014, fromColumns, randomEvents, toText } from '../../support/traceGen';
import { decodeAll } from '../../support/traceHelpers';

describe('reading trace files', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'drone-heap-trace-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, data: Uint8Array | string) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    return path;
  };

  const events = randomEvents(42, 20_000, { maxSize: 255 });

  it('streams a file in chunks, reporting progress up to the file size', async () => {
    const bytes = encodeStream(events);
    const path = file('stream.bin', bytes);
    const progress: [number, number][] = [];
    const out = new EventCollector();
    const summary = await readTraceFile(path, out, { chunkBytes: 4096, onProgress: (read, total) => progress.push([read, total]) });
    assert.deepEqual(fromColumns(out), events);
    assert.equal(summary.format, 'stream');
    assert.equal(summary.events, events.length);
    assert.deepEqual(
      [summary.bytesRead, summary.totalBytes, summary.problem, summary.cancelled],
      [bytes.length, bytes.length, null, false],
    );
    assert.equal(progress.length, Math.ceil(bytes.length / 4096));
    assert.deepEqual(progress.at(-1), [bytes.length, bytes.length]);
    assert.ok(progress.every(([read], i) => i === 0 || read > progress[i - 1][0]));
    assert.deepEqual(summary.warnings, []);
  });

  it('warns whenever the 0.14 format is read', async () => {
    const summary = await readTraceFile(file('old.bin', encodeXor014(events)), new EventCollector(), { chunkBytes: 1000 });
    assert.equal(summary.format, 'xor-0.14');
    assert.deepEqual(summary.warnings, [LOSSY_014_WARNING]);
    assert.match(summary.warnings[0], /bits 8–23/);
  });

  it('reads text files and reports the first bad line', async () => {
    const path = file('trace.txt', '# my trace\n' + toText(events.slice(0, 50)) + 'oops\n' + toText(events.slice(50, 60)));
    const out = new EventCollector();
    const summary = await readTraceFile(path, out, { chunkBytes: 100 });
    assert.equal(summary.format, 'text');
    assert.deepEqual(fromColumns(out), events.slice(0, 50));
    assert.equal(summary.problem?.kind, 'bad-line');
    assert.equal(summary.problem?.eventIndex, 50);
  });

  it('keeps events before a corrupt record and stops reading there', async () => {
    const { bytes, byteOffset, kept } = corruptStream(events, 12_345, 'unknown-header');
    const out = new EventCollector();
    const summary = await readTraceFile(file('bad.bin', bytes), out, { chunkBytes: 4096 });
    assert.deepEqual(fromColumns(out), kept);
    assert.deepEqual({ ...summary.problem, message: '' }, { kind: 'unknown-frame', message: '', byteOffset, eventIndex: 12_345 });
    assert.ok(summary.bytesRead < bytes.length);
  });

  it('honours the forced format', async () => {
    const summary = await readTraceFile(file('forced.bin', encodeStream(events)), new EventCollector(), { format: 'xor-0.14' });
    assert.equal(summary.format, 'xor-0.14');
    assert.ok(summary.problem);
  });

  it('stops when cancelled, with the events read so far', async () => {
    const path = file('cancel.bin', encodeStream(events));
    const controller = new AbortController();
    const out = new EventCollector();
    const summary = await readTraceFile(path, out, {
      chunkBytes: 4096,
      onProgress: (read) => read >= 8192 && controller.abort(),
      signal: controller.signal,
    });
    assert.equal(summary.cancelled, true);
    assert.equal(summary.bytesRead, 8192);
    assert.ok(out.length > 0 && out.length < events.length);
    assert.deepEqual(fromColumns(out), events.slice(0, out.length));

    // Polled once before reading anything, then after every chunk.
    let polls = 0;
    const polled = await readTraceFile(path, new EventCollector(), { chunkBytes: 4096, isCancelled: () => ++polls === 3 });
    assert.deepEqual([polled.cancelled, polled.bytesRead], [true, 2 * 4096]);

    const before = await readTraceFile(path, new EventCollector(), { signal: AbortSignal.abort() });
    assert.deepEqual([before.cancelled, before.bytesRead, before.events], [true, 0, 0]);
  });

  it('handles an empty file and an unrecognised one without throwing', async () => {
    const empty = await readTraceFile(file('empty.bin', new Uint8Array(0)), new EventCollector());
    assert.deepEqual([empty.format, empty.events, empty.problem], [null, 0, null]);
    const junk = await readTraceFile(file('junk.bin', Uint8Array.from([0xee, 0xff, 0x10, 0x80, 0x99])), new EventCollector());
    assert.equal(junk.format, null);
    assert.equal(junk.problem?.kind, 'unrecognised-format');
  });

  it('rejects a missing file (an I/O error, not a trace problem)', async () => {
    await assert.rejects(readTraceFile(join(dir, 'missing.bin'), new EventCollector()), /ENOENT/);
  });
});

describe('TraceReader (incremental, e.g. a live capture)', () => {
  it('buffers the first bytes until it can detect the format, then decodes as bytes arrive', () => {
    const events = randomEvents(9, 3000, { maxSize: 255 });
    const bytes = encodeXor014(events);
    const out = new EventCollector();
    const reader = new TraceReader(out);
    for (let at = 0; at < bytes.length; at += 3) reader.feed(bytes.subarray(at, at + 3));
    assert.ok(out.length > 0, 'events arrive before the end');
    reader.end();
    assert.deepEqual(fromColumns(out), events);
    assert.equal(reader.summary().format, 'xor-0.14');
  });

  it('decides early on a conclusive sample (a live capture that trickles in)', () => {
    const bytes = encodeStream(randomEvents(4, 200, { maxSize: 255 }));
    const out = new EventCollector();
    const reader = new TraceReader(out);
    for (let at = 0; at < 400; at += 10) reader.feed(bytes.subarray(at, at + 10));
    assert.ok(out.length > 40, `${out.length} events after 400 bytes`);
    assert.equal(reader.summary().format, 'stream');
  });

  it('detects a short trace at the end', () => {
    const { events, summary } = decodeAll(
      encodeStream([
        ['alloc', 4],
        ['free', 4],
      ]),
    );
    assert.deepEqual(events, [
      ['alloc', 4],
      ['free', 4],
    ]);
    assert.equal(summary.format, 'stream');
  });
});
