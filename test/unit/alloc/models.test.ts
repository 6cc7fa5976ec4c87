// The general-purpose allocator models (server/src/core/alloc): hand-checked scenarios with
// their derivation, and a property test on random traces (no overlap, everything inside
// the region, free runs + live blocks tile the region, best fit = a naive reference).
import { strict as assert } from 'node:assert';
import { BestFitModel, DefragModel, type AllocModel } from '../../../server/src/core/alloc/models';
import { FreeRuns } from '../../../server/src/core/alloc/freeRuns';
import { PoolReplayer } from '../../../server/src/core/replay/poolReplay';
import { batchOf, parseScenario, randomEvents, type Ev } from '../../support/traceGen';

function feed<M extends AllocModel>(model: M, scenario: string): M {
  model.consume(batchOf(parseScenario(scenario)));
  return model;
}

describe('FreeRuns', () => {
  it('takes the smallest run that fits, the lowest address among equal sizes, and coalesces on release', () => {
    const runs = new FreeRuns(0, 100);
    assert.equal(runs.take(10), 0); // [10,100)
    assert.equal(runs.take(20), 10); // [30,100)
    assert.equal(runs.take(30), 30); // [60,100)
    runs.release(0, 10); // [0,10) [60,100)
    runs.release(30, 30); // [0,10) [30,100): joins the tail
    assert.deepEqual(runs.list(), [
      { addr: 0, size: 10 },
      { addr: 30, size: 70 },
    ]);
    assert.equal(runs.take(8), 0, 'best fit: the 10-byte run, not the 70-byte one');
    runs.release(0, 8);
    runs.release(10, 20); // [0,10) + [10,30) + [30,100) → one run
    assert.deepEqual(runs.list(), [{ addr: 0, size: 100 }]);
    assert.equal(runs.total, 100);
    assert.equal(runs.largest(), 100);
    assert.equal(runs.take(101), -1);
  });
});

