// Only regular files are traces: devices, FIFOs, sockets and directories are refused at once
// (no endless decoding of /dev/zero, no open() that blocks on a FIFO), and a growing file is
// read up to the size it had when the read started.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotARegularFileError, readRegularFileSync } from '../../../server/src/core/regularFile';
import { EventCollector, type EventSink } from '../../../server/src/core/trace/events';
import { readTraceFile } from '../../../server/src/core/trace/readTrace';
import { encodeStream, fromColumns, randomEvents } from '../../support/traceGen';

describe('regular files only', () => {
  let dir: string;
  let socketServer: Server;
  const paths: Record<string, [string, string]> = {};
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'drone-heap-regular-'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    mkdirSync(join(dir, 'folder'));
    socketServer = createServer();
    await new Promise<void>((resolve) => socketServer.listen(join(dir, 'socket'), resolve));
    Object.assign(paths, {
      'a device': ['/dev/zero', 'a character device'],
      'a FIFO': [join(dir, 'fifo'), 'a FIFO (named pipe)'],
      'a directory': [join(dir, 'folder'), 'a directory'],
      'a socket': [join(dir, 'socket'), 'a socket'],
    });
  });
  after(() => {
    socketServer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const name of ['a device', 'a FIFO', 'a directory', 'a socket']) {
    it(`refuses ${name} as a trace, saying what it is`, async () => {
      const [path, kind] = paths[name];
      await assert.rejects(readTraceFile(path, new EventCollector()), (error: unknown) => {
        assert.ok(error instanceof NotARegularFileError);
        assert.equal(error.kind, kind);
        assert.equal(error.message, `${path} is ${kind}, not a regular file`);
        return true;
      });
    });

    it(`refuses ${name} as a Drone.toml`, () => {
      const [path, kind] = paths[name];
      assert.throws(
        () => readRegularFileSync(path),
        (error: unknown) => error instanceof NotARegularFileError && error.kind === kind,
      );
    });
  }

  it('reads a regular file as text, and a missing one fails with ENOENT', () => {
    writeFileSync(join(dir, 'Drone.toml'), '[heap.main]\n');
    assert.equal(readRegularFileSync(join(dir, 'Drone.toml')), '[heap.main]\n');
    assert.throws(() => readRegularFileSync(join(dir, 'missing')), { code: 'ENOENT' });
  });

  it('reads a capture that grows while it is read only up to its size at the start', async () => {
    const first = randomEvents(7, 5_000, { maxSize: 255 });
    const bytes = encodeStream(first);
    const path = join(dir, 'growing.bin');
    writeFileSync(path, bytes);
    const collector = new EventCollector();
    let grown = false;
    // The capture goes on while the first chunk is decoded: whole records are appended.
    const sink: EventSink = {
      consume(batch) {
        if (!grown) {
          grown = true;
          appendFileSync(path, encodeStream(randomEvents(8, 5_000, { maxSize: 255 })).subarray(1));
        }
        collector.consume(batch);
      },
    };
    const summary = await readTraceFile(path, sink, { chunkBytes: 1024 });
    assert.ok(grown, 'the file grew during the read');
    assert.equal(summary.totalBytes, bytes.length);
    assert.equal(summary.bytesRead, bytes.length);
    assert.equal(summary.events, first.length);
    assert.deepEqual(fromColumns(collector), first);
  });
});
