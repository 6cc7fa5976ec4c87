// The heap view page (bundled on its own as dist/webview.js + dist/webview.css). It talks to
// the extension host only in the protocol's typed messages: it posts `ready`, receives
// `data` (summarised by the server: nothing is parsed or replayed here) and posts `reveal`,
// `pickHeap`, `importTrace` and `applyLayout`. Its view settings survive reloads through
// the webview state. Every colour is a --vscode-* theme variable.
import 'uplot/dist/uPlot.min.css';
import './heapView.css';
import type { HeapViewData, HeapViewError, HeapViewPool, HeapViewTrace } from '../../../../protocol/heapView';
import type { HeapViewHostMessage } from '../../../../protocol/heapViewMessages';
import { type FragmentationChart, renderAllocators } from './allocators';
import { SeriesChart, poolColourVar, type Unit } from './chart';
import { renderCompare } from './compare';
import { renderRam } from './ram';
import { renderDeviceNotes } from './device';
import { append, bytes, clear, h, num, percent, plural } from './dom';
import { MEASURE_LABELS, renderHistogram, type Measure } from './histogram';
import { loadState, post, saveState } from './host';
import { renderStrip } from './strip';
import { renderTable, type Sort } from './table';
import { hideTooltip } from './tooltip';

const app = document.getElementById('app')!;
let state = loadState();
let current: HeapViewData | null = null;
let chart: SeriesChart | undefined;
let fragmentationChart: FragmentationChart | undefined;
/** Pools hidden in the chart (by position in the series), for the heap shown. */
let hidden = new Set<number>();
let renders = 0;

const sort = (): Sort => state.sort ?? { key: 'block', descending: false };
const unit = (): Unit => state.unit ?? 'blocks';
const measure = (): Measure => state.histogram ?? 'allocations';

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as HeapViewHostMessage;
  if (!message || typeof message !== 'object') return;
  const received = performance.now();
  switch (message.type) {
    case 'data': {
      const previous = current;
      current = message.data;
      if (!previous || previous.uri !== current.uri || previous.heap?.name !== current.heap?.name) {
        hidden = new Set();
        if (previous) state = saveState({ zoom: null });
      }
      state = saveState({ uri: current.uri, heap: current.heap?.name });
      render(current, received);
      break;
    }
    case 'noDocument':
      current = null;
      renderEmpty(
        'Open a Drone.toml',
        [
          h(
            'p',
            {},
            'The heap view follows the Drone.toml in the active editor. Open one (or click the heap summary above a heap) to see its pools.',
          ),
        ],
        received,
        'no-document',
      );
      break;
    case 'error':
      renderEmpty('The heap view could not get its figures', [h('p', {}, message.message)], received, 'error');
      break;
    case 'range': {
      // Only the answer to the zoom shown now (an older one may arrive after a newer zoom).
      const zoom = state.zoom;
      if (!chart || !zoom || Math.abs(zoom[0] - message.from) > 0.5 || Math.abs(zoom[1] - message.to) > 0.5) break;
      chart.setDetail(message.series);
      document.body.dataset.ranges = String(Number(document.body.dataset.ranges ?? 0) + 1);
      break;
    }
  }
});

/** About one bucket per pixel of the chart. */
function chartBuckets(): number {
  return Math.max(200, Math.min(4096, Math.round(document.documentElement.clientWidth || 800)));
}

post({ type: 'ready', buckets: chartBuckets() });

// A theme change swaps the body's class and the --vscode-* variables: the canvas chart reads
// its colours once, so it is drawn again (the rest follows the variables by itself).
let themeFrame = 0;
const onThemeChange = () => {
  cancelAnimationFrame(themeFrame);
  themeFrame = requestAnimationFrame(() => {
    if (chart && current?.series) chart.render(chartOptions(current));
    fragmentationChart?.render();
  });
};
new MutationObserver(onThemeChange).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
new MutationObserver(onThemeChange).observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

// ---- rendering --------------------------------------------------------------------------

function finish(started: number, name: string): void {
  document.body.dataset.state = name;
  // Interactive once the frame with the new content has been laid out and painted.
  requestAnimationFrame(() =>
    setTimeout(() => {
      document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
      document.body.dataset.renders = String(++renders);
    }),
  );
}

function withFocusKept(body: () => void): void {
  const key = (document.activeElement as HTMLElement | null)?.dataset?.focus;
  hideTooltip();
  body();
  if (key) (app.querySelector(`[data-focus="${CSS.escape(key)}"]`) as HTMLElement | null)?.focus();
}

