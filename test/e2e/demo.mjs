#!/usr/bin/env node
// `npm run demo`: the packaged extension in a real VS Code (code-server) on the example project
// examples/sensor-logger, ready to open in a browser. Does every set-up step itself, so it works
// on a fresh clone:
//   1. `npm ci` when node_modules is missing;
//   2. `bash test/e2e/setup.sh` (idempotent: apt packages, Node 24, code-server; ~0.2 s when cached);
//   3. `npm run package` → drone-heap.vsix;
//   4. a fresh profile in .e2e-run/demo (gitignored) with the .vsix installed, and a copy of the
//      example in .e2e-run/demo/ws/sensor-logger (so edits never touch the repository);
//   5. code-server on 127.0.0.1, then prints the URL that opens the folder and its Drone.toml,
//      and keeps serving until Ctrl+C / SIGTERM, which stop code-server (and its extension host
//      and language server: it runs in its own process group).
//
//   npm run demo                        port: a free one
//   npm run demo -- --port 8080         (or PORT=8080 npm run demo)
//   npm run demo -- --check             instead of serving: open the URL in headless Chromium,
//                                       wait for the trace's figures in Drone.toml, save
//                                       test-artifacts/e2e/demo.png, print OK and exit 0
//                                       (non-zero with the reason otherwise)
//
// code-server listens on loopback only. From another machine, forward the port first
// (`ssh -L PORT:127.0.0.1:PORT host`) and open the printed URL unchanged: the workbench names
// files by the host:port it was loaded from, so keep `127.0.0.1`.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARTIFACTS,
  ROOT,
  SENSOR_LOGGER,
  T,
  installVsix,
  launchBrowser,
  loadSetup,
  prepareRunDir,
  remoteUri,
  runStep,
  startCodeServer,
  stopAll,
  within,
  workbenchUrl,
} from './lib/codeServer.mjs';
import { WAIT, centre, editorLine, normalise, textBox, waitForHover, waitForSquiggleOnLine } from './ui/lib.mjs';

const started = Date.now();
const secs = () => ((Date.now() - started) / 1000).toFixed(1);
const log = (msg) => console.log(`[demo ${secs().padStart(5)}s] ${msg}`);

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const KNOWN = ['--port', '--check'];
for (const a of argv) {
  if (a.startsWith('--') && !KNOWN.includes(a)) usage(`unknown option ${a}; known: ${KNOWN.join(' ')}`);
}
const portArg = argv.includes('--port') ? (argv[argv.indexOf('--port') + 1] ?? usage('--port needs a number')) : process.env.PORT;
const port = portArg === undefined || portArg === '' ? undefined : Number(portArg);
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) usage(`not a port: ${portArg}`);
const check = argv.includes('--check');

/** Bad options: nothing has started yet, so just exit 2. */
function usage(msg) {
  console.error(`[demo] ${msg}`);
  process.exit(2);
}

/** Stops everything started so far, then exits with `code`. */
async function fail(msg, code = 1) {
  console.error(`[demo] ${msg}`);
  await stopAll();
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------
// Ctrl+C / SIGTERM: stop code-server (and whatever set-up step is running), then exit.
// While serving, that is the normal way to end the demo, so the exit status is 0.

let serving = false;
let stopping = false; // set by a signal: code-server's exit is then expected, not a failure
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (stopping) return; // a second Ctrl+C while stopping: the first one is taking care of it
    stopping = true;
    console.error(`\n[demo] ${sig}: stopping code-server`);
    stopAll().finally(() => process.exit(serving ? 0 : sig === 'SIGINT' ? 130 : 143));
  });
}

// ---------------------------------------------------------------------------------------------
// Set-up

