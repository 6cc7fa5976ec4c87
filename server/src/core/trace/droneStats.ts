// Drone's own trace statistics, as `drone heap` prints them (reference §3, last part):
// per distinct size the peak number of simultaneously live allocations ("max load") and
// the number of allocations, and "maximum heap load" = Σ size × max load. Grow/shrink
// counts as dealloc(old) followed by alloc(new).
//
// Where this project differs from Drone on purpose: Drone rejects a trace with a dealloc
// that matches no live allocation; here it is counted (capture started late) and ignored.
// Zero-size allocations are counted like any other size (they add 0 to the heap load).

import { EventKind, type EventBatch, type EventSink } from './events';
import { grown, SizeSlots } from './sizeSlots';

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
  private peakLiveBytesAt: number | null = null;
  private unmatchedFrees = 0;
  private firstUnmatchedFree: number | null = null;

  consume(batch: EventBatch): void {
    const { kinds, a, b } = batch;
    let index = this.events;
    for (let i = 0; i < batch.length; i++, index++) {
      const kind = kinds[i];
      if (kind === EventKind.Alloc) this.add(a[i], index);
      else if (kind === EventKind.Free) this.remove(a[i], index);
      else {
        this.remove(a[i], index);
        this.add(b[i], index);
      }
    }
    this.events = index;
  }

  result(): DroneStats {
    return buildDroneStats(this.slots.sizes, this.maxLoad, this.allocations, {
      peakLiveBytes: this.peakLiveBytes,
      peakLiveBytesAt: this.peakLiveBytesAt,
      unmatchedFrees: this.unmatchedFrees,
      firstUnmatchedFree: this.firstUnmatchedFree,
      events: this.events,
    });
  }

  private add(size: number, index: number): void {
    let slot = this.slots.find(size);
    if (slot < 0) slot = this.newSlot(size);
    const live = ++this.live[slot];
    if (live > this.maxLoad[slot]) this.maxLoad[slot] = live;
    this.allocations[slot]++;
    this.liveBytes += size;
    if (this.liveBytes > this.peakLiveBytes) {
      this.peakLiveBytes = this.liveBytes;
      this.peakLiveBytesAt = index;
    }
  }

  private remove(size: number, index: number): void {
    const slot = this.slots.find(size);
    if (slot < 0 || this.live[slot] === 0) {
      if (this.unmatchedFrees++ === 0) this.firstUnmatchedFree = index;
      return;
    }
    this.live[slot]--;
    this.liveBytes -= size;
  }

  private newSlot(size: number): number {
    const slot = this.slots.add(size);
    this.live = grown(this.live, slot + 1);
    this.maxLoad = grown(this.maxLoad, slot + 1);
    this.allocations = grown(this.allocations, slot + 1);
    return slot;
  }
}