function renderEmpty(title: string, content: (Node | string)[], started: number, name: string): void {
  withFocusKept(() => {
    destroyCharts();
    clear(app);
    app.appendChild(h('main', {}, emptyBox(title, content)));
  });
  finish(started, name);
}

function render(data: HeapViewData, started: number): void {
  withFocusKept(() => {
    destroyCharts();
    clear(app);
    const main = h('main', { 'aria-labelledby': 'title' });
    app.appendChild(main);
    append(main, header(data), banners(data));
    switch (data.state) {
      case 'no-document':
        main.appendChild(emptyBox('Drone.toml is not open', [h('p', {}, 'Open it in an editor to see its heap.')]));
        break;
      case 'syntax-error':
        main.appendChild(
          emptyBox('Drone.toml does not parse', [
            h('p', {}, 'Fix the TOML syntax error; the view follows as you type.'),
            errorList(data, data.errors),
          ]),
        );
        break;
      case 'no-heap':
        main.appendChild(
          emptyBox('No heap in this Drone.toml', [
            h(
              'p',
              {},
              'Drone 0.14 declares heaps as ',
              h('code', {}, '[heap.main]'),
              ' with ',
              h('code', {}, 'size'),
              ' and ',
              h('code', {}, 'pools'),
              '; older projects use ',
              h('code', {}, '[heap]'),
              '.',
            ),
          ]),
        );
        break;
      case 'heap':
        heapSections(main, data);
        break;
    }
  });
  finish(started, data.state);
}

function destroyCharts(): void {
  chart?.destroy();
  chart = undefined;
  fragmentationChart?.destroy();
  fragmentationChart = undefined;
}

function header(data: HeapViewData): HTMLElement {
  const file = decodeURIComponent(data.uri.replace(/^[a-z-]+:\/\/[^/]*/, ''))
    .split('/')
    .slice(-2)
    .join('/');
  const title = h(
    'h1',
    { id: 'title' },
    data.heap ? data.heap.qualifiedName : 'Heap view',
    h('span', { class: 'muted file' }, ` · ${file}`),
  );
  const row = h('div', { class: 'title-row' }, title);
  if (data.heaps.length > 1) {
    const select = h('select', { id: 'heap-picker', 'data-focus': 'heap-picker' });
    for (const heap of data.heaps)
      select.appendChild(h('option', { value: heap.name, selected: heap.name === data.heap?.name }, heap.qualifiedName));
    select.addEventListener('change', () => post({ type: 'pickHeap', uri: data.uri, heap: select.value }));
    row.appendChild(h('label', { class: 'picker' }, 'Heap ', select));
  }
  return h('header', { class: 'header' }, row, summaryLine(data));
}

function summaryLine(data: HeapViewData): HTMLElement | null {
  const r = data.replay;
  const t = data.trace;
  if (!r || !t) return t ? h('p', { class: 'summary muted', id: 'summary' }, t.message) : null;
  const parts: (Node | string)[] = [
    `${t.traceName ?? 'trace'} · ${r.formatDescription ?? 'unknown format'} · ${plural(r.events, 'event')} · peak ${bytes(r.peakReservedBytes)} of ${bytes(r.heapBytes)} (${percent(r.peakReservedBytes, r.heapBytes)})`,
    ' · ',
    r.failures
      ? h(
          'span',
          { class: 'failures' },
          `✖ ${plural(r.failures, 'failure')}, first at event ${num(r.firstFailure ?? 0)}${r.failuresTooLarge ? ` (${num(r.failuresTooLarge)} larger than every block)` : ''}`,
        )
      : h('span', { class: 'served' }, 'every request served'),
  ];
  return h('p', { class: 'summary', id: 'summary' }, ...parts);
}

