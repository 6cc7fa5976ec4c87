#!/usr/bin/env node
// End-to-end harness: runs the extension inside a real VS Code (code-server from npm, driven by
// Debian's Chromium through playwright-core). Plain Node ESM; runs on the system Node 20.
// code-server itself runs on the Node 24 that test/e2e/setup.sh caches (see
// test/e2e/README.md, How it works, for why and how each step works).
//
//   npm run e2e:setup        once per machine (idempotent)
//   npm run test:e2e         = node esbuild.mjs && node test/e2e/run.mjs
//
// Options:
//   --no-package         reuse the existing drone-heap.vsix instead of running `npm run package`
//   --only host|ui       run only the in-host mocha suites or only the UI tests
//   --inject-failure     add one deliberately failing test to each phase (harness self-test)
//   --ui-file TEXT       run only the UI test files whose name contains TEXT
//   --extension-dir DIR  extension to develop/test in-host (default: the repo root)
//   --vsix FILE          .vsix to install for the UI tests (default: drone-heap.vsix)
//
// Phases:
//   1. package      `npm run package` → drone-heap.vsix (skipped with --no-package)
//   2. host         code-server with the smoke-test driver; the workbench loads the repo as
//                   extensionDevelopmentPath and runs out/test/e2e/suite/index.js in the real
//                   extension host. The exit code comes only from window.codeAutomationExit;
//                   per-test results come from a JSON file the suite writes ($DRONE_HEAP_E2E_RESULT).
//      host-restricted  the same with workspace trust on: the folder opens in Restricted Mode and
//                   only suite/restricted.host.ts runs ($DRONE_HEAP_E2E_PHASE tells the suite index).
//   3. ui           the .vsix is installed into a fresh code-server; each test/e2e/ui/*.ui.mjs
//                   drives the workbench with Playwright; screenshots go to test-artifacts/e2e/.
//                   UI files that export `restricted = true` run in a second code-server whose
//                   workspace opens in Restricted Mode (as host-restricted).
// Every process started here is stopped at the end, on failure, on timeout and on SIGINT/SIGTERM.
// The last line is `N passed, N failed`; the exit status is 0 only when nothing failed.
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ARTIFACTS,
  E2E,
  RESTRICTED_SETTINGS,
  ROOT,
  T as SHARED_T,
  copyTestWorkspace,
  fillRestrictedWorkspace,
  installVsix,
  launchBrowser,
  loadSetup,
  prepareRunDir,
  remoteUri,
  runStep,
  startCodeServer,
  stop,
  stopAll,
  within,
  workbenchUrl,
} from './lib/codeServer.mjs';

// Generous bounds for each awaited step. Nothing waits a fixed time; these only cap waits.
const T = {
  ...SHARED_T, // package, install, serverListen, stop
  hostSuites: 10 * 60_000,
  uiTest: 3 * 60_000,
};

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const KNOWN = ['--no-package', '--only', '--inject-failure', '--ui-file', '--extension-dir', '--vsix'];
for (const a of argv) if (a.startsWith('--') && !KNOWN.includes(a)) fatal(`unknown option ${a}; known: ${KNOWN.join(' ')}`);
const opts = {
  package: !flag('--no-package'),
  only: option('--only', null),
  injectFailure: flag('--inject-failure'),
  uiFile: option('--ui-file', null),
  extensionDir: resolve(option('--extension-dir', ROOT)),
  vsix: resolve(option('--vsix', join(ROOT, 'drone-heap.vsix'))),
};
if (opts.only && !['host', 'ui'].includes(opts.only)) fatal(`--only must be host or ui, not ${opts.only}`);

// ---------------------------------------------------------------------------------------------
// Bookkeeping: results, timing (lib/codeServer.mjs keeps the processes to stop)