describe('BestFitModel', () => {
  it('coalesces a freed block with free neighbours on both sides', () => {
    // heap 64: A 8 @0, B 12 @8, C 16 @20, D 20 @36 → 56 used, tail [56,64).
    // free 8 (A) → [0,8); free 16 (C) → [20,36); free 12 (B @8..20) joins [0,8) and [20,36) → [0,36).
    const m = feed(new BestFitModel(64), 'alloc 8\nalloc 12\nalloc 16\nalloc 20\nfree 8\nfree 16\nfree 12\n');
    assert.deepEqual(m.free.list(), [
      { addr: 0, size: 36 },
      { addr: 56, size: 8 },
    ]);
    assert.deepEqual(m.liveRanges(), [{ addr: 36, size: 20 }]);
    const r = m.result();
    assert.equal(r.failures, 0);
    assert.equal(r.peakBytesInUse, 56);
    assert.equal(r.peakAt, 3);
    assert.equal(r.largestFreeRunAtPeak, 8);
    // Worst moment: after `free 16` the runs are 8, 16, 8 → 1 − 16/32 = 0.5.
    assert.equal(r.maxExternalFragmentation, 0.5);
    // At the end: 1 − 36/44.
    assert.equal(r.series.externalFragmentation.length, 7);
    assert.equal(r.series.externalFragmentation[6], 1 - 36 / 44);
  });

  it('chooses the smallest run that fits, rounding requests up to the word', () => {
    // heap 64: 12 @0, 4 @12, 8 @16, 16 @24, tail [40,64) (24 B). free 12 → [0,12); free 8 → [16,24).
    // alloc 5 → 8 B → the 8-byte run @16 (not the lower @0, not the tail);
    // alloc 10 → 12 B → the 12-byte run @0 exactly; alloc 1 → 4 B → only the tail is left: @40.
    const m = feed(new BestFitModel(64), 'alloc 12\nalloc 4\nalloc 8\nalloc 16\nfree 12\nfree 8\nalloc 5\nalloc 10\nalloc 1\n');
    assert.deepEqual(m.liveRanges(), [
      { addr: 0, size: 12 },
      { addr: 12, size: 4 },
      { addr: 16, size: 8 },
      { addr: 24, size: 16 },
      { addr: 40, size: 4 },
    ]);
  });

  it('takes the lowest address among equally good runs', () => {
    // heap 64: 7→8 @0, 4 @8, 8 @12, 4 @20, tail [24,64). free 7 → [0,8), then free 8 → [12,20).
    // alloc 6 → 8 B: two 8-byte runs; the lower one @0 wins (not the most recently freed @12).
    const m = feed(new BestFitModel(64), 'alloc 7\nalloc 4\nalloc 8\nalloc 4\nfree 7\nfree 8\nalloc 6\n');
    assert.ok(m.liveRanges().some((r) => r.addr === 0 && r.size === 8));
    assert.deepEqual(m.free.list(), [
      { addr: 12, size: 8 },
      { addr: 24, size: 40 },
    ]);
  });

  it('tells fragmented failures from out of memory', () => {
    // heap 32: 8 @0, 4 @8, 12 @12, 4 @24, 4 @28 → full. free 8 → [0,8); free 12 → [12,24).
    // Free 20 B, largest run 12: alloc 16 fails fragmented (e7), alloc 24 out of memory (e8).
    const r = feed(new BestFitModel(32), 'alloc 8\nalloc 4\nalloc 12\nalloc 4\nalloc 4\nfree 8\nfree 12\nalloc 16\nalloc 24\n').result();
    assert.equal(r.failures, 2);
    assert.equal(r.firstFailure, 7);
    assert.deepEqual(r.failureKinds, { outOfMemory: 1, outOfIndexes: 0, fragmented: 1 });
    assert.equal(r.maxExternalFragmentation, 1 - 12 / 20);
  });

  it('follows the pool replay: realloc takes the new block first, phantoms, zero sizes, unmatched frees', () => {
    // heap 32: alloc 8 @0; grow 8→12: the new block @8 while the old is live (peak 20 at e1,
    // largest free run then [20,32) = 12), then [0,8) is freed.
    const grow = feed(new BestFitModel(32), 'alloc 8\ngrow 8 12\n');
    assert.deepEqual(grow.liveRanges(), [{ addr: 8, size: 12 }]);
    const g = grow.result();
    assert.deepEqual([g.peakBytesInUse, g.peakAt, g.largestFreeRunAtPeak, g.freeBytesAtPeak], [20, 1, 12, 12]);
    // heap 16: alloc 16 fills it; alloc 4 fails (e1) and stays a phantom: the first free 4
    // releases nothing (not unmatched), the second is unmatched (e3); alloc 0 touches nothing.
    // grow 16→16 then fails (e5: 16 B live, nothing free) and still ends the old block.
    const m = feed(new BestFitModel(16), 'alloc 16\nalloc 4\nfree 4\nfree 4\nalloc 0\ngrow 16 16\n');
    const r = m.result();
    assert.deepEqual([r.failures, r.firstFailure, r.unmatchedFrees, r.firstUnmatchedFree, r.zeroSizeRequests], [2, 1, 1, 3, 1]);
    assert.deepEqual(r.failureKinds, { outOfMemory: 2, outOfIndexes: 0, fragmented: 0 });
    assert.deepEqual(m.liveRanges(), []);
    assert.equal(m.free.total, 16);
    assert.equal(r.maxExternalFragmentation, 0, 'nothing free, or one run: no external fragmentation');
  });
});

