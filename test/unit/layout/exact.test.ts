// Exact mode: group peaks from the index equal a naive replay and the real pool replay;
// the search equals brute force over every grouping; the fallback stays within its bounds.
import { strict as assert } from 'node:assert';
import { alignUp } from '../../../server/src/core/layout/droneMath';
import { exactSplits } from '../../../server/src/core/layout/exactSplit';
import { LiveStepCollector, type LiveSteps } from '../../../server/src/core/layout/liveSteps';
import { PeakIndex } from '../../../server/src/core/layout/peakIndex';
import { PoolReplayer } from '../../../server/src/core/replay/poolReplay';
import { batchOf, mulberry32, randomEvents, type Ev } from '../../support/traceGen';

function liveSteps(events: readonly Ev[]): LiveSteps {
  const collector = new LiveStepCollector();
  collector.consume(batchOf(events));
  return collector.finish();
}

/**
 * The reference: replays the events one by one, keeping every unit's live count, and returns
 * the peak of every group [lo, hi] (peaks[lo][hi]) by summing at every moment. Written from
 * the replay rules (README, Replay semantics), not from the product's code.
 */
function naiveGroupPeaks(events: readonly Ev[]): { units: number[]; peaks: number[][] } {
  const units = [
    ...new Set(
      events
        .flatMap((e) => (e[0] === 'alloc' ? [e[1]] : e[0] === 'free' ? [] : [e[2] as number]))
        .filter((s) => s > 0)
        .map((s) => alignUp(s)),
    ),
  ].sort((a, b) => a - b);
  const unitOf = (size: number) => units.indexOf(alignUp(size));
  const k = units.length;
  const live = new Array<number>(k).fill(0);
  const rawLive = new Map<number, number>();
  const peaks = units.map(() => new Array<number>(k).fill(0));
  const observe = () => {
    for (let lo = 0; lo < k; lo++) {
      let sum = 0;
      for (let hi = lo; hi < k; hi++) peaks[lo][hi] = Math.max(peaks[lo][hi], (sum += live[hi]));
    }
  };
  for (const e of events) {
    let freed: number | undefined;
    if (e[0] !== 'alloc') {
      const old = e[1];
      if ((rawLive.get(old) ?? 0) > 0) {
        rawLive.set(old, rawLive.get(old)! - 1);
        freed = old;
      }
    }
    if (e[0] !== 'free') {
      const size = e[0] === 'alloc' ? e[1] : (e[2] as number);
      rawLive.set(size, (rawLive.get(size) ?? 0) + 1);
      if (size > 0) live[unitOf(size)]++;
      observe(); // both blocks of a realloc are live here
    }
    if (freed !== undefined && freed > 0) live[unitOf(freed)]--;
  }
  return { units, peaks };
}

function* groupings(k: number, maxGroups: number, from = 0): Generator<number[]> {
  if (from === k) {
    yield [];
    return;
  }
  if (maxGroups === 0) return;
  for (let end = from + 1; end <= k; end++) for (const rest of groupings(k, maxGroups - 1, end)) yield [end, ...rest];
}

const traces = (count: number) =>
  Array.from({ length: count }, (_, seed) =>
    randomEvents(seed + 1, 200 + ((seed * 37) % 900), { maxSize: seed % 2 ? 48 : 130, wellFormed: seed % 4 !== 3 }),
  );

describe('exact group peaks', () => {
  it('equal a naive replay for every group, with deep and shallow time trees (40 traces)', () => {
    traces(40).forEach((events, t) => {
      const steps = liveSteps(events);
      const reference = naiveGroupPeaks(events);
      assert.deepEqual(steps.units, reference.units);
      for (const leafSteps of [1, 4, 256]) {
        const index = new PeakIndex(steps, { leafSteps });
        for (let lo = 0; lo < steps.units.length; lo++) {
          if (steps.unitPeaks[lo] !== reference.peaks[lo][lo]) assert.fail(`trace ${t}: unit ${lo} peak`);
          for (let hi = lo; hi < steps.units.length; hi++) {
            const expected = reference.peaks[lo][hi];
            assert.equal(index.peak(lo, hi), expected, `trace ${t}, leaves of ${leafSteps}, group [${lo}, ${hi}]`);
            // A lower bound the caller knows never changes the answer.
            assert.equal(index.peak(lo, hi, reference.peaks[Math.min(lo + 1, hi)][hi]), expected);
          }
        }
        // Reference moments give lower bounds, never more than the peak.
        for (const state of index.referenceStates(8)) {
          for (let lo = 0; lo < steps.units.length; lo++)
            for (let hi = lo; hi < steps.units.length; hi++) assert.ok(state[hi + 1] - state[lo] <= reference.peaks[lo][hi]);
        }
      }
    });
  });

  it('stay exact past 2^15 units, where steps no longer fit two bytes (the chunks widen)', () => {
    // 33,000 distinct sizes, each allocated and freed around a few long-lived blocks of unit 0
    // (Σ of the unit peaks is above 65,535 too: the index's tables are four-byte ones).
    const events: Ev[] = [
      ['alloc', 4],
      ['alloc', 4],
    ];
    for (let u = 1; u <= 33_000; u++) events.push(['alloc', 4 * (u + 1)], ['alloc', 4 * (u + 1)], ['free', 4 * (u + 1)]);
    events.push(['free', 4]);
    const steps = liveSteps(events);
    assert.equal(steps.units.length, 33_001);
    assert.ok(steps.chunks.every((chunk) => chunk instanceof Int32Array));
    const index = new PeakIndex(steps);
    assert.equal(index.peak(0, 0), 2);
    assert.equal(index.peak(32_999, 33_000), 3, 'unit 32,999 keeps one block live when unit 33,000 takes two');
    assert.equal(index.peak(0, 33_000), 2 + 32_999 + 2, "at the last size's second allocation");
    assert.equal(index.peak(1, 33_000), 32_999 + 2);
  });

  it("equal the pool replay's peaks when no pool can run out (20 traces, random groupings)", () => {
    const random = mulberry32(9);
    traces(20).forEach((events, t) => {
      const steps = liveSteps(events);
      const index = new PeakIndex(steps, { leafSteps: 8 });
      const k = steps.units.length;
      for (let round = 0; round < 5; round++) {
        const ends = [...new Set(Array.from({ length: 3 }, () => 1 + Math.floor(random() * k)).concat(k))].sort((a, b) => a - b);
        const replayer = new PoolReplayer(ends.map((end) => ({ block: steps.units[end - 1], capacity: 0xffffffff })));
        replayer.consume(batchOf(events));
        const result = replayer.result();
        assert.equal(result.failures, 0);
        ends.forEach((end, g) =>
          assert.equal(result.pools[g].peak, index.peak(g === 0 ? 0 : ends[g - 1], end - 1), `trace ${t}, groups ${ends}`),
        );
      }
    });
  });
});

