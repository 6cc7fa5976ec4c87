// The heap as a strip to scale: each pool a segment as wide as its share of the heap, in
// memory order (ascending block, from the heap's origin), filled to its peak use and
// coloured by it. Hover or focus a segment for its figures; click (Enter) to show its line.
import type { HeapViewHeap, HeapViewPool } from '../../../../protocol/heapView';
import { address, bytes, h, num, percent, plural } from './dom';
import { attachTooltip, type TooltipContent } from './tooltip';

export type Usage = 'none' | 'unused' | 'low' | 'mid' | 'high' | 'full' | 'failed';

/** The colour class of a pool by its peak use (the legend explains them). */
export function usageOf(pool: HeapViewPool): Usage {
  const t = pool.trace;
  if (!t) return 'none';
  if (t.failures > 0) return 'failed';
  if (t.peak === 0) return 'unused';
  if (t.peak >= pool.capacity) return 'full';
  if (t.peakShare >= 0.8) return 'high';
  if (t.peakShare >= 0.5) return 'mid';
  return 'low';
}

export const USAGE_LABELS: Record<Exclude<Usage, 'none'>, string> = {
  low: 'peak < 50%',
  mid: '50–80%',
  high: '80–99%',
  full: 'filled up',
  failed: 'requests failed',
  unused: 'never used',
};

export interface StripCallbacks {
  reveal(pool: HeapViewPool): void;
  highlight(pool: HeapViewPool | null): void;
}

export function poolTitle(pool: HeapViewPool): string {
  return `${num(pool.block)} B × ${num(pool.capacity)}`;
}

export function poolTooltip(pool: HeapViewPool, heap: HeapViewHeap): TooltipContent {
  const rows: [string, string][] = [
    ['bytes', `${bytes(pool.bytes)} (${percent(pool.bytes, heap.poolSum ?? heap.pools.reduce((s, p) => s + p.bytes, 0))} of the heap)`],
    ['address', pool.address ? `${address(pool.address.start)}..${address(pool.address.end)}` : 'unknown'],
    ['in Drone.toml', `pool ${pool.index + 1}, line ${pool.range.start.line + 1}`],
  ];
  const t = pool.trace;
  if (t) {
    rows.push(
      [
        'peak',
        `${num(t.peak)} of ${num(pool.capacity)} blocks (${percent(t.peak, pool.capacity)})${t.peakAt !== null ? ` at event ${num(t.peakAt)}` : ''}`,
      ],
      ['allocations', num(t.allocations)],
      ['overflowed in', num(t.overflowIn)],
      ['failures', num(t.failures)],
      ['fragmentation at heap peak', bytes(t.fragmentation)],
      ['never used', `${plural(t.neverUsed, 'block')} (${bytes(t.unusedBytes)})`],
    );
    if (t.sizes.length) {
      const shown = t.sizes
        .slice(0, 6)
        .map((s) => `${num(s.size)} B ×${num(s.count)}`)
        .join(', ');
      rows.push(['sizes served', shown + (t.sizes.length > 6 || t.sizesOmittedCount ? ', …' : '')]);
    }
  }
  const d = pool.device;
  if (d) {
    rows.push(
      [
        'device peak',
        `${num(d.highWater)} of ${num(d.capacity)} blocks since reset (${percent(d.highWater, d.capacity)})${d.everFull ? ', was full' : ''}`,
      ],
      ['device now', d.inUse === null ? 'unknown (corrupt free list)' : `${num(d.inUse)} in use, ${num(d.free ?? 0)} free`],
    );
  }
  return { title: `Pool ${poolTitle(pool)}`, rows, note: 'Click to show it in Drone.toml' };
}

function ariaLabel(pool: HeapViewPool): string {
  const parts = [`Pool ${num(pool.block)} bytes times ${num(pool.capacity)}, ${bytes(pool.bytes)}, ${percent(pool.share, 1)} of the heap`];
  if (pool.address) parts.push(`${address(pool.address.start)} to ${address(pool.address.end)}`);
  parts.push(`line ${pool.range.start.line + 1}`);
  const t = pool.trace;
  if (t) {
    parts.push(`peak ${num(t.peak)} of ${num(pool.capacity)} blocks, ${percent(t.peak, pool.capacity)}`);
    if (t.failures) parts.push(plural(t.failures, 'failure'));
    if (t.overflowIn) parts.push(`${num(t.overflowIn)} overflowed in`);
  }
  const d = pool.device;
  if (d) parts.push(`device peak ${num(d.highWater)} of ${num(d.capacity)} blocks${d.everFull ? ', was full' : ''}`);
  return parts.join(', ');
}

