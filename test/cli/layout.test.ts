// `drone-heap starter` and `drone-heap optimize`, run as a child process.
import { strict as assert } from 'node:assert';
import { PARALLEL_MIN_BYTES } from '../../server/src/threads/helperThread';
import { runCli as run, runCliBothWays } from '../support/cli';
import { writeWorkloadTrace } from '../support/traceWorkload';
import { CORPUS } from '../support/paths';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Sizes 8 and 24, two of each live at their peaks, but never more than two blocks at once:
//   e0–e3: two 8s, then freed          (8: peak 2)
//   e4–e7: two 24s, then freed         (24: peak 2)
//   e8–e9: one 8 and one 24 together   (both: 2 blocks)
// Drone adds the per-size max loads: 8×2 + 24×2 = 64 B (2 pools), or 24×4 = 96 B (1 pool).
// The real peak of one pool serving both sizes is 2 blocks: 24×2 = 48 B — fewer bytes than
// two pools, so exact mode with --pools 2 uses one pool.
const TRACE = 'alloc 8\nalloc 8\nfree 8\nfree 8\nalloc 24\nalloc 24\nfree 24\nfree 24\nalloc 8\nalloc 24\n';
const CONFIG = `[memory.ram]
size = "20K"
origin = 0x20000000

# Tuned by hand.
[heap.main]
size = "256" # bytes
pools = [
  { block = "8", capacity = 8 },
  { block = "24", capacity = 8 },
]

[probe]
gdb-client-command = "gdb-multiarch"
`;

function project(config = CONFIG): string {
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-layout-'));
  writeFileSync(join(dir, 'Drone.toml'), config);
  writeFileSync(join(dir, 'trace.txt'), TRACE);
  return dir;
}

describe('drone-heap starter', () => {
  it("prints drone new's heap section for 10K", () => {
    const result = run(['starter', '--size', '10K']);
    assert.equal(result.status, 0, result.stderr);
    const corpus = readFileSync(join(CORPUS, 'bluepill-blink.Drone.toml'), 'utf8');
    const section = corpus.slice(corpus.indexOf('[heap.main]'), corpus.indexOf(']\n', corpus.indexOf('pools = [')) + 2);
    assert.equal(result.stdout, section);
  });

  it('prints [heap] with --legacy and honours --pools', () => {
    const result = run(['starter', '--size', '0x2800', '--pools', '2', '--legacy']);
    assert.equal(
      result.stdout,
      '[heap]\nsize = "10K"\npools = [\n    { block = "4", capacity = 1280 },\n    { block = "512", capacity = 10 },\n]\n',
    );
  });

  it('exits 2 on sizes and counts it cannot use', () => {
    const lower = run(['starter', '--size', '10k']);
    assert.equal(lower.status, 2);
    assert.match(lower.stderr, /did you mean "10K"/);
    assert.match(run(['starter', '--size', '64']).stderr, /at least 80 bytes/);
    assert.equal(run(['starter', '--size', '10K', '--pools', '0']).status, 2);
    assert.equal(run(['starter']).status, 2);
  });
});

