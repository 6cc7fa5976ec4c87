// The starter layout must be Drone's, number for number (checked against Drone's own code).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDroneConfig, validPools } from '../../../server/src/core/config/droneConfig';
import { alignUp, asU32, droneRatios, layoutBytes, roundHalfAwayFromZero } from '../../../server/src/core/layout/droneMath';
import { formatHeapSection, formatPoolsArray } from '../../../server/src/core/layout/format';
import { starterLayout, starterProblem } from '../../../server/src/core/layout/starter';
import { CORPUS, REPO_ROOT } from '../../support/paths';

const pairs = (pools: { block: number; capacity: number }[]) => pools.map((p) => [p.block, p.capacity]);

function corpusPools(file: string) {
  const parse = parseDroneConfig(readFileSync(join(CORPUS, file), 'utf8'));
  assert.ok(parse.ok);
  const heap = parse.config.heaps[0];
  return { size: heap.size!.bytes!, pools: validPools(heap)!.map(({ block, capacity }) => ({ block, capacity })) };
}

describe('starter layout (drone new)', () => {
  it('reproduces the real bluepill-blink Drone.toml (10K, 8 pools)', () => {
    const { size, pools } = corpusPools('bluepill-blink.Drone.toml');
    assert.equal(size, 10240);
    assert.deepEqual(starterLayout(size, 8), pools);
    assert.deepEqual(pairs(pools), [
      [4, 118],
      [8, 148],
      [20, 82],
      [56, 34],
      [116, 16],
      [208, 8],
      [336, 3],
      [512, 1],
    ]);
  });

  it('reproduces the real legacy-heap-stm32f4-nucleo144 Drone.toml (128K, 8 pools)', () => {
    const { size, pools } = corpusPools('legacy-heap-stm32f4-nucleo144.Drone.toml');
    assert.equal(size, 131072);
    assert.deepEqual(pairs(starterLayout(size, 8)), [
      [4, 1511],
      [36, 415],
      [216, 96],
      [644, 39],
      [1412, 17],
      [2600, 8],
      [4292, 3],
      [6556, 1],
    ]);
    assert.deepEqual(starterLayout(size, 8), pools);
  });

  it('gives the layouts derived by hand', () => {
    // 10K, 2 pools. S/20 = 512, W = 4. Blocks: 4 + round(0^2.75 · 508) = 4; 4 + round(1 · 508) = 512.
    // Weights for n = 2: 1/4 + 3/4 · (1 − 1²) = 1/4 for both → 1/2 each.
    // round(10240 / 4 · 1/2) = 1280 (5120 B); round(10240 / 512 · 1/2) = 10 (5120 B). Nothing left.
    assert.deepEqual(pairs(starterLayout(10240, 2)), [
      [4, 1280],
      [512, 10],
    ]);
    // 10K, 3 pools. Middle block: 4 + round(0.5^2.75 · 508) = 4 + round(75.51) = 80.
    // Weights 1/4, 1, 1/4 → 1/6, 2/3, 1/6. round(2560/6) = 427 (1708 B); round(128 · 2/3) = 85
    // (6800 B, 8508 used); round(20/6) = 3 (1536 B, 10044 used). Top-up from the largest:
    // 196 B left: 0 × 512, 2 × 80 (→ 87, 36 left), 9 × 4 (→ 436). Σ = 10240.
    assert.deepEqual(pairs(starterLayout(10240, 3)), [
      [4, 436],
      [80, 87],
      [512, 3],
    ]);
    // 80 B, 3 pools: S/20 = 4 = W, so every curve offset is 0; blocks 4, then 4 ≤ 4 → 8, then 12.
    // round(20/6) = 3 (12 B); round(10 · 2/3) = 7 (56 B); round(80/12/6) = 1 (12 B). Σ = 80.
    assert.deepEqual(pairs(starterLayout(80, 3)), [
      [4, 3],
      [8, 7],
      [12, 1],
    ]);
    // One pool: i/(n−1) = 0/0 = NaN, which Drone's `as u32` turns into 0: block 4, and the
    // NaN weight gives capacity 0 until the top-up hands everything to it.
    assert.deepEqual(pairs(starterLayout(10240, 1)), [[4, 2560]]);
  });

  it("equals Drone's own computation on 330 sizes and pool counts", () => {
    // Produced by the drone CLI's layout code (drone-os/drone, src/heap/generate.rs, `new`)
    // compiled with rustc; sizes from 80 B to 4 GiB − 1, 1–32 pools. (The same comparison on
    // 395,970 inputs showed no difference when this was written.)
    const cases: [number, number, number[][]][] = JSON.parse(
      readFileSync(join(REPO_ROOT, 'test', 'unit', 'layout', 'drone-starter-cases.json'), 'utf8'),
    );
    assert.equal(cases.length, 330);
    for (const [size, pools, expected] of cases) assert.deepEqual(pairs(starterLayout(size, pools)), expected, `${size} B, ${pools} pools`);
  });

  it('fills the heap up to less than one word', () => {
    for (let size = 80; size < 5000; size += 7) {
      for (const pools of [1, 2, 5, 8, 13]) {
        const layout = starterLayout(size, pools);
        const bytes = layoutBytes(layout);
        assert.ok(bytes <= size && size - bytes < 4, `${size} B, ${pools} pools: Σ ${bytes}`);
        layout.forEach((p, i) => assert.ok(p.block % 4 === 0 && (i === 0 || p.block > layout[i - 1].block)));
      }
    }
  });

  it('refuses inputs for which Drone would underflow or divide by nothing', () => {
    assert.match(starterProblem(79, 8)!, /at least 80 bytes/);
    assert.equal(starterProblem(80, 8), undefined);
    assert.match(starterProblem(10240, 0)!, /pool count/);
    assert.throws(() => starterLayout(10, 8), RangeError);
  });
});

