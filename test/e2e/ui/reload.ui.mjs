// UI story: reloading the window must not leave errors behind. With traced/Drone.toml open, the
// window is reloaded twice (once with "Developer: Reload Window", once as a page reload); each
// time the extension comes back (the status bar item with the trace's events). Then the logs of
// the extension hosts of this story — the two that were shut down by a reload and the one
// running now — must hold no failed request of Drone Heap: VS Code asks for code actions and
// lenses while it shuts an extension host down, and those requests are to be dropped quietly
// (client/src/quietClient.ts).
//
// Where the logs are: code-server's --user-data-dir (ctx.userDataDir) has logs/<session>/, and in
// it one exthostN/ per window's extension host, numbered in start order: remoteexthost.log (VS
// Code's own lines, incl. `[drone-heap.drone-heap] provider FAILED`) and
// drone-heap.drone-heap/Drone Heap.log (the extension's LogOutputChannel, where the language
// client logs `Request textDocument/codeAction failed.`). Other UI files' windows have their own
// exthostN/ folders; only those that appear during this story are read.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WAIT, openFile, runCommand } from './lib.mjs';

const FILE = (ctx) => join(ctx.workspace, 'traced', 'Drone.toml');
const RELOADS = 2;
/** What the failed requests of a stopping client left in the logs before the fix. */
const FAILED = /Request \S+ failed|Starting server failed|Client is not running|\[drone-heap\.drone-heap\] provider FAILED/;

/** Every exthostN/ folder of every code-server session in the profile (absolute paths). */
function extensionHostDirs(userDataDir) {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return [];
  return readdirSync(logs).flatMap((session) => {
    const dir = join(logs, session);
    try {
      return readdirSync(dir)
        .filter((f) => /^exthost\d+$/.test(f))
        .map((f) => join(dir, f));
    } catch {
      return []; // a file, not a session folder
    }
  });
}

const read = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
/** The log files of one extension host that this test reads: VS Code's and Drone Heap's. */
const logFiles = (dir) => {
  const own = join(dir, 'drone-heap.drone-heap');
  return [join(dir, 'remoteexthost.log'), ...(existsSync(own) ? readdirSync(own).map((f) => join(own, f)) : [])];
};
/**
 * A host has ended when it says so, or when its process is gone: a host whose window went
 * away with page.reload() is sometimes ended before it writes its last line.
 */
const exited = (dir) => {
  const log = read(join(dir, 'remoteexthost.log'));
  if (/Extension host with pid \d+ exiting/.test(log)) return true;
  const pid = Number(/Extension host with pid (\d+) started/.exec(log)?.[1]);
  if (!pid) return false;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
};

/** Polls `condition` (a file on disk has no event to wait on) until it returns truthy, bounded. */
async function until(what, condition, timeout = WAIT.ui) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The status bar item once the replay is in: the language server of this window is up. */
const extensionBack = (page) =>
  page
    .locator('.statusbar .statusbar-item', { hasText: /heaptrace.*\d+ events/ })
    .first()
    .waitFor({ timeout: WAIT.server });

/** Extension host folders that existed before this story (other UI files' windows). */
let before = new Set();
/** This story's extension hosts. */
const ours = (ctx) => extensionHostDirs(ctx.userDataDir).filter((d) => !before.has(d));

/** @type {{ name: string, timeout?: number, run: (ctx: any) => Promise<void> }[]} */
export const tests = [
  {
    name: 'opens traced/Drone.toml and the trace is replayed',
    run: async (ctx) => {
      await openFile(ctx, FILE(ctx), '[heap.main]');
      await extensionBack(ctx.page);
      // This window's extension host is the newest folder; the others belong to earlier
      // windows. (Taking the folders before the window's host has written its own would
      // count it or not depending on timing.)
      const dirs = extensionHostDirs(ctx.userDataDir);
      const current = dirs.reduce((a, b) => (statSync(b).birthtimeMs > statSync(a).birthtimeMs ? b : a));
      before = new Set(dirs.filter((d) => d !== current));
    },
  },
  {
    name: 'Developer: Reload Window; the extension comes back',
    run: async (ctx) => {
      const { page } = ctx;
      const reloaded = page.waitForEvent('load', { timeout: WAIT.workbench });
      await runCommand(page, 'Developer: Reload Window');
      await reloaded;
      await page.locator('.monaco-workbench').waitFor({ timeout: WAIT.workbench });
      await extensionBack(page);
    },
  },
  {
    name: 'page reload; the extension comes back',
    run: async ({ page }) => {
      await page.reload({ timeout: WAIT.workbench });
      await page.locator('.monaco-workbench').waitFor({ timeout: WAIT.workbench });
      await extensionBack(page);
    },
  },
  {
    name: 'no failed request of Drone Heap in the extension host logs of the reloads',
    run: async (ctx) => {
      // The hosts a reload shut down write their last lines while they exit: wait until both
      // have said so (the third, the current window's, is still running).
      await until(
        `${RELOADS} of this story's extension hosts to exit (${ctx.userDataDir}/logs/*/exthost*/remoteexthost.log)`,
        () => ours(ctx).filter(exited).length >= RELOADS,
      );
      const hosts = ours(ctx);
      const found = [];
      for (const dir of hosts) {
        for (const file of logFiles(dir)) {
          read(file)
            .split('\n')
            .forEach((line, i) => {
              if (FAILED.test(line)) found.push(`${file}:${i + 1}: ${line}`);
            });
        }
      }
      ctx.log(
        `read the logs of ${hosts.length} extension hosts (${hosts.filter(exited).length} exited): ${hosts.map((d) => d.split('/').slice(-2).join('/')).join(', ')}`,
      );
      if (hosts.length < RELOADS + 1)
        throw new Error(`expected ${RELOADS + 1} extension hosts for ${RELOADS} reloads, found ${hosts.length}`);
      if (found.length) throw new Error(`${found.length} failed-request lines in the logs:\n${found.join('\n')}`);
    },
  },
];
