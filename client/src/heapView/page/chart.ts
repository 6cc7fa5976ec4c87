// Blocks (or bytes) in use per pool across the trace, with uPlot: for each pool a stepped line
// at the most in use within each bucket and a band down to the fewest (the server merged
// buckets keeping min and max, so no peak is hidden). Failed allocations are red ticks, the
// heap's peak a dashed line. Zoom: drag across, the wheel, or + / −; pan with ← / →;
// reset with Home, 0 or a double click. Colours come from the theme's --vscode-charts-*.
import uPlot from 'uplot';
import type { HeapViewRangeSeries, HeapViewSeries } from '../../../../protocol/heapView';
import { announce, h, num, plural, themeColour, withAlpha } from './dom';

export type Unit = 'blocks' | 'bytes';

/**
 * Colours for the pools (red is kept for failures): the page's --hv-pool-* variables, theme
 * colours with a fallback for each theme kind (heapView.css), so none is ever transparent.
 */
export const POOL_COLOURS = [
  '--hv-pool-0',
  '--hv-pool-1',
  '--hv-pool-2',
  '--hv-pool-3',
  '--hv-pool-4',
  '--hv-pool-5',
  '--hv-pool-6',
  '--hv-pool-7',
];
/** Later pools reuse the colours with a dash pattern. */
const DASHES: (number[] | undefined)[] = [undefined, [6, 3], [2, 2], [8, 3, 2, 3]];

export const poolColourVar = (i: number): string => POOL_COLOURS[i % POOL_COLOURS.length];
const poolDash = (i: number): number[] | undefined => DASHES[Math.floor(i / POOL_COLOURS.length) % DASHES.length];

export interface ChartOptions {
  series: HeapViewSeries;
  unit: Unit;
  hidden: ReadonlySet<number>;
  zoom: [number, number] | null;
  onZoom(range: [number, number] | null): void;
}

const HEIGHT = 260;
const READOUT_HINT = 'Point at the chart for the figures of a moment; drag across it to zoom.';

/** The steps drawn: the whole trace's buckets, with a zoomed range's finer ones in their place. */
interface Steps {
  starts: number[];
  /** Exclusive. */
  ends: number[];
  /** Per pool. */
  min: number[][];
  max: number[][];
}

function stepsOf(series: HeapViewSeries, detail: HeapViewRangeSeries | null): Steps {
  const steps: Steps = { starts: [], ends: [], min: series.pools.map(() => []), max: series.pools.map(() => []) };
  const push = (start: number, end: number, pools: { min: number[]; max: number[] }[], k: number) => {
    if (end <= start) return;
    steps.starts.push(start);
    steps.ends.push(end);
    pools.forEach((pool, p) => {
      steps.min[p].push(pool.min[k]);
      steps.max[p].push(pool.max[k]);
    });
  };
  const end = Math.min(series.events, series.buckets * series.bucketWidth);
  const fine = detail && detail.pools.length === series.pools.length ? detail : null;
  let inserted = false;
  for (let k = 0; k < series.buckets; k++) {
    const start = k * series.bucketWidth;
    const stop = Math.min(end, start + series.bucketWidth);
    if (!fine) {
      push(start, stop, series.pools, k);
      continue;
    }
    // A coarse bucket straddling the fine range keeps only its part outside it.
    push(start, Math.min(stop, fine.from), series.pools, k);
    if (!inserted && stop > fine.from) {
      inserted = true;
      for (let j = 0; j < fine.buckets; j++)
        push(fine.from + j * fine.bucketWidth, Math.min(fine.to, fine.from + (j + 1) * fine.bucketWidth), fine.pools, j);
    }
    push(Math.max(start, fine.to), stop, series.pools, k);
  }
  return steps;
}

