// What the end-to-end harness (run.mjs) and the demo (demo.mjs) both need to run the extension
// in a real VS Code: the cached tools from setup.sh, child processes in their own process
// groups (stopped for sure), a free loopback port, a fresh profile with quiet settings,
// code-server itself, the workbench URL, and headless Chromium.
// Plain Node ESM on the system Node 20; code-server runs on the Node 24 that setup.sh caches.
// Background for every choice here: test/e2e/README.md (How it works).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(E2E, '..', '..');
/** gitignored: per-run profiles, workspace copies, logs (one sub-folder per user: host, ui, demo). */
export const RUN = join(ROOT, '.e2e-run');
/** gitignored: screenshots. */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
export const CACHE = process.env.DRONE_HEAP_E2E_CACHE || join(homedir(), '.cache', 'drone-heap-e2e');
/** The example project with a trace; the tests' `traced/` fixture and the demo are copies of it. */
export const SENSOR_LOGGER = join(ROOT, 'examples', 'sensor-logger');
/** The real Drone.toml files the tests share (see its README). */
export const CORPUS = join(ROOT, 'test', 'fixtures', 'corpus');

/** Bounds shared by both scripts (ms). Nothing waits a fixed time; these only cap waits. */
export const T = {
  package: 5 * 60_000,
  install: 2 * 60_000,
  serverListen: 60_000,
  stop: 10_000,
};

/** Rejects with a message naming the step when `promise` takes longer than `ms`. */
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** Every process started through `start` that has not exited yet: { proc, name, output }. */
const children = new Set();

/**
 * Starts a process in its own process group (so stopping it also stops what it forks: the
 * extension host and the language server) and remembers it for cleanup. Output goes to
 * `logFile`; the last 20 kB are kept in `child.output` for error messages.
 */
export function start(name, cmd, args, { env = {}, logFile, cwd = ROOT } = {}) {
  const proc = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = { proc, name, output: '' };
  children.add(child);
  const sink = logFile ? createWriteStream(logFile) : null;
  for (const stream of [proc.stdout, proc.stderr]) {
    stream.on('data', (d) => {
      sink?.write(d);
      child.output = (child.output + d).slice(-20_000);
    });
  }
  proc.on('exit', () => {
    children.delete(child);
    sink?.end();
  });
  return child;
}

/** SIGTERM to the whole group, SIGKILL if it has not exited within T.stop. */
export async function stop(child) {
  const { proc } = child;
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = once(proc, 'exit');
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, T.stop);
    await exited;
    clearTimeout(timer);
  }
  // Anything in the group that outlived its leader (e.g. a language server) goes too.
  try {
    process.kill(-proc.pid, 'SIGKILL');
  } catch {
    /* group empty */
  }
}

/** Closes Chromium and stops every process group still running. */
export async function stopAll() {
  await closeBrowser();
  await Promise.all([...children].map(stop));
}

// Last resort if something throws synchronously on the way out: no orphaned process groups.
process.on('exit', () => {
  for (const { proc } of children)
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
});

/** Runs a command to completion (output shown), failing on a non-zero exit or after `ms`. */
export async function runStep(what, cmd, args, ms, env = {}, cwd = undefined) {
  const child = start(what, cmd, args, { env, cwd });
  child.proc.stdout.pipe(process.stdout);
  child.proc.stderr.pipe(process.stderr);
  try {
    const [code, signal] = await within(ms, what, once(child.proc, 'exit'));
    if (code !== 0) throw new Error(`${what} failed (exit ${code ?? signal})`);
  } finally {
    await stop(child);
  }
}

// ---------------------------------------------------------------------------------------------
// Tools, port, profile

/** setup.sh's marker (where Node 24 and code-server are), or null when setup has not run. */
export function loadSetup() {
  const marker = join(CACHE, 'complete.json');
  return existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : null;
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** Settings for a fresh profile: nothing phones home, nothing pops up over the editor. */
export const SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 300,
};

/**
 * The test workspace: a copy of test/e2e/workspace (tests edit files), each real Drone.toml of
 * test/fixtures/corpus as `<project>/Drone.toml`, and `traced/` made from the example project's
 * Drone.toml and heaptrace, so that the corpus and the example stay the one source of each file.
 */
export function copyTestWorkspace(ws) {
  cpSync(join(E2E, 'workspace'), ws, { recursive: true });
  for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.Drone.toml'))) {
    const project = join(ws, file.slice(0, -'.Drone.toml'.length));
    mkdirSync(project, { recursive: true });
    cpSync(join(CORPUS, file), join(project, 'Drone.toml'));
  }
  // `optimized/` is a second copy for the optimisation suite, which rewrites its layout.
  for (const folder of ['traced', 'optimized']) {
    mkdirSync(join(ws, folder), { recursive: true });
    for (const file of ['Drone.toml', 'heaptrace']) cpSync(join(SENSOR_LOGGER, file), join(ws, folder, file));
  }
}

/**
 * User settings that open the workspace in Restricted Mode without any prompt or banner
 * (with startCodeServer's `workspaceTrust: true`), plus a user-level droneHeap.traces that
 * names a trace outside the workspace folder (see fillRestrictedWorkspace).
 */
export const RESTRICTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'droneHeap.traces': { dma: '../../outside.trace' },
};

