// Per pool: capacity, peak, allocations, overflow, failures, internal fragmentation, unused
// bytes, and the device's peak and use when its memory was read — a table sortable by every
// column (header buttons, aria-sort), each row linked to the pool's line in Drone.toml.
import type { HeapViewHeap, HeapViewPool } from '../../../../protocol/heapView';
import { address, bytes, h, num, percent } from './dom';

export interface Column {
  key: string;
  label: string;
  /** What the column means (header tooltip). */
  title: string;
  /** Sort value; null sorts last. */
  value(pool: HeapViewPool): number | null;
  text(pool: HeapViewPool): string;
  /** Shown only when the heap has figures from the device. */
  device?: boolean;
}

const traced = (f: (t: NonNullable<HeapViewPool['trace']>, pool: HeapViewPool) => number) => (pool: HeapViewPool) =>
  pool.trace ? f(pool.trace, pool) : null;
const show = (v: number | null, format: (n: number) => string = num) => (v === null ? '–' : format(v));

export const COLUMNS: Column[] = [
  { key: 'block', label: 'Block', title: 'Block size in bytes', value: (p) => p.block, text: (p) => bytes(p.block) },
  { key: 'capacity', label: 'Capacity', title: 'Blocks in the pool', value: (p) => p.capacity, text: (p) => num(p.capacity) },
  { key: 'bytes', label: 'Bytes', title: 'block × capacity', value: (p) => p.bytes, text: (p) => bytes(p.bytes) },
  {
    key: 'address',
    label: 'Address',
    title: 'Where the pool starts in memory',
    value: (p) => p.address?.start ?? null,
    text: (p) => (p.address ? address(p.address.start) : '–'),
  },
  {
    key: 'peak',
    label: 'Peak',
    title: 'Most blocks in use at once',
    value: traced((t) => t.peak),
    text: (p) => show(p.trace?.peak ?? null),
  },
  {
    key: 'peakShare',
    label: 'Peak %',
    title: 'Peak blocks in use / capacity',
    value: traced((t) => t.peakShare),
    text: (p) => (p.trace ? percent(p.trace.peak, p.capacity) : '–'),
  },
  {
    key: 'allocations',
    label: 'Allocations',
    title: 'Blocks taken from this pool (the new block of a grow/shrink included)',
    value: traced((t) => t.allocations),
    text: (p) => show(p.trace?.allocations ?? null),
  },
  {
    key: 'overflowIn',
    label: 'Overflow in',
    title: 'Blocks taken here because a smaller, better-fitting pool was full',
    value: traced((t) => t.overflowIn),
    text: (p) => show(p.trace?.overflowIn ?? null),
  },
  {
    key: 'failures',
    label: 'Failures',
    title: 'Failed requests whose best-fitting pool is this one',
    value: traced((t) => t.failures),
    text: (p) => show(p.trace?.failures ?? null),
  },
  {
    key: 'fragmentation',
    label: 'Fragmentation',
    title: 'Internal fragmentation at the heap’s peak: Σ (block − requested size) over live blocks',
    value: traced((t) => t.fragmentation),
    text: (p) => show(p.trace?.fragmentation ?? null, bytes),
  },
  {
    key: 'unusedBytes',
    label: 'Unused',
    title: 'Capacity never needed: (capacity − peak) × block',
    value: traced((t) => t.unusedBytes),
    text: (p) => (p.trace ? `${bytes(p.trace.unusedBytes)} (${num(p.trace.neverUsed)})` : '–'),
  },
  {
    key: 'devicePeak',
    label: 'Device peak',
    title: 'Most blocks in use at once on the device since reset (from a RAM dump or a debug stop)',
    value: (p) => p.device?.highWater ?? null,
    text: (p) => (p.device ? `${num(p.device.highWater)}/${num(p.device.capacity)}${p.device.everFull ? ' · was full' : ''}` : '–'),
    device: true,
  },
  {
    key: 'deviceNow',
    label: 'Device now',
    title: 'Blocks in use on the device when its memory was read',
    value: (p) => p.device?.inUse ?? null,
    text: (p) => (p.device ? (p.device.inUse === null ? '?' : num(p.device.inUse)) : '–'),
    device: true,
  },
];

/** The columns of a heap: the device's only when it has figures from the device. */
export function columnsOf(heap: HeapViewHeap): Column[] {
  const device = heap.pools.some((p) => p.device);
  return COLUMNS.filter((c) => !c.device || device);
}

export interface Sort {
  key: string;
  descending: boolean;
}

export function sortPools(pools: readonly HeapViewPool[], sort: Sort): HeapViewPool[] {
  const column = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[0];
  const direction = sort.descending ? -1 : 1;
  return [...pools]
    .map((pool, order) => ({ pool, order, value: column.value(pool) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === b.value ? a.order - b.order : a.value === null ? 1 : -1;
      return (a.value - b.value) * direction || a.order - b.order;
    })
    .map((x) => x.pool);
}

export interface TableCallbacks {
  sort(sort: Sort): void;
  reveal(pool: HeapViewPool): void;
  highlight(pool: HeapViewPool | null): void;
}

export function renderTable(heap: HeapViewHeap, sort: Sort, callbacks: TableCallbacks): HTMLElement {
  const columns = columnsOf(heap);
  const headRow = h('tr');
  for (const column of columns) {
    const active = column.key === sort.key;
    const button = h(
      'button',
      { type: 'button', class: 'sort', title: column.title, 'data-key': column.key, 'data-focus': `sort-${column.key}` },
      column.label,
      h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (sort.descending ? ' ▼' : ' ▲') : ''),
    );
    button.addEventListener('click', () =>
      callbacks.sort({ key: column.key, descending: active ? !sort.descending : column.key !== 'block' && column.key !== 'address' }),
    );
    headRow.appendChild(
      h('th', { scope: 'col', class: 'num', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : null }, button),
    );
  }
  const body = h('tbody');
  for (const pool of sortPools(heap.pools, sort)) {
    const row = h('tr', { 'data-pool': pool.index, class: pool.trace && pool.trace.failures > 0 ? 'row-failed' : null });
    columns.forEach((column, i) => {
      if (i === 0) {
        const link = h(
          'button',
          {
            type: 'button',
            class: 'link',
            'data-focus': `row-${pool.index}`,
            title: `Show pool ${pool.index + 1} in Drone.toml (line ${pool.range.start.line + 1})`,
          },
          column.text(pool),
        );
        link.addEventListener('click', () => callbacks.reveal(pool));
        row.appendChild(h('th', { scope: 'row', class: 'num', 'data-label': column.label }, link));
      } else {
        row.appendChild(h('td', { class: 'num', 'data-label': column.label }, column.text(pool)));
      }
    });
    row.addEventListener('mouseenter', () => callbacks.highlight(pool));
    row.addEventListener('mouseleave', () => callbacks.highlight(null));
    body.appendChild(row);
  }
  const caption = h(
    'caption',
    { class: 'visually-hidden' },
    `Pools of ${heap.qualifiedName}, sorted by ${(COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[0]).label.toLowerCase()} ${sort.descending ? 'descending' : 'ascending'}`,
  );
  return h('div', { class: 'table-wrap' }, h('table', { class: 'pools stack' }, caption, h('thead', {}, headRow), body));
}
