// The heap view page in each theme kind VS Code tells a webview about (dark, light, high
// contrast dark and light) at a narrow, a medium and a wide panel (400, 800, 1400 px), on the
// example project (examples/sensor-logger) and the compare fixture:
//  - every legend swatch and every series is drawn (not transparent) and stands out from
//    its background (≥ 3:1), "filled up" and "requests failed" differ by more than a border;
//  - coloured text (improvements, failures) has ≥ 4.5:1 against what is behind it;
//  - the page never scrolls sideways, tables fit or stack, figures keep their units, strip
//    labels are never clipped;
//  - zooming the chart asks the host for the range and draws the server's finer steps (down
//    to single events); the legend follows Blocks/Bytes; Reset clears the readout.
// Contrast is WCAG's, from the computed styles. Screenshots: test-artifacts/webview/kinds-*.png.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { HeapViewData } from '../../protocol/heapView';
import { simulateTraceFile } from '../../server/src/core/replay/simulate';
import type { ReplayResult } from '../../server/src/core/replay/result';
import { rangeSeries } from '../../server/src/core/view/rangeSeries';
import { toWireRangeSeries } from '../../server/src/features/wire/heapView';
import { REPO_ROOT } from '../support/paths';
import { makeFixtures, type Fixtures } from './fixtures';
import { Harness, chromiumAvailable, type HeapPage } from './harness';
import { THEME_KINDS } from './themes';

const data = (d: HeapViewData) => ({ type: 'data' as const, data: d });
const WIDTHS = [400, 800, 1400];

/** What the page measures: colours as [r, g, b, a] (0..255, a 0..1) against what is behind them. */
interface Pair {
  what: string;
  fg: number[];
  bg: number[];
}

function luminance([r, g, b]: number[]): number {
  const f = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

/** WCAG contrast of an opaque colour (or one composited over `bg`) against `bg`. */
function contrast(fg: number[], bg: number[]): number {
  const a = fg[3] ?? 1;
  const over = [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a));
  const [x, y] = [luminance(over), luminance(bg)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** In the page: colour pairs for fills (swatches, strip, histogram, chart lines) and coloured text. */
function measure(p: HeapPage): Promise<{ fills: Pair[]; texts: Pair[]; failedVsFull: [string, string] | null }> {
  return p.page.evaluate(() => {
    const rgba = (css: string): number[] => {
      const m = css.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const parts = m[1]
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0], parts[1], parts[2], parts[3] ?? 1];
    };
    /** The opaque background behind an element (its own, or its nearest ancestor's). */
    const behind = (element: Element | null, skipSelf = false): number[] => {
      for (let e = skipSelf ? element?.parentElement : element; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) return c;
      }
      return rgba(getComputedStyle(document.body).backgroundColor);
    };
    const fill = (e: Element) => {
      const c = rgba(getComputedStyle(e).backgroundColor);
      return [c[0], c[1], c[2], c[3] * Number(getComputedStyle(e).opacity)];
    };
    const name = (e: Element) =>
      `${e.className || e.tagName} "${(e.closest('li, .segment, .hist-bar')?.textContent ?? '').trim().slice(0, 30)}"`;
    const fills: { what: string; fg: number[]; bg: number[] }[] = [];
    for (const e of document.querySelectorAll('.swatch:not(.use-unused)'))
      fills.push({ what: `swatch ${name(e)}`, fg: fill(e), bg: behind(e, true) });
    for (const e of document.querySelectorAll('.segment-fill'))
      if (e.getBoundingClientRect().height > 0) fills.push({ what: `strip ${name(e)}`, fg: fill(e), bg: behind(e, true) });
    for (const e of document.querySelectorAll('.segment-device'))
      fills.push({ what: `device line ${name(e)}`, fg: fill(e), bg: behind(e, true) });
    for (const e of document.querySelectorAll('.hist-fill')) fills.push({ what: `histogram ${name(e)}`, fg: fill(e), bg: behind(e, true) });
    // The chart's lines: the colour the page resolves for each pool (as it strokes them).
    document
      .querySelectorAll('.chart-legend .swatch.line')
      .forEach((e, i) => fills.push({ what: `chart line ${i}`, fg: fill(e), bg: behind(document.getElementById('chart')) }));
    const texts: { what: string; fg: number[]; bg: number[] }[] = [];
    for (const e of document.querySelectorAll(
      '.served, .better, .worse, .failures, .segment-failures, table.pools tr.row-failed td:nth-child(9)',
    )) {
      if (!(e as HTMLElement).offsetParent) continue;
      texts.push({
        what: `text ${e.className || e.tagName} "${(e.textContent ?? '').trim().slice(0, 30)}"`,
        fg: rgba(getComputedStyle(e).color),
        bg: behind(e),
      });
    }
    const full = document.querySelector('.legend .swatch.use-full');
    const failed = document.querySelector('.legend .swatch.use-failed');
    const look = (e: Element) => `${getComputedStyle(e).backgroundColor} ${getComputedStyle(e).backgroundImage}`;
    return { fills, texts, failedVsFull: full && failed ? [look(full), look(failed)] : null };
  });
}

