// UI story on broken/Drone.toml (the pools add up to 10752 B, size says "10K" = 10240 B), with
// the packaged .vsix installed: squiggle → Problems panel → hover → quick fix. The steps share
// one page and run in order; run.mjs takes a screenshot after each into test-artifacts/e2e/.
//
// Later issues add their own files next to this one (e.g. optimise.ui.mjs for the code lens,
// heap-view.ui.mjs for the panel: see `webview()` in lib.mjs). Each file exports `tests`.
import { WAIT, centre, editorLine, fixture, normalise, openFile, textBox, waitForHover } from './lib.mjs';

const squiggle = '.editor-instance .monaco-editor .squiggly-error';

/** @type {{ name: string, timeout?: number, run: (ctx: any) => Promise<void> }[]} */
export const tests = [
  {
    name: 'opens broken/Drone.toml',
    run: async (ctx) => {
      await openFile(ctx, fixture(ctx.workspace, 'broken').path, '[heap.main]');
    },
  },
  {
    name: 'shows an error squiggle',
    run: async ({ page }) => {
      await page.locator(squiggle).first().waitFor({ timeout: WAIT.server });
    },
  },
  {
    name: 'Problems panel lists the pool sum error on the size line',
    run: async ({ page, workspace, screenshot }) => {
      const { heapSizeLine } = fixture(workspace, 'broken');
      await editorLine(page, '[heap.main]').click(); // keyboard focus in the workbench
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: '10752' }).filter({ hasText: `[Ln ${heapSizeLine},` });
      await row.first().waitFor({ timeout: WAIT.ui });
      await screenshot('03a-problems-panel-open');
      // Close the panel again so that it does not cover editor lines for the next steps.
      await page.keyboard.press('Control+J');
      await page.locator('.markers-panel').waitFor({ state: 'hidden', timeout: WAIT.ui });
    },
  },
  {
    name: 'hover on the 336-byte pool shows 336 × 3 = 1008 B',
    run: async ({ page, screenshot }) => {
      const at = centre(await textBox(page, 'block = "336"', '336'));
      // Monaco shows a hover on mouse movement: arrive from a little to the left.
      await page.mouse.move(at.x - 20, at.y);
      await page.mouse.move(at.x, at.y, { steps: 5 });
      await waitForHover(page, '336 × 3 = 1008 B');
      await screenshot('04a-hover-open');
      await page.keyboard.press('Escape');
      await page.mouse.move(5, 5);
    },
  },
  {
    name: 'quick fix Set size to "10752" removes the squiggle',
    run: async ({ page, screenshot, log }) => {
      // Put the cursor on the flagged value, then move the mouse away: a diagnostic hover opening
      // under the mouse can close the quick fix menu that Ctrl+. just opened.
      const at = centre(await textBox(page, 'size = "10K"', '"10K"'));
      await page.mouse.click(at.x, at.y);
      await page.mouse.move(5, 5);
      // The lightbulb shows once VS Code has the code actions for the cursor position (in the
      // gutter as .codicon-gutter-lightbulb-auto-fix & co. in 1.139, or as a content widget; a
      // hidden, empty .lightBulbWidget always exists).
      const bulb = page
        .locator('.editor-instance .monaco-editor')
        .locator('[class*="lightbulb"], .codicon-light-bulb, .lightBulbWidget')
        .filter({ visible: true })
        .first();
      await bulb.waitFor({ timeout: WAIT.server });
      const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Set size to "10752"' }).first();
      await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: WAIT.ui });
      await page.keyboard.press('Control+.');
      // If the key press got lost (focus), the lightbulb opens the same menu.
      await item.waitFor({ timeout: 5_000 }).catch(async () => {
        log('Ctrl+. opened no menu within 5 s; clicking the lightbulb');
        await bulb.click();
        await item.waitFor({ timeout: WAIT.ui });
      });
      await screenshot('05a-quick-fix-menu');
      await item.click();
      await editorLine(page, 'size = "10752"').waitFor({ timeout: WAIT.ui });
      await page.locator(squiggle).first().waitFor({ state: 'detached', timeout: WAIT.server });
      const still = await page.locator('.editor-instance .monaco-editor .view-line', { hasText: '"10K"' }).count();
      if (still) throw new Error(`"10K" still in the editor: ${normalise(await editorLine(page, '10K').innerText())}`);
    },
  },
];