/** @type {{ phase: string, title: string, ok: boolean, error?: string }[]} */
const results = [];
let interrupted = false; // after SIGINT/SIGTERM, failures are just the fallout of stopping
const record = (phase, title, ok, error) => {
  if (interrupted) return;
  results.push({ phase, title, ok, error });
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} [${phase}] ${title}${ok ? '' : `\n        ${String(error).split('\n').join('\n        ')}`}`);
};

const started = Date.now();
const secs = (since) => ((Date.now() - since) / 1000).toFixed(1);
const log = (msg) => console.log(`[e2e ${secs(started).padStart(6)}s] ${msg}`);

function fatal(msg) {
  console.error(`[e2e] ${msg}`);
  process.exit(2);
}

// Ctrl+C or a CI cancel: stop everything we started (lib/codeServer.mjs keeps the list), then exit.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    console.error(`\n[e2e] ${sig}: stopping code-server and Chromium`);
    stopAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}

// ---------------------------------------------------------------------------------------------
// Phase: in-host mocha suites

/**
 * The in-host runs: `host` in a trusted workspace (code-server's --disable-workspace-trust) with
 * every suite but restricted.host.ts; `host-restricted` with workspace trust on, the folder
 * opened in Restricted Mode (no prompt), and only restricted.host.ts (the suite index picks its
 * suites by DRONE_HEAP_E2E_PHASE).
 */
const HOST_PHASES = [
  // With the test-only gdb-debugger extension installed: the debugger type of the device suite's
  // debug session (cdt-gdb-adapter against QEMU).
  { name: 'host', fill: copyTestWorkspace, settings: {}, workspaceTrust: false, gdbDebugger: true },
  { name: 'host-restricted', fill: fillRestrictedWorkspace, settings: RESTRICTED_SETTINGS, workspaceTrust: true },
];

async function runHostSuites(setup, phase) {
  const phaseStart = Date.now();
  const suite = join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js');
  const main = JSON.parse(readFileSync(join(opts.extensionDir, 'package.json'), 'utf8')).main;
  for (const [file, hint] of [
    [suite, 'node esbuild.mjs'],
    [resolve(opts.extensionDir, main ?? 'package.json'), 'node esbuild.mjs'],
  ]) {
    if (!existsSync(file)) {
      record(phase.name, 'in-host suites', false, `${file} is missing: run \`${hint}\` first`);
      return;
    }
  }
  const run = prepareRunDir(phase.name, phase.fill, phase.settings);
  const resultFile = join(run.dir, 'result.json');
  // A second development path is not loaded by code-server's extension host, so the test-only
  // debugger extension is packaged and installed into the run's profile instead.
  if (phase.gdbDebugger) {
    const vsix = join(run.dir, 'drone-heap-test-gdb.vsix');
    await runStep(
      'vsce package test/e2e/gdb-debugger',
      process.execPath,
      [
        join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
        'package',
        '--allow-missing-repository',
        '--skip-license',
        '--no-dependencies',
        '-o',
        vsix,
      ],
      T.package,
      {},
      join(ROOT, 'test', 'e2e', 'gdb-debugger'),
    );
    await installVsix(setup, run, vsix);
  }
  // Environment variables reach the extension host and the language server.
  const env = {
    DRONE_HEAP_E2E_RESULT: resultFile,
    DRONE_HEAP_E2E_PHASE: phase.name,
    // Where the gdb-debugger extension's adapter finds cdt-gdb-adapter.
    DRONE_HEAP_E2E_ROOT: ROOT,
    ...(opts.injectFailure ? { DRONE_HEAP_E2E_INJECT_FAILURE: '1' } : {}),
  };
  // Without the smoke-test driver the packaged build ignores extensionDevelopmentPath/-TestsPath.
  const server = await startCodeServer(setup, run, {
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    env,
    workspaceTrust: phase.workspaceTrust,
  });
  log(`${phase.name}: code-server on ${server.base}`);

  const page = await (await launchBrowser()).newPage();
  const consoleLog = createWriteStream(join(run.dir, 'browser-console.log'));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  try {
    // The workbench reports the extension host's exit here, and only here: the server keeps
    // running and the extension host exits 0 even when tests fail.
    let exited;
    const exit = new Promise((ok) => {
      exited = ok;
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      // The workbench hands over its log files (incl. the extension host's): keep them.
      for (const { relativePath, contents } of logs ?? []) {
        const file = join(run.dir, 'logs', relativePath);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, contents);
      }
      exited(code);
    });
    await page.exposeFunction('codeAutomationLog', (level, message) => consoleLog.write(`[workbench ${level}] ${message}\n`));
    const url = workbenchUrl(server.base, run.ws, [
      ['extensionDevelopmentPath', remoteUri(server.port, opts.extensionDir)],
      ['extensionTestsPath', remoteUri(server.port, suite)],
    ]);
    await page.goto(url);
    const code = await within(T.hostSuites, 'the in-host suites to finish (codeAutomationExit)', exit);
    log(`${phase.name}: extension host exited with code ${code} after ${secs(phaseStart)} s`);

    const tests = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')).results : null;
    if (!tests) {
      record(
        phase.name,
        'in-host suites',
        false,
        `no result file: the suite did not load or crashed (exit code ${code}). See ${join(run.dir, 'logs')}`,
      );
      return;
    }
    for (const t of tests) record(phase.name, t.title, t.state === 'passed', t.error);
    if (tests.length === 0) record(phase.name, 'in-host suites', false, 'no in-host test ran');
    // The exit code is the authority: a failure mocha did not report as a test still counts.
    if (code !== 0 && !tests.some((t) => t.state === 'failed')) {
      record(phase.name, 'in-host run', false, `extension host exited with code ${code}`);
    }
  } catch (e) {
    record(phase.name, 'in-host suites', false, `${e.message}\n(logs: ${run.dir})`);
  } finally {
    await page.close().catch(() => {});
    consoleLog.end();
    await stop(server.child);
  }
}

