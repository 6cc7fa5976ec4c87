// UI story on optimized/Drone.toml (a copy of examples/sensor-logger whose trace makes the
// 336 B pool fail), with the packaged .vsix installed: the "Optimise layout" code lens above
// [heap.main] opens a diff preview and a notification with the figures; "Apply" writes the
// layout, and the replay of the new layout serves the trace (status bar: "served").
import { WAIT, normalise, openFile, waitForSquiggleOnLine } from './lib.mjs';
import { join } from 'node:path';

const FILE = (ctx) => join(ctx.workspace, 'optimized', 'Drone.toml');

/** @type {{ name: string, timeout?: number, run: (ctx: any) => Promise<void> }[]} */
export const tests = [
  {
    name: 'opens optimized/Drone.toml; the trace makes the 336 B pool fail',
    run: async (ctx) => {
      await openFile(ctx, FILE(ctx), '[heap.main]');
      await waitForSquiggleOnLine(ctx.page, 'block = "336"');
    },
  },
  {
    name: 'the "Optimise layout" code lens opens a diff preview and the figures',
    run: async ({ page, screenshot, log }) => {
      const lens = page.locator('.codelens-decoration a', { hasText: 'Optimise layout' }).first();
      await lens.waitFor({ timeout: WAIT.server });
      log(`code lens: ${JSON.stringify(normalise(await lens.innerText()))}`);
      await lens.click();
      await page.locator('.monaco-diff-editor').first().waitFor({ timeout: WAIT.server });
      const toast = page.locator('.notification-toast', { hasText: 'Drone Heap' }).first();
      await toast.waitFor({ timeout: WAIT.server });
      const text = normalise(await toast.innerText());
      log(`notification: ${JSON.stringify(text)}`);
      if (!/\d+ pools, 10240 B; the trace needs \d+ B \(exact mode\).*Replayed: 0 failures\. Failures 4 → 0 · peak \d+ → \d+ B/.test(text))
        throw new Error(`unexpected notification: ${text}`);
      await screenshot('optimise-preview');
    },
  },
  {
    name: '"Apply" writes the layout and the new replay serves the trace',
    run: async ({ page }) => {
      await page.locator('.notification-toast .monaco-button', { hasText: 'Apply' }).first().click();
      // The status bar item follows the Drone.toml editor; after the replay of the new layout it says "served".
      await page
        .locator('.statusbar .statusbar-item', { hasText: /heaptrace · \d+ events · served/ })
        .first()
        .waitFor({ timeout: WAIT.server });
      if ((await page.locator('.monaco-editor .squiggly-error').count()) > 0)
        throw new Error('an error squiggle is left after applying the layout');
    },
  },
];
