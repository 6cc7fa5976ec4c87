// Drone-compatible optimisation: the dynamic programme must find the exact optimum of
// Drone's objective (compared with brute force), from Drone's input (sizes rounded up to
// the word, max loads added), and hand out spare bytes as Drone does.
import { strict as assert } from 'node:assert';
import { droneSplit, droneSplits } from '../../../server/src/core/layout/droneSplit';
import { distributeSpare, withMargin } from '../../../server/src/core/layout/headroom';
import { droneFragmentation, droneUnits, type SizeUnit } from '../../../server/src/core/layout/units';
import type { DroneStats } from '../../../server/src/core/trace/droneStats';
import { mulberry32 } from '../../support/traceGen';

/** Every way to cut k units into exactly n non-empty contiguous groups (group ends). */
function* compositions(k: number, n: number, from = 0): Generator<number[]> {
  if (n === 1) {
    yield [k];
    return;
  }
  for (let end = from + 1; end <= k - n + 1; end++) for (const rest of compositions(k, n - 1, end)) yield [end, ...rest];
}

function bruteForce(units: SizeUnit[], n: number): number {
  let best = Infinity;
  for (const ends of compositions(units.length, Math.min(n, units.length))) best = Math.min(best, droneFragmentation(units, { ends }));
  return best;
}

function randomUnits(random: () => number, k: number): SizeUnit[] {
  const sizes = new Set<number>();
  while (sizes.size < k) sizes.add(4 * (1 + Math.floor(random() * (random() < 0.5 ? 16 : 200))));
  return [...sizes].sort((a, b) => a - b).map((size) => ({ size, load: 1 + Math.floor(random() * (random() < 0.3 ? 200 : 8)) }));
}

function stats(sizes: [number, number][]): DroneStats {
  return {
    sizes: sizes.map(([size, maxLoad]) => ({ size, maxLoad, allocations: maxLoad })),
    maximumHeapLoad: 0,
    peakLiveBytes: 0,
    peakLiveBytesAt: null,
    unmatchedFrees: 0,
    firstUnmatchedFree: null,
    events: 0,
  };
}

describe('drone-mode split (dynamic programme)', () => {
  it('equals brute force on 400 random small inputs, for every pool count', () => {
    const random = mulberry32(42);
    for (let round = 0; round < 400; round++) {
      const units = randomUnits(random, 1 + Math.floor(random() * 9));
      const splits = droneSplits(units, 12);
      assert.equal(splits.length, Math.min(12, units.length));
      splits.forEach((split, m) => {
        const context = `round ${round}, ${m + 1} pools, ${JSON.stringify(units)}`;
        assert.equal(split.fragmentation, bruteForce(units, m + 1), context);
        assert.equal(droneFragmentation(units, split.grouping), split.fragmentation, context);
        assert.equal(split.grouping.ends.length, m + 1, context);
        const loadBytes = units.reduce((sum, u) => sum + u.size * u.load, 0);
        assert.equal(split.requiredBytes, loadBytes + split.fragmentation, context);
      });
    }
  });

  it('considers a last pool of one size, which a search that keeps two sizes for the last pool misses', () => {
    // Units 4×100, 8×100, 400×1; two pools. {4, 8} | {400}: (8 − 4)·100 = 400 B.
    // {4} | {8, 400}: (400 − 8)·100 = 39,200 B. Drone's branch and bound, as published, only
    // tries first groups of up to K − n units, so it never sees the first split.
    const units = [
      { size: 4, load: 100 },
      { size: 8, load: 100 },
      { size: 400, load: 1 },
    ];
    const split = droneSplit(units, 2)!;
    assert.deepEqual(split.grouping.ends, [2, 3]);
    assert.equal(split.fragmentation, 400);
  });

  it('shrinks the pool count to the number of distinct sizes', () => {
    assert.equal(
      droneSplit(
        [
          { size: 8, load: 1 },
          { size: 16, load: 2 },
        ],
        8,
      )!.pools,
      2,
    );
    assert.equal(droneSplit([], 8), undefined);
  });

  it('50 distinct sizes in 16 pools quickly (property: never worse with more pools)', () => {
    const units = randomUnits(mulberry32(7), 50);
    const splits = droneSplits(units, 16);
    for (let m = 1; m < splits.length; m++) assert.ok(splits[m].fragmentation <= splits[m - 1].fragmentation);
  });
});

describe("Drone's input", () => {
  it('rounds sizes up to the word and merges them by adding max loads; size 0 is left out', () => {
    const units = droneUnits(
      stats([
        [0, 5],
        [1, 2],
        [3, 1],
        [4, 7],
        [5, 1],
        [8, 1],
        [13, 3],
      ]),
    );
    assert.deepEqual(units, [
      { size: 4, load: 10 }, // 1, 3 and 4: 2 + 1 + 7
      { size: 8, load: 2 }, // 5 and 8
      { size: 16, load: 3 },
    ]);
  });
});

describe('headroom', () => {
  it("hands spare bytes out with Drone's weights, then tops up from the largest pool", () => {
    // Pools 8×2 and 16×1 (32 B) in a 100-byte heap: 68 B spare; weights for two pools: ½ each.
    // 8 B: round(68 / 8 · ½) = round(4.25) = 4 (32 B, 64 used). 16 B: round(68 / 16 · ½) =
    // round(2.125) = 2 (32 B ≤ 36 free, 96 used). Top-up: 4 B left, no whole block of 16 or 8.
    assert.deepEqual(
      distributeSpare(
        [
          { block: 8, capacity: 2 },
          { block: 16, capacity: 1 },
        ],
        100,
      ),
      [
        { block: 8, capacity: 6 },
        { block: 16, capacity: 3 },
      ],
    );
    // One pool: Drone's weight is NaN (0/0), so everything comes from the top-up.
    assert.deepEqual(distributeSpare([{ block: 12, capacity: 1 }], 100), [{ block: 12, capacity: 8 }]);
    assert.throws(() => distributeSpare([{ block: 64, capacity: 2 }], 100), RangeError);
  });

  it('adds a margin with integer arithmetic (10 × 1.1 is 11, not 12)', () => {
    const pools = [
      { block: 4, capacity: 10 },
      { block: 8, capacity: 8 },
      { block: 16, capacity: 0 },
      { block: 32, capacity: 1 },
    ];
    assert.deepEqual(
      withMargin(pools, 10).map((p) => p.capacity),
      [11, 9, 0, 2],
    );
    assert.deepEqual(
      withMargin(pools, 12.5).map((p) => p.capacity),
      [12, 9, 0, 2],
    );
    assert.deepEqual(
      withMargin(pools, 0).map((p) => p.capacity),
      [10, 8, 0, 1],
    );
    assert.throws(() => withMargin(pools, -1), RangeError);
  });
});