function banners(data: HeapViewData): HTMLElement | null {
  const items: HTMLElement[] = [];
  const errors = data.state === 'heap' ? data.errors : [];
  const hard = errors.filter((e) => e.severity === 'error');
  const soft = errors.filter((e) => e.severity !== 'error');
  if (hard.length)
    items.push(banner('error', `${data.heap?.qualifiedName ?? 'The heap'} has ${plural(hard.length, 'error')}`, [errorList(data, hard)]));
  if (soft.length) items.push(banner('warning', plural(soft.length, 'warning'), [errorList(data, soft)]));
  const r = data.replay;
  if (r?.problem) {
    items.push(
      banner('error', 'The trace has corrupt data', [
        h('p', {}, `At byte ${num(r.problem.byteOffset)} (event ${num(r.problem.eventIndex)}): ${r.problem.message}`),
        h('p', { class: 'muted' }, `Decoding stopped there; the figures cover the ${plural(r.events, 'event')} before it.`),
      ]),
    );
  }
  for (const warning of r?.warnings ?? []) items.push(banner('warning', 'About these figures', [h('p', {}, warning)]));
  if (r?.cancelled) items.push(banner('info', 'Replay cancelled', [h('p', {}, 'The figures cover the events read before it stopped.')]));
  if (r && r.unmatchedFrees > 0) {
    items.push(
      banner('info', `${plural(r.unmatchedFrees, 'free')} matched no live allocation`, [
        h('p', {}, 'The capture probably started after those allocations were made; they are ignored.'),
      ]),
    );
  }
  return items.length ? h('div', { class: 'banners', role: 'region', 'aria-label': 'Problems and notes' }, ...items) : null;
}

function banner(kind: 'error' | 'warning' | 'info', title: string, content: (Node | string)[]): HTMLElement {
  const icon = kind === 'error' ? '✖' : kind === 'warning' ? '⚠' : 'ℹ';
  return h(
    'section',
    { class: `banner banner-${kind}`, role: kind === 'error' ? 'alert' : 'note' },
    h('h2', {}, h('span', { 'aria-hidden': 'true' }, `${icon} `), title),
    ...content,
  );
}

function errorList(data: HeapViewData, errors: HeapViewError[]): HTMLElement {
  const list = h('ul', { class: 'errors' });
  errors.forEach((error, i) => {
    const link = h(
      'button',
      { type: 'button', class: 'link', 'data-focus': `error-${i}-${error.code}` },
      `Line ${error.range.start.line + 1}`,
    );
    link.addEventListener('click', () => post({ type: 'reveal', uri: data.uri, range: error.range }));
    list.appendChild(h('li', {}, link, ': ', error.message, ' ', h('span', { class: 'muted' }, `[${error.code}]`)));
  });
  return list;
}

function emptyBox(title: string, content: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'empty', 'aria-labelledby': 'empty-title' }, h('h2', { id: 'empty-title' }, title), ...content);
}

function section(id: string, title: string, ...content: (Node | string | null)[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...content);
}

function heapSections(main: HTMLElement, data: HeapViewData): void {
  const heap = data.heap!;
  const reveal = (pool: HeapViewPool) => post({ type: 'reveal', uri: data.uri, range: pool.range });
  const highlight = (pool: HeapViewPool | null) => {
    for (const el of main.querySelectorAll('.linked')) el.classList.remove('linked');
    if (pool) for (const el of main.querySelectorAll(`[data-pool="${pool.index}"]`)) el.classList.add('linked');
  };
  // Where RAM goes, from the built firmware (main heap only): above the heap's own strip.
  if (data.ram) main.appendChild(section('ram', 'RAM', renderRam(data.ram)));
  main.appendChild(
    section(
      'layout',
      'Layout',
      heap.pools.length ? renderStrip(heap, { reveal, highlight }) : h('p', { class: 'muted' }, 'No valid pool to draw yet.'),
      data.device ? renderDeviceNotes(data.device) : null,
    ),
  );
  main.appendChild(
    section(
      'pools',
      'Pools',
      heap.pools.length
        ? renderTable(heap, sort(), {
            reveal,
            highlight,
            sort: (next) => {
              state = saveState({ sort: next });
              if (current) render(current, performance.now());
            },
          })
        : null,
    ),
  );
  if (data.replay && data.series) {
    main.appendChild(chartSection(data));
    if (data.histogram) main.appendChild(histogramSection(data));
  } else {
    main.appendChild(traceEmpty(data));
  }
  if (data.compare) {
    const compare = data.compare;
    main.appendChild(
      section(
        'compare',
        'Proposed layout',
        renderCompare(compare, () =>
          post({ type: 'applyLayout', uri: data.uri, heap: heap.name, pools: compare.proposed.pools, size: compare.proposed.size }),
        ),
      ),
    );
  }
  if (data.allocators) {
    const allocators = renderAllocators(data.allocators);
    main.appendChild(section('allocators', 'Compare allocators', allocators.element));
    fragmentationChart = allocators.chart ?? undefined;
    // uPlot needs the chart in the document to measure it.
    if (fragmentationChart) queueMicrotask(() => fragmentationChart?.render());
  }
}

