// UI story in Restricted Mode, with the packaged .vsix installed (so VS Code applies the
// manifest's capabilities.untrustedWorkspaces to it as to any installed extension): run.mjs
// runs this file in its own code-server whose workspace opens untrusted (`restricted = true`;
// RESTRICTED_SETTINGS and fillRestrictedWorkspace in lib/codeServer.mjs). On
// restricted/Drone.toml the user settings map heap.dma to ../../outside.trace, outside the
// workspace folder: the status bar says it is not read, and a warning squiggle sits on
// [heap.dma]. Then the user trusts the workspace in VS Code's trust editor: the extension
// tells the server, the settings are read again — now with the workspace's own value
// (`.vscode/settings.json`: dma → ../../workspace-setting.trace, ignored until then), also
// outside the folder, so only a server that knows the workspace is trusted reads it.
import { join } from 'node:path';
import { WAIT, editorLine, normalise, openFile, runCommand, waitForSquiggleOnLine } from './lib.mjs';

/** Run in the Restricted Mode code-server (see run.mjs, runUiTests). */
export const restricted = true;

const FILE = (ctx) => join(ctx.workspace, 'restricted', 'Drone.toml');
/** The extension's status bar item (id `droneHeap.trace`), found by what it says of heap.dma. */
const traceItem = (page, text) => page.locator('.statusbar .statusbar-item', { hasText: text }).first();

/** Opens a workspace file by its path with Quick Open (Ctrl+P). */
async function quickOpen(page, path) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: WAIT.ui });
  await input.fill(path);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Drone.toml' }).first().waitFor({ timeout: WAIT.ui });
  await page.keyboard.press('Enter');
}

/** @type {{ name: string, timeout?: number, run: (ctx: any) => Promise<void> }[]} */
export const tests = [
  {
    name: 'opens restricted/Drone.toml in an untrusted workspace',
    run: async (ctx) => {
      await openFile(ctx, FILE(ctx), '[heap.dma]');
    },
  },
  {
    name: 'status bar says the outside trace is not read; a warning squiggle on [heap.dma]',
    run: async ({ page, log }) => {
      const item = traceItem(page, 'not read (Restricted Mode)');
      await item.waitFor({ timeout: WAIT.server });
      const text = normalise(await item.innerText());
      log(`status bar item: ${JSON.stringify(text)}`);
      if (!/heap\.dma: outside\.trace not read \(Restricted Mode\)/.test(text)) throw new Error(`unexpected status bar text: ${text}`);
      await waitForSquiggleOnLine(page, '[heap.dma]', 'warning');
      // No figures from a trace anywhere: no `peak` hint on any line.
      if (await editorLine(page, 'peak').count()) throw new Error('a `peak` inlay hint is shown although no trace was read');
    },
  },
  {
    name: 'trusting the workspace reads the settings again and replays the dma heap',
    run: async ({ page, log, screenshot }) => {
      // VS Code's own "Restricted Mode" status bar item opens the trust editor (the palette may
      // not list "Workspaces: Manage Workspace Trust" yet this early after start-up).
      await page
        .locator('.statusbar .statusbar-item')
        .filter({ hasText: /^\s*Restricted Mode\s*$/ })
        .first()
        .click({ timeout: WAIT.ui });
      const trust = page.locator('.workspace-trust-editor').getByRole('button', { name: 'Trust', exact: true }).first();
      await trust.waitFor({ timeout: WAIT.ui });
      await screenshot('03a-trust-editor');
      await trust.click();
      await page.locator('.workspace-trust-editor', { hasText: 'You trust this folder' }).first().waitFor({ timeout: WAIT.ui });
      await screenshot('03b-trusted');
      // The trust editor is a modal over the editors; Drone.toml is still rendered beneath it.
      // The workspace's own value now applies: workspace-setting.trace (4 events, 1 failure).
      await page
        .locator('.codelens-decoration', { hasText: /4 events · workspace-setting\.trace/ })
        .first()
        .waitFor({ timeout: WAIT.server });
      await editorLine(page, 'peak').waitFor({ timeout: WAIT.server });
      // Close the modal and show Drone.toml again: the status bar item follows the active text editor.
      await runCommand(page, 'View: Close Editor');
      await page.locator('.workspace-trust-editor').first().waitFor({ state: 'hidden', timeout: WAIT.ui });
      await quickOpen(page, 'restricted/Drone.toml');
      await editorLine(page, '[heap.dma]').waitFor({ timeout: WAIT.ui });
      const item = page
        .locator('.statusbar .statusbar-item', { hasText: /heap\.dma: workspace-setting\.trace · 4 events · 1 failure\b/ })
        .first();
      await item.waitFor({ timeout: WAIT.server });
      log(`status bar item after trust: ${JSON.stringify(normalise(await item.innerText()))}`);
    },
  },
];