describe('drone-heap optimize', () => {
  it('prints the documented JSON: exact mode, one pool of the real peak, headroom up to the size', () => {
    const dir = project();
    const result = run(['optimize', '--trace', 'trace.txt', '--json'], dir);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.mode, 'exact');
    assert.equal(json.poolsRequested, 2, 'as many pools as the heap has');
    // 24×2 = 48 B needed; the 208 spare bytes go to the only pool (Drone's top-up): 8 more blocks.
    assert.deepEqual(json.needed, [{ block: 24, capacity: 2 }]);
    assert.deepEqual(json.pools, [{ block: 24, capacity: 10 }]);
    assert.equal(json.size, 240);
    assert.equal(json.requiredBytes, 48);
    assert.equal(json.fragmentation, 32, "Drone's measure: (24 − 8) × 2");
    assert.deepEqual(json.verified, { failures: 0, firstFailure: null });
    assert.equal(json.offered, true);
    assert.equal(json.search.optimal, true);
    assert.equal(json.drone.requiredBytes, 64);
    assert.deepEqual(json.before, { heapBytes: 256, failures: 0, firstFailure: null, peakReservedBytes: 48, fragmentationAtHeapPeak: 0 });
    assert.equal(json.after.heapBytes, 240);
    assert.equal(json.after.failures, 0);
    assert.deepEqual(json.tradeoff.slice(0, 3), [
      { pools: 1, poolsUsed: 1, requiredBytes: 48, fragmentation: 32 },
      { pools: 2, poolsUsed: 1, requiredBytes: 48, fragmentation: 32 },
    ]);
    assert.equal(json.written, false);
  });

  it("drone mode: Drone's split and Drone's hand-out of the spare bytes", () => {
    const dir = project();
    const json = JSON.parse(run(['optimize', '--trace', 'trace.txt', '--mode', 'drone', '--json'], dir).stdout);
    // Needed 8×2 + 24×2 = 64 B; 192 spare, weights ½ and ½: round(192/8 · ½) = 12 more 8s
    // (96 B), round(192/24 · ½) = 4 more 24s (96 B): exactly 256.
    assert.deepEqual(json.pools, [
      { block: 8, capacity: 14 },
      { block: 24, capacity: 6 },
    ]);
    assert.equal(json.requiredBytes, 64);
    assert.equal(json.fragmentation, 0);
    assert.equal(json.drone, null);
  });

  it('--minimal sizes the heap with a 10% margin; --write changes only size and pools', () => {
    const dir = project();
    const result = run(['optimize', '--trace', 'trace.txt', '--minimal', '--write'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /written to Drone\.toml/);
    // ⌈2 × 1.1⌉ = 3 blocks of 24.
    assert.equal(
      readFileSync(join(dir, 'Drone.toml'), 'utf8'),
      CONFIG.replace('size = "256" # bytes', 'size = "72" # bytes').replace(
        '  { block = "8", capacity = 8 },\n  { block = "24", capacity = 8 },\n',
        '  { block = "24", capacity = 3 },\n',
      ),
    );
    assert.equal(run(['check'], dir).status, 0, 'the result passes every check');
  });

  it('prints a readable summary with the proposal as a heap section', () => {
    const dir = project();
    const result = run(['optimize', '--trace', 'trace.txt', '--pools', '2'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^trace\.txt: plain-text heap trace, 10 events\n/);
    assert.match(result.stdout, /heap\.main in Drone\.toml: 1 pool \(of 2 allowed\), exact .* proven optimal; fitting size = "256"/);
    assert.match(result.stdout, /the trace needs 48 B in these pools \(Drone's method needs 64 B: 1\.33×\)/);
    assert.match(result.stdout, /verified: the trace replays through this layout with no allocation failure/);
    assert.match(result.stdout, /\[heap\.main\]\nsize = "240"\npools = \[\n {4}\{ block = "24", capacity = 10 \},\n\]\n/);
    assert.match(result.stdout, /run with --write to put it into Drone\.toml/);
  });

  it('says when the heap already has the proposed layout: nothing would change, unchanged in --json, exit 0', () => {
    const dir = project();
    assert.equal(run(['optimize', '--trace', 'trace.txt', '--write'], dir).status, 0);
    const written = readFileSync(join(dir, 'Drone.toml'), 'utf8');
    const again = run(['optimize', '--trace', 'trace.txt', '--write'], dir);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /heap\.main already has this layout: nothing would change, so nothing was written\n$/);
    assert.doesNotMatch(again.stdout, /run with --write/);
    assert.equal(readFileSync(join(dir, 'Drone.toml'), 'utf8'), written);
    const json = JSON.parse(run(['optimize', '--trace', 'trace.txt', '--json'], dir).stdout);
    assert.deepEqual([json.unchanged, json.offered, json.written], [true, false, false]);
    assert.deepEqual(json.pools, [{ block: 24, capacity: 10 }]);
    const first = JSON.parse(run(['optimize', '--trace', 'trace.txt', '--json'], project()).stdout);
    assert.deepEqual([first.unchanged, first.offered], [false, true], 'a layout that changes something is offered');
  });

  it('exits 1 when no layout serving the trace fits the size, and does not write', () => {
    const dir = project(
      CONFIG.replace('size = "256"', 'size = "40"')
        .replace('capacity = 8 },\n  { block = "24"', 'capacity = 2 },\n  { block = "24"')
        .replace('"24", capacity = 8', '"24", capacity = 1'),
    );
    const before = readFileSync(join(dir, 'Drone.toml'), 'utf8');
    const result = run(['optimize', '--trace', 'trace.txt', '--write'], dir);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /DOES NOT FIT: the heap has 40 B, the layout needs 48 B/);
    assert.equal(readFileSync(join(dir, 'Drone.toml'), 'utf8'), before);
    const json = JSON.parse(run(['optimize', '--trace', 'trace.txt', '--json'], dir).stdout);
    assert.equal(json.fits, false);
    assert.equal(json.before.failures, 1);
  });

  it('exits 2 on unusable input', () => {
    const dir = project();
    const cases: [string[], RegExp][] = [
      [['optimize'], /--trace FILE is required/],
      [['optimize', '--trace', 'nope'], /cannot read nope: no such file/],
      [['optimize', '--trace', 'Drone.toml'], /not a heap trace this tool knows/],
      [['optimize', '--trace', 'trace.txt', '--mode', 'best'], /--mode must be "exact" or "drone"/],
      [['optimize', '--trace', 'trace.txt', '--margin', 'lots'], /--margin must be a percentage/],
      [['optimize', '--trace', 'trace.txt', '--pools', '0'], /--pools must be a whole number/],
      [['optimize', '--trace', 'trace.txt', '--heap', 'dma'], /has no heap "dma"/],
      [['optimize', '--trace', 'trace.txt', '--config', 'Other.toml'], /cannot read Other\.toml/],
    ];
    for (const [args, message] of cases) {
      const result = run(args, dir);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
    }
    const noSize = project('[heap.main]\npools = [{ block = "8", capacity = 1 }]\n');
    assert.match(run(['optimize', '--trace', 'trace.txt'], noSize).stderr, /no valid `size` to fit; .* --minimal/);
    assert.equal(run(['optimize', '--trace', 'trace.txt', '--minimal'], noSize).status, 0);
  });
});

describe('drone-heap optimize on a large trace (helper thread)', () => {
  it('prints the same bytes as in one thread (DRONE_HEAP_THREADS=1)', function () {
    this.timeout(120_000);
    const dir = project(CONFIG.replace('size = "256" # bytes', 'size = "8K" # bytes'));
    const trace = join(dir, 'heaptrace');
    const { bytes } = writeWorkloadTrace(trace, 900_000, 4);
    assert.ok(bytes >= PARALLEL_MIN_BYTES, `${bytes} B: large enough for the helper thread`);
    const { threads: two, oneThread: one } = runCliBothWays(['optimize', '--trace', trace, '--minimal', '--json'], dir);
    assert.equal(two.status, 0, two.stderr);
    assert.equal(two.stderr, '');
    assert.equal(two.stdout, one.stdout);
    const json = JSON.parse(two.stdout);
    assert.ok(json.before.failures > 0 && json.drone.verified && json.verified.failures === 0, two.stdout.slice(0, 400));
  });
});
