// A deliberately naive model of Drone's pool allocator (objects, arrays, linear scans),
// written straight from the allocator's rules (poolReplay.ts's header), to cross-check the optimised
// PoolReplayer on random traces. Slow, obviously correct, test-only.

import type { Ev } from './traceGen';

export interface RefPool {
  block: number;
  capacity: number;
  live: number;
  peak: number;
  peakAt: number | null;
  allocations: number;
  overflowIn: number;
  failures: number;
  requested: number;
  fragmentationAtHeapPeak: number;
}

export interface RefResult {
  events: number;
  failures: number;
  firstFailure: number | null;
  failuresTooLarge: number;
  unmatchedFrees: number;
  firstUnmatchedFree: number | null;
  zeroSizeRequests: number;
  peakReservedBytes: number;
  peakReservedAt: number | null;
  peakRequestedBytes: number;
  peakRequestedAt: number | null;
  pools: RefPool[];
  maxLoad: Map<number, number>;
}

export function referenceReplay(specs: readonly { block: number; capacity: number }[], events: readonly Ev[]): RefResult {
  const pools: RefPool[] = specs
    .map((s, order) => ({ ...s, order }))
    .sort((x, y) => x.block - y.block || x.order - y.order)
    .map(({ block, capacity }) => ({
      block,
      capacity,
      live: 0,
      peak: 0,
      peakAt: null,
      allocations: 0,
      overflowIn: 0,
      failures: 0,
      requested: 0,
      fragmentationAtHeapPeak: 0,
    }));
  // Live allocations per size, oldest first; each remembers its pool (or null: no block).
  const liveBySize = new Map<number, (RefPool | null)[]>();
  const r: RefResult = {
    events: events.length,
    failures: 0,
    firstFailure: null,
    failuresTooLarge: 0,
    unmatchedFrees: 0,
    firstUnmatchedFree: null,
    zeroSizeRequests: 0,
    peakReservedBytes: 0,
    peakReservedAt: null,
    peakRequestedBytes: 0,
    peakRequestedAt: null,
    pools,
    maxLoad: new Map(),
  };
  const reserved = () => pools.reduce((s, p) => s + p.live * p.block, 0);
  const requested = () => pools.reduce((s, p) => s + p.requested, 0);
  const checkPeaks = (index: number) => {
    if (reserved() > r.peakReservedBytes) {
      r.peakReservedBytes = reserved();
      r.peakReservedAt = index;
      for (const p of pools) p.fragmentationAtHeapPeak = p.live * p.block - p.requested;
    }
    if (requested() > r.peakRequestedBytes) {
      r.peakRequestedBytes = requested();
      r.peakRequestedAt = index;
    }
  };
  const allocate = (size: number, index: number) => {
    let holder: RefPool | null = null;
    if (size === 0) r.zeroSizeRequests++;
    else {
      const best = pools.find((p) => p.block >= size);
      holder = pools.find((p) => p.block >= size && p.live < p.capacity) ?? null;
      if (holder) {
        holder.live++;
        holder.allocations++;
        holder.requested += size;
        if (best && holder.block > best.block) holder.overflowIn++;
        if (holder.live > holder.peak) {
          holder.peak = holder.live;
          holder.peakAt = index;
        }
        checkPeaks(index);
      } else {
        if (best) best.failures++;
        else r.failuresTooLarge++;
        r.failures++;
        r.firstFailure ??= index;
      }
    }
    const list = liveBySize.get(size) ?? [];
    list.push(holder);
    liveBySize.set(size, list);
    r.maxLoad.set(size, Math.max(r.maxLoad.get(size) ?? 0, list.length));
  };
  const takeLatest = (size: number, index: number): { pool: RefPool | null } | null => {
    const list = liveBySize.get(size);
    if (!list || list.length === 0) {
      r.unmatchedFrees++;
      r.firstUnmatchedFree ??= index;
      return null;
    }
    return { pool: list.pop()! };
  };
  const release = (pool: RefPool | null, size: number) => {
    if (!pool) return;
    pool.live--;
    pool.requested -= size;
  };
  events.forEach((e, index) => {
    if (e[0] === 'alloc') allocate(e[1], index);
    else if (e[0] === 'free') release(takeLatest(e[1], index)?.pool ?? null, e[1]);
    else {
      const old = takeLatest(e[1], index);
      allocate(e[2], index);
      release(old?.pool ?? null, e[1]);
    }
  });
  return r;
}
