// What the heap view panel shows, computed from a heap's configuration and the replay of
// its trace: the heap as a strip of pools with their addresses and source lines, a table
// row per pool, the time series downsampled for a chart, the histogram of requested sizes,
// the state of the trace (with its problem and warnings), the errors of the heap itself, and
// the comparison with other allocators (allocators.ts).
// One plain JSON object, small whatever the trace length (the replay already keeps at most
// ~1000 buckets; sizes are binned), so the page never parses or replays anything.
// Pure: no protocol, no editor; the LSP shell (features/heapView.ts) hands it what it has.

import type { Finding, Severity } from '../checks/finding';
import { tableAnchor } from '../checks/util';
import {
  heapPlacement,
  poolPlacements,
  poolSum,
  validPools,
  type ConfigParse,
  type DroneConfig,
  type HeapConfig,
  type PoolConfig,
} from '../config/droneConfig';
import { locate } from '../config/locate';
import type { LineIndex, Position, Span } from '../config/span';
import type { PoolSizeCount, PoolSpec, ReplayResult } from '../replay/result';
import { reportsByPool } from '../replay/traceFindings';
import { FORMAT_DESCRIPTIONS } from '../trace/formats';
import { summariseAllocators, type AllocatorsInput, type HeapViewAllocators } from './allocators';
import { downsampleSeries } from './downsample';
import { DEFAULT_MAX_BINS, sizeHistogram, type SizeHistogram } from './histogram';
import type { RamView } from '../firmware/describeBudget';

export type { SizeBin, SizeHistogram } from './histogram';
export type { AllocatorFigures, AllocatorId, FragmentationSeries, HeapViewAllocators } from './allocators';

/** A range of the Drone.toml, 0-based lines and UTF-16 characters (LSP's convention). */
export interface ViewRange {
  start: Position;
  end: Position;
}

export interface HeapViewHeapRef {
  name: string;
  qualifiedName: string;
}

/** Figures of one pool from the replay (see PoolReport for the exact meanings). */
export interface PoolTraceFigures {
  peak: number;
  peakAt: number | null;
  /** peak / capacity (0 for a pool of capacity 0). */
  peakShare: number;
  allocations: number;
  overflowIn: number;
  failures: number;
  /** Σ (block − requested size) over the pool's live blocks at the heap's peak. */
  fragmentation: number;
  /** capacity − peak. */
  neverUsed: number;
  /** neverUsed × block. */
  unusedBytes: number;
  /** Requested sizes that landed in this pool, the most frequent. */
  sizes: PoolSizeCount[];
  sizesOmittedCount: number;
}

export interface HeapViewPool {
  /** Position in `pools` as written (0-based). */
  index: number;
  block: number;
  capacity: number;
  /** block × capacity. */
  bytes: number;
  /** bytes / Σ pools: its width in the strip (0..1). */
  share: number;
  /** Where the pool sits in memory (end exclusive); null when the heap's placement is unknown. */
  address: { start: number; end: number } | null;
  /** The pool as written in Drone.toml. */
  range: ViewRange;
  /** Null without a replay of this layout. */
  trace: PoolTraceFigures | null;
}

export interface HeapViewHeap {
  name: string;
  qualifiedName: string;
  legacy: boolean;
  isExtra: boolean;
  /** The heap's table header (or what introduces it). */
  range: ViewRange;
  size: number | null;
  poolSum: number | null;
  address: { start: number; end: number } | null;
  /** Pools with a valid block and capacity, in the allocator's (and memory's) order: ascending block. */
  pools: HeapViewPool[];
  /** False when some pool has no valid block or capacity (it is missing from `pools`). */
  poolsComplete: boolean;
}

export interface HeapViewError {
  code: string;
  severity: Severity;
  message: string;
  range: ViewRange;
}

/** The trace status as the trace manager reports it (structurally its HeapTraceStatus). */
export interface HeapViewTraceInput {
  state: 'no-trace' | 'layout-invalid' | 'replaying' | 'done' | 'failed' | 'restricted';
  tracePath: string | null;
  progress: number;
  message: string;
}

export interface HeapViewTrace extends HeapViewTraceInput {
  /** The trace file's name (last path component), or null. */
  traceName: string | null;
}

/**
 * Heap-wide figures of the replay of the current layout: the ReplayResult's totals (picked
 * from it, so the two cannot drift apart) without its per-pool and per-size detail.
 */
