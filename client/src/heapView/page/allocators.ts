// "Compare allocators": Drone's pools (this layout and the optimised one) beside best fit with
// coalescing and the defrag crate's style, replayed by the server on the same trace and the
// same heap size, as a table; and the models' external fragmentation over the trace as a
// chart (uPlot, theme colours). The table is the accessible form of every figure; the chart
// adds the shape over time.
import uPlot from 'uplot';
import type { AllocatorFigures, AllocatorId, FragmentationSeries, HeapViewAllocators } from '../../../../protocol/heapViewAllocators';
import { compact, poolColourVar } from './chart';
import { bytes, h, num, percent, plural, themeColour } from './dom';

function label(id: AllocatorId, view: HeapViewAllocators): string {
  switch (id) {
    case 'pools-current':
      return 'Drone pools, this layout';
    case 'pools-proposed':
      return 'Drone pools, optimised';
    case 'best-fit':
      return 'Best fit + coalescing';
    case 'defrag':
      return `defrag, ${num(view.indexes)} indexes`;
    case 'defrag-compacting':
      return 'defrag + compaction';
  }
}

const DESCRIPTIONS: Record<AllocatorId, string> = {
  'pools-current':
    'The pools as written in Drone.toml: a request takes a block of the smallest pool that fits it and has one free, else of the next larger pool.',
  'pools-proposed': 'The layout the optimiser proposes for this heap size (see "Proposed layout").',
  'best-fit':
    'One region; the smallest free run that fits (lowest address on ties); neighbours coalesce on free; metadata outside the region (orderly-allocator style).',
  defrag: 'One region; 8 B of overhead per block; one allocation index per live block; best fit by bins (the defrag crate’s style).',
  'defrag-compacting': 'As defrag, but when fragmentation would fail a request, defrag() first slides every live block down to the start.',
};

/** The row header's tooltip: what the allocator is, and the pools replayed. */
function description(row: AllocatorFigures): string {
  const pools = row.pools ? `\nPools: ${row.pools.map((p) => `${num(p.block)} B × ${num(p.capacity)}`).join(', ')}` : '';
  return DESCRIPTIONS[row.id] + pools;
}

const fraction = (x: number): string => percent(x, 1);
const dash = '—';

/** Why requests failed and what else sets this allocator apart, in words. */
function notes(row: AllocatorFigures, view: HeapViewAllocators): string {
  const parts: string[] = [];
  // The pools may not add up to the heap's size (a finding of its own), or a proposal may need less.
  if (row.bytes !== view.heapBytes) parts.push(`the pools hold ${bytes(row.bytes)}, not ${bytes(view.heapBytes)}`);
  const kinds = row.failureKinds;
  if (kinds) {
    if (kinds.outOfMemory) parts.push(`${num(kinds.outOfMemory)} out of memory`);
    if (kinds.outOfIndexes) parts.push(`${num(kinds.outOfIndexes)} out of indexes`);
    if (kinds.fragmented) parts.push(`${num(kinds.fragmented)} fragmented`);
  }
  if (row.failuresTooLarge) parts.push(`${num(row.failuresTooLarge)} larger than every block`);
  if (row.internalFragmentationAtPeak !== null) parts.push(`${bytes(row.internalFragmentationAtPeak)} unused inside blocks at the peak`);
  if (row.compactions !== null)
    parts.push(row.compactions ? `${plural(row.compactions, 'compaction')} moved ${bytes(row.bytesMoved ?? 0)}` : 'never compacted');
  if (row.peakBlocks !== null) parts.push(`${num(row.peakBlocks)} blocks live at most`);
  return parts.join('; ');
}