function traceEmpty(data: HeapViewData): HTMLElement {
  const t: HeapViewTrace | null = data.trace;
  const importButton = () => {
    const button = h('button', { type: 'button', class: 'primary', id: 'import-trace', 'data-focus': 'import-trace' }, 'Import Trace…');
    button.addEventListener('click', () => post({ type: 'importTrace', uri: data.uri, heap: data.heap!.name }));
    return button;
  };
  const box = (title: string, ...content: (Node | string | null)[]) => {
    const element = emptyBox(title, content);
    element.id = 'trace-empty';
    return element;
  };
  switch (t?.state) {
    case undefined:
      return box('Looking for a trace…');
    case 'no-trace':
      return box(
        'No trace yet',
        h('p', {}, 'Capture one on the device to see how these pools are used:'),
        h(
          'ol',
          {},
          h('li', {}, 'Flash the firmware with tracing on: ', h('code', {}, 'just features=heaptrace flash')),
          h(
            'li',
            {},
            'Run it, then capture: ',
            h('code', {}, 'just heaptrace'),
            ' — it writes ',
            h('code', {}, 'heaptrace'),
            ' beside Drone.toml, and this view picks it up by itself.',
          ),
        ),
        h('p', {}, 'Or use a trace you already have: ', importButton()),
        h('p', { class: 'muted' }, t.message),
      );
    case 'layout-invalid':
      return box(
        'Fix the pools to replay the trace',
        h('p', {}, t.message),
        h('p', { class: 'muted' }, 'The errors above link to the lines to fix.'),
      );
    case 'restricted':
      return box('Trace not read in Restricted Mode', h('p', {}, t.message), h('p', {}, 'Or pick the file yourself: ', importButton()));
    case 'failed':
      return box('Could not read the trace', h('p', {}, t.message), h('p', {}, 'Capture it again, or pick another file: ', importButton()));
    case 'replaying':
    case 'done': {
      const progress = h('progress', { max: 1, value: t.state === 'replaying' ? t.progress : 0, 'aria-label': 'Replay progress' });
      return box(`Replaying ${t.traceName ?? 'the trace'}…`, progress, h('p', { class: 'muted' }, t.message));
    }
  }
}