// ---------------------------------------------------------------------------------------------
// Phase: UI tests

/**
 * UI test files run in one code-server with the .vsix installed (`ui`), except those that export
 * `restricted = true`: they get their own (`ui-restricted`), with workspace trust on and the
 * Restricted Mode workspace and settings of the host-restricted phase.
 */
async function runUiTests(setup) {
  const files = readdirSync(join(E2E, 'ui'))
    .filter((f) => f.endsWith('.ui.mjs') && (!opts.uiFile || f.includes(opts.uiFile)))
    .sort();
  if (!existsSync(opts.vsix)) {
    record('ui', 'UI tests', false, `${opts.vsix} is missing (run without --no-package)`);
    return;
  }
  const groups = [
    { name: 'ui', fill: copyTestWorkspace, settings: {}, workspaceTrust: false, files: [] },
    { name: 'ui-restricted', fill: fillRestrictedWorkspace, settings: RESTRICTED_SETTINGS, workspaceTrust: true, files: [] },
  ];
  for (const file of files) {
    const mod = await import(pathToFileURL(join(E2E, 'ui', file)).href);
    groups[mod.restricted ? 1 : 0].files.push(file);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const group of groups.filter((g) => g.files.length)) {
    const run = prepareRunDir(group.name, group.fill, group.settings);
    log(`${group.name}: installing ${basename(opts.vsix)}`);
    await installVsix(setup, run, opts.vsix);
    const server = await startCodeServer(setup, run, { workspaceTrust: group.workspaceTrust });
    log(`${group.name}: code-server on ${server.base}`);
    try {
      for (const file of group.files) await runUiFile(file, server, run);
    } finally {
      await stop(server.child);
    }
  }
}

/**
 * A UI test file exports `tests`: [{ name, run(ctx) }, …], run in order on one page (they are
 * steps of one user story). After a failed step the rest of that file is reported failed too,
 * since it never ran. A screenshot is taken after every step.
 */