export type HeapViewReplay = Pick<
  ReplayResult,
  | 'warnings'
  | 'problem'
  | 'cancelled'
  | 'events'
  | 'failures'
  | 'firstFailure'
  | 'failuresTooLarge'
  | 'unmatchedFrees'
  | 'zeroSizeRequests'
  | 'heapBytes'
  | 'peakRequestedBytes'
  | 'peakReservedBytes'
  | 'peakReservedAt'
  | 'fragmentationAtHeapPeak'
> & {
  format: string | null;
  formatDescription: string | null;
};

export interface HeapViewSeriesPool {
  block: number;
  capacity: number;
  min: number[];
  max: number[];
}

/** Blocks in use per pool over the trace; bucket k covers events [k·bucketWidth, (k+1)·bucketWidth). */
export interface HeapViewSeries {
  events: number;
  bucketWidth: number;
  buckets: number;
  /** Same order as HeapViewHeap.pools. */
  pools: HeapViewSeriesPool[];
  /** Event indices of the first failures; failureCount counts them all. */
  failureIndices: number[];
  failureCount: number;
  /** The heap's peak of reserved bytes and the event where it is first reached. */
  peakAt: number | null;
  peakBytes: number;
}

/** One layout's figures for the compare view. */
export interface LayoutFigures {
  pools: PoolSpec[];
  /** The heap's `size` for this layout. */
  size: number;
  failures: number;
  peakReservedBytes: number;
  fragmentation: number;
  /** Bytes the layout needs (Σ block × capacity). */
  requiredBytes: number;
}

/** Current layout against an optimised one. Produced by the optimiser (null until it is wired). */
export interface HeapCompare {
  current: LayoutFigures;
  proposed: LayoutFigures;
  /** The proposal is the heap as it is: nothing to apply. */
  unchanged: boolean;
}

export type HeapViewState =
  /** The document is not open in the server. */
  'no-document' | 'syntax-error' | 'no-heap' | 'heap';

export interface HeapViewData {
  uri: string;
  state: HeapViewState;
  /** Every heap of the document, for the picker. */
  heaps: HeapViewHeapRef[];
  heap: HeapViewHeap | null;
  /** Errors and warnings of the text that concern this heap (or the syntax error). */
  errors: HeapViewError[];
  /** Null when there is no heap. */
  trace: HeapViewTrace | null;
  /** Null without a replay of the current layout. */
  replay: HeapViewReplay | null;
  series: HeapViewSeries | null;
  histogram: SizeHistogram | null;
  compare: HeapCompare | null;
  /** Drone's pools beside general-purpose allocators on this trace; null without a replay. */
  allocators: HeapViewAllocators | null;
  /** Where RAM goes, from the built firmware (main heap only); null without a firmware. */
  ram: RamView | null;
}

export interface HeapViewInput {
  uri: string;
  parse: ConfigParse;
  /** The text's findings (from checkDroneToml). */
  findings: readonly Finding[];
  /** The heap to show (pickHeap). */
  heap: HeapConfig | undefined;
  status: HeapViewTraceInput | null;
  /** The replay of the heap's current layout, or null. */
  result: ReplayResult | null;
  /** At most this many time-series buckets (about one per pixel of the chart). */
  buckets: number;
  maxBins?: number;
  compare?: HeapCompare | null;
  /** What the allocator comparison needs besides the replay (see allocators.ts); null or absent to leave it out. */
  allocators?: Omit<AllocatorsInput, 'current' | 'buckets'> | null;
  /** The RAM budget from the built firmware; shown for the main heap only. */
  ram?: RamView | null;
}

/**
 * The heap to show: the one under the cursor (`offset`) if any, else the one named
 * `preferred` (the panel's current or picked heap), else the main heap, else the first.
 */
export function pickHeap(config: DroneConfig, preferred: string | null, offset: number | null): HeapConfig | undefined {
  if (offset !== null) {
    const under = heapAt(config, offset);
    if (under) return under;
  }
  return config.heaps.find((h) => h.name === preferred) ?? config.heaps.find((h) => h.name === 'main') ?? config.heaps[0];
}

