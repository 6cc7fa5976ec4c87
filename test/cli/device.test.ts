// drone-heap device on the QEMU test firmware's RAM dumps (test/fixtures/device): the table,
// the JSON, the exit statuses, and refusals of unusable input with a sentence.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as run } from '../support/cli';
import { FIXTURES } from '../support/paths';

const DIR = join(FIXTURES, 'device');
const ARGS = ['device', '--config', join(DIR, 'Drone.toml'), '--elf', join(DIR, 'firmware.elf')];

describe('drone-heap device', () => {
  it('prints a table per heap and the findings; exit 1 when a pool has been full', () => {
    const result = run([...ARGS, '--dump', join(DIR, 'dump-1.bin')]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /heap\.main: drone_heap_qemu::HEAP at 0x2000FC80, pools 8×16 B, 6×32 B, 4×64 B, 2×128 B/);
    assert.match(result.stdout, /^ {5}16 {9}8 {5}8 {2}100\.0% {7}6 {5}2 {11}0 {2}was full$/m);
    assert.match(result.stdout, /^ {5}32 {9}6 {5}5 {3}83\.3% {7}2 {5}3 {11}1$/m);
    assert.match(
      result.stdout,
      /Drone\.toml:14:5: warning: On the device .* all 8 blocks of the 16 B pool were in use at once.* \[device-pool-full\]/,
    );
  });

  it('--json: the figures of every pool, the dump and the findings', () => {
    const result = run([...ARGS, '--dump', join(DIR, 'dump-2.bin'), '--json']);
    assert.equal(result.status, 1);
    const json = JSON.parse(result.stdout);
    assert.deepEqual(json.dump, { path: join(DIR, 'dump-2.bin'), address: 0x2000_0000, bytes: 65536 });
    const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')).checkpoints[1];
    assert.equal(json.heaps[0].name, 'heap.main');
    assert.equal(json.heaps[0].address, 0x2000_fc80);
    assert.equal(json.heaps[0].problem, null);
    assert.deepEqual(
      json.heaps[0].pools.map((p: Record<string, unknown>) => [p.block, p.highWater, p.inUse, p.free, p.everFull]),
      expected.pools.map((p: Record<string, unknown>) => [p.block, p.highWater, p.inUse, p.free, p.everFull]),
    );
    assert.deepEqual(
      json.findings.map((f: { code: string; line: number }) => [f.code, f.line]),
      [
        ['device-pool-full', 14],
        ['device-pool-full', 16],
        ['device-pool-full', 17],
      ],
    );
  });

  it('exit 0 when no pool has been full', () => {
    // RAM as at reset: the static back at its initial image (free 0, size, uninit = start, edge).
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-device-'));
    const ram = Buffer.from(readFileSync(join(DIR, 'dump-1.bin')));
    let start = 0x2001_0000 - 832;
    [16, 32, 64, 128].forEach((block, i) => {
      const capacity = [8, 6, 4, 2][i];
      [0, block, start, start + block * capacity].forEach((word, w) => ram.writeUInt32LE(word, 0xfc80 + 16 * i + 4 * w));
      start += block * capacity;
    });
    writeFileSync(join(dir, 'reset.bin'), ram);
    const result = run([...ARGS, '--dump', join(dir, 'reset.bin'), '--json']);
    assert.equal(result.status, 0, result.stdout);
    assert.deepEqual(
      JSON.parse(result.stdout).heaps[0].pools.map((p: { highWater: number; inUse: number }) => [p.highWater, p.inUse]),
      [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    );
    assert.deepEqual(JSON.parse(result.stdout).findings, []);
  });

  it('exit 2 with a sentence: a dump from another address, a short dump, no dump, no firmware, not an ELF', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-device-'));
    writeFileSync(join(dir, 'short.bin'), readFileSync(join(DIR, 'dump-1.bin')).subarray(0, 4096));
    writeFileSync(join(dir, 'empty.bin'), '');
    copyFileSync(join(DIR, 'Drone.toml'), join(dir, 'Drone.toml'));
    const cases: [string[], RegExp, 'stdout' | 'stderr'][] = [
      [
        [...ARGS, '--dump', join(DIR, 'dump-1.bin'), '--dump-address', '0x20000100'],
        /most likely starts at 0x20000000, not 0x20000100/,
        'stdout',
      ],
      [
        [...ARGS, '--dump', join(dir, 'short.bin')],
        /the memory read \(0x20000000–0x20001000\) does not hold 0x2000FC80–0x2000FCC0/,
        'stdout',
      ],
      [[...ARGS, '--dump', join(dir, 'empty.bin')], /empty\.bin is empty/, 'stderr'],
      [[...ARGS, '--dump', join(dir, 'none.bin')], /cannot read .*none\.bin: no such file/, 'stderr'],
      [[...ARGS, '--dump', '/dev/zero'], /it is a character device, not a regular file/, 'stderr'],
      [[...ARGS], /--dump FILE is required/, 'stderr'],
      [[...ARGS, '--dump', join(DIR, 'dump-1.bin'), '--dump-address', 'ram'], /"ram" is not an address/, 'stderr'],
      [
        ['device', '--config', join(dir, 'Drone.toml'), '--dump', join(DIR, 'dump-1.bin')],
        /no \[package\] name in a Cargo\.toml beside Drone\.toml; name the firmware that ran with --elf/,
        'stderr',
      ],
      [
        ['device', '--config', join(DIR, 'Drone.toml'), '--elf', join(DIR, 'Drone.toml'), '--dump', join(DIR, 'dump-1.bin')],
        /not an ELF file/,
        'stderr',
      ],
    ];
    for (const [args, message, stream] of cases) {
      const result = run(args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.match(result[stream], message, args.join(' '));
    }
  });
});
