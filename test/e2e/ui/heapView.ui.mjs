// UI story of the heap view panel, with the packaged .vsix installed:
//  - on traced/Drone.toml (a copy of examples/sensor-logger with its `heaptrace`: 37525 events,
//    4 failures in the 336 B pool, the first at event 9170): "Drone Heap: Open Heap View" opens
//    the panel with the trace's figures; clicking a pool in the strip shows its line; the panel
//    comes back after a reload (serializer); the summary code lens opens it too; "Compare
//    allocators" fills in from the worker with the figures `drone-heap compare` prints;
//  - on heapview/Drone.toml (this test's own fixture: a small heap and a plain-text trace): the
//    panel follows the active editor, an edit of the pools (saved) and a new trace on disk both
//    update it.
// traced/ is never edited (so the next story finds it as it was). The page lives in two nested
// frames: webview(page) from lib.mjs. run.mjs takes a screenshot after each step
// (test-artifacts/e2e/heapView-*.png).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WAIT, centre, editorLine, normalise, openFile, textBox, webview } from './lib.mjs';

const TRACED = (ctx) => join(ctx.workspace, 'traced', 'Drone.toml');
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'cli.js');
const OWN = (ctx) => join(ctx.workspace, 'heapview');
/** 1-based line of the first line of traced/Drone.toml containing `text` (computed, not hard-coded). */
const lineOf = (ctx, text) =>
  readFileSync(TRACED(ctx), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;
/** The panel's editor tab, once it is named after its heap (`Heap: heap.main`). */
const heapTab = (page) => page.locator('.tabs-container .tab', { hasText: 'Heap:' }).first();
/** The heap view page's document (inside the panel's two nested frames). */
const view = (page) => webview(page);

/** Waits until the panel's summary line matches `pattern` (it is re-rendered when the figures change); returns its text. */
async function waitForFigures(page, pattern, timeout = WAIT.server) {
  const summary = view(page).locator('#summary', { hasText: pattern });
  await summary.waitFor({ timeout }).catch(async (error) => {
    const now = await view(page)
      .locator('#summary')
      .innerText()
      .catch(() => '(no summary)');
    throw new Error(`heap view summary never matched ${pattern}; it reads: ${normalise(now)}\n${error.message}`);
  });
  return normalise(await summary.innerText());
}

/** Closes the heap view's editor tab with its close button. */
async function closeHeapView(page) {
  const tab = heapTab(page);
  await tab.hover();
  await tab.locator('.codicon-close, .action-label[aria-label^="Close"]').first().click();
  await tab.waitFor({ state: 'detached', timeout: WAIT.ui });
}

/** @type {{ name: string, timeout?: number, run: (ctx: any) => Promise<void> }[]} */
export const tests = [
  {
    name: 'opens traced/Drone.toml and waits for its replay',
    run: async (ctx) => {
      await openFile(ctx, TRACED(ctx), '[heap.main]');
      // The summary code lens appears once the worker has replayed the trace.
      await ctx.page.locator('.codelens-decoration', { hasText: 'events' }).first().waitFor({ timeout: WAIT.server });
    },
  },
  {
    name: "Drone Heap: Open Heap View shows the trace's figures",
    run: async ({ page, log }) => {
      await editorLine(page, '[heap.main]').click(); // keyboard focus in the workbench
      // As runCommand in lib.mjs, but timed from the Enter that runs the command.
      await page.keyboard.press('Control+Shift+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: WAIT.ui });
      await input.fill('>Drone Heap: Open Heap View');
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Drone Heap: Open Heap View' })
        .first()
        .waitFor({ timeout: WAIT.ui });
      const opened = Date.now();
      await page.keyboard.press('Enter');
      // The panel opens as "Heap View" and is named after the heap once its data arrived.
      await page
        .locator('.tabs-container .tab', { hasText: /Heap View|Heap:/ })
        .first()
        .waitFor({ timeout: WAIT.ui });
      const tab = Date.now() - opened;
      await view(page).locator('#app').waitFor({ timeout: WAIT.ui });
      const frame = Date.now() - opened;
      const summary = await waitForFigures(page, /37525 events/);
      log(
        `after the command: panel ${tab} ms, page loaded ${frame} ms, figures shown ${Date.now() - opened} ms (render ${await view(page).locator('body').getAttribute('data-render-ms')} ms in the page)`,
      );
      if (!/heaptrace · Drone heap trace, stream format · 37525 events · peak [\d,]+ B of 10240 B/.test(summary))
        throw new Error(`summary: ${summary}`);
      if (!/✖ 4 failures, first at event 9170/.test(summary)) throw new Error(`summary: ${summary}`);
      await heapTab(page).waitFor({ timeout: WAIT.ui });
    },
  },
  {
    name: 'the strip, the table, the chart and the histogram are there',
    run: async ({ page }) => {
      const v = view(page);
      await v.locator('.strip .segment').nth(7).waitFor({ timeout: WAIT.ui });
      const segments = await v.locator('.strip .segment').count();
      if (segments !== 8) throw new Error(`${segments} strip segments, want 8`);
      const failed = await v.locator('.strip .segment.use-failed').allInnerTexts();
      if (failed.length !== 1 || !/336 B/.test(failed[0])) throw new Error(`failed segments: ${JSON.stringify(failed)}`);
      const row = normalise(await v.locator('table.pools tbody tr', { hasText: '336 B' }).innerText());
      // block, capacity, bytes, address, peak 3, 100.0%, allocations, overflow in, failures 4
      if (!/^336 B\s+3\s+1008 B\s+0x[0-9A-F]{8}\s+3\s+100\.0%\s+[\d,]+\s+[\d,]+\s+4\s/.test(row)) throw new Error(`336 B row: ${row}`);
      await v.locator('#chart canvas').first().waitFor({ timeout: WAIT.ui });
      const bars = await v.locator('#sizes-chart .hist-bar').count();
      if (bars < 5) throw new Error(`${bars} histogram bars`);
      await v.locator('.strip .segment', { hasText: '336 B' }).hover();
      await v.locator('#tooltip:not([hidden])').waitFor({ timeout: WAIT.ui });
    },
  },
  {
    name: 'Compare allocators: the pools beside best fit and defrag, with the figures of drone-heap compare',
    run: async (ctx) => {
      const v = view(ctx.page);
      // The models and the optimiser run in the worker after the replay: wait for both rows.
      for (const id of ['pools-proposed', 'defrag-compacting'])
        await v.locator(`#allocators-table tr[data-allocator="${id}"]`).waitFor({ timeout: WAIT.server });
      const expected = JSON.parse(
        execFileSync(
          process.execPath,
          [CLI, 'compare', '--json', '--config', TRACED(ctx), '--trace', join(ctx.workspace, 'traced', 'heaptrace')],
          { encoding: 'utf8' },
        ),
      );
      const rows = {
        'pools-current': expected.drone,
        'best-fit': expected.bestFit,
        defrag: expected.defrag,
        'defrag-compacting': expected.defragCompacting,
      };
      for (const [id, figures] of Object.entries(rows)) {
        const cells = (await v.locator(`#allocators-table tr[data-allocator="${id}"] > *`).allInnerTexts()).map(normalise);
        const want = [
          String(figures.failures),
          figures.firstFailure === null ? '—' : `event ${figures.firstFailure}`,
          `${figures.peakBytesInUse} B`,
        ];
        if (JSON.stringify(cells.slice(1, 4)) !== JSON.stringify(want))
          throw new Error(`${id}: the view shows ${JSON.stringify(cells)}, drone-heap compare says ${JSON.stringify(want)}`);
      }
      const proposed = normalise(await v.locator('#allocators-table tr[data-allocator="pools-proposed"] > td').first().innerText());
      if (proposed !== '0') throw new Error(`the optimised pools fail ${proposed} times`);
      await v.locator('#fragmentation canvas').first().waitFor({ timeout: WAIT.ui });
      await v.locator('#allocators').scrollIntoViewIfNeeded();
      await ctx.screenshot('03a-compare-allocators');
    },
  },
  {
    name: 'clicking the 336 B pool in the strip shows its line in Drone.toml',
    run: async (ctx) => {
      const { page } = ctx;
      await view(page).locator('.strip .segment', { hasText: '336 B' }).click();
      const line = lineOf(ctx, 'block = "336"');
      // The editor gets the focus with the pool selected: the status bar shows where the cursor is.
      await page
        .locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col \\d+`) })
        .first()
        .waitFor({ timeout: WAIT.ui });
      await page.locator('.editor-instance .monaco-editor.focused').first().waitFor({ timeout: WAIT.ui });
    },
  },
  {
    name: 'after a reload the panel is restored with its figures',
    run: async (ctx) => {
      const { page } = ctx;
      // Load the window again without the URL's "open this file" payload: VS Code restores the
      // previous editors (the heap view through its serializer) only when no file is given.
      await page.goto(ctx.workbenchUrl([]));
      await page.locator('.monaco-workbench').waitFor({ timeout: WAIT.workbench });
      await heapTab(page).waitFor({ timeout: WAIT.workbench });
      await waitForFigures(page, /37525 events · .*✖ 4 failures/);
    },
  },
  {
    name: 'the heap summary code lens opens the panel',
    run: async ({ page }) => {
      await closeHeapView(page);
      await editorLine(page, '[heap.main]').click();
      const lens = page.locator('.codelens-decoration a', { hasText: 'events' }).first();
      await lens.waitFor({ timeout: WAIT.server });
      await lens.click();
      await waitForFigures(page, /37525 events/);
    },
  },
  {
    name: 'the panel follows the active editor to heapview/Drone.toml',
    run: async ({ page }) => {
      await editorLine(page, '[heap.main]').click();
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: WAIT.ui });
      await input.fill('heapview/Drone.toml');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'heapview' }).first();
      await row.waitFor({ timeout: WAIT.ui });
      await row.click();
      await editorLine(page, 'block = "64"').waitFor({ timeout: WAIT.ui });
      const summary = await waitForFigures(page, /heaptrace · plain-text heap trace · 9 events/);
      if (!/✖ 1 failure, first at event 6 \(1 larger than every block\)/.test(summary)) throw new Error(`summary: ${summary}`);
      if (!/heapview\/Drone\.toml/.test(normalise(await view(page).locator('h1').innerText())))
        throw new Error('panel title is not heapview/Drone.toml');
    },
  },
  {
    name: 'an edit of the pools (saved) updates the panel',
    run: async ({ page, screenshot }) => {
      // 64 B → 128 B: the 100 B request fits now; Σ pools 384 ≠ size 256 shows as an error.
      // The trace summary lens above the heap adds a line when it arrives: measure after it, or
      // the double click lands a line too high (on the 32 B pool).
      await page.locator('.codelens-decoration', { hasText: '9 events' }).first().waitFor({ timeout: WAIT.server });
      const at = centre(await textBox(page, 'block = "64"', '64'));
      await page.mouse.dblclick(at.x, at.y);
      await page.keyboard.type('128');
      await editorLine(page, 'block = "128"').waitFor({ timeout: WAIT.ui });
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+S');
      await waitForFigures(page, /9 events · .*every request served/);
      await view(page).locator('.banner-error', { hasText: '384' }).waitFor({ timeout: WAIT.ui });
      await screenshot('08a-after-edit');
    },
  },
  {
    name: 'a new trace on disk updates the panel (droneHeap/traceStatus)',
    run: async (ctx) => {
      const { page } = ctx;
      const trace = join(OWN(ctx), 'heaptrace');
      // Five more 12 B requests: the 16 B pool overflows into the 32 B one, and further.
      writeFileSync(trace, readFileSync(trace, 'utf8') + 'alloc 12\n'.repeat(5));
      await waitForFigures(page, /heaptrace · plain-text heap trace · 14 events/);
      const row = normalise(await view(page).locator('table.pools tbody tr', { hasText: '16 B' }).first().innerText());
      if (!/^16 B\s+4\s+64 B\s+0x[0-9A-F]{8}\s+4\s+100\.0%/.test(row)) throw new Error(`16 B row: ${row}`);
      // Leave the workbench as the next story expects it: no heap view panel.
      await closeHeapView(page);
    },
  },
];
