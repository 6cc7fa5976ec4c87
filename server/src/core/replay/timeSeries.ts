// Blocks in use per pool over the event index, kept in at most `maxBuckets` buckets whatever
// the trace length (also while it grows: a live capture). Buckets start one event wide; when
// they run out, neighbours are merged pairwise and the width doubles. Each bucket keeps the
// min and max seen inside it, so a one-event peak still shows in a 1000-point chart.

import type { PoolSeries } from './result';

export class BucketSeries {
  /** Events per bucket. */
  width = 1;
  /** Bucket receiving the current event. */
  bucket = 0;
  /** First event index of the next bucket: the replay calls advance() when it gets there. */
  nextStart = 1;
  /** Per (bucket, pool), at bucket · pools + pool. The replay's hot loop updates them directly. */
  readonly min: Float64Array;
  readonly max: Float64Array;

  constructor(
    private readonly pools: number,
    private readonly maxBuckets: number,
  ) {
    if (!Number.isInteger(maxBuckets) || maxBuckets < 2 || maxBuckets % 2 !== 0) {
      throw new RangeError(`The number of buckets must be an even integer ≥ 2, not ${maxBuckets}.`);
    }
    this.min = new Float64Array(maxBuckets * pools);
    this.max = new Float64Array(maxBuckets * pools);
  }

  /** Opens the next bucket (the replay reached nextStart), starting from the current blocks in use. */
  advance(live: Float64Array): void {
    this.bucket++;
    if (this.bucket === this.maxBuckets) this.halve();
    this.nextStart = (this.bucket + 1) * this.width;
    const at = this.bucket * this.pools;
    for (let p = 0; p < this.pools; p++) {
      this.min[at + p] = live[p];
      this.max[at + p] = live[p];
    }
  }

  /** Pool `pool` now has `inUse` blocks, one more than before. */
  rise(pool: number, inUse: number): void {
    const at = this.bucket * this.pools + pool;
    if (inUse > this.max[at]) this.max[at] = inUse;
  }

  /** Pool `pool` now has `inUse` blocks, one fewer than before. */
  fall(pool: number, inUse: number): void {
    const at = this.bucket * this.pools + pool;
    if (inUse < this.min[at]) this.min[at] = inUse;
  }

  /** The series for `events` replayed events. */
  toJSON(events: number, blocks: readonly number[]): { bucketWidth: number; buckets: number; pools: PoolSeries[] } {
    const buckets = events === 0 ? 0 : this.bucket + 1;
    const pools: PoolSeries[] = blocks.map((block, p) => {
      const min: number[] = [];
      const max: number[] = [];
      for (let k = 0; k < buckets; k++) {
        min.push(this.min[k * this.pools + p]);
        max.push(this.max[k * this.pools + p]);
      }
      return { block, min, max };
    });
    return { bucketWidth: this.width, buckets, pools };
  }

  /** Merges buckets pairwise (2k, 2k+1 → k); the current bucket becomes maxBuckets / 2. */
  private halve(): void {
    const { min, max, pools } = this;
    const half = this.maxBuckets / 2;
    for (let k = 0; k < half; k++) {
      for (let p = 0; p < pools; p++) {
        const to = k * pools + p;
        const left = 2 * k * pools + p;
        const right = left + pools;
        min[to] = Math.min(min[left], min[right]);
        max[to] = Math.max(max[left], max[right]);
      }
    }
    this.width *= 2;
    this.bucket = half;
  }
}