describe("Drone's arithmetic", () => {
  it('rounds halves away from zero, like Rust (Math.round does not for negatives)', () => {
    assert.deepEqual([2.5, -2.5, 0.5, -0.5, 1.4999999999999998, 2.4].map(roundHalfAwayFromZero), [3, -3, 1, -1, 1, 2]);
  });

  it('casts to u32 like Rust `as u32`: saturating, NaN → 0', () => {
    assert.deepEqual([NaN, -3, 3.9, 2 ** 40].map(asU32), [0, 0, 3, 0xffffffff]);
  });

  it('aligns up to the word and weights pools like Drone', () => {
    assert.deepEqual(
      [0, 1, 4, 5, 8].map((v) => alignUp(v)),
      [0, 4, 4, 8, 8],
    );
    const ratios = droneRatios(3);
    assert.deepEqual(
      ratios.map((r) => Math.round(r * 600)),
      [100, 400, 100],
    );
  });
});

describe('writing layouts as Drone does', () => {
  it('prints a [heap.main] section like the corpus files, or [heap] when legacy', () => {
    const expected = readFileSync(join(CORPUS, 'bluepill-blink.Drone.toml'), 'utf8').split('[heap.main]\n')[1].split('\n\n')[0];
    assert.equal(formatHeapSection(starterLayout(10240, 8)), `[heap.main]\n${expected}\n`);
    assert.match(
      formatHeapSection(starterLayout(131072, 8), { legacy: true }),
      /^\[heap\]\nsize = "128K"\npools = \[\n {4}\{ block = "4", capacity = 1511 \},\n/,
    );
  });

  it('leaves out pools of capacity 0 and writes sizes as Drone does', () => {
    assert.equal(
      formatPoolsArray([
        { block: 2048, capacity: 1 },
        { block: 4, capacity: 0 },
        { block: 1048576, capacity: 2 },
        { block: 20, capacity: 3 },
      ]),
      '[\n    { block = "20", capacity = 3 },\n    { block = "2K", capacity = 1 },\n    { block = "1M", capacity = 2 },\n]',
    );
  });
});