async function runUiFile(file, server, run) {
  const mod = await import(pathToFileURL(join(E2E, 'ui', file)).href);
  const prefix = file.replace(/\.ui\.mjs$/, '');
  let tests = mod.tests ?? [];
  if (opts.injectFailure)
    tests = [
      ...tests,
      {
        name: 'fails on purpose (--inject-failure)',
        run: () => {
          throw new Error('deliberate failure requested by --inject-failure');
        },
      },
    ];
  if (!tests.length) return;

  const context = await (await launchBrowser()).newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  const consoleLog = createWriteStream(join(run.dir, `browser-console.${prefix}.log`));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  const ctx = {
    page,
    base: server.base,
    port: server.port,
    workspace: run.ws,
    userDataDir: run.ud, // code-server's --user-data-dir: its logs/<session>/exthostN/ hold each window's extension host logs
    remoteUri: (absPath) => remoteUri(server.port, absPath),
    workbenchUrl: (payload) => workbenchUrl(server.base, run.ws, payload),
    screenshot: (name) => page.screenshot({ path: join(ARTIFACTS, `${prefix}-${name}.png`) }),
    log: (msg) => log(`ui ${prefix}: ${msg}`),
  };
  let broken = null;
  try {
    for (const [i, test] of tests.entries()) {
      const title = `${prefix}: ${test.name}`;
      const shot = `${String(i + 1).padStart(2, '0')}-${test.name
        .replace(/[^a-z0-9]+/gi, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase()}`;
      if (broken) {
        record('ui', title, false, `not run: "${broken}" failed before it`);
        continue;
      }
      const t0 = Date.now();
      try {
        await within(test.timeout ?? T.uiTest, title, test.run(ctx));
        record('ui', `${title} (${secs(t0)} s)`, true);
      } catch (e) {
        broken = test.name;
        record('ui', title, false, e.stack ?? e);
      }
      await ctx.screenshot(broken === test.name ? `${shot}-FAILED` : shot).catch(() => {});
    }
  } finally {
    consoleLog.end();
    await context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const setup = loadSetup();
  if (!setup) fatal('e2e tools are not installed (no complete.json in the cache): run `npm run e2e:setup` first');
  // prepareRunDir gives each phase a fresh .e2e-run/host|ui; the rest of .e2e-run (e.g. a demo
  // that is running, `.e2e-run/demo`) is left alone. vsce never packages it (.vscodeignore).
  rmSync(ARTIFACTS, { recursive: true, force: true });

  try {
    let packaged = !opts.package || opts.only === 'host';
    if (!packaged) {
      const t0 = Date.now();
      log('package: npm run package');
      // A failed build still lets the in-host suites run against whatever dist/ holds, but the
      // UI phase must not install a stale .vsix.
      rmSync(opts.vsix, { force: true });
      await runStep('npm run package', 'npm', ['run', 'package'], T.package)
        .then(() => {
          packaged = true;
          log(`package: done in ${secs(t0)} s`);
        })
        .catch((e) => record('package', 'npm run package', false, e.message));
    }
    if (opts.only !== 'ui') {
      for (const phase of HOST_PHASES) {
        const t0 = Date.now();
        await runHostSuites(setup, phase).catch((e) => record(phase.name, 'in-host suites', false, e.stack ?? e));
        log(`${phase.name}: phase took ${secs(t0)} s`);
      }
    }
    if (opts.only !== 'host' && packaged) {
      const t0 = Date.now();
      await runUiTests(setup).catch((e) => record('ui', 'UI tests', false, e.stack ?? e));
      log(`ui: phase took ${secs(t0)} s (screenshots in ${ARTIFACTS})`);
    }
  } finally {
    await stopAll();
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  log(`finished in ${secs(started)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || results.length === 0 ? 1 : 0;
}

await main();
