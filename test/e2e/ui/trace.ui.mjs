// UI story on traced/Drone.toml (a copy of examples/sensor-logger with its `heaptrace`, made by
// the harness), with the packaged .vsix installed: what a user sees once the trace is replayed —
// the status bar item, the `peak …` inlay hints (✖ on the 336 B pool that runs out), the error
// squiggle on that pool and its hover. run.mjs takes a screenshot after each step.
import { WAIT, centre, editorLine, normalise, openFile, textBox, waitForHover, waitForSquiggleOnLine } from './lib.mjs';
import { join } from 'node:path';

const FILE = (ctx) => join(ctx.workspace, 'traced', 'Drone.toml');
/** The status bar item the extension contributes (id `droneHeap.trace`), found by its text. */
const traceItem = (page) => page.locator('.statusbar .statusbar-item', { hasText: 'heaptrace' }).first();

/** @type {{ name: string, timeout?: number, run: (ctx: any) => Promise<void> }[]} */
export const tests = [
  {
    name: 'opens traced/Drone.toml',
    run: async (ctx) => {
      await openFile(ctx, FILE(ctx), '[heap.main]');
    },
  },
  {
    name: 'status bar shows the trace item with heaptrace and its events',
    run: async ({ page, log }) => {
      const item = traceItem(page);
      // While the worker replays, the item reads `replaying heaptrace n%`; wait for the result.
      await page
        .locator('.statusbar .statusbar-item', { hasText: /heaptrace.*\d+ events/ })
        .first()
        .waitFor({ timeout: WAIT.server });
      const text = normalise(await item.innerText());
      log(`status bar item: ${JSON.stringify(text)} (element id ${JSON.stringify(await item.getAttribute('id'))})`);
      if (!/heap\.main: heaptrace · \d+ events · \d+ failures/.test(text)) throw new Error(`unexpected status bar text: ${text}`);
    },
  },
  {
    name: 'inlay hints show peak after the pools, ✖ on the 336 B pool',
    run: async ({ page }) => {
      // Inlay hints are rendered as text inside the editor line they follow.
      await editorLine(page, 'peak').waitFor({ timeout: WAIT.server });
      const line = editorLine(page, 'block = "336"');
      await page.waitForFunction(
        (el) => /peak \d+\/3 .*✖ \d+ failed/.test(el.textContent.replace(/\u00a0/g, ' ')),
        await line.elementHandle(),
        { timeout: WAIT.ui },
      );
    },
  },
  {
    name: 'error squiggle on the 336 B pool; its hover has the trace figures',
    run: async ({ page, screenshot }) => {
      // The file itself is valid, so the only error is the trace's: it must sit on the 336 line.
      await waitForSquiggleOnLine(page, 'block = "336"');
      // The summary code lens above [heap.main] shifts the pool lines down when it appears:
      // wait for it before measuring where to point the mouse.
      await page.locator('.codelens-decoration', { hasText: 'events' }).first().waitFor({ timeout: WAIT.server });
      // Hover the pool's block value: the pool hover ends with the figures from the trace.
      const at = centre(await textBox(page, 'block = "336"', '336'));
      await page.mouse.move(at.x - 20, at.y);
      await page.mouse.move(at.x, at.y, { steps: 5 });
      await waitForHover(page, 'From the trace');
      await screenshot('04a-hover-open');
      await page.keyboard.press('Escape');
      await page.mouse.move(5, 5);
    },
  },
];
