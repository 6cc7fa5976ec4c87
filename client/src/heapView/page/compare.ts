// Before/after of an optimised layout: failures, peak use, bytes needed, fragmentation and
// the pools side by side, with "Apply" (the same edit as the one-click optimisation).
import type { ComparedLayoutFigures, HeapCompare } from '../../../../protocol/heapView';
import { bytes, h, num } from './dom';

interface Row {
  label: string;
  title: string;
  value(f: ComparedLayoutFigures): number;
  format(n: number): string;
}

const ROWS: Row[] = [
  { label: 'Failures', title: 'Failed allocations when the trace is replayed through the layout', value: (f) => f.failures, format: num },
  { label: 'Peak use', title: 'Peak of reserved block bytes', value: (f) => f.peakReservedBytes, format: bytes },
  { label: 'Bytes needed', title: 'Σ block × capacity', value: (f) => f.requiredBytes, format: bytes },
  { label: 'Heap size', title: 'The heap’s size in Drone.toml', value: (f) => f.size, format: bytes },
  { label: 'Fragmentation', title: 'Internal fragmentation at the heap’s peak', value: (f) => f.fragmentation, format: bytes },
];

function change(before: number, after: number, format: (n: number) => string): { text: string; better: boolean | null } {
  if (before === after) return { text: 'same', better: null };
  const diff = after - before;
  return { text: `${diff > 0 ? '+' : '−'}${format(Math.abs(diff))}`, better: diff < 0 };
}

function poolList(figures: ComparedLayoutFigures, label: string): HTMLElement {
  const list = h('ul', { class: 'compare-pools', 'aria-label': label });
  for (const pool of [...figures.pools].sort((a, b) => a.block - b.block))
    list.appendChild(h('li', {}, `${num(pool.block)} B × ${num(pool.capacity)}`));
  return list;
}

export function renderCompare(compare: HeapCompare, apply: () => void): HTMLElement {
  const body = h('tbody');
  for (const row of ROWS) {
    const before = row.value(compare.current);
    const after = row.value(compare.proposed);
    const delta = change(before, after, row.format);
    body.appendChild(
      h(
        'tr',
        {},
        h('th', { scope: 'row', title: row.title }, row.label),
        h('td', { class: 'num' }, row.format(before)),
        h('td', { class: 'num' }, row.format(after)),
        h('td', { class: `num ${delta.better === null ? 'muted' : delta.better ? 'better' : 'worse'}` }, delta.text),
      ),
    );
  }
  const table = h(
    'table',
    { class: 'compare-table' },
    h('caption', { class: 'visually-hidden' }, 'Current layout against the proposed one'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('td'),
        h('th', { scope: 'col', class: 'num' }, 'Current'),
        h('th', { scope: 'col', class: 'num' }, 'Proposed'),
        h('th', { scope: 'col', class: 'num' }, 'Change'),
      ),
    ),
    body,
  );
  // Nothing to apply when the search proposes the heap as it is.
  const button = h('button', { type: 'button', class: 'primary', id: 'apply-layout' }, 'Apply proposed layout');
  button.addEventListener('click', apply);
  const action = compare.unchanged
    ? h('p', { class: 'unchanged' }, 'The current layout is the proposal: the search finds nothing better for this trace.')
    : h(
        'p',
        {},
        button,
        ' ',
        h('span', { class: 'muted' }, 'Rewrites the pools and size of this heap in Drone.toml (undo with Ctrl+Z there).'),
      );
  return h(
    'div',
    { class: 'compare' },
    table,
    h(
      'div',
      { class: 'compare-layouts' },
      h('div', {}, h('h3', {}, 'Current pools'), poolList(compare.current, 'Current pools')),
      h('div', {}, h('h3', {}, 'Proposed pools'), poolList(compare.proposed, 'Proposed pools')),
    ),
    action,
  );
}
