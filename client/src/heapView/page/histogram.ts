// Requested sizes: a bar per size (or per group of neighbouring sizes when there are many),
// by allocations or by peak live count, grouped under the pool each size fits best, with the
// pool boundaries drawn between the groups. A bar's colour says how much of its blocks
// rounding up to the pool's block wastes; hover or focus it for the figures.
import type { SizeBin, SizeHistogram } from '../../../../protocol/heapView';
import { bytes, h, num, percent, plural } from './dom';
import { attachTooltip, type TooltipContent } from './tooltip';

export type Measure = 'allocations' | 'peakLive';

export const MEASURE_LABELS: Record<Measure, string> = { allocations: 'Allocations', peakLive: 'Peak live' };

export type Waste = 'low' | 'mid' | 'high' | 'fails';

/** Share of the reserved bytes lost to rounding: < 10%, < 30%, more; sizes with no pool fail. */
export function wasteOf(bin: SizeBin): Waste {
  if (bin.pool === null) return 'fails';
  const reserved = bin.requestedBytes + bin.wasteBytes;
  const share = reserved > 0 ? bin.wasteBytes / reserved : 0;
  return share < 0.1 ? 'low' : share < 0.3 ? 'mid' : 'high';
}

export const WASTE_LABELS: Record<Waste, string> = {
  low: 'rounding wastes < 10%',
  mid: '10–30%',
  high: '≥ 30%',
  fails: 'larger than every block',
};

const sizeRange = (bin: SizeBin) => (bin.from === bin.to ? `${num(bin.from)} B` : `${num(bin.from)}–${num(bin.to)} B`);

function binTooltip(bin: SizeBin, histogram: SizeHistogram): TooltipContent {
  const block = bin.pool === null ? null : histogram.blocks[bin.pool];
  const rows: [string, string][] = [
    ['best-fitting pool', block === null ? 'none: larger than every block, these requests fail' : `${num(block)} B blocks`],
    ['allocations', num(bin.allocations)],
    ['peak live', `${num(bin.peakLive)}${bin.sizes > 1 ? ' (Σ of each size’s own peak)' : ''}`],
    ['requested at peak', bytes(bin.requestedBytes)],
  ];
  if (block !== null) {
    const perBlock = bin.from === bin.to ? bytes(block - bin.from) : `${num(block - bin.to)}–${num(block - bin.from)} B`;
    rows.push(
      ['wasted per block', perBlock],
      ['wasted at peak', `${bytes(bin.wasteBytes)} (${percent(bin.wasteBytes, bin.requestedBytes + bin.wasteBytes)})`],
    );
  }
  return { title: `${sizeRange(bin)}${bin.sizes > 1 ? ` · ${plural(bin.sizes, 'distinct size')}` : ''}`, rows };
}

export function renderHistogram(histogram: SizeHistogram, measure: Measure): HTMLElement {
  const value = (bin: SizeBin) => (measure === 'allocations' ? bin.allocations : bin.peakLive);
  const top = Math.max(1, ...histogram.bins.map(value));
  const bars = h('div', {
    class: 'hist-bars',
    role: 'group',
    'aria-label': `Requested sizes by ${MEASURE_LABELS[measure].toLowerCase()}; arrow keys move between bars`,
  });
  bars.style.gridTemplateColumns = `repeat(${Math.max(1, histogram.bins.length)}, minmax(1px, 1fr))`;
  const buttons: HTMLElement[] = [];
  histogram.bins.forEach((bin, i) => {
    const boundary = i === 0 || histogram.bins[i - 1].pool !== bin.pool;
    const block = bin.pool === null ? null : histogram.blocks[bin.pool];
    const label = `${sizeRange(bin)}: ${num(value(bin))} ${measure === 'allocations' ? 'allocations' : 'peak live'}, ${block === null ? 'no pool fits' : `${num(block)} B pool, ${bytes(bin.wasteBytes)} wasted at peak`}`;
    const bar = h(
      'div',
      {
        class: `hist-bar waste-${wasteOf(bin)}${boundary ? ' boundary' : ''}`,
        role: 'img',
        tabindex: i === 0 ? 0 : -1,
        'aria-label': label,
        'data-from': bin.from,
        'data-to': bin.to,
      },
      h('span', { class: 'hist-fill' }),
    );
    (bar.firstElementChild as HTMLElement).style.height = `${(value(bin) / top) * 100}%`;
    if (boundary) {
      bar.appendChild(h('span', { class: 'boundary-label', 'aria-hidden': 'true' }, block === null ? '> all' : `≤ ${num(block)} B`));
    }
    attachTooltip(bar, () => binTooltip(bin, histogram));
    bar.addEventListener('keydown', (event) => {
      const step =
        event.key === 'ArrowRight'
          ? 1
          : event.key === 'ArrowLeft'
            ? -1
            : event.key === 'Home'
              ? -Infinity
              : event.key === 'End'
                ? Infinity
                : 0;
      if (!step) return;
      event.preventDefault();
      const next = buttons[Math.max(0, Math.min(buttons.length - 1, i + step))];
      bar.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    });
    buttons.push(bar);
    bars.appendChild(bar);
  });
  const first = histogram.bins[0];
  const last = histogram.bins[histogram.bins.length - 1];
  const axis = h(
    'div',
    { class: 'hist-axis', 'aria-hidden': 'true' },
    h('span', {}, first ? `${num(first.from)} B` : ''),
    h(
      'span',
      { class: 'muted' },
      `${histogram.exact ? 'one bar per requested size' : `${num(histogram.distinctSizes)} distinct sizes in ${histogram.bins.length} bars`} · top ${num(top)}`,
    ),
    h('span', {}, last ? `${num(last.to)} B` : ''),
  );
  const legend = h('ul', { class: 'legend', 'aria-label': 'Colours of the bars' });
  for (const [waste, text] of Object.entries(WASTE_LABELS))
    legend.appendChild(h('li', {}, h('span', { class: `swatch waste-${waste}`, 'aria-hidden': 'true' }), text));
  legend.appendChild(h('li', { class: 'muted' }, 'dashed lines: pool boundaries'));
  const notes: (HTMLElement | null)[] = [
    histogram.zeroSize.allocations
      ? h('p', { class: 'muted' }, `${plural(histogram.zeroSize.allocations, 'request')} of 0 bytes (no pool involved).`)
      : null,
    histogram.bins.length === 0 ? h('p', { class: 'muted' }, 'The trace requested no memory.') : null,
  ];
  // Boundary labels of narrow pools would overlap: once laid out, hide each that would run
  // into the previous one shown (the bars' tooltips and aria-labels still name the pool).
  new ResizeObserver(() => declutter(bars)).observe(bars);
  return h('div', { class: 'hist' }, bars, axis, legend, ...notes);
}

function declutter(bars: HTMLElement): void {
  const limit = bars.getBoundingClientRect().right;
  let end = -Infinity;
  for (const label of bars.querySelectorAll<HTMLElement>('.boundary-label')) {
    label.classList.remove('crowded', 'flip');
    let box = label.getBoundingClientRect();
    if (box.right > limit) {
      // Near the right edge: the label ends at its bar's right edge instead.
      label.classList.add('flip');
      box = label.getBoundingClientRect();
    }
    if (box.left < end + 6) label.classList.add('crowded');
    else end = box.right;
  }
}
