#!/usr/bin/env node
// `npm run screenshots`: regenerates the pictures in images/ that README.md shows (and that the
// .vsix ships), from the real thing: the packaged extension in code-server on a fresh copy of
// examples/sensor-logger, driven by headless Chromium; set up as `npm run demo` does, with the
// harness's pieces (lib/codeServer.mjs, ui/lib.mjs).
//   1. images/icon.svg → images/icon.png (128 × 128, rendered by Chromium);
//   2. `npm run package` → drone-heap.vsix, installed into a fresh profile in .e2e-run/screenshots;
//   3. five workbench screenshots (1280 × 720, dark theme: small PNGs, readable text):
//      trace-figures.png, quick-fix.png, heap-view.png, optimise-preview.png, device-figures.png.
// Every PNG must stay ≤ 200 KB (the extension page loads them from the .vsix). Waits are on
// selectors and events with bounds, never fixed sleeps. Every process started is stopped, on
// failure too; a failure exits 1 naming the step (and saves test-artifacts/e2e/screenshots-FAILED.png).
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
import { WAIT, centre, editorLine, openFile, runCommand, textBox, waitForHover, waitForSquiggleOnLine, webview } from './ui/lib.mjs';

const IMAGES = join(ROOT, 'images');
const MAX_BYTES = 200 * 1024;
const VIEWPORT = { width: 1280, height: 720 };

