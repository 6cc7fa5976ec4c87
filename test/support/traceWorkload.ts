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
  const flushIfFull = () => {
    if (used + 9 <= chunk.length) return;
    writeSync(fd, chunk, 0, used);
    bytes += used;
    used = 0;
  };
  // The live set slowly breathes between ~8 and ~250 allocations.
  let target = 64;
  for (let n = 0; n < events; n++) {
    if ((n & 1023) === 0) target = 8 + Math.floor(random() * 240);
    flushIfFull();
    const r = random();
    const wantAlloc = liveCount < target ? 0.62 : 0.38;
    if (liveCount === 0 || (r < wantAlloc && liveCount < live.length)) {
      const size = pickSize();
      live[liveCount++] = size;
      chunk[used] = 0;
      chunk.writeUInt32LE(size, used + 1);
      used += 5;
    } else if (r < 0.85) {
      chunk[used] = 1;
      chunk.writeUInt32LE(takeRandomLive(), used + 1);
      used += 5;
    } else {
      const old = takeRandomLive();
      const grow = r < 0.93;
      let size = pickSize();
      if (grow && size <= old) size = Math.min(old * 2, 512);
      if (!grow && size >= old) size = Math.max(4, old >>> 1);
      live[liveCount++] = size;
      chunk[used] = grow ? 2 : 3;
      chunk.writeUInt32LE(old, used + 1);
      chunk.writeUInt32LE(size, used + 5);
      used += 9;
    }
  }
  writeSync(fd, chunk, 0, used);
  bytes += used;
  closeSync(fd);
  return { events, bytes };
}
