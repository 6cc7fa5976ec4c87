// Helpers for the UI tests (*.ui.mjs): reading a VS Code 1.139 workbench through playwright-core.
// Selectors are the ones listed in test/e2e/README.md (How it works). Every wait is on a
// selector or a condition, with a bound; never a fixed sleep.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bounds (ms). The first squiggle includes activating the extension and starting the server. */
export const WAIT = { workbench: 90_000, server: 90_000, ui: 20_000 };

/** Monaco renders spaces as U+00A0 and hovers may contain &nbsp;: compare on plain spaces. */
export const normalise = (s) => s.replace(/\u00a0|&nbsp;/g, ' ');

/** The fixture's text and facts the tests compute instead of hard-coding (1-based lines). */
export function fixture(workspace, name) {
  const path = join(workspace, name, 'Drone.toml');
  const lines = readFileSync(path, 'utf8').split('\n');
  const sizeLine = lines.findIndex((l, i) => /^\s*size\s*=/.test(l) && lines.slice(0, i).some((h) => /^\s*\[heap(\.main)?\]/.test(h)));
  return { path, lines, heapSizeLine: sizeLine + 1 };
}

/** Opens the workspace and `file` at once (URL payload), then waits for the editor to show `expectText`. */
export async function openFile(ctx, file, expectText) {
  const { page } = ctx;
  await page.goto(ctx.workbenchUrl([['openFile', ctx.remoteUri(file)]]));
  await page.locator('.monaco-workbench').waitFor({ timeout: WAIT.workbench });
  await editorLine(page, expectText).waitFor({ timeout: WAIT.workbench });
}

/** The rendered editor line (`.view-line`) whose text contains `text`. */
export function editorLine(page, text) {
  // :has-text matches on normalised whitespace, which covers Monaco's non-breaking spaces.
  return page.locator('.editor-instance .monaco-editor .view-line', { hasText: text }).first();
}

/**
 * Screen box of `needle` inside the editor line containing `lineText`, measured with a DOM Range
 * over the line's text nodes (token spans split the text arbitrarily).
 */
export async function textBox(page, lineText, needle) {
  const line = editorLine(page, lineText);
  await line.waitFor({ timeout: WAIT.ui });
  const box = await line.evaluate((el, needle) => {
    const norm = (s) => s.replace(/\u00a0/g, ' ');
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let text = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push([n, text.length]);
      text += norm(n.data);
    }
    const at = text.indexOf(needle);
    if (at < 0) return null;
    const locate = (offset) => {
      for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
      return [nodes[0][0], 0];
    };
    const range = document.createRange();
    range.setStart(...locate(at));
    range.setEnd(...locate(at + needle.length - 1));
    range.setEnd(range.endContainer, range.endOffset + 1);
    const r = range.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }, needle);
  if (!box) throw new Error(`"${needle}" not found in the editor line containing "${lineText}"`);
  return box;
}

export const centre = (b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

/** Waits until some visible hover contains `text` (after normalising spaces); returns its text. */
export async function waitForHover(page, text, timeout = WAIT.ui) {
  const handle = await page.waitForFunction(
    (want) => {
      for (const el of document.querySelectorAll('.monaco-hover:not(.hidden)')) {
        const t = el.textContent.replace(/\u00a0/g, ' ');
        if (t.includes(want)) return t;
      }
      return null;
    },
    text,
    { timeout },
  );
  return handle.jsonValue();
}

/** Runs a command from the palette by its title (Ctrl+Shift+P). */
export async function runCommand(page, title) {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: WAIT.ui });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: WAIT.ui });
  await page.keyboard.press('Enter');
}

/**
 * A webview's document (e.g. the heap view panel, a later issue): two nested same-origin frames.
 * Use as `webview(page).locator('#id')`.
 */
export const webview = (page) => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

/**
 * Waits until a squiggle of `severity` (error, warning, info) is drawn on the editor line whose
 * text contains `lineText`. Squiggles live in an overlay layer, not in the line, so their boxes
 * are compared — in one evaluation, because a code lens appearing above shifts every line.
 */
export async function waitForSquiggleOnLine(page, lineText, severity = 'error', timeout = WAIT.server) {
  await page.waitForFunction(
    ({ lineText, severity }) => {
      const editor = document.querySelector('.editor-instance .monaco-editor');
      if (!editor) return false;
      const line = [...editor.querySelectorAll('.view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(lineText));
      if (!line) return false;
      const l = line.getBoundingClientRect();
      return [...editor.querySelectorAll(`.squiggly-${severity}`)].some((s) => {
        const r = s.getBoundingClientRect();
        const mid = r.y + r.height / 2;
        return r.width > 0 && mid >= l.y && mid <= l.y + l.height;
      });
    },
    { lineText, severity },
    { timeout },
  );
}