/**
 * The Restricted Mode workspace: the test workspace plus test/e2e/restricted — `restricted/`
 * (a Drone.toml with an extra heap `dma`) and `.vscode/settings.json` (a workspace value of
 * droneHeap.traces that VS Code ignores while untrusted) — and beside `ws/`, outside the
 * workspace folder, the two traces those settings name from `restricted/`:
 * `../../outside.trace` (user settings) and `../../workspace-setting.trace` (workspace).
 */
export function fillRestrictedWorkspace(ws) {
  copyTestWorkspace(ws);
  const source = join(E2E, 'restricted');
  cpSync(join(source, 'restricted'), join(ws, 'restricted'), { recursive: true });
  cpSync(join(source, '.vscode'), join(ws, '.vscode'), { recursive: true });
  for (const trace of ['outside.trace', 'workspace-setting.trace']) cpSync(join(source, trace), join(ws, '..', trace));
}

/**
 * A fresh run directory `.e2e-run/NAME`: profile (user-data-dir with SETTINGS and `settings`),
 * extensions dir, code-server config, and a workspace `ws/` filled by `fillWorkspace(ws)`.
 */
export function prepareRunDir(name, fillWorkspace = copyTestWorkspace, settings = {}) {
  const dir = join(RUN, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'ud', 'User'), { recursive: true });
  mkdirSync(join(dir, 'exts'), { recursive: true });
  mkdirSync(join(dir, 'ws'), { recursive: true });
  writeFileSync(join(dir, 'ud', 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  writeFileSync(join(dir, 'config.yaml'), 'auth: none\ncert: false\n');
  fillWorkspace(join(dir, 'ws'));
  return { dir, ud: join(dir, 'ud'), exts: join(dir, 'exts'), ws: join(dir, 'ws') };
}

/**
 * Every code-server invocation (also --install-extension) uses the run's own config, profile and
 * extensions; without --config it writes ~/.config/code-server/config.yaml.
 */
export const profileArgs = (run) => ['--config', join(run.dir, 'config.yaml'), '--user-data-dir', run.ud, '--extensions-dir', run.exts];

/** code-server 4.139 needs Node 24: put setup.sh's Node first on PATH. */
export const withNode24 = (setup) => ({ PATH: `${setup.nodeBin}:${process.env.PATH}` });

/** Installs a .vsix into the run's profile (~2 s). */
export function installVsix(setup, run, vsix) {
  return runStep(
    'code-server --install-extension',
    setup.codeServer,
    ['--install-extension', vsix, '--force', ...profileArgs(run)],
    T.install,
    withNode24(setup),
  );
}

// ---------------------------------------------------------------------------------------------
// code-server and the workbench

/**
 * Starts code-server on 127.0.0.1 (`port`, or a free one) with the run's profile, opening
 * `folder` (default the run's workspace); resolves once it says it is listening.
 * Workspace trust is off (every folder trusted) unless `workspaceTrust` is true: then the
 * profile's settings decide (RESTRICTED_SETTINGS open the folder in Restricted Mode).
 * Returns { child, port, base }. Its log goes to RUN/NAME/code-server.log.
 */
export async function startCodeServer(setup, run, { port, folder = run.ws, extraArgs = [], env = {}, workspaceTrust = false } = {}) {
  port ??= await freePort();
  const args = [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...profileArgs(run),
    ...extraArgs,
    folder,
  ];
  const child = start('code-server', setup.codeServer, args, {
    env: { ...withNode24(setup), ...env },
    logFile: join(run.dir, 'code-server.log'),
  });
  await within(
    T.serverListen,
    'code-server to listen',
    new Promise((ok, fail) => {
      const onData = () => {
        if (child.output.includes('HTTP server listening on')) ok();
      };
      child.proc.stdout.on('data', onData);
      child.proc.stderr.on('data', onData);
      child.proc.once('exit', (code) => fail(new Error(`code-server exited (${code}) before listening:\n${child.output}`)));
    }),
  );
  return { child, port, base: `http://127.0.0.1:${port}` };
}

/** Workbench URL that opens `folder` and runs `payload` (VS Code's [["key","value"],…] list). */
export function workbenchUrl(base, folder, payload = []) {
  let url = `${base}/?folder=${encodeURIComponent(folder)}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** How the workbench served from 127.0.0.1:PORT names a file on the server. */
export const remoteUri = (port, absPath) => `vscode-remote://127.0.0.1:${port}${absPath}`;

// ---------------------------------------------------------------------------------------------
// Chromium

let browser = null;

/**
 * Headless Debian Chromium (one per process, launched on first use). `configDir` takes
 * Chromium's crash reports (it keeps them under $XDG_CONFIG_HOME/chromium) out of $HOME.
 */
export async function launchBrowser(configDir = join(RUN, 'chromium-config')) {
  if (!browser) {
    // Imported here, not at the top: demo.mjs loads this module before it has run `npm ci`.
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      env: { ...process.env, XDG_CONFIG_HOME: configDir },
      // Without the background-networking flags Chromium floods the closed network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }
  return browser;
}

export async function closeBrowser() {
  if (browser) {
    const closing = browser;
    browser = null;
    await within(T.stop, 'closing Chromium', closing.close()).catch(() => {});
  }
}
