// Large realistic stream-format traces for the replay bench, written straight to a file in
// 1 MiB pieces (no event objects, memory independent of the trace length).
//
// The mix imitates firmware: a few dozen distinct sizes, mostly small (many allocations of
// 4–64 B), some medium, rare large ones up to 512 B; a live set that breathes between a
// few and ~250 allocations; frees pick a random live allocation (not LIFO: the replay's
// LIFO-per-size rule then has real work to do); ~8 % grow, ~7 % shrink.

import { closeSync, openSync, writeSync } from 'node:fs';
import { mulberry32 } from './traceGen';

/** Distinct sizes and their relative weights. */
const SIZES = [4, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 72, 80, 96, 112, 128, 144, 160, 192, 224, 256, 300, 336, 400, 512];
const WEIGHTS = [6, 14, 8, 16, 6, 10, 3, 12, 6, 7, 3, 6, 2, 2, 3, 2, 2, 1.2, 1, 0.8, 0.5, 0.5, 0.3, 0.3, 0.2, 0.1];

/** The starter layout `drone new` writes for a 10K heap, capacities × `scale`. */
export function workloadPools(scale = 6): { block: number; capacity: number }[] {
  return [
    [4, 118],
    [8, 148],
    [20, 82],
    [56, 34],
    [116, 16],
    [208, 8],
    [336, 3],
    [512, 1],
  ].map(([block, capacity]) => ({ block, capacity: capacity * scale }));
}

export interface WorkloadInfo {
  events: number;
  bytes: number;
}

/** Writes `events` events of the mix to `path` in the stream format. */
export function writeWorkloadTrace(path: string, events: number, seed = 1): WorkloadInfo {
  const random = mulberry32(seed);
  const cumulative = new Float64Array(WEIGHTS.length);
  let total = 0;
  WEIGHTS.forEach((w, i) => (cumulative[i] = total += w));
  const pickSize = () => {
    const r = random() * total;
    let i = 0;
    while (cumulative[i] < r) i++;
    return SIZES[i];
  };
  // The live set slowly breathes between ~8 and ~250 allocations.
  return writeLiveSetWalk(path, events, random, {
    pickSize,
    target: { min: 8, span: 240 },
    maxSize: 512,
    shrink: (old) => Math.max(4, old >>> 1),
  });
}

/** How a generated trace's live set moves (writeLiveSetWalk). */
export interface LiveSetWalk {
  /** The size of a new block (it may draw from the walk's random numbers). */
  pickSize: () => number;
  /** Every 1024 events the live set aims anew at min + ⌊random · span⌋ blocks. */
  target: { min: number; span: number };
  /** A grow to a size not above the old one doubles the old one instead, up to this. */
  maxSize: number;
  /** What a shrink to a size not below the old one becomes. */
  shrink: (old: number) => number;
  /** Free every live block at the end, within `events`: the trace ends with an empty heap. */
  balanced?: boolean;
}

/**
 * Writes a stream-format trace of `events` events straight to `path` in 1 MiB pieces (no
 * event objects): allocations while the live set is below its target (62 %, else 38 %),
 * frees of a random live block (not LIFO), ~8 % grow and ~7 % shrink.
 */
export function writeLiveSetWalk(path: string, events: number, random: () => number, walk: LiveSetWalk): WorkloadInfo {
  const live = new Uint32Array(1 << 16);
  let liveCount = 0;
  const takeRandomLive = () => {
    const i = Math.floor(random() * liveCount);
    const size = live[i];
    live[i] = live[--liveCount];
    return size;
  };

  const chunk = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  let bytes = 0;
  const fd = openSync(path, 'w');
  const put = (kind: number, a: number, b?: number) => {
    if (used + 9 > chunk.length) {
      writeSync(fd, chunk, 0, used);
      bytes += used;
      used = 0;
    }
    chunk[used] = kind;
    chunk.writeUInt32LE(a, used + 1);
    used += 5;
    if (b !== undefined) {
      chunk.writeUInt32LE(b, used);
      used += 4;
    }
  };
  let target = 64;
  let n = 0;
  // A balanced walk leaves room for the frees that end it.
  for (; n < (walk.balanced ? events - liveCount : events); n++) {
    if ((n & 1023) === 0) target = walk.target.min + Math.floor(random() * walk.target.span);
    const r = random();
    const wantAlloc = liveCount < target ? 0.62 : 0.38;
    if (liveCount === 0 || (r < wantAlloc && liveCount < live.length)) {
      const size = walk.pickSize();
      live[liveCount++] = size;
      put(0, size);
    } else if (r < 0.85) {
      put(1, takeRandomLive());
    } else {
      const old = takeRandomLive();
      const grow = r < 0.93;
      let size = walk.pickSize();
      if (grow && size <= old) size = Math.min(old * 2, walk.maxSize);
      if (!grow && size >= old) size = walk.shrink(old);
      live[liveCount++] = size;
      put(grow ? 2 : 3, old, size);
    }
  }
  for (; walk.balanced && liveCount > 0; n++) put(1, live[--liveCount]);
  writeSync(fd, chunk, 0, used);
  bytes += used;
  closeSync(fd);
  return { events: n, bytes };
}
