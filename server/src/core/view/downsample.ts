// Downsampling of the replay's time series for a chart of a given width. The replay keeps at
// most ~1000 buckets whatever the trace length; a chart asks for about one bucket per pixel.
// Neighbouring buckets are merged in equal groups, keeping the min of the mins and the max
// of the maxes, so a one-event peak (or dip) is never hidden however far one zooms out.

import type { ReplaySeries } from '../replay/result';

export interface DownsampledPool {
  block: number;
  /** Fewest blocks in use at any moment within each bucket. */
  min: number[];
  /** Most blocks in use at any moment within each bucket. */
  max: number[];
}

export interface DownsampledSeries {
  /** Events per bucket: bucket k covers events [k·bucketWidth, (k+1)·bucketWidth), the last one possibly partial. */
  bucketWidth: number;
  buckets: number;
  pools: DownsampledPool[];
}

/** Largest number of buckets anyone may ask for (a very wide screen). */
export const MAX_BUCKETS = 4096;

/**
 * Merges the series' buckets in groups of ⌈buckets / target⌉ (so the result has at most
 * `target` buckets, aligned on the source's bucket boundaries). A series that is already
 * small enough is returned as a copy; it is never upsampled.
 */
export function downsampleSeries(series: Pick<ReplaySeries, 'bucketWidth' | 'buckets' | 'pools'>, target: number): DownsampledSeries {
  const group = groupFor(series.buckets, target);
  const buckets = Math.ceil(series.buckets / group);
  const pools = series.pools.map((pool): DownsampledPool => {
    if (group === 1) return { block: pool.block, min: pool.min.slice(0, series.buckets), max: pool.max.slice(0, series.buckets) };
    const min = new Array<number>(buckets);
    const max = new Array<number>(buckets);
    for (let k = 0; k < buckets; k++) {
      const from = k * group;
      const to = Math.min(series.buckets, from + group);
      let lo = pool.min[from];
      let hi = pool.max[from];
      for (let j = from + 1; j < to; j++) {
        if (pool.min[j] < lo) lo = pool.min[j];
        if (pool.max[j] > hi) hi = pool.max[j];
      }
      min[k] = lo;
      max[k] = hi;
    }
    return { block: pool.block, min, max };
  });
  return { bucketWidth: series.bucketWidth * group, buckets, pools };
}

/** Source buckets merged into one so that `buckets` become at most `target` (clamped to 1..MAX_BUCKETS). */
function groupFor(buckets: number, target: number): number {
  const limit = Math.max(1, Math.min(MAX_BUCKETS, Math.floor(Number.isFinite(target) ? target : MAX_BUCKETS)));
  return Math.max(1, Math.ceil(buckets / limit));
}

/** One value per bucket (a max within each, like the models' fragmentation), merged the same way keeping the max. */
export function downsampleMax(
  series: { bucketWidth: number; buckets: number; values: readonly number[] },
  target: number,
): { bucketWidth: number; buckets: number; values: number[] } {
  const group = groupFor(series.buckets, target);
  const buckets = Math.ceil(series.buckets / group);
  const values = new Array<number>(buckets);
  for (let k = 0; k < buckets; k++) {
    const to = Math.min(series.buckets, (k + 1) * group);
    let hi = series.values[k * group];
    for (let j = k * group + 1; j < to; j++) if (series.values[j] > hi) hi = series.values[j];
    values[k] = hi;
  }
  return { bucketWidth: series.bucketWidth * group, buckets, values };
}