function chartSection(data: HeapViewData): HTMLElement {
  const series = data.series!;
  const pools = data.heap!.pools;
  chart = new SeriesChart();
  const activeChart = chart;

  const units = h('fieldset', { class: 'segmented' }, h('legend', { class: 'visually-hidden' }, 'Unit'));
  for (const [value, label] of [
    ['blocks', 'Blocks'],
    ['bytes', 'Bytes'],
  ] as const) {
    const input = h('input', {
      type: 'radio',
      name: 'unit',
      value,
      id: `unit-${value}`,
      checked: unit() === value,
      'data-focus': `unit-${value}`,
    });
    input.addEventListener('change', () => {
      state = saveState({ unit: value });
      showCapacities();
      activeChart.render(chartOptions(data));
    });
    units.appendChild(h('label', { for: `unit-${value}` }, input, label));
  }
  const tool = (label: string, title: string, action: () => void, key: string) => {
    const button = h('button', { type: 'button', class: 'tool', title, 'aria-label': title, 'data-focus': `tool-${key}` }, label);
    button.addEventListener('click', action);
    return button;
  };
  const tools = h(
    'div',
    { class: 'tools', role: 'toolbar', 'aria-label': 'Zoom and pan', 'aria-controls': 'chart' },
    tool('+', 'Zoom in (+)', () => activeChart.zoomBy(0.5), 'zoom-in'),
    tool('−', 'Zoom out (−)', () => activeChart.zoomBy(2), 'zoom-out'),
    tool('◀', 'Pan left (←)', () => activeChart.panBy(-0.2), 'pan-left'),
    tool('▶', 'Pan right (→)', () => activeChart.panBy(0.2), 'pan-right'),
    tool('Reset', 'Show the whole trace (Home)', () => activeChart.reset(), 'reset'),
  );
  const legend = h('ul', { class: 'chart-legend', 'aria-label': 'Pools shown' });
  const capacities: HTMLElement[] = [];
  const showCapacities = () =>
    series.pools.forEach(
      (pool, i) =>
        (capacities[i].textContent =
          unit() === 'bytes'
            ? ` /${num(pool.capacity * pool.block)}\u00a0B`
            : ` /${plural(pool.capacity, 'block')}`.replace(' block', '\u00a0block')),
    );
  series.pools.forEach((pool, i) => {
    const id = `show-pool-${i}`;
    const input = h('input', { type: 'checkbox', id, checked: !hidden.has(i), 'data-focus': id });
    input.addEventListener('change', () => {
      if (input.checked) hidden.delete(i);
      else hidden.add(i);
      activeChart.setVisible(i, input.checked);
    });
    const swatch = h('span', { class: 'swatch line', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = `var(${poolColourVar(i)})`;
    capacities[i] = h('span', { class: 'muted capacity' });
    legend.appendChild(
      h('li', { 'data-pool': pools[i]?.index ?? i }, h('label', { for: id }, input, swatch, `${num(pool.block)}\u00a0B`, capacities[i])),
    );
  });
  showCapacities();
  const failures = series.failureCount
    ? ` Red ticks: ${plural(series.failureCount, 'failed allocation')}${series.failureIndices.length < series.failureCount ? ` (the first ${num(series.failureIndices.length)} drawn)` : ''}.`
    : ' No allocation failed.';
  const peak =
    series.peakAt !== null ? ` Dashed line: the heap’s peak, ${bytes(series.peakBytes)} reserved, at event ${num(series.peakAt)}.` : '';
  const summary = h(
    'p',
    { class: 'muted note', id: 'chart-summary' },
    `${plural(series.events, 'event')} in ${plural(series.buckets, 'step')} of ${plural(series.bucketWidth, 'event')}: each line is the most in use within a step, its band reaches down to the fewest.${failures}${peak} Zoom: drag across, the wheel, or + and −; pan: ← and →; whole trace: Home or double-click.`,
  );
  const element = section(
    'over-time',
    'Over time',
    h('div', { class: 'toolbar' }, units, tools),
    legend,
    activeChart.element,
    activeChart.readoutElement,
    activeChart.resolutionElement,
    summary,
    activeChart.liveElement,
  );
  // uPlot needs the chart in the document to measure it.
  queueMicrotask(() => activeChart.render(chartOptions(data)));
  return element;
}

function chartOptions(data: HeapViewData) {
  return {
    series: data.series!,
    unit: unit(),
    hidden,
    zoom: state.zoom ?? null,
    onZoom: (range: [number, number] | null) => {
      state = saveState({ zoom: range });
      askForRange(data);
    },
  };
}

let zoomTimer: ReturnType<typeof setTimeout> | undefined;

/** After a burst of zooming and panning, asks for the range shown at one step per pixel (down to single events). */
function askForRange(data: HeapViewData): void {
  clearTimeout(zoomTimer);
  zoomTimer = setTimeout(() => {
    const zoom = state.zoom;
    if (!zoom || !data.heap || current !== data) {
      if (!zoom) chart?.setDetail(null);
      return;
    }
    const from = zoom[0];
    const to = zoom[1];
    post({
      type: 'zoom',
      uri: data.uri,
      heap: data.heap.name,
      from,
      to,
      buckets: Math.max(50, Math.min(4096, Math.round(chart?.element.clientWidth || 600))),
    });
  }, 120);
}

function histogramSection(data: HeapViewData): HTMLElement {
  const histogram = data.histogram!;
  const measures = h('fieldset', { class: 'segmented' }, h('legend', { class: 'visually-hidden' }, 'Measure'));
  for (const value of ['allocations', 'peakLive'] as const) {
    const input = h('input', {
      type: 'radio',
      name: 'measure',
      value,
      id: `measure-${value}`,
      checked: measure() === value,
      'data-focus': `measure-${value}`,
    });
    input.addEventListener('change', () => {
      state = saveState({ histogram: value });
      const old = document.getElementById('sizes-chart');
      const next = renderHistogram(histogram, value);
      next.id = 'sizes-chart';
      old?.replaceWith(next);
    });
    measures.appendChild(h('label', { for: `measure-${value}` }, input, MEASURE_LABELS[value]));
  }
  const chartElement = renderHistogram(histogram, measure());
  chartElement.id = 'sizes-chart';
  return section('sizes', 'Requested sizes', h('div', { class: 'toolbar' }, measures), chartElement);
}