const started = Date.now();
const log = (msg) => console.log(`[screenshots ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
/** The step under way: named in the error when anything fails. */
let step = 'start';
const at = (name) => {
  step = name;
  log(name);
};

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => stopAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143)));
}

/** Fails when a picture is too heavy for the extension page (the README loads all of them). */
function checkSize(path) {
  const bytes = statSync(path).size;
  const name = relative(ROOT, path);
  if (bytes > MAX_BYTES)
    throw new Error(`${name} is ${bytes} bytes, over the ${MAX_BYTES} byte limit: shrink the viewport or clip the shot`);
  log(`  ${name}: ${bytes} bytes`);
  return bytes;
}

/** Chromium draws the SVG at 128 × 128; outside the rounded square stays transparent. */
async function renderIcon(browser) {
  const svg = readFileSync(join(IMAGES, 'icon.svg'));
  const context = await browser.newContext({ viewport: { width: 128, height: 128 } });
  const page = await context.newPage();
  await page.setContent(
    `<body style="margin:0"><img id="icon" width="128" height="128" style="display:block" src="data:image/svg+xml;base64,${svg.toString('base64')}"></body>`,
  );
  // setContent resolves on `load`, which waits for the data: image; check it really decoded.
  if (!(await page.locator('#icon').evaluate((img) => img.complete && img.naturalWidth > 0)))
    throw new Error('images/icon.svg did not decode');
  await page.screenshot({ path: join(IMAGES, 'icon.png'), omitBackground: true });
  await context.close();
}

/** Points the mouse at `needle` on the line containing `lineText` (arriving from the left, which Monaco needs to open a hover). */
async function hoverText(page, lineText, needle) {
  const p = centre(await textBox(page, lineText, needle));
  await page.mouse.move(p.x - 20, p.y);
  await page.mouse.move(p.x, p.y, { steps: 5 });
}

/**
 * Scrolls the editor until the line containing `lineText` is the second one shown (a code lens
 * above it keeps its place), waiting for the editor to get there.
 */
async function scrollToTop(page, lineText) {
  const editor = page.locator('.editor-instance .monaco-editor .monaco-scrollable-element').first();
  const top = (await editor.boundingBox()).y;
  const line = await editorLine(page, lineText).boundingBox();
  // Ctrl+Down scrolls by one line (a headless mouse wheel moves Monaco only ~50 px per event).
  await page.mouse.click(line.x + 5, line.y + line.height / 2); // keyboard focus in the editor
  const lines = Math.round((line.y - top) / line.height) - 2;
  for (let i = 0; i < Math.abs(lines); i++) await page.keyboard.press(lines > 0 ? 'Control+ArrowDown' : 'Control+ArrowUp');
  await page.waitForFunction(
    ({ lineText, top, height }) => {
      const l = [...document.querySelectorAll('.editor-instance .monaco-editor .view-line')].find((el) =>
        el.textContent.replace(/\u00a0/g, ' ').includes(lineText),
      );
      const y = l?.getBoundingClientRect().y;
      return y !== undefined && y >= top && y <= top + 2.5 * height;
    },
    { lineText, top, height: line.height },
    { timeout: WAIT.ui },
  );
}

async function shoot(page, name) {
  // Hovers fade in, the lightbulb's hover background fades out: wait for every finite CSS
  // animation and transition of the workbench to end, so that two runs give the same picture.
  await within(
    WAIT.ui,
    `animations to end before ${name}`,
    page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
          .map((a) => a.finished.catch(() => {})),
      ),
    ),
  );
  const path = join(IMAGES, name);
  await page.screenshot({ path });
  return checkSize(path);
}

/** The four pictures, in one page; `ctx` is what ui/lib.mjs's openFile needs. */
async function takeShots(ctx, droneToml) {
  const { page } = ctx;

  at('trace-figures.png: open Drone.toml, wait for the replayed trace (summary lens, `peak` hints, squiggle on the 336 B pool)');
  await openFile(ctx, droneToml, '[heap.main]');
  await page.locator('.codelens-decoration', { hasText: 'events' }).first().waitFor({ timeout: WAIT.server });
  await editorLine(page, 'peak').waitFor({ timeout: WAIT.server });
  await waitForSquiggleOnLine(page, 'block = "336"');
  at('trace-figures.png: scroll [heap.main] to the top, hover the 336 B pool until its hover shows the trace figures');
  // With the heap at the top, the hover (opened below the line: settings) has room to show the
  // whole story of the failing pool without covering the other pools' figures.
  await scrollToTop(page, '[heap.main]');
  await hoverText(page, 'block = "336"', '336');
  await waitForHover(page, 'From the trace');
  await shoot(page, 'trace-figures.png');
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 5);

  at('quick-fix.png: capacity of the 336 B pool 3 → 4, so the pools no longer add up to size');
  const cap = await textBox(page, 'block = "336"', 'capacity = 3');
  // Double-click the digit (the last character of the needle) to select it, then type over it.
  await page.mouse.dblclick(cap.x + cap.width - cap.width / 24, cap.y + cap.height / 2);
  await page.keyboard.type('4');
  await editorLine(page, 'capacity = 4').waitFor({ timeout: WAIT.ui });
  await waitForSquiggleOnLine(page, 'size = "10K"');
  // The replay of the edited text ends the lens's figures with "no failures" (4 blocks of 336 B
  // serve the trace). Wait for that steady state, then put the heap at the top again: the lens
  // changing while the edit was replayed can leave the editor scrolled elsewhere.
  const summaryLens = (text) => page.locator('.codelens-decoration', { hasText: text }).first();
  await summaryLens(/no failures/).waitFor({ timeout: WAIT.server });
  await scrollToTop(page, '[heap.main]');
  at('quick-fix.png: cursor on "10K", click the lightbulb → the quick fix menu');
  const value = centre(await textBox(page, 'size = "10K"', '"10K"'));
  await page.mouse.click(value.x, value.y);
  const bulb = page
    .locator('.editor-instance .monaco-editor')
    .locator('[class*="lightbulb"], .codicon-light-bulb, .lightBulbWidget')
    .filter({ visible: true })
    .first();
  await bulb.waitFor({ timeout: WAIT.server });
  // The lightbulb rather than Ctrl+.: the menu then always opens at the same place (Ctrl+. opens
  // it at the cursor, its fallback at the bulb), so the picture does not change between runs.
  await bulb.click();
  const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Set size to' }).first();
  await item.waitFor({ timeout: WAIT.ui });
  await page.mouse.move(5, 5); // no menu row highlighted under the mouse
  await shoot(page, 'quick-fix.png');
  at('quick-fix.png: close the menu and undo the edit');
  await page.keyboard.press('Escape');
  await item.waitFor({ state: 'hidden', timeout: WAIT.ui });
  await page.keyboard.press('Control+Z');
  await editorLine(page, 'block = "336", capacity = 3 }').waitFor({ timeout: WAIT.ui });
  // Back at the saved text, the tab is clean again (no dirty dot): later shots show the file as it is.
  await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: WAIT.ui });
  await editorLine(page, '[heap.main]').click(); // drop the selection the undo left on the digit
  await summaryLens(/✖ \d+ failures/).waitFor({ timeout: WAIT.server }); // the saved text replayed again
  await scrollToTop(page, '[heap.main]');

  at('heap-view.png: close the side bar (room for two columns), Drone Heap: Open Heap View');
  await runCommand(page, 'View: Close Primary Side Bar');
  await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: WAIT.ui });
  await runCommand(page, 'Drone Heap: Open Heap View');
  const v = webview(page);
  await v.locator('#summary', { hasText: /events/ }).waitFor({ timeout: WAIT.server });
  await v.locator('.strip .segment').first().waitFor({ timeout: WAIT.ui });
  await v.locator('#chart canvas').first().waitFor({ timeout: WAIT.ui });
  await page.locator('.tabs-container .tab', { hasText: 'Heap:' }).first().waitFor({ timeout: WAIT.ui });
  await shoot(page, 'heap-view.png');

  at('optimise-preview.png: reload with Drone.toml only, wait for the "Optimise layout" code lens');
  await openFile(ctx, droneToml, '[heap.main]');
  await page.locator('.tabs-container .tab', { hasText: 'Heap:' }).waitFor({ state: 'detached', timeout: WAIT.ui });
  const lens = page.locator('.codelens-decoration a', { hasText: 'Optimise layout' }).first();
  await lens.waitFor({ timeout: WAIT.server });
  at('optimise-preview.png: click the lens → diff preview and the before → after notification');
  await lens.click();
  await page.locator('.monaco-diff-editor').first().waitFor({ timeout: WAIT.server });
  // The toast slides in; VS Code marks it `notification-fade-in-done` at the end of that
  // transition (before, a shot catches it half transparent, its buttons cut off).
  await page
    .locator('.notification-toast.notification-fade-in-done', { hasText: /Failures \d+ → \d+/ })
    .first()
    .waitFor({ timeout: WAIT.server });
  await page.mouse.move(5, 5);
  await shoot(page, 'optimise-preview.png');

  at('device-figures.png: the QEMU test firmware project, Drone Heap: Load Device Memory Dump… (its RAM at checkpoint 2)');
  const deviceToml = join(dirname(droneToml), 'qemu-board', 'Drone.toml');
  await openFile(ctx, deviceToml, '[heap.main]');
  await runCommand(page, 'Drone Heap: Load Device Memory Dump…');
  // VS Code's own file dialog in the browser: a quick input that takes a typed path.
  const pathInput = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-widget', { hasText: 'RAM dump taken at a breakpoint' }).waitFor({ timeout: WAIT.ui });
  // The dialog fills in the folder once it has listed it; typing before that would be overwritten.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'ram.bin' }).waitFor({ timeout: WAIT.ui });
  await pathInput.fill(join(dirname(deviceToml), 'ram.bin'));
  await page.keyboard.press('Enter');
  at('device-figures.png: the address box, prefilled with [memory.ram] origin → Enter');
  await page.locator('.quick-input-widget', { hasText: 'Address of the dump’s first byte' }).waitFor({ timeout: WAIT.ui });
  if ((await pathInput.inputValue()) !== '0x20000000') throw new Error(`the address box holds "${await pathInput.inputValue()}"`);
  await page.keyboard.press('Enter');
  await editorLine(page, 'device: peak 4/4').waitFor({ timeout: WAIT.server });
  await page.locator('.statusbar-item', { hasText: 'device: ram.bin' }).first().waitFor({ timeout: WAIT.server });
  at('device-figures.png: hover the 32 B pool until its hover shows the device figures');
  await page.mouse.move(5, 5);
  await hoverText(page, 'block = "32"', '32');
  await waitForHover(page, 'On the device');
  await shoot(page, 'device-figures.png');
}

async function main() {
  at('set-up: bash test/e2e/setup.sh (idempotent)');
  await runStep('test/e2e/setup.sh', 'bash', [join(ROOT, 'test', 'e2e', 'setup.sh')], 20 * 60_000);
  const setup = loadSetup();
  if (!setup) throw new Error('test/e2e/setup.sh finished but wrote no complete.json');
  const run = prepareRunDir('screenshots', (ws) => {
    cpSync(SENSOR_LOGGER, join(ws, 'sensor-logger'), { recursive: true });
    // The QEMU test firmware as a cargo project beside it, with its RAM dumped at checkpoint 2.
    const board = join(ws, 'sensor-logger', 'qemu-board');
    const fixtures = join(ROOT, 'test', 'fixtures', 'device');
    const release = join(board, 'target', 'thumbv7m-none-eabi', 'release');
    mkdirSync(release, { recursive: true });
    mkdirSync(join(board, '.cargo'));
    cpSync(join(fixtures, 'Drone.toml'), join(board, 'Drone.toml'));
    cpSync(join(fixtures, 'firmware.elf'), join(release, 'qemu-board'));
    cpSync(join(fixtures, 'dump-2.bin'), join(board, 'ram.bin'));
    writeFileSync(join(board, 'Cargo.toml'), '[package]\nname = "qemu-board"\nversion = "0.1.0"\n');
    writeFileSync(join(board, '.cargo', 'config.toml'), '[build]\ntarget = "thumbv7m-none-eabi"\n');
  });
  // The theme is named so that a change of VS Code's default does not change the pictures; hovers
  // open below their line so that the one in trace-figures.png covers no pool; no minimap (noise
  // that compresses badly and is unreadable at this size); a cursor that does not blink and no
  // forwarded-ports count (code-server's own ports) keep two runs' pictures the same.
  const settings = join(run.ud, 'User', 'settings.json');
  writeFileSync(
    settings,
    JSON.stringify(
      {
        ...JSON.parse(readFileSync(settings, 'utf8')),
        'workbench.colorTheme': 'Default Dark Modern',
        'editor.hover.above': false,
        'editor.minimap.enabled': false,
        'editor.cursorBlinking': 'solid',
        'remote.autoForwardPorts': false,
      },
      null,
      2,
    ),
  );
  const browser = await launchBrowser(join(run.dir, 'chromium-config'));

  at('icon: images/icon.svg → images/icon.png');
  await renderIcon(browser);
  checkSize(join(IMAGES, 'icon.png'));

  at('package: npm run package');
  await runStep('npm run package', 'npm', ['run', 'package'], T.package);
  at('install drone-heap.vsix, start code-server');
  await installVsix(setup, run, join(ROOT, 'drone-heap.vsix'));
  const folder = join(run.ws, 'sensor-logger');
  const server = await startCodeServer(setup, run, { folder });

  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  const ctx = {
    page,
    workbenchUrl: (payload) => workbenchUrl(server.base, folder, payload),
    remoteUri: (path) => remoteUri(server.port, path),
  };
  try {
    await within(10 * 60_000, 'the screenshots', takeShots(ctx, join(folder, 'Drone.toml')));
  } catch (e) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'screenshots-FAILED.png') }).catch(() => {});
    e.message += ` (screen: test-artifacts/e2e/screenshots-FAILED.png, log: ${relative(ROOT, join(run.dir, 'code-server.log'))})`;
    throw e;
  }
}

try {
  await main();
  await stopAll();
  log('OK: images/ regenerated');
  process.exit(0);
} catch (e) {
  console.error(`[screenshots] FAILED in step: ${step}\n  ${e.message.split('\n').join('\n  ')}`);
  await stopAll();
  process.exit(1);
}
