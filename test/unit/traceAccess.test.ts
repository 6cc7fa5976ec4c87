// The Restricted Mode rule for trace paths: a path is read only when its real path lies in a
// workspace folder. The path rule itself (POSIX and Windows spellings), then real paths
// (symlinks out, linked folders, files that do not exist yet) and the access decision.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInsideFolder, realPathOf, TraceAccess } from '../../server/src/trace/traceAccess';

describe('trace access in Restricted Mode', () => {
  describe('isInsideFolder (the path text alone)', () => {
    it('POSIX: inside, the folder itself, siblings with a common prefix, .. segments', () => {
      const inside = (p: string) => isInsideFolder(p, '/home/u/ws', 'posix');
      assert.equal(inside('/home/u/ws/heaptrace'), true);
      assert.equal(inside('/home/u/ws/traces/dma.trace'), true);
      assert.equal(inside('/home/u/ws'), true);
      assert.equal(inside('/home/u/ws/'), true);
      assert.equal(inside('/home/u/ws-other/heaptrace'), false, 'a common prefix is not a parent');
      assert.equal(inside('/home/u/wsx'), false);
      assert.equal(inside('/home/u/outside.trace'), false);
      assert.equal(inside('/home/u/ws/../outside.trace'), false);
      assert.equal(inside('/home/u/ws/a/../../outside.trace'), false);
      assert.equal(inside('/home/u/ws/a/../b/t.trace'), true);
      assert.equal(inside('/home/u/ws/..hidden/t.trace'), true, 'a name that starts with two dots is not ..');
      assert.equal(inside('/etc/passwd'), false);
      assert.equal(isInsideFolder('/home/u/ws/x', '/home/u/ws/../ws', 'posix'), true, 'the folder is normalised too');
      assert.equal(isInsideFolder('/anything', '/', 'posix'), true);
    });

    it('POSIX compares case-sensitively', () => {
      assert.equal(isInsideFolder('/home/u/WS/heaptrace', '/home/u/ws', 'posix'), false);
    });

    it('Windows: case-insensitive, either slash, other drives and UNC shares outside, \\\\?\\ prefix ignored', () => {
      const inside = (p: string) => isInsideFolder(p, 'C:\\Users\\u\\ws', 'win32');
      assert.equal(inside('C:\\Users\\u\\ws\\heaptrace'), true);
      assert.equal(inside('c:\\users\\U\\WS\\traces\\dma.trace'), true);
      assert.equal(inside('C:/Users/u/ws/heaptrace'), true);
      assert.equal(inside('C:\\Users\\u\\ws'), true);
      assert.equal(inside('C:\\Users\\u\\ws-other\\heaptrace'), false);
      assert.equal(inside('C:\\Users\\u\\ws\\..\\outside.trace'), false);
      assert.equal(inside('C:\\Users\\u\\ws\\a\\..\\b.trace'), true);
      assert.equal(inside('D:\\Users\\u\\ws\\heaptrace'), false, 'another drive');
      assert.equal(inside('\\\\server\\share\\ws\\heaptrace'), false, 'a UNC share');
      assert.equal(inside('\\\\?\\C:\\Users\\u\\ws\\heaptrace'), true);
      assert.equal(isInsideFolder('\\\\server\\share\\ws\\t', '\\\\server\\share\\ws', 'win32'), true);
    });
  });

  describe('real paths and the decision', () => {
    let root: string;
    let ws: string;
    let elsewhere: string;

    beforeEach(() => {
      root = realpathSync(mkdtempSync(join(tmpdir(), 'drone-heap-access-')));
      ws = join(root, 'ws');
      elsewhere = join(root, 'elsewhere');
      mkdirSync(ws);
      mkdirSync(elsewhere);
      writeFileSync(join(elsewhere, 'secret.trace'), 'alloc 8\n');
      writeFileSync(join(ws, 'own.trace'), 'alloc 8\n');
    });

    it('realPathOf follows a symlinked file, a symlinked folder, and a missing file under a symlinked folder', () => {
      symlinkSync(join(elsewhere, 'secret.trace'), join(ws, 'heaptrace'));
      symlinkSync(elsewhere, join(ws, 'traces'));
      assert.equal(realPathOf(join(ws, 'heaptrace')), join(elsewhere, 'secret.trace'));
      assert.equal(realPathOf(join(ws, 'traces', 'secret.trace')), join(elsewhere, 'secret.trace'));
      assert.equal(realPathOf(join(ws, 'traces', 'not-yet', 'dma.trace')), join(elsewhere, 'not-yet', 'dma.trace'));
      assert.equal(realPathOf(join(ws, 'not-yet.trace')), join(ws, 'not-yet.trace'));
    });

    it('untrusted: reads files whose real path is inside a workspace folder, nothing else', () => {
      symlinkSync(join(elsewhere, 'secret.trace'), join(ws, 'heaptrace'));
      symlinkSync(elsewhere, join(ws, 'traces'));
      symlinkSync(join(ws, 'own.trace'), join(ws, 'alias.trace'));
      const access = new TraceAccess(false, [ws]);
      assert.deepEqual(access.check(join(ws, 'own.trace')), { allowed: true });
      assert.deepEqual(access.check(join(ws, 'alias.trace')), { allowed: true }, 'a link that stays inside');
      assert.deepEqual(access.check(join(ws, 'missing.trace')), { allowed: true }, 'a capture not written yet');
      assert.deepEqual(access.check(join(ws, 'heaptrace')), { allowed: false, realPath: join(elsewhere, 'secret.trace') });
      assert.deepEqual(access.check(join(ws, 'traces', 'secret.trace')), { allowed: false, realPath: join(elsewhere, 'secret.trace') });
      assert.deepEqual(access.check(join(ws, 'traces', 'later.trace')), { allowed: false, realPath: join(elsewhere, 'later.trace') });
      assert.deepEqual(access.check(join(ws, '..', 'elsewhere', 'secret.trace')), {
        allowed: false,
        realPath: join(elsewhere, 'secret.trace'),
      });
      assert.equal(new TraceAccess(false, []).check(join(ws, 'own.trace')).allowed, false, 'no workspace folder: nothing is inside');
      assert.equal(new TraceAccess(false, [ws, elsewhere]).check(join(ws, 'heaptrace')).allowed, true, 'inside another workspace folder');
    });

    it('a workspace folder opened through a symlink still contains its own files', () => {
      symlinkSync(ws, join(root, 'ws-link'));
      const access = new TraceAccess(false, [join(root, 'ws-link')]);
      assert.equal(access.check(join(root, 'ws-link', 'own.trace')).allowed, true);
      assert.equal(access.check(join(ws, 'own.trace')).allowed, true);
      assert.equal(access.check(join(elsewhere, 'secret.trace')).allowed, false);
    });

    it('trusted (the default for clients that say nothing): everything is read', () => {
      assert.deepEqual(new TraceAccess().check(join(elsewhere, 'secret.trace')), { allowed: true });
      const access = new TraceAccess(false, [ws]);
      access.setTrusted(true);
      assert.deepEqual(access.check(join(elsewhere, 'secret.trace')), { allowed: true });
    });
  });
});