/** The heap whose text contains `offset`: its header, its keys, its pools, and the lines between them. */
export function heapAt(config: DroneConfig, offset: number): HeapConfig | undefined {
  const located = locate(config, offset);
  if (located && located.kind !== 'memory') return located.heap;
  let best: { heap: HeapConfig; length: number } | undefined;
  for (const heap of config.heaps) {
    const spans = heapSpans(heap);
    const start = Math.min(...spans.map((s) => s.start));
    let end = Math.max(...spans.map((s) => s.end));
    // A [heap.X] section reaches to the next table header (blank lines, comments).
    if (heap.table.headerSpan) end = Math.max(end, sectionEnd(config, heap.table.headerSpan.end));
    if (offset >= start && offset <= end && (!best || end - start < best.length)) best = { heap, length: end - start };
  }
  return best?.heap;
}

/** Where the section starting at `from` ends: at the next line that opens a table header. */
function sectionEnd(config: DroneConfig, from: number): number {
  const next = /^[ \t]*\[/gm;
  next.lastIndex = from;
  const match = next.exec(config.text);
  return match ? match.index : config.text.length;
}

/** Every span that belongs to a heap: its table, its entries, its pools and their entries. */
export function heapSpans(heap: HeapConfig): Span[] {
  const spans: Span[] = [heap.table.span];
  if (heap.table.headerSpan) spans.push(heap.table.headerSpan);
  for (const entry of heap.table.entries) spans.push(entry.span);
  for (const pool of heap.pools?.items ?? []) {
    spans.push(pool.span, pool.table.span);
    if (pool.table.headerSpan) spans.push(pool.table.headerSpan);
    for (const entry of pool.table.entries) spans.push(entry.span);
  }
  return spans;
}

const toRange = (lines: LineIndex, span: Span): ViewRange => lines.rangeAt(span);

const SHOWN_SEVERITIES: ReadonlySet<Severity> = new Set(['error', 'warning']);

export function summariseHeapView(input: HeapViewInput): HeapViewData {
  const empty = { heap: null, trace: null, replay: null, series: null, histogram: null, compare: null, allocators: null, ram: null };
  const { parse, uri } = input;
  if (!parse.ok) {
    const error: HeapViewError = {
      code: 'toml-syntax',
      severity: 'error',
      message: parse.error.message,
      range: toRange(parse.lines, parse.error.span),
    };
    return { uri, state: 'syntax-error', heaps: [], errors: [error], ...empty };
  }
  const config = parse.config;
  const heaps = config.heaps.map((h) => ({ name: h.name, qualifiedName: h.qualifiedName }));
  const heap = input.heap;
  if (!heap) return { uri, state: 'no-heap', heaps, errors: [], ...empty };

  const result = input.result && reportsByPool(heap, input.result) ? input.result : null;
  const ram = heap.isExtra ? null : (input.ram ?? null);
  const view = heapOf(config, heap, result);
  const errors = heapErrors(config, heap, input.findings);
  const trace: HeapViewTrace | null = input.status
    ? {
        state: input.status.state,
        tracePath: input.status.tracePath,
        progress: input.status.progress,
        message: input.status.message,
        traceName: baseName(input.status.tracePath),
      }
    : null;
  if (!result)
    return {
      uri,
      state: 'heap',
      heaps,
      heap: view,
      errors,
      trace,
      replay: null,
      series: null,
      histogram: null,
      compare: input.compare ?? null,
      allocators: null,
      ram,
    };

  const series = downsampleSeries(result.series, input.buckets);
  return {
    uri,
    state: 'heap',
    heaps,
    heap: view,
    errors,
    trace,
    replay: {
      format: result.format,
      formatDescription: result.format ? FORMAT_DESCRIPTIONS[result.format] : null,
      warnings: [...result.warnings],
      problem: result.problem,
      cancelled: result.cancelled,
      events: result.events,
      failures: result.failures,
      firstFailure: result.firstFailure,
      failuresTooLarge: result.failuresTooLarge,
      unmatchedFrees: result.unmatchedFrees,
      zeroSizeRequests: result.zeroSizeRequests,
      heapBytes: result.heapBytes,
      peakRequestedBytes: result.peakRequestedBytes,
      peakReservedBytes: result.peakReservedBytes,
      peakReservedAt: result.peakReservedAt,
      fragmentationAtHeapPeak: result.fragmentationAtHeapPeak,
    },
    series: {
      events: result.events,
      bucketWidth: series.bucketWidth,
      buckets: series.buckets,
      pools: series.pools.map((p, i) => ({ block: p.block, capacity: result.pools[i].capacity, min: p.min, max: p.max })),
      failureIndices: result.series.failureIndices.slice(0, 1000),
      failureCount: result.series.failureCount,
      peakAt: result.peakReservedAt,
      peakBytes: result.peakReservedBytes,
    },
    histogram: histogramOf(result, input.maxBins ?? DEFAULT_MAX_BINS),
    compare: input.compare ?? null,
    allocators: input.allocators ? summariseAllocators({ ...input.allocators, current: result, buckets: input.buckets }) : null,
    ram,
  };
}

/**
 * The histogram of a replay, computed once per result object (a result is never changed once
 * made; the panel asks again on every cursor move, and a random trace can have millions of sizes).
 */
const histograms = new WeakMap<ReplayResult, { maxBins: number; histogram: SizeHistogram }>();

function histogramOf(result: ReplayResult, maxBins: number): SizeHistogram {
  const cached = histograms.get(result);
  if (cached?.maxBins === maxBins) return cached.histogram;
  const histogram = sizeHistogram(
    result.droneStats.sizes,
    result.pools.map((p) => p.block),
    maxBins,
  );
  histograms.set(result, { maxBins, histogram });
  return histogram;
}

function heapOf(config: DroneConfig, heap: HeapConfig, result: ReplayResult | null): HeapViewHeap {
  const placements = poolPlacements(config, heap);
  const reports = result ? reportsByPool(heap, result) : undefined;
  const complete = validPools(heap);
  // Pools that are valid on their own, even when others are not (the strip shows what it can).
  const valid = (heap.pools?.items ?? []).filter((p) => p.block?.bytes !== undefined && p.capacity?.value !== undefined);
  const sorted = [...valid].sort((a, b) => a.block!.bytes! - b.block!.bytes!);
  const total = sorted.reduce((s, p) => s + p.block!.bytes! * p.capacity!.value!, 0);
  return {
    name: heap.name,
    qualifiedName: heap.qualifiedName,
    legacy: heap.legacy,
    isExtra: heap.isExtra,
    range: toRange(config.lines, tableAnchor(heap.table)),
    size: heap.size?.bytes ?? null,
    poolSum: complete ? (poolSum(heap) ?? null) : null,
    address: heapPlacement(config, heap) ?? null,
    pools: sorted.map((pool) => poolOf(config, pool, total, placements?.get(pool), reports?.get(pool))),
    poolsComplete: !!complete,
  };
}

function poolOf(
  config: DroneConfig,
  pool: PoolConfig,
  total: number,
  address: { start: number; end: number } | undefined,
  report: ReplayResult['pools'][number] | undefined,
): HeapViewPool {
  const block = pool.block!.bytes!;
  const capacity = pool.capacity!.value!;
  const bytes = block * capacity;
  return {
    index: pool.index,
    block,
    capacity,
    bytes,
    share: total > 0 ? bytes / total : 0,
    address: address ?? null,
    range: toRange(config.lines, pool.span),
    trace: report
      ? {
          peak: report.peak,
          peakAt: report.peakAt,
          peakShare: report.capacity > 0 ? report.peak / report.capacity : 0,
          allocations: report.allocations,
          overflowIn: report.overflowIn,
          failures: report.failures,
          fragmentation: report.fragmentationAtHeapPeak,
          neverUsed: report.neverUsed,
          unusedBytes: report.neverUsed * report.block,
          sizes: report.sizes.map((s) => ({ ...s })),
          sizesOmittedCount: report.sizesOmittedCount,
        }
      : null,
  };
}

/** Errors and warnings of the text whose span lies in the heap (its header, keys, pools). */
function heapErrors(config: DroneConfig, heap: HeapConfig, findings: readonly Finding[]): HeapViewError[] {
  const spans = heapSpans(heap);
  const inHeap = (span: Span) =>
    spans.some((s) => span.start < s.end && s.start < span.end) || spans.some((s) => span.start >= s.start && span.end <= s.end);
  return findings
    .filter((f) => SHOWN_SEVERITIES.has(f.severity) && inHeap(f.span))
    .sort((a, b) => Number(b.severity === 'error') - Number(a.severity === 'error') || a.span.start - b.span.start)
    .map((f) => ({ code: f.code, severity: f.severity, message: f.message, range: toRange(config.lines, f.span) }));
}

function baseName(path: string | null): string | null {
  return path ? (path.split(/[\\/]/).pop() ?? path) : null;
}
