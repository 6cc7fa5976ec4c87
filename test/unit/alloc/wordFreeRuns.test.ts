// WordFreeRuns (the models' size-class index of free runs) against FreeRuns (one sorted array):
// the same best fit, largest run and runs after every operation, on random word-aligned
// operations, with a word-aligned and an unaligned region end; and the bit tree's searches.
import { strict as assert } from 'node:assert';
import { FreeRuns } from '../../../server/src/core/alloc/freeRuns';
import { BitTree, WordFreeRuns } from '../../../server/src/core/alloc/wordFreeRuns';
import { mulberry32 } from '../../support/traceGen';

describe('WordFreeRuns', () => {
  for (const [seed, region] of [
    [1, 4096],
    [2, 4098],
    [3, 640],
    [4, 100_003],
  ]) {
    it(`agrees with FreeRuns on random takes, releases and resets (seed ${seed}, region ${region} B)`, () => {
      const random = mulberry32(seed);
      const fast = new WordFreeRuns(0, region);
      const reference = new FreeRuns(0, region);
      const live: { addr: number; size: number }[] = [];
      for (let step = 0; step < 4000; step++) {
        const r = random();
        if (r < 0.55 || live.length === 0) {
          const need = 4 * (1 + Math.floor(Math.pow(random(), 3) * (region / 16)));
          const addr = fast.take(need);
          assert.equal(addr, reference.take(need), `take(${need}) at step ${step}`);
          if (addr >= 0) live.push({ addr, size: need });
        } else if (r < 0.995) {
          const [block] = live.splice(Math.floor(random() * live.length), 1);
          fast.release(block.addr, block.size);
          reference.release(block.addr, block.size);
        } else {
          // Compaction: live blocks slide to the start, one run remains at the end.
          let at = 0;
          for (const block of live.sort((x, y) => x.addr - y.addr)) {
            block.addr = at;
            at += block.size;
          }
          fast.reset(at, region - at);
          reference.reset(at, region - at);
        }
        assert.equal(fast.total, reference.total);
        assert.equal(fast.largest(), reference.largest());
        assert.equal(fast.runs, reference.runs);
        if (step % 97 === 0) assert.deepEqual(fast.list(), reference.list());
      }
      assert.deepEqual(fast.list(), reference.list());
    });
  }

  it('says which regions it can index', () => {
    assert.ok(WordFreeRuns.fits(0, 80_000));
    assert.ok(WordFreeRuns.fits(0, 4098));
    assert.ok(!WordFreeRuns.fits(0, (4 << 20) + 4));
    assert.ok(!WordFreeRuns.fits(2, 100));
    assert.ok(!WordFreeRuns.fits(0, 10.5));
  });
});

describe('BitTree', () => {
  it('finds the next member ≥ i and the previous member ≤ i across levels', () => {
    const random = mulberry32(9);
    const items = 40_000;
    const tree = new BitTree(items);
    const members = new Set<number>();
    for (let step = 0; step < 3000; step++) {
      const i = Math.floor(random() * items);
      if (members.has(i) && random() < 0.5) {
        members.delete(i);
        tree.clear(i);
      } else {
        members.add(i);
        tree.set(i);
      }
      const probe = Math.floor(random() * items);
      const sorted = [...members].sort((x, y) => x - y);
      assert.equal(tree.next(probe), sorted.find((m) => m >= probe) ?? -1);
      assert.equal(tree.previous(probe), [...sorted].reverse().find((m) => m <= probe) ?? -1);
    }
  });
});