describe('DefragModel', () => {
  it('fails with out of indexes when every index is taken', () => {
    // 2 indexes: the third live block (e2) has none; freeing the phantom (e3) frees no index,
    // freeing a real block (e4) does, so e5 succeeds.
    const r = feed(new DefragModel(100, { indexes: 2 }), 'alloc 4\nalloc 4\nalloc 4\nfree 4\nfree 4\nalloc 4\n').result();
    assert.deepEqual([r.failures, r.firstFailure, r.peakBlocks], [1, 2, 2]);
    assert.deepEqual(r.failureKinds, { outOfMemory: 0, outOfIndexes: 1, fragmented: 0 });
    assert.equal(r.peakBytesInUse, 24, 'two blocks of 4 + 8 B overhead');
  });

  it('tells fragmented from out of memory, and compaction turns the fragmented one into a success', () => {
    // heap 48, 8 B per block: alloc 4 → 12 B @0, alloc 8 → 16 B @12, alloc 12 → 20 B @28: full.
    // free 4 → [0,12); free 12 → [28,48). Free 32 B, largest run 20.
    // alloc 16 needs 24 B: 32 ≥ 24 but no run → fragmented (e5). alloc 28 needs 36 > 32 → out of memory (e6).
    const scenario = 'alloc 4\nalloc 8\nalloc 12\nfree 4\nfree 12\nalloc 16\nalloc 28\n';
    const plain = feed(new DefragModel(48), scenario).result();
    assert.equal(plain.model, 'defrag');
    assert.deepEqual([plain.failures, plain.firstFailure], [2, 5]);
    assert.deepEqual(plain.failureKinds, { outOfMemory: 1, outOfIndexes: 0, fragmented: 1 });
    assert.equal(plain.peakBytesInUse, 48);
    assert.equal(plain.largestFreeRunAtPeak, 0);
    // Compacting: at e5 defrag() slides the 16-byte block @12 down to 0 (16 B moved), one run
    // [16,48) of 32 B remains, the 24-byte block goes @16. e6 then needs 36 > 8 free: out of memory.
    const model = feed(new DefragModel(48, { compact: true }), scenario);
    const compacting = model.result();
    assert.equal(compacting.model, 'defrag-compacting');
    assert.deepEqual([compacting.compactions, compacting.bytesMoved], [1, 16]);
    assert.deepEqual([compacting.failures, compacting.firstFailure], [1, 6]);
    assert.deepEqual(compacting.failureKinds, { outOfMemory: 1, outOfIndexes: 0, fragmented: 0 });
    assert.deepEqual(model.liveRanges(), [
      { addr: 0, size: 16 },
      { addr: 16, size: 24 },
    ]);
    assert.deepEqual(model.free.list(), [{ addr: 40, size: 8 }]);
  });
});

/** Naive best fit on a plain list: the reference the fast model must agree with. */
class NaiveBestFit {
  runs: { addr: number; size: number }[];
  constructor(heap: number) {
    this.runs = heap > 0 ? [{ addr: 0, size: heap }] : [];
  }
  take(need: number): number {
    let best = -1;
    this.runs.forEach((r, i) => {
      if (
        r.size >= need &&
        (best < 0 || r.size < this.runs[best].size || (r.size === this.runs[best].size && r.addr < this.runs[best].addr))
      )
        best = i;
    });
    if (best < 0) return -1;
    const r = this.runs[best];
    const addr = r.addr;
    if (r.size === need) this.runs.splice(best, 1);
    else this.runs[best] = { addr: r.addr + need, size: r.size - need };
    return addr;
  }
  release(addr: number, size: number): void {
    this.runs.push({ addr, size });
    this.runs.sort((x, y) => x.addr - y.addr);
    const merged: { addr: number; size: number }[] = [];
    for (const r of this.runs) {
      const last = merged[merged.length - 1];
      if (last && last.addr + last.size === r.addr) last.size += r.size;
      else merged.push({ ...r });
    }
    this.runs = merged;
  }
}

function checkTiling(model: AllocModel, heap: number, context: string): void {
  const live = model.liveRanges();
  const free = model.free.list();
  let end = 0;
  for (const r of live) {
    assert.ok(r.addr >= end, `${context}: overlapping live ranges at ${r.addr}`);
    assert.ok(r.size > 0 && r.addr + r.size <= heap, `${context}: range [${r.addr}, ${r.addr + r.size}) outside the region of ${heap} B`);
    end = r.addr + r.size;
  }
  const all = [...live, ...free].sort((x, y) => x.addr - y.addr);
  let at = 0;
  for (const r of all) {
    assert.equal(r.addr, at, `${context}: gap or overlap at ${at}`);
    at += r.size;
  }
  assert.equal(at, heap, `${context}: live blocks and free runs must tile the region`);
}