/** In the page: what would make a narrow panel read badly. */
function layoutProblems(p: HeapPage): Promise<string[]> {
  return p.page.evaluate(() => {
    const problems: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > root.clientWidth) {
      const wide = [...document.querySelectorAll('body *')].filter(
        (e) => e.getBoundingClientRect().right > root.clientWidth + 1 && !e.closest('.table-wrap, .visually-hidden'),
      );
      const innermost = wide.filter((e) => !wide.some((other) => other !== e && e.contains(other)));
      problems.push(
        `the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth} (${innermost
          .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
          .slice(0, 4)
          .join(', ')})`,
      );
    }
    for (const wrap of document.querySelectorAll('.table-wrap')) {
      if (wrap.scrollWidth > wrap.clientWidth + 1 && document.documentElement.clientWidth < 1000)
        problems.push(
          `${wrap.querySelector('table')?.className} scrolls sideways in its box at ${document.documentElement.clientWidth} px`,
        );
    }
    // Figures keep their units: every figure cell is one line (the stacked layout's label is a pseudo-element, not in the range).
    for (const cell of document.querySelectorAll('table td.num, table th.num')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      const tops = new Set<number>();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
      }
      if (tops.size > 1) problems.push(`"${cell.textContent}" breaks over ${tops.size} lines`);
    }
    for (const label of document.querySelectorAll<HTMLElement>('.segment-label')) {
      if (!label.offsetParent) continue;
      if (label.scrollWidth > label.clientWidth)
        problems.push(`strip label "${label.textContent}" is clipped (${label.scrollWidth} > ${label.clientWidth})`);
    }
    return problems;
  });
}

