// A zoomed range of the time series at a chart's resolution. The replay's series keeps at
// most ~1000 buckets, so zooming into a long trace would only stretch wide steps. When the
// replay kept its per-event step log (ReplayResult.steps, 2 bytes per event), the range is
// bucketed afresh from it, exactly, down to one event per bucket (cheaper than a re-replay of
// the trace). The blocks in use at the range's start come from checkpoints every 64K events,
// made by one walk over the log the first time it is zoomed (remembered per log), so a zoom
// costs the range plus at most 64K events. Without the log the stored buckets that cover the
// range are merged instead.

import type { ReplayResult } from '../replay/result';
import { MAX_BUCKETS, downsampleSeries, type DownsampledPool } from './downsample';

export interface RangeSeries {
  /** First event of bucket 0 (at or before the asked start). */
  from: number;
  /** Events per bucket: bucket k covers [from + k·bucketWidth, from + (k+1)·bucketWidth), the last one clipped to `to`. */
  bucketWidth: number;
  buckets: number;
  /** End of the last bucket (exclusive, at or after the asked end, ≤ events). */
  to: number;
  /** Drawn from the step log (true), or merged from the replay's stored buckets (false). */
  fromSteps: boolean;
  /** Same order as the result's pools. */
  pools: DownsampledPool[];
}

/** Events [from, to) of `result`'s series in at most `target` buckets; null when the range is empty. */
export function rangeSeries(
  result: Pick<ReplayResult, 'events' | 'series' | 'steps'>,
  from: number,
  to: number,
  target: number,
): RangeSeries | null {
  const events = result.events;
  const start = Math.max(0, Math.floor(Number.isFinite(from) ? from : 0));
  const end = Math.min(events, Math.ceil(Number.isFinite(to) ? to : events));
  if (end <= start) return null;
  const limit = Math.max(1, Math.min(MAX_BUCKETS, Math.floor(Number.isFinite(target) ? target : MAX_BUCKETS)));
  const steps = result.steps;
  if (steps && steps.length >= end)
    return fromSteps(
      result.series.pools.map((p) => p.block),
      steps,
      start,
      end,
      limit,
    );
  return fromBuckets(result.series, events, start, end, limit);
}

function fromSteps(blocks: number[], steps: Uint16Array, from: number, to: number, limit: number): RangeSeries {
  const poolCount = blocks.length;
  const width = Math.max(1, Math.ceil((to - from) / limit));
  const buckets = Math.ceil((to - from) / width);
  const marks = checkpointsOf(steps, poolCount);
  const mark = Math.min(marks.length - 1, Math.floor(from / CHECKPOINT));
  const live = marks[mark].slice(); // index 0 absorbs "no pool" (pool + 1 = 0)
  for (let e = mark * CHECKPOINT; e < from; e++) {
    const step = steps[e];
    live[step & 0xff]++;
    live[step >> 8]--;
  }
  const min = blocks.map(() => new Array<number>(buckets));
  const max = blocks.map(() => new Array<number>(buckets));
  for (let k = 0; k < buckets; k++) {
    const bucketStart = from + k * width;
    const bucketEnd = Math.min(to, bucketStart + width);
    for (let p = 0; p < poolCount; p++) min[p][k] = max[p][k] = live[p + 1];
    for (let e = bucketStart; e < bucketEnd; e++) {
      const step = steps[e];
      const taken = step & 0xff;
      const given = step >> 8;
      // Taken first, then given back (a grow or shrink holds both blocks for a moment).
      if (taken !== 0) {
        const inUse = ++live[taken];
        if (inUse > max[taken - 1][k]) max[taken - 1][k] = inUse;
      }
      if (given !== 0) {
        const inUse = --live[given];
        if (inUse < min[given - 1][k]) min[given - 1][k] = inUse;
      }
    }
  }
  return { from, to, bucketWidth: width, buckets, fromSteps: true, pools: blocks.map((block, p) => ({ block, min: min[p], max: max[p] })) };
}

/** Events between checkpoints of the blocks in use. */
const CHECKPOINT = 1 << 16;
const checkpoints = new WeakMap<Uint16Array, Float64Array[]>();

/** Blocks in use per pool (at pool + 1) before events 0, 64K, 128K, … of the log. */
function checkpointsOf(steps: Uint16Array, poolCount: number): Float64Array[] {
  const known = checkpoints.get(steps);
  if (known) return known;
  const marks: Float64Array[] = [];
  const live = new Float64Array(poolCount + 1);
  for (let e = 0; e < steps.length; e++) {
    if (e % CHECKPOINT === 0) marks.push(live.slice());
    const step = steps[e];
    live[step & 0xff]++;
    live[step >> 8]--;
  }
  if (marks.length === 0) marks.push(live.slice());
  checkpoints.set(steps, marks);
  return marks;
}

function fromBuckets(series: ReplayResult['series'], events: number, from: number, to: number, limit: number): RangeSeries {
  const first = Math.floor(from / series.bucketWidth);
  const last = Math.min(series.buckets, Math.ceil(to / series.bucketWidth));
  const covered = {
    bucketWidth: series.bucketWidth,
    buckets: last - first,
    pools: series.pools.map((p) => ({ block: p.block, min: p.min.slice(first, last), max: p.max.slice(first, last) })),
  };
  const merged = downsampleSeries(covered, limit);
  const start = first * series.bucketWidth;
  return {
    from: start,
    to: Math.min(events, start + merged.buckets * merged.bucketWidth),
    bucketWidth: merged.bucketWidth,
    buckets: merged.buckets,
    fromSteps: false,
    pools: merged.pools,
  };
}
