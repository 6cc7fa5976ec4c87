// The trace as the exact optimiser needs it: a sequence of +1/−1 steps on the live count
// of each unit (distinct size rounded up to the word size), in trace order.
//
// Which layout serves a trace depends on one thing per candidate pool: the most blocks its
// sizes hold at once. Sizes, not addresses, decide which live allocation a free ends, so
// the rules are those of the pool replay with pools that never run out (no failure, no
// fallback, hence no phantom):
//  - alloc(s): +1 on unit(s);
//  - free(s): −1 on unit(s) when an allocation of exactly s is live, else an unmatched
//    free (capture started late) that changes nothing;
//  - grow/shrink(old, new): +1 on unit(new) BEFORE −1 on unit(old): both blocks are live
//    for a moment, even when both sizes fall in one pool;
//  - size 0: no pool, no step.
// A step is unit << 1 | (1 for −1), two bytes (a Uint16Array) while there are at most
// 2^15 units, four (Int32Array) beyond. Steps live in fixed chunks of 2^20 (no copy while
// the trace grows; a 10M-event trace takes about 23 MB, 100M events about 230 MB).

import { EventKind, type EventBatch, type EventSink } from '../trace/events';
import { DIRECT_SIZES, grown, SizeSlots } from '../trace/sizeSlots';
import { alignUp, WORD_SIZE } from './droneMath';

export const STEP_CHUNK_BITS = 20;
export const STEP_CHUNK = 1 << STEP_CHUNK_BITS;
/** Units up to this many fit a two-byte step. */
const NARROW_UNITS = 1 << 15;

/** A chunk of steps: two bytes each, or four once there are too many units for two. */
export type StepChunk = Uint16Array | Int32Array;

export interface LiveSteps {
  /** Unit sizes, ascending. */
  units: number[];
  /** Per unit: the most allocations of that unit live at once (a realloc's two blocks included). */
  unitPeaks: Int32Array;
  /** Steps in chunks of STEP_CHUNK (the last one partly filled); units are indices into `units`. */
  chunks: StepChunk[];
  stepCount: number;
  events: number;
  zeroSizeRequests: number;
  unmatchedFrees: number;
}

/** Collects the steps while the trace is decoded (an EventSink, so it shares the read with other sinks). */
export class LiveStepCollector implements EventSink {
  private readonly rawSlots = new SizeSlots();
  /** Per raw size: live allocations of exactly that size (decides whether a free matches). */
  private rawLive = new Int32Array(64);
  /** Per raw size: its unit slot (order of first appearance), −1 for size 0. */
  private rawUnit = new Int32Array(64);
  private readonly unitSlotOf = new Map<number, number>();
  private readonly unitSizes: number[] = [];
  private unitLive = new Int32Array(64);
  private unitPeak = new Int32Array(64);
  private chunks: StepChunk[] = [new Uint16Array(STEP_CHUNK)];
  /** The chunks are Int32Arrays (more units than a two-byte step can number). */
  private wide = false;
  private fill = 0;
  private events = 0;
  private zeroSizeRequests = 0;
  private unmatchedFrees = 0;

  constructor(private readonly wordSize = WORD_SIZE) {}

  consume(batch: EventBatch): void {
    const { kinds, a: firstSizes, b: secondSizes } = batch;
    const direct = this.rawSlots.direct;
    let { rawLive, rawUnit, unitLive, unitPeak, fill } = this;
    let chunk = this.chunks[this.chunks.length - 1];
    for (let i = 0; i < batch.length; i++) {
      const kind = kinds[i];
      let freed = -1;
      if (kind !== EventKind.Alloc) {
        const size = firstSizes[i];
        const slot = size < DIRECT_SIZES ? direct[size] - 1 : this.rawSlots.find(size);
        if (slot < 0 || rawLive[slot] === 0) this.unmatchedFrees++;
        else {
          rawLive[slot]--;
          freed = rawUnit[slot];
        }
      }
      if (kind !== EventKind.Free) {
        const size = kind === EventKind.Alloc ? firstSizes[i] : secondSizes[i];
        let slot = size < DIRECT_SIZES ? direct[size] - 1 : this.rawSlots.find(size);
        if (slot < 0) {
          slot = this.newRawSlot(size);
          ({ rawLive, rawUnit, unitLive, unitPeak } = this);
          chunk = this.chunks[this.chunks.length - 1]; // widened when the units outgrew two-byte steps
        }
        rawLive[slot]++;
        const unit = rawUnit[slot];
        if (unit < 0) this.zeroSizeRequests++;
        else {
          const live = ++unitLive[unit];
          if (live > unitPeak[unit]) unitPeak[unit] = live;
          if (fill === STEP_CHUNK) {
            chunk = this.newChunk();
            fill = 0;
          }
          chunk[fill++] = unit << 1;
        }
      }
      if (freed >= 0) {
        unitLive[freed]--;
        if (fill === STEP_CHUNK) {
          chunk = this.newChunk();
          fill = 0;
        }
        chunk[fill++] = (freed << 1) | 1;
      }
    }
    this.fill = fill;
    this.events += batch.length;
  }

  /** Renumbers the units in ascending size order and hands the steps over (call once). */
  finish(): LiveSteps {
    const count = this.unitSizes.length;
    const order = Array.from({ length: count }, (_, slot) => slot).sort((x, y) => this.unitSizes[x] - this.unitSizes[y]);
    const rank = new Int32Array(count);
    order.forEach((slot, r) => (rank[slot] = r));
    const stepCount = (this.chunks.length - 1) * STEP_CHUNK + this.fill;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      const end = c === this.chunks.length - 1 ? this.fill : STEP_CHUNK;
      for (let k = 0; k < end; k++) chunk[k] = (rank[chunk[k] >> 1] << 1) | (chunk[k] & 1);
    }
    return {
      units: order.map((slot) => this.unitSizes[slot]),
      unitPeaks: Int32Array.from(order, (slot) => this.unitPeak[slot]),
      chunks: this.chunks,
      stepCount,
      events: this.events,
      zeroSizeRequests: this.zeroSizeRequests,
      unmatchedFrees: this.unmatchedFrees,
    };
  }

  private newChunk(): StepChunk {
    const chunk = this.wide ? new Int32Array(STEP_CHUNK) : new Uint16Array(STEP_CHUNK);
    this.chunks.push(chunk);
    return chunk;
  }

  private newRawSlot(size: number): number {
    const slot = this.rawSlots.add(size);
    this.rawLive = grown(this.rawLive, slot + 1);
    this.rawUnit = grown(this.rawUnit, slot + 1);
    this.rawUnit[slot] = size === 0 ? -1 : this.unitSlot(alignUp(size, this.wordSize));
    return slot;
  }

  private unitSlot(unitSize: number): number {
    let slot = this.unitSlotOf.get(unitSize);
    if (slot === undefined) {
      slot = this.unitSizes.length;
      this.unitSizes.push(unitSize);
      this.unitSlotOf.set(unitSize, slot);
      if (slot === NARROW_UNITS && !this.wide) {
        this.wide = true;
        this.chunks = this.chunks.map((chunk) => Int32Array.from(chunk));
      }
      this.unitLive = grown(this.unitLive, slot + 1);
      this.unitPeak = grown(this.unitPeak, slot + 1);
    }
    return slot;
  }
}
