// Trace names in messages, lenses and hovers, for POSIX and Windows paths alike: the server
// may run on Windows, and settings may hold Windows paths whatever the OS of the test.
import { strict as assert } from 'node:assert';
import { traceFileName, traceNameIn } from '../../../server/src/core/trace/traceName';

describe('trace names', () => {
  const fileNames: [string, string][] = [
    ['/home/dev/blink/heaptrace', 'heaptrace'],
    ['/home/dev/blink/captures/boot.trace', 'boot.trace'],
    ['C:\\Users\\dev\\blink\\heaptrace', 'heaptrace'],
    ['C:/Users/dev/blink/captures/boot.trace', 'boot.trace'],
    ['\\\\server\\share\\blink\\burst.trace', 'burst.trace'],
    ['heaptrace', 'heaptrace'],
  ];
  for (const [path, name] of fileNames) {
    it(`the file name of ${path} is ${name}`, () => assert.equal(traceFileName(path), name));
  }

  const inFolder: [string | undefined, string, string][] = [
    ['/home/dev/blink', '/home/dev/blink/heaptrace', 'heaptrace'],
    ['/home/dev/blink', '/home/dev/blink/captures/boot.trace', 'captures/boot.trace'],
    ['/home/dev/blink', '/home/dev/blinky/heaptrace', '/home/dev/blinky/heaptrace'],
    ['/home/dev/blink', '/tmp/other.trace', '/tmp/other.trace'],
    ['C:\\Users\\dev\\blink', 'C:\\Users\\dev\\blink\\heaptrace', 'heaptrace'],
    ['C:\\Users\\dev\\blink', 'C:\\Users\\dev\\blink\\captures\\boot.trace', 'captures\\boot.trace'],
    ['C:\\Users\\dev\\blink', 'D:\\captures\\boot.trace', 'D:\\captures\\boot.trace'],
    [undefined, '/tmp/other.trace', '/tmp/other.trace'],
  ];
  for (const [folder, path, name] of inFolder) {
    it(`${path} seen from ${folder ?? 'no folder'} is ${name}`, () => assert.equal(traceNameIn(folder, path), name));
  }
});