function table(view: HeapViewAllocators): HTMLElement {
  const head = h(
    'thead',
    {},
    h(
      'tr',
      {},
      h('th', { scope: 'col' }, 'Allocator'),
      h('th', { scope: 'col', class: 'num', title: 'Requests the allocator could not serve' }, 'Failures'),
      h('th', { scope: 'col', class: 'num' }, 'First failure'),
      h('th', { scope: 'col', class: 'num', title: 'Peak of the bytes taken by live blocks (see below)' }, 'Peak in use'),
      h('th', { scope: 'col', class: 'num', title: 'The largest free run when the peak was first reached' }, 'Largest free run at peak'),
      h(
        'th',
        { scope: 'col', class: 'num', title: '1 − largest free run ÷ free bytes, the worst over the trace' },
        'Worst ext. fragmentation',
      ),
      h('th', { scope: 'col' }, 'Notes'),
    ),
  );
  const body = h('tbody');
  for (const row of view.rows) {
    body.appendChild(
      h(
        'tr',
        { 'data-allocator': row.id },
        h('th', { scope: 'row', title: description(row) }, label(row.id, view)),
        h('td', { class: `num ${row.failures ? 'worse' : 'better'}`, 'data-label': 'Failures' }, num(row.failures)),
        h('td', { class: 'num', 'data-label': 'First failure' }, row.firstFailure === null ? dash : `event ${num(row.firstFailure)}`),
        h(
          'td',
          { class: 'num', title: percent(row.peakBytesInUse, view.heapBytes) + ' of the heap', 'data-label': 'Peak in use' },
          bytes(row.peakBytesInUse),
        ),
        h(
          'td',
          { class: 'num', 'data-label': 'Largest free run at peak' },
          row.largestFreeRunAtPeak === null ? dash : bytes(row.largestFreeRunAtPeak),
        ),
        h(
          'td',
          { class: 'num', 'data-label': 'Worst ext. fragmentation' },
          row.maxExternalFragmentation === null ? dash : fraction(row.maxExternalFragmentation),
        ),
        h('td', { class: 'notes', 'data-label': 'Notes' }, notes(row, view)),
      ),
    );
  }
  // In a box of its own: a table wider than the panel scrolls there, never the page.
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'compare-table allocators-table stack', id: 'allocators-table' },
      h('caption', { class: 'visually-hidden' }, `Allocators replaying the trace on ${bytes(view.heapBytes)}`),
      head,
      body,
    ),
  );
}

function status(view: HeapViewAllocators): HTMLElement | null {
  if (view.state === 'computing') {
    return h(
      'p',
      { class: 'muted', id: 'allocators-status', role: 'status' },
      h('progress', { 'aria-label': 'Replaying through the models' }),
      ' Replaying the trace through best fit and defrag on the same heap size…',
    );
  }
  if (view.state === 'failed')
    return h(
      'p',
      { class: 'muted', id: 'allocators-status', role: 'status' },
      `The models could not replay the trace: ${view.message ?? 'unknown error'}`,
    );
  return null;
}

function proposalNote(view: HeapViewAllocators): string | null {
  if (view.proposal === 'searching') return 'The optimised layout joins the table when the background search is done.';
  if (view.proposal === 'none') return 'No optimised layout to add: the optimiser offers none for this heap and size.';
  return null;
}

/** The section's content; `chart` is drawn once the element is in the document. */
export function renderAllocators(view: HeapViewAllocators): { element: HTMLElement; chart: FragmentationChart | null } {
  const chart = view.fragmentation ? new FragmentationChart(view.fragmentation) : null;
  const element = h(
    'div',
    { class: 'allocators' },
    h(
      'p',
      {},
      `Every allocator replays the same trace on one heap of ${bytes(view.heapBytes)} (the heap’s size, or its pools’ total when it has none); frees release the latest live allocation of their size, a grow or shrink allocates before it frees.`,
    ),
    table(view),
    status(view),
    proposalNote(view) && h('p', { class: 'muted note', id: 'allocators-proposal' }, proposalNote(view)),
    h(
      'p',
      { class: 'muted note' },
      `Peak in use: for the pools, the blocks taken (a block is used whole); for the models, the requests rounded up to 4 B${view.overheadPerBlock ? `, plus ${bytes(view.overheadPerBlock)} per block for defrag` : ''}. ` +
        'External fragmentation = 1 − largest free run ÷ free bytes: free memory that no single request can use. Drone’s pools have no runs to split; their waste is inside blocks larger than the request (Notes).',
    ),
    chart ? chart.element : null,
  );
  return { element, chart };
}

const HEIGHT = 200;
const MODEL_IDS = ['best-fit', 'defrag', 'defrag-compacting'] as const;
const DASHES = [undefined, [6, 3], [2, 2]];
const MODEL_NAMES: Record<(typeof MODEL_IDS)[number], string> = {
  'best-fit': 'best fit',
  defrag: 'defrag',
  'defrag-compacting': 'defrag + compaction',
};