/** "12345" → "12.3k" for axis labels. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${+(value / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${+(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${+(value / 1e3).toFixed(1)}k`;
  return String(+value.toFixed(2));
}

export class SeriesChart {
  private plot: uPlot | undefined;
  private options: ChartOptions | undefined;
  private readonly resize = new ResizeObserver(() => this.fit());
  readonly element: HTMLElement;
  private readonly canvasHost: HTMLElement;
  private readonly readout: HTMLElement;
  private readonly live: HTMLElement;
  /** Total event range shown when not zoomed. */
  private extent: [number, number] = [0, 1];
  private steps: Steps = { starts: [], ends: [], min: [], max: [] };
  private detail: HeapViewRangeSeries | null = null;
  private readonly resolution: HTMLElement;

  constructor() {
    this.canvasHost = h('div', { class: 'chart-canvas' });
    this.readout = h('p', { class: 'readout muted', id: 'chart-readout' }, READOUT_HINT);
    this.resolution = h('p', { class: 'muted note', id: 'chart-resolution' });
    this.live = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.element = h(
      'div',
      {
        class: 'chart',
        id: 'chart',
        role: 'group',
        tabindex: 0,
        'aria-roledescription': 'chart',
        'aria-describedby': 'chart-summary',
        'aria-keyshortcuts': '+ - ArrowLeft ArrowRight Home 0',
      },
      this.canvasHost,
    );
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.resize.observe(this.element);
  }

  get readoutElement(): HTMLElement {
    return this.readout;
  }

  get liveElement(): HTMLElement {
    return this.live;
  }

  /** Says how fine the steps of the zoomed range are. */
  get resolutionElement(): HTMLElement {
    return this.resolution;
  }

  /**
   * The server's finer steps for a zoomed range (or null to draw only the whole trace's
   * buckets again); kept until the next render or reset.
   */
  setDetail(detail: HeapViewRangeSeries | null): void {
    this.detail = detail;
    if (!this.plot || !this.options) return;
    this.plot.setData(this.dataOf(this.options) as uPlot.AlignedData, false);
    this.describeResolution();
  }

  private dataOf(options: ChartOptions): (number | null)[][] {
    const { series, unit } = options;
    const steps = (this.steps = stepsOf(series, this.detail));
    const xs = [...steps.starts, this.extent[1]]; // the last step reaches the end of the trace
    const data: (number | null)[][] = [xs];
    series.pools.forEach((pool, i) => {
      const f = unit === 'bytes' ? pool.block : 1;
      const max = steps.max[i].map((v) => v * f);
      const min = steps.min[i].map((v) => v * f);
      max.push(max[max.length - 1] ?? 0);
      min.push(min[min.length - 1] ?? 0);
      data.push(max, min);
    });
    return data;
  }

  private describeResolution(): void {
    const d = this.detail;
    const [min, max] = this.range();
    const zoomed = min > this.extent[0] || max < this.extent[1];
    this.element.dataset.stepWidth = String(d && zoomed ? d.bucketWidth : (this.options?.series.bucketWidth ?? 1));
    this.resolution.textContent =
      d && zoomed
        ? `Zoomed to events ${num(d.from)}–${num(d.to)}: ${plural(d.buckets, 'step')} of ${plural(d.bucketWidth, 'event')}${d.fromSteps ? '' : ' (the trace is too long to keep every event; these are the replay’s own steps)'}.`
        : '';
  }

  render(options: ChartOptions): void {
    this.options = options;
    this.plot?.destroy();
    const { series, unit, hidden } = options;
    this.readout.textContent = READOUT_HINT;
    const width = Math.max(200, this.element.clientWidth || 600);
    const end = Math.max(1, Math.min(series.events, series.buckets * series.bucketWidth));
    this.extent = [0, end];
    if (!options.zoom) this.detail = null;
    const data = this.dataOf(options);
    const foreground = themeColour('--vscode-charts-foreground');
    const grid = themeColour('--vscode-charts-lines', '--vscode-widget-border');
    const red = themeColour('--vscode-charts-red', '--vscode-errorForeground');
    const background = themeColour('--vscode-editor-background', '--vscode-editorWidget-background');
    const font = `${getComputedStyle(document.body).getPropertyValue('--vscode-font-size').trim() || '13px'} ${getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim() || 'sans-serif'}`;
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const seriesOptions: uPlot.Series[] = [{ label: 'event' }];
    const bands: uPlot.Band[] = [];
    series.pools.forEach((pool, i) => {
      const colour = themeColour(poolColourVar(i));
      const show = !hidden.has(i);
      const label = `${num(pool.block)} B`;
      seriesOptions.push(
        { label: `${label} most in use`, stroke: colour, width: 1.5, dash: poolDash(i), paths: stepped, show, points: { show: false } },
        {
          label: `${label} fewest in use`,
          stroke: withAlpha(colour, 0.45),
          width: 1,
          dash: poolDash(i),
          paths: stepped,
          show,
          points: { show: false },
        },
      );
      bands.push({ series: [1 + 2 * i, 2 + 2 * i], fill: withAlpha(colour, 0.18) });
    });
    const axis = (label: string): uPlot.Axis => ({
      stroke: foreground,
      font,
      labelFont: font,
      label,
      labelSize: 18,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      values: (_u, splits) => splits.map(compact),
    });
    const opts: uPlot.Options = {
      width,
      height: HEIGHT,
      scales: {
        x: { time: false },
        y: { range: (_u, _min, max) => [0, Math.max(unit === 'bytes' ? 4 : 1, Math.ceil((max || 0) * 1.08))] },
      },
      axes: [axis('event'), { ...axis(unit === 'bytes' ? 'bytes in use' : 'blocks in use'), size: 60 }],
      series: seriesOptions,
      bands,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: true }, points: { show: false } },
      hooks: {
        draw: [(u) => drawMarkers(u, series, red, foreground, background, font)],
        setScale: [
          (u, key) => {
            if (key !== 'x') return;
            const min = u.scales.x.min ?? 0;
            const max = u.scales.x.max ?? end;
            const full = min <= this.extent[0] && max >= this.extent[1];
            if (full) this.readout.textContent = READOUT_HINT;
            this.describeResolution();
            this.options?.onZoom(full ? null : [min, max]);
          },
        ],
        setCursor: [(u) => this.showReadout(u.cursor.idx ?? null)],
        ready: [
          (u) => {
            u.over.addEventListener('wheel', (event) => this.onWheel(u, event), { passive: false });
            u.over.addEventListener('dblclick', () => this.reset());
          },
        ],
      },
    };
    this.plot = new uPlot(opts, data as uPlot.AlignedData, this.canvasHost);
    if (options.zoom) this.setRange(options.zoom[0], options.zoom[1], false);
    this.describeResolution();
  }

  /** Shows or hides a pool's line and band. */
  setVisible(pool: number, visible: boolean): void {
    if (!this.plot) return;
    this.plot.batch(() => {
      this.plot!.setSeries(1 + 2 * pool, { show: visible });
      this.plot!.setSeries(2 + 2 * pool, { show: visible });
    });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.resize.disconnect();
  }

  /** The event range shown. */
  range(): [number, number] {
    const x = this.plot?.scales.x;
    return [x?.min ?? this.extent[0], x?.max ?? this.extent[1]];
  }

  zoomBy(factor: number, centre?: number): void {
    const [min, max] = this.range();
    const mid = centre ?? (min + max) / 2;
    const minSpan = 2; // the server sends finer steps down to single events
    const span = Math.max(minSpan, (max - min) * factor);
    const t = (mid - min) / Math.max(1e-9, max - min);
    this.setRange(mid - span * t, mid - span * t + span);
  }

  panBy(fraction: number): void {
    const [min, max] = this.range();
    const shift = (max - min) * fraction;
    this.setRange(min + shift, max + shift);
  }

  reset(): void {
    this.readout.textContent = READOUT_HINT;
    this.setRange(this.extent[0], this.extent[1]);
  }

  private setRange(min: number, max: number, speak = true): void {
    if (!this.plot) return;
    const [lo, hi] = this.extent;
    const span = Math.min(hi - lo, max - min);
    const from = Math.max(lo, Math.min(min, hi - span));
    this.plot.setScale('x', { min: from, max: from + span });
    if (speak) announce(this.live, `Showing events ${num(Math.round(from))} to ${num(Math.round(from + span))}`);
  }

  private fit(): void {
    if (!this.plot) return;
    const width = Math.max(200, this.element.clientWidth);
    if (Math.abs(width - this.plot.width) > 1) this.plot.setSize({ width, height: HEIGHT });
  }

  private onWheel(u: uPlot, event: WheelEvent): void {
    event.preventDefault();
    const centre = u.posToVal(event.offsetX, 'x');
    this.zoomBy(event.deltaY < 0 ? 0.75 : 1 / 0.75, centre);
  }

  private onKey(event: KeyboardEvent): void {
    const actions: Record<string, () => void> = {
      '+': () => this.zoomBy(0.5),
      '=': () => this.zoomBy(0.5),
      '-': () => this.zoomBy(2),
      _: () => this.zoomBy(2),
      ArrowLeft: () => this.panBy(-0.2),
      ArrowRight: () => this.panBy(0.2),
      Home: () => this.reset(),
      '0': () => this.reset(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  private showReadout(idx: number | null): void {
    const o = this.options;
    const steps = this.steps;
    if (!o || idx === null || idx < 0 || idx >= steps.starts.length) return;
    const from = steps.starts[idx];
    const to = steps.ends[idx] - 1;
    const unit = o.unit === 'bytes' ? '\u00a0B' : '';
    const parts = o.series.pools
      .map((pool, i) => {
        if (o.hidden.has(i)) return null;
        const f = o.unit === 'bytes' ? pool.block : 1;
        const lo = steps.min[i][idx] * f;
        const hi = steps.max[i][idx] * f;
        return `${num(pool.block)}\u00a0B pool: ${lo === hi ? num(hi) : `${num(lo)}–${num(hi)}`}${unit}`;
      })
      .filter(Boolean);
    this.readout.textContent = `Events ${num(from)}${to > from ? `–${num(to)}` : ''}: ${parts.join(' · ')}`;
  }
}

/** Red ticks at failed allocations; a dashed line at the heap's peak. */
function drawMarkers(u: uPlot, series: HeapViewSeries, red: string, foreground: string, background: string, font: string): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const min = u.scales.x.min ?? 0;
  const max = u.scales.x.max ?? 1;
  const ratio = devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.strokeStyle = red;
  ctx.lineWidth = Math.max(1, ratio);
  ctx.beginPath();
  let last = -Infinity;
  for (const index of series.failureIndices) {
    if (index < min || index > max) continue;
    const x = Math.round(u.valToPos(index, 'x', true));
    if (x === last) continue; // one tick per pixel column is enough
    last = x;
    ctx.moveTo(x + 0.5, top + height - 10 * ratio);
    ctx.lineTo(x + 0.5, top + height);
    ctx.moveTo(x + 0.5, top);
    ctx.lineTo(x + 0.5, top + 6 * ratio);
  }
  ctx.stroke();
  // Full-height lines too, while they are few enough not to hide the pools.
  const visibleFailures = series.failureIndices.filter((index) => index >= min && index <= max).length;
  if (visibleFailures > 0 && visibleFailures <= 60) {
    ctx.globalAlpha = 0.25;
    ctx.beginPath();
    last = -Infinity;
    for (const index of series.failureIndices) {
      if (index < min || index > max) continue;
      const x = Math.round(u.valToPos(index, 'x', true));
      if (x === last) continue;
      last = x;
      ctx.moveTo(x + 0.5, top);
      ctx.lineTo(x + 0.5, top + height);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
  if (series.peakAt !== null && series.peakAt >= min && series.peakAt <= max) {
    const x = Math.round(u.valToPos(series.peakAt, 'x', true)) + 0.5;
    ctx.strokeStyle = foreground;
    ctx.setLineDash([4 * ratio, 3 * ratio]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = foreground;
    ctx.font = font.replace(/^(\d+(?:\.\d+)?)px/, (_m, size) => `${Number(size) * ratio}px`);
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    const label = 'heap peak';
    const textWidth = ctx.measureText(label).width;
    const labelX = x + 4 * ratio + textWidth > left + width ? x - 4 * ratio - textWidth : x + 4 * ratio;
    const fontSize = Number(/^(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 13) * ratio;
    ctx.fillStyle = background;
    ctx.fillRect(labelX - 2 * ratio, top + 7 * ratio, textWidth + 4 * ratio, fontSize + 2 * ratio);
    ctx.fillStyle = foreground;
    ctx.fillText(label, labelX, top + 8 * ratio);
  }
  ctx.restore();
}