async function prepare() {
  if (!existsSync(join(ROOT, 'node_modules', '.package-lock.json'))) {
    log('node_modules missing: npm ci');
    await runStep('npm ci', 'npm', ['ci', '--no-audit', '--no-fund'], 10 * 60_000);
  }
  log('set-up: bash test/e2e/setup.sh');
  // Generous: on a fresh machine this is apt (Chromium) plus code-server's native build.
  await runStep('test/e2e/setup.sh', 'bash', [join(ROOT, 'test', 'e2e', 'setup.sh')], 20 * 60_000);
  const setup = loadSetup();
  if (!setup) throw new Error('test/e2e/setup.sh finished but wrote no complete.json');

  log('package: npm run package');
  await runStep('npm run package', 'npm', ['run', 'package'], T.package);

  const run = prepareRunDir('demo', (ws) => cpSync(SENSOR_LOGGER, join(ws, 'sensor-logger'), { recursive: true }));
  log(`install: drone-heap.vsix into ${run.dir}`);
  await installVsix(setup, run, join(ROOT, 'drone-heap.vsix'));
  return { setup, run, folder: join(run.ws, 'sensor-logger') };
}

// ---------------------------------------------------------------------------------------------
// --check: what a visitor would see, verified in headless Chromium

async function checkInBrowser(url, run) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const shot = join(ARTIFACTS, 'demo.png');
  const browser = await launchBrowser(join(run.dir, 'chromium-config'));
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  let step = 'load the workbench';
  try {
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: WAIT.workbench });

    step = 'Drone.toml open in the editor';
    await page.locator('.tabs-container .tab.active', { hasText: 'Drone.toml' }).waitFor({ timeout: WAIT.workbench });
    await editorLine(page, '[heap.main]').waitFor({ timeout: WAIT.workbench });

    step = 'an inlay hint with `peak` (the replayed trace)';
    await editorLine(page, 'peak').waitFor({ timeout: WAIT.server });

    step = 'the code lens summary above [heap.main]';
    await page.locator('.codelens-decoration', { hasText: 'events' }).first().waitFor({ timeout: WAIT.server });

    step = 'an error squiggle on the 336 B pool';
    // The file passes `drone-heap check`, so an error can only come from the trace.
    await waitForSquiggleOnLine(page, 'block = "336"');

    step = 'the status bar item of the trace';
    await page
      .locator('.statusbar .statusbar-item', { hasText: /heaptrace.*\d+ events/ })
      .first()
      .waitFor({ timeout: WAIT.ui });
    await page.screenshot({ path: shot });

    step = 'hovering the squiggle names trace-failure';
    const at = centre(await textBox(page, 'block = "336"', '336'));
    await page.mouse.move(at.x - 20, at.y);
    await page.mouse.move(at.x, at.y, { steps: 5 });
    await waitForHover(page, 'trace-failure');
    await page.screenshot({ path: join(ARTIFACTS, 'demo-hover.png') });

    const hint = normalise(await editorLine(page, 'block = "336"').innerText());
    log(`336 B pool line: ${hint.trim()}`);
    log(`screenshots: ${shot}, ${join(ARTIFACTS, 'demo-hover.png')}`);
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, 'demo-FAILED.png') }).catch(() => {});
    throw new Error(
      `demo check failed waiting for ${step}: ${e.message.split('\n')[0]} (screenshot ${join(ARTIFACTS, 'demo-FAILED.png')}, log ${join(run.dir, 'code-server.log')})`,
      { cause: e },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Main

try {
  const { setup, run, folder } = await prepare();
  const server = await startCodeServer(setup, run, { port, folder });
  const url = workbenchUrl(server.base, folder, [['openFile', remoteUri(server.port, join(folder, 'Drone.toml'))]]);
  log(`code-server ${setup.codeServerVersion} on ${server.base} (ready ${secs()} s after start; log ${join(run.dir, 'code-server.log')})`);
  console.log(`\nOpen the example project with its Drone.toml:\n\n  ${url}\n`);

  if (check) {
    await within(3 * 60_000, 'the demo check', checkInBrowser(url, run));
    console.log('OK');
    await stopAll();
    process.exit(0);
  }

  serving = true;
  console.log('Serving until Ctrl+C.');
  // code-server ending by itself (crash, port taken away) ends the demo too.
  const [code, signal] = await new Promise((ok) => server.child.proc.once('exit', (c, s) => ok([c, s])));
  if (stopping) await new Promise(() => {}); // the signal handler exits once everything is stopped
  serving = false;
  await fail(`code-server exited (${code ?? signal}); see ${join(run.dir, 'code-server.log')}`);
} catch (e) {
  await fail(e.message);
}