/** External fragmentation of each model over the trace: the max within each step. */
export class FragmentationChart {
  readonly element: HTMLElement;
  private readonly host: HTMLElement;
  private readonly readout: HTMLElement;
  private plot: uPlot | undefined;
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(private readonly series: FragmentationSeries) {
    this.host = h('div', { class: 'chart-canvas' });
    this.readout = h('p', { class: 'readout muted', id: 'fragmentation-readout' }, 'Point at the chart for the figures of a moment.');
    const legend = h('ul', { class: 'chart-legend', 'aria-label': 'Models' });
    for (const line of series.lines) {
      const swatch = h('span', { class: 'swatch line', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = `var(${poolColourVar(MODEL_IDS.indexOf(line.id))})`;
      const worst = Math.max(0, ...line.values);
      legend.appendChild(
        h('li', { 'data-model': line.id }, swatch, MODEL_NAMES[line.id], h('span', { class: 'muted' }, ` worst ${fraction(worst)}`)),
      );
    }
    this.element = h(
      'figure',
      { class: 'fragmentation', id: 'fragmentation' },
      h('figcaption', {}, 'External fragmentation over the trace'),
      legend,
      h('div', { class: 'chart', role: 'img', 'aria-label': this.summary() }, this.host),
      this.readout,
    );
    this.resize.observe(this.element);
  }

  private summary(): string {
    const s = this.series;
    const worst = s.lines.map((l) => `${MODEL_NAMES[l.id]} at most ${fraction(Math.max(0, ...l.values))}`).join(', ');
    return `External fragmentation of the models over ${plural(s.events, 'event')} in ${plural(s.buckets, 'step')}: ${worst}.`;
  }

  render(): void {
    this.plot?.destroy();
    const s = this.series;
    const end = Math.max(1, Math.min(s.events, s.buckets * s.bucketWidth));
    const xs: number[] = [];
    for (let k = 0; k < s.buckets; k++) xs.push(k * s.bucketWidth);
    xs.push(end);
    const data: uPlot.AlignedData = [
      xs,
      ...s.lines.map((l) => [...l.values.map((v) => v * 100), (l.values[l.values.length - 1] ?? 0) * 100]),
    ];
    const foreground = themeColour('--vscode-charts-foreground');
    const grid = themeColour('--vscode-charts-lines', '--vscode-widget-border');
    const font = `${getComputedStyle(document.body).getPropertyValue('--vscode-font-size').trim() || '13px'} ${getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim() || 'sans-serif'}`;
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const axis = (text: string, format: (v: number) => string): uPlot.Axis => ({
      stroke: foreground,
      font,
      labelFont: font,
      label: text,
      labelSize: 18,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      values: (_u, splits) => splits.map(format),
    });
    this.plot = new uPlot(
      {
        width: Math.max(200, this.element.clientWidth || 600),
        height: HEIGHT,
        scales: { x: { time: false }, y: { range: [0, this.ceiling()] } },
        axes: [axis('event', compact), { ...axis('external fragmentation', (v) => `${v}%`), size: 60 }],
        series: [
          { label: 'event' },
          ...s.lines.map((line): uPlot.Series => {
            const i = MODEL_IDS.indexOf(line.id);
            return {
              label: MODEL_NAMES[line.id],
              stroke: themeColour(poolColourVar(i)),
              width: 1.5,
              dash: DASHES[i],
              paths: stepped,
              points: { show: false },
            };
          }),
        ],
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        hooks: { setCursor: [(u) => this.showReadout(u.cursor.idx ?? null)] },
      },
      data,
      this.host,
    );
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.resize.disconnect();
  }

  /** The y axis's top in percent: the worst value with some room, rounded up to 10%, so low fragmentation is not a flat line at the bottom. */
  private ceiling(): number {
    const worst = Math.max(0, ...this.series.lines.flatMap((l) => l.values)) * 100;
    return Math.min(100, Math.max(10, Math.ceil((worst * 1.1) / 10) * 10));
  }

  private fit(): void {
    if (!this.plot) return;
    const width = Math.max(200, this.element.clientWidth);
    if (Math.abs(width - this.plot.width) > 1) this.plot.setSize({ width, height: HEIGHT });
  }

  private showReadout(idx: number | null): void {
    const s = this.series;
    if (idx === null || idx < 0 || idx >= s.buckets) return;
    const from = idx * s.bucketWidth;
    const to = Math.min(s.events, from + s.bucketWidth) - 1;
    const parts = s.lines.map((l) => `${MODEL_NAMES[l.id]} ${fraction(l.values[idx])}`);
    this.readout.textContent = `Events ${num(from)}${to > from ? `–${num(to)}` : ''}: ${parts.join(' · ')}`;
  }
}