describe('allocator models on random traces', () => {
  // Seeds 1–5: small word-aligned regions; 6: a region whose end is not word-aligned;
  // 7: a region beyond 4 MiB (neighbours indexed by Maps instead of granule arrays).
  const compactions: number[] = [];
  for (const seed of [1, 2, 3, 4, 5, 6, 7]) {
    it(`never overlap and stay inside the region (seed ${seed})`, () => {
      const heap = seed === 7 ? (4 << 20) + 6 : seed === 6 ? 2050 : 2048 + seed * 4;
      const maxSize = seed === 7 ? 1 << 20 : 400;
      const events = randomEvents(seed, 1500, { maxSize, wellFormed: seed % 2 === 1 });
      const models: AllocModel[] = [
        new BestFitModel(heap),
        new DefragModel(heap, { indexes: 24 }),
        new DefragModel(heap, { indexes: 40, compact: true }),
      ];
      const naive = new NaiveBestFit(heap);
      const naiveLive = new Map<number, { addr: number; size: number }[]>();
      events.forEach((event: Ev, i) => {
        const batch = batchOf([event]);
        const compacting = models[2].result();
        const liveBefore = models[2].liveRanges();
        for (const model of models) {
          model.consume(batch);
          checkTiling(model, heap, `${model.name}, seed ${seed}, event ${i} ${event.join(' ')}`);
        }
        if (event[0] === 'alloc' && models[2].result().compactions > compacting.compactions) {
          // defrag() slid every live block down in address order, then the new block came last.
          let at = 0;
          let moved = 0;
          const slid = liveBefore.map((r) => {
            if (r.addr !== at) moved += r.size;
            at += r.size;
            return { addr: at - r.size, size: r.size };
          });
          assert.deepEqual(models[2].liveRanges().slice(0, slid.length), slid, `compaction at event ${i} keeps the address order`);
          assert.equal(models[2].result().bytesMoved - compacting.bytesMoved, moved);
        }
        // The naive reference, with the same LIFO-per-size rule.
        let old: { addr: number; size: number } | undefined | null;
        if (event[0] !== 'alloc') old = naiveLive.get(event[1])?.pop();
        if (event[0] !== 'free') {
          const size = event.length === 3 ? event[2] : event[1];
          const need = Math.ceil(size / 4) * 4;
          const addr = size === 0 ? -1 : naive.take(need);
          (naiveLive.get(size) ?? naiveLive.set(size, []).get(size)!).push(addr < 0 ? null! : { addr, size: need });
        }
        if (old) naive.release(old.addr, old.size);
        assert.deepEqual(models[0].free.list(), naive.runs, `best fit differs from the naive reference at event ${i}`);
      });
      // The trace semantics match the pool replay's.
      const pools = new PoolReplayer([{ block: 64, capacity: 4 }]);
      pools.consume(batchOf(events));
      const replay = pools.result();
      for (const model of models) {
        const r = model.result();
        assert.equal(r.events, events.length);
        assert.equal(r.unmatchedFrees, replay.unmatchedFrees);
        assert.equal(r.zeroSizeRequests, replay.zeroSizeRequests);
        assert.ok(r.series.buckets <= 1000 && r.series.externalFragmentation.every((x) => x >= 0 && x < 1));
      }
      assert.ok(models[2].result().failureKinds.fragmented === 0, 'compaction leaves no fragmented failure');
      assert.ok(
        models.every((m) => m.result().failures > 0),
        'the region is small enough for failures',
      );
      compactions.push(models[2].result().compactions);
    });
  }

  it('compacted on some of those traces (the property test covered defrag())', () => {
    assert.ok(compactions.reduce((x, y) => x + y, 0) > 0, String(compactions));
  });

  it('keeps at most 1000 buckets with the maximum of each', () => {
    const model = new BestFitModel(4096);
    const events = randomEvents(9, 5000, { maxSize: 300 });
    model.consume(batchOf(events));
    const r = model.result();
    assert.ok(r.series.buckets <= 1000 && r.series.buckets > 500, String(r.series.buckets));
    assert.equal(Math.max(...r.series.externalFragmentation), r.maxExternalFragmentation);
  });
});
