// Drone's own trace statistics, as `drone heap` prints them (drone's `heap` command):
// per distinct size the peak number of simultaneously live allocations ("max load") and
// the number of allocations, and "maximum heap load" = Σ size × max load. Grow/shrink
// counts as dealloc(old) followed by alloc(new).
//
// Where this project differs from Drone on purpose: Drone rejects a trace with a dealloc
// that matches no live allocation; here it is counted (capture started late) and ignored.
// Zero-size allocations are counted like any other size (they add 0 to the heap load).

import { EventKind, type EventBatch, type EventSink } from './events';
import { DIRECT_SIZES, grown, SizeSlots } from './sizeSlots';

export interface DroneSizeStats {
  size: number;
  /** Peak number of simultaneously live allocations of this size. */
  maxLoad: number;
  /** Allocations of this size (including the new block of grow/shrink). */
  allocations: number;
}

export interface DroneStats {
  /** Ascending by size. */
  sizes: DroneSizeStats[];
  /** Σ size × maxLoad: Drone's figure, which assumes every per-size peak happens at once. */
  maximumHeapLoad: number;
  /** The real peak of Σ live requested bytes (≤ maximumHeapLoad). */
  peakLiveBytes: number;
  /** Event index at which peakLiveBytes was first reached, or null without allocations. */
  peakLiveBytesAt: number | null;
  /** Deallocations (incl. the old block of grow/shrink) with no live allocation of that size. */
  unmatchedFrees: number;
  firstUnmatchedFree: number | null;
  events: number;
}

/** Assembles the JSON-friendly statistics from per-slot arrays (shared with the pool replay). */
export function buildDroneStats(
  sizes: readonly number[],
  maxLoad: ArrayLike<number>,
  allocations: ArrayLike<number>,
  totals: Omit<DroneStats, 'sizes' | 'maximumHeapLoad'>,
): DroneStats {
  const rows: DroneSizeStats[] = sizes.map((size, slot) => ({ size, maxLoad: maxLoad[slot], allocations: allocations[slot] }));
  rows.sort((x, y) => x.size - y.size);
  let maximumHeapLoad = 0;
  for (const row of rows) maximumHeapLoad += row.size * row.maxLoad;
  return { sizes: rows, maximumHeapLoad, ...totals };
}

/** A stats-only pass: no pools, just per-size live counts. Feed it batches, then ask result(). */
export class DroneStatsCollector implements EventSink {
  private readonly slots = new SizeSlots();
  private live = new Int32Array(64);
  private maxLoad = new Int32Array(64);
  private allocations = new Float64Array(64);
  private events = 0;
  private liveBytes = 0;
  private peakLiveBytes = 0;
  /** −1: none yet */
  private peakLiveBytesAt = -1;
  private unmatchedFrees = 0;
  private firstUnmatchedFree: number | null = null;

  /** One pass over the batch with everything in locals (see poolReplay.ts for why). */
  consume(batch: EventBatch): void {
    const { kinds, a: firstSizes, b: secondSizes } = batch;
    const direct = this.slots.direct;
    let { live, maxLoad, allocations, liveBytes, peakLiveBytes, peakLiveBytesAt } = this;
    let index = this.events;
    for (let i = 0; i < batch.length; i++, index++) {
      const kind = kinds[i];
      if (kind !== EventKind.Alloc) {
        // dealloc, or grow/shrink's dealloc(old) part
        const size = firstSizes[i];
        const slot = size < DIRECT_SIZES ? direct[size] - 1 : this.slots.find(size);
        if (slot < 0 || live[slot] === 0) {
          if (this.unmatchedFrees++ === 0) this.firstUnmatchedFree = index;
        } else {
          live[slot]--;
          liveBytes -= size;
        }
      }
      if (kind !== EventKind.Free) {
        // alloc, or grow/shrink's alloc(new) part
        const size = kind === EventKind.Alloc ? firstSizes[i] : secondSizes[i];
        let slot = size < DIRECT_SIZES ? direct[size] - 1 : this.slots.find(size);
        if (slot < 0) {
          slot = this.newSlot(size);
          ({ live, maxLoad, allocations } = this);
        }
        const load = ++live[slot];
        if (load > maxLoad[slot]) maxLoad[slot] = load;
        allocations[slot]++;
        liveBytes += size;
        if (liveBytes > peakLiveBytes) {
          peakLiveBytes = liveBytes;
          peakLiveBytesAt = index;
        }
      }
    }
    Object.assign(this, { liveBytes, peakLiveBytes, peakLiveBytesAt });
    this.events = index;
  }

  result(): DroneStats {
    return buildDroneStats(this.slots.sizes, this.maxLoad, this.allocations, {
      peakLiveBytes: this.peakLiveBytes,
      peakLiveBytesAt: this.peakLiveBytesAt < 0 ? null : this.peakLiveBytesAt,
      unmatchedFrees: this.unmatchedFrees,
      firstUnmatchedFree: this.firstUnmatchedFree,
      events: this.events,
    });
  }

  private newSlot(size: number): number {
    const slot = this.slots.add(size);
    this.live = grown(this.live, slot + 1);
    this.maxLoad = grown(this.maxLoad, slot + 1);
    this.allocations = grown(this.allocations, slot + 1);
    return slot;
  }
}