describe('heap view page in every theme kind and width (Chromium)', function () {
  this.timeout(240_000);
  let harness: Harness;
  let fx: Fixtures;
  let steps: ReplayResult;
  const opened: HeapPage[] = [];

  before(async function () {
    if (!chromiumAvailable()) {
      console.log('      (skipped: /usr/bin/chromium is not installed; `npm run e2e:setup` installs it)');
      this.skip();
    }
    [harness, fx] = await Promise.all([Harness.start(), makeFixtures()]);
    // The example's replay as the worker makes it: with its per-event steps, for the zoom's answer.
    const pools = fx.example.heap!.pools.map(({ block, capacity }) => ({ block, capacity }));
    steps = await simulateTraceFile(join(REPO_ROOT, 'examples', 'sensor-logger', 'heaptrace'), pools, { stepLogLimit: 1 << 20 });
  });
  after(async () => harness?.stop());
  afterEach(async () => {
    for (const p of opened.splice(0)) {
      assert.deepEqual(await p.cspViolations(), [], 'CSP violations');
      assert.deepEqual(p.errors, [], 'page errors');
    }
  });

  for (const theme of THEME_KINDS) {
    for (const width of WIDTHS) {
      it(`${theme.name}, ${width} px: colours, contrast, layout, zoom`, async () => {
        const p = await harness.open(theme, { width, height: 900 });
        opened.push(p);
        const failures: string[] = [];

        for (const [fixture, label] of [
          [fx.device, 'device'],
          [fx.compared, 'compare'],
          [fx.example, 'example'],
        ] as const) {
          await p.send(data(fixture));
          const { fills, texts, failedVsFull } = await measure(p);
          assert.ok(
            fills.length > (label === 'device' ? 8 : 20) && texts.length >= (label === 'device' ? 1 : 2),
            `${label}: ${fills.length} fills, ${texts.length} texts measured`,
          );
          for (const f of fills) {
            if (f.fg[3] === 0) failures.push(`${label}: ${f.what} is transparent`);
            else if (contrast(f.fg, f.bg) < 3) failures.push(`${label}: ${f.what} ${contrast(f.fg, f.bg).toFixed(2)}:1 < 3:1`);
          }
          for (const t of texts)
            if (contrast(t.fg, t.bg) < 4.5) failures.push(`${label}: ${t.what} ${contrast(t.fg, t.bg).toFixed(2)}:1 < 4.5:1`);
          assert.ok(failedVsFull, 'the legend has "filled up" and "requests failed"');
          if (failedVsFull[1] === failedVsFull[0] || !/gradient/.test(failedVsFull[1]))
            failures.push(`${label}: "requests failed" is not hatched unlike "filled up" (${failedVsFull.join(' / ')})`);
          failures.push(...(await layoutProblems(p)).map((problem) => `${label}: ${problem}`));
          await p.screenshot(`kinds-${label}-${theme.name}-${width}`);
        }
        assert.deepEqual(failures, []);

        // The legend's capacities follow the unit.
        const capacity = p.page.locator('.chart-legend .capacity').first();
        const first = fx.example.series!.pools[0];
        assert.equal(await capacity.textContent(), ` /${first.capacity}\u00a0blocks`);
        await p.page.locator('label[for="unit-bytes"]').click();
        assert.equal(await capacity.textContent(), ` /${(first.capacity * first.block).toLocaleString('en-US')}\u00a0B`);
        await p.page.locator('label[for="unit-blocks"]').click();

        // Zoom in to ~1,200 events: the page asks for that range at its width and draws the answer.
        const whole = fx.example.series!;
        assert.equal(await p.page.locator('#chart').getAttribute('data-step-width'), String(whole.bucketWidth));
        await p.clearPosted();
        await p.page.locator('#chart').focus();
        for (let i = 0; i < 5; i++) await p.page.keyboard.press('+');
        const zoom = (await p.state())!.zoom!;
        await p.page.waitForFunction(
          ([from, to]) => window.__posted.some((m) => m.type === 'zoom' && m.from === from && m.to === to),
          zoom,
        );
        const asked = (await p.posted()).filter((m) => m.type === 'zoom').pop() as Extract<
          Awaited<ReturnType<HeapPage['posted']>>[number],
          { type: 'zoom' }
        >;
        assert.equal(asked.heap, 'main');
        assert.ok(asked.buckets >= 200 && asked.buckets <= width, `${asked.buckets} buckets for a ${width} px panel`);
        const answer = rangeSeries(steps, asked.from, asked.to, asked.buckets);
        assert.ok(answer && answer.fromSteps);
        const ranges = await p.page.evaluate(() => Number(document.body.dataset.ranges ?? 0));
        await p.page.evaluate((m) => window.postMessage(m, '*'), {
          type: 'range' as const,
          from: asked.from,
          to: asked.to,
          series: toWireRangeSeries(answer),
        });
        await p.page.waitForFunction((n) => Number(document.body.dataset.ranges ?? 0) > n, ranges);
        const stepWidth = Number(await p.page.locator('#chart').getAttribute('data-step-width'));
        assert.equal(stepWidth, answer.bucketWidth);
        assert.ok(stepWidth <= Math.ceil((zoom[1] - zoom[0]) / 200), `zoomed steps of ${stepWidth} events, not ${whole.bucketWidth}`);
        assert.match(
          await p.page.locator('#chart-resolution').innerText(),
          new RegExp(`steps? of ${stepWidth === 1 ? '1 event' : `${stepWidth} events`}`),
        );
        // The readout at a moment of the zoomed range names that step.
        const box = (await p.page.locator('#chart canvas').first().boundingBox())!;
        await p.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await p.page.waitForFunction(() => /^Events [\d,]+/.test(document.getElementById('chart-readout')!.textContent ?? ''));
        const readout = await p.page.locator('#chart-readout').innerText();
        const [, from, to] = /^Events ([\d,]+)(?:–([\d,]+))?:/.exec(readout)!;
        const span = to ? Number(to.replace(/,/g, '')) - Number(from.replace(/,/g, '')) + 1 : 1;
        assert.equal(span, stepWidth, readout);
        await p.screenshot(`kinds-zoomed-${theme.name}-${width}`);
        // Reset: the whole trace, and the readout no longer shows a moment of the zoom.
        await p.page.locator('[data-focus="tool-reset"]').click();
        assert.equal((await p.state())!.zoom, null);
        assert.doesNotMatch(await p.page.locator('#chart-readout').innerText(), /^Events/);
      });
    }
  }
});
