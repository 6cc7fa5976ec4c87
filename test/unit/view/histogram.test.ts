// The size histogram of the heap view: bins by best-fitting pool, never across a pool
// boundary, totals preserved, bounded bin count whatever the number of distinct sizes.
import * as assert from 'node:assert/strict';
import type { DroneSizeStats } from '../../../server/src/core/trace/droneStats';
import { shareBins, sizeHistogram } from '../../../server/src/core/view/histogram';
import { mulberry32 } from '../../support/traceGen';

const stat = (size: number, allocations: number, maxLoad: number): DroneSizeStats => ({ size, allocations, maxLoad });

describe('heap view: size histogram', () => {
  it('has one bin per size when they are few, with its pool and the bytes rounding wastes at its peak', () => {
    const sizes = [stat(0, 3, 1), stat(3, 10, 4), stat(4, 2, 2), stat(17, 5, 3), stat(24, 1, 1), stat(700, 2, 2)];
    const h = sizeHistogram(sizes, [4, 24, 512]);
    assert.equal(h.exact, true);
    assert.equal(h.distinctSizes, 5);
    assert.deepEqual(h.zeroSize, { allocations: 3, peakLive: 1 });
    assert.deepEqual(h.blocks, [4, 24, 512]);
    assert.deepEqual(
      h.bins.map((b) => [b.from, b.to, b.sizes, b.pool, b.allocations, b.peakLive, b.requestedBytes, b.wasteBytes]),
      [
        [3, 3, 1, 0, 10, 4, 12, 4], // 4 live × (4 − 3)
        [4, 4, 1, 0, 2, 2, 8, 0],
        [17, 17, 1, 1, 5, 3, 51, 21], // 3 × (24 − 17)
        [24, 24, 1, 1, 1, 1, 24, 0],
        [700, 700, 1, null, 2, 2, 1400, 0], // larger than every block: no pool
      ],
    );
  });

  it('sizes equal to a duplicated block go to the first of the equal pools (the allocator tries it first)', () => {
    const h = sizeHistogram([stat(8, 1, 1), stat(9, 1, 1)], [8, 8, 16]);
    assert.deepEqual(
      h.bins.map((b) => b.pool),
      [0, 2],
    );
  });

  it('bins many sizes within the budget, never across a pool boundary, keeping every total (property, 100 cases)', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = mulberry32(seed);
      const blocks = [...new Set(Array.from({ length: 1 + Math.floor(random() * 8) }, () => 4 * (1 + Math.floor(random() * 128))))].sort(
        (a, b) => a - b,
      );
      const sizeSet = new Set<number>();
      const distinctTarget = Math.floor(random() * 3000);
      while (sizeSet.size < distinctTarget) sizeSet.add(random() < 0.9 ? Math.floor(random() * 600) : Math.floor(random() * 0xffffffff));
      const sizes = [...sizeSet].sort((a, b) => a - b).map((s) => stat(s, 1 + Math.floor(random() * 50), 1 + Math.floor(random() * 5)));
      const maxBins = 10 + Math.floor(random() * 150);
      const h = sizeHistogram(sizes, blocks, maxBins);
      const context = `seed ${seed}: ${sizes.length} sizes, blocks ${blocks.join(',')}, ≤ ${maxBins} bins`;
      const groups = new Set(h.bins.map((b) => b.pool)).size;
      assert.ok(h.bins.length <= Math.max(maxBins, groups), context);
      const nonZero = sizes.filter((s) => s.size > 0);
      assert.equal(h.exact, nonZero.length <= Math.max(maxBins, groups), context);
      if (h.exact) assert.equal(h.bins.length, nonZero.length, context);
      assert.equal(h.distinctSizes, nonZero.length, context);
      assert.equal(
        h.bins.reduce((s, b) => s + b.sizes, 0),
        nonZero.length,
        context,
      );
      assert.equal(
        h.bins.reduce((s, b) => s + b.allocations, 0),
        nonZero.reduce((s, x) => s + x.allocations, 0),
        context,
      );
      assert.equal(
        h.bins.reduce((s, b) => s + b.peakLive, 0),
        nonZero.reduce((s, x) => s + x.maxLoad, 0),
        context,
      );
      for (let i = 0; i < h.bins.length; i++) {
        const bin = h.bins[i];
        assert.ok(bin.from <= bin.to && bin.from > 0, context);
        if (i > 0) assert.ok(h.bins[i - 1].to < bin.from, `${context}: bins ascending and disjoint`);
        // Within one pool: every size of the bin has the same best fit.
        const lower = bin.pool === null ? blocks[blocks.length - 1] : bin.pool === 0 ? 0 : blocks[bin.pool - 1];
        const upper = bin.pool === null ? Infinity : blocks[bin.pool];
        assert.ok(
          bin.from > lower && bin.to <= upper,
          `${context}: bin ${bin.from}..${bin.to} inside pool ${bin.pool} (${lower}, ${upper}]`,
        );
        const members = nonZero.filter((s) => s.size >= bin.from && s.size <= bin.to);
        assert.equal(members.length, bin.sizes, context);
        const block = bin.pool === null ? null : blocks[bin.pool];
        assert.equal(bin.wasteBytes, block === null ? 0 : members.reduce((s, x) => s + (block - x.size) * x.maxLoad, 0), context);
      }
    }
  });

  it('bins a million distinct sizes quickly', () => {
    const sizes: DroneSizeStats[] = [];
    for (let i = 1; i <= 1_000_000; i++) sizes.push(stat(i * 7, 1, 1));
    const started = Date.now();
    const h = sizeHistogram(sizes, [4, 8, 20, 56, 116, 208, 336, 512]);
    assert.ok(Date.now() - started < 2000);
    assert.ok(h.bins.length <= 120 && !h.exact);
    assert.equal(
      h.bins.reduce((s, b) => s + b.sizes, 0),
      1_000_000,
    );
  });

  it('shares bins in proportion, at least one per group, never more than a group has', () => {
    assert.deepEqual(shareBins([1000, 10, 1], 20), [18, 1, 1]);
    assert.deepEqual(shareBins([3, 3], 100), [3, 3]);
    assert.deepEqual(shareBins([5, 5, 5], 3), [1, 1, 1]);
    for (let seed = 1; seed <= 50; seed++) {
      const random = mulberry32(seed);
      const counts = Array.from({ length: 1 + Math.floor(random() * 10) }, () => 1 + Math.floor(random() * 500));
      const budget = counts.length + Math.floor(random() * 200);
      const quotas = shareBins(counts, budget);
      assert.equal(
        quotas.reduce((s, q) => s + q, 0),
        Math.min(
          budget,
          counts.reduce((s, c) => s + c, 0),
        ),
      );
      quotas.forEach((q, i) => assert.ok(q >= 1 && q <= counts[i]));
    }
  });
});