export function renderStrip(heap: HeapViewHeap, callbacks: StripCallbacks): HTMLElement {
  const strip = h('div', {
    class: 'strip',
    role: 'group',
    'aria-label': `${heap.qualifiedName}: ${plural(heap.pools.length, 'pool')} in memory order`,
  });
  const segments: HTMLButtonElement[] = [];
  let offset = 0;
  heap.pools.forEach((pool, i) => {
    const usage = usageOf(pool);
    const segment = h(
      'button',
      {
        class: `segment use-${usage}`,
        type: 'button',
        'data-pool': pool.index,
        'data-focus': `segment-${pool.index}`,
        'aria-label': ariaLabel(pool),
      },
      h('span', { class: 'segment-fill', 'aria-hidden': 'true' }),
      // The device's peak: a line across the segment at its height (the fill is the trace's).
      pool.device ? h('span', { class: 'segment-device', 'aria-hidden': 'true' }) : null,
      h(
        'span',
        { class: 'segment-label', 'aria-hidden': 'true' },
        h('span', { class: 'segment-block' }, `${num(pool.block)} B`),
        h('span', { class: 'segment-capacity' }, `×${num(pool.capacity)}`),
        // Not by colour alone: failures are also written.
        pool.trace?.failures ? h('span', { class: 'segment-failures' }, `✖ ${num(pool.trace.failures)}`) : null,
      ),
    );
    // To scale: placed at its offset from the heap's start, as wide as its share (less a 2 px gap).
    segment.style.left = `${offset * 100}%`;
    segment.style.width = `calc(${pool.share * 100}% - 2px)`;
    offset += pool.share;
    const fill = segment.firstElementChild as HTMLElement;
    fill.style.height = `${Math.round(Math.min(1, pool.trace?.peakShare ?? 0) * 100)}%`;
    const deviceLine = segment.querySelector<HTMLElement>('.segment-device');
    if (deviceLine && pool.device) {
      deviceLine.style.bottom = `calc(${(Math.min(1, pool.device.highWater / Math.max(1, pool.device.capacity)) * 100).toFixed(1)}% - 1.5px)`;
    }
    attachTooltip(segment, () => poolTooltip(pool, heap));
    segment.addEventListener('click', () => callbacks.reveal(pool));
    segment.addEventListener('mouseenter', () => callbacks.highlight(pool));
    segment.addEventListener('mouseleave', () => callbacks.highlight(null));
    segment.addEventListener('keydown', (event) => {
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
      segments[Math.max(0, Math.min(segments.length - 1, i + step))]?.focus();
    });
    segments.push(segment);
    strip.appendChild(segment);
  });

  const total = heap.pools.reduce((s, p) => s + p.bytes, 0);
  const sizeText = heap.size !== null ? `size ${bytes(heap.size)}` : 'size unknown';
  const sumText = heap.poolSum !== null ? `Σ pools ${bytes(heap.poolSum)}` : `Σ valid pools ${bytes(total)}`;
  const axis = h(
    'div',
    { class: 'strip-axis' },
    h('span', {}, heap.address ? address(heap.address.start) : 'origin unknown'),
    h(
      'span',
      { class: 'strip-axis-mid' },
      `${sizeText} · ${sumText}${heap.poolsComplete ? '' : ' · some pools are not valid and are left out'}`,
    ),
    h('span', {}, heap.address ? address(heap.address.end) : ''),
  );
  const anyTrace = heap.pools.some((p) => p.trace);
  const legend = h('ul', { class: 'legend', 'aria-label': 'Colours of the strip' });
  if (anyTrace) {
    for (const [usage, label] of Object.entries(USAGE_LABELS)) {
      legend.appendChild(h('li', {}, h('span', { class: `swatch use-${usage}`, 'aria-hidden': 'true' }), label));
    }
    legend.appendChild(h('li', { class: 'muted' }, 'fill height = peak blocks in use'));
  } else {
    legend.appendChild(h('li', { class: 'muted' }, 'Widths to scale; colours and fill show the peak use once a trace is replayed.'));
  }
  if (heap.pools.some((p) => p.device)) {
    legend.appendChild(h('li', {}, h('span', { class: 'swatch device-swatch', 'aria-hidden': 'true' }), 'device peak since reset'));
  }
  // A label wider than its segment would be clipped ("4 E ×1"): show the block alone, or nothing
  // (the tooltip, the table and the aria-label carry the figures). Measured whenever the strip's width changes.
  new ResizeObserver(() => {
    for (const segment of segments) {
      const label = segment.querySelector<HTMLElement>('.segment-label')!;
      segment.classList.remove('label-short', 'label-none');
      if (label.scrollWidth <= label.clientWidth) continue;
      segment.classList.add('label-short');
      if (label.scrollWidth > label.clientWidth) segment.classList.replace('label-short', 'label-none');
    }
  }).observe(strip);
  return h('div', { class: 'strip-wrap' }, strip, axis, legend);
}