describe('exact search', () => {
  it('equals brute force over every grouping of at most m pools (30 traces, m = 1..5)', () => {
    traces(30).forEach((events, t) => {
      const steps = liveSteps(events);
      const { units, peaks } = naiveGroupPeaks(events);
      const k = units.length;
      const search = exactSplits(new PeakIndex(steps, { leafSteps: 4 }), steps.units, steps.unitPeaks, 5);
      assert.equal(search.optimal, true);
      search.splits.forEach((split, m) => {
        let best = Infinity;
        for (const ends of groupings(k, m + 1)) {
          const bytes = ends.reduce((sum, end, g) => sum + units[end - 1] * peaks[g === 0 ? 0 : ends[g - 1]][end - 1], 0);
          best = Math.min(best, bytes);
        }
        assert.equal(split.requiredBytes, best, `trace ${t}, at most ${m + 1} pools`);
        assert.ok(split.pools <= m + 1);
        const recomputed = split.grouping.ends.reduce(
          (sum, end, g) => sum + units[end - 1] * peaks[g === 0 ? 0 : split.grouping.ends[g - 1]][end - 1],
          0,
        );
        assert.equal(recomputed, split.requiredBytes);
        assert.deepEqual(
          split.peaks,
          split.grouping.ends.map((end, g) => peaks[g === 0 ? 0 : split.grouping.ends[g - 1]][end - 1]),
        );
      });
    });
  });

  it('uses fewer pools when a split would need more bytes', () => {
    // 4 B and 8 B allocations are never live together: one pool of one 8 B block serves both
    // (8 B); two pools need a 4 B and an 8 B block (12 B).
    const events: Ev[] = [
      ['alloc', 4],
      ['free', 4],
      ['alloc', 8],
      ['free', 8],
      ['alloc', 4],
      ['free', 4],
    ];
    const steps = liveSteps(events);
    const search = exactSplits(new PeakIndex(steps), steps.units, steps.unitPeaks, 2);
    assert.deepEqual(
      search.splits.map((s) => [s.pools, s.requiredBytes]),
      [
        [1, 8],
        [1, 8],
      ],
    );
  });

  it('counts both blocks of a realloc, also within one size', () => {
    const steps = liveSteps([
      ['alloc', 16],
      ['grow', 16, 16],
      ['shrink', 16, 12],
    ]);
    assert.deepEqual([...steps.unitPeaks], [1, 2]); // units 12 and 16: the 16 B grow holds two 16 B blocks
    assert.equal(new PeakIndex(steps).peak(0, 1), 2);
  });

  it('falls back to a local search within proven bounds when the budget runs out', () => {
    traces(12).forEach((events, t) => {
      const steps = liveSteps(events);
      const optimum = exactSplits(new PeakIndex(steps), steps.units, steps.unitPeaks, 6);
      const fallback = exactSplits(new PeakIndex(steps, { leafSteps: 4 }), steps.units, steps.unitPeaks, 6, { workBudget: 0, focus: 3 });
      if (steps.units.length < 2) return;
      assert.equal(fallback.method, 'local-search', `trace ${t}`);
      assert.equal(fallback.optimal, false);
      fallback.splits.forEach((split, m) => {
        assert.ok(split.requiredBytes >= optimum.splits[m].requiredBytes, `trace ${t}, m ${m + 1}`);
        assert.ok(fallback.lowerBounds[m] <= optimum.splits[m].requiredBytes, `trace ${t}, m ${m + 1}: bound ${fallback.lowerBounds[m]}`);
      });
    });
  });
});
