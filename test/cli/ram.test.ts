// drone-heap ram: the RAM budget from real linker output (test/fixtures/firmware), found in a
// project laid out as cargo builds it or named with --elf; and refusals of unusable input.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as run } from '../support/cli';
import { FIXTURES } from '../support/paths';

const DIR = join(FIXTURES, 'firmware');

/** A project as `drone new` makes it, with `elf` built as its release firmware. */
function project(toml: string, elf?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-ram-'));
  copyFileSync(join(DIR, toml), join(dir, 'Drone.toml'));
  writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "blink"\nversion = "0.1.0"\n');
  mkdirSync(join(dir, '.cargo'));
  writeFileSync(join(dir, '.cargo', 'config'), '[build]\ntarget = "thumbv7em-none-eabihf"\n');
  if (elf) {
    mkdirSync(join(dir, 'target', 'thumbv7em-none-eabihf', 'release'), { recursive: true });
    copyFileSync(join(DIR, elf), join(dir, 'target', 'thumbv7em-none-eabihf', 'release', 'blink'));
  }
  return dir;
}

describe('drone-heap ram', () => {
  it('prints the budget as JSON from the firmware cargo built', () => {
    const dir = project('arm-main.toml', 'arm-main.elf');
    const result = run(['ram', '--json'], dir);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.config, 'Drone.toml');
    assert.equal(json.firmware.path, join('target', 'thumbv7em-none-eabihf', 'release', 'blink'));
    assert.equal(json.firmware.machine, 'arm');
    assert.match(json.firmware.modified, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(json.ram, { origin: 0x2000_0000, size: 128 * 1024 });
    assert.deepEqual(
      json.sections.map((s: { name: string }) => s.name),
      ['.bss', '.data', '.heap'],
    );
    assert.equal(json.staticBytes, 1032 + 308);
    assert.equal(json.stackBytes, 128 * 1024 - 1340 - 32768);
    assert.deepEqual(
      [json.heapBytesBuilt, json.heapBytesWritten, json.stale, json.stackBytesAsWritten],
      [32768, 32768, false, 128 * 1024 - 1340 - 32768],
    );
    assert.deepEqual(json.findings, []);
  });

  it('prints the RAM map, as written when Drone.toml changed since the build', () => {
    const dir = project('arm-main-stale.toml', 'arm-main.elf');
    const result = run(['ram'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^stack room {2}0x20000000 {2}0x20017AC4 {2}96964 {2}74\.0%$/m);
    assert.match(result.stdout, /^as written \(heap 16384 B; a prediction until the next build\):$/m);
    assert.match(
      result.stdout,
      /Drone\.toml:\d+:8: information: .* was built with a 32 KiB \(32768 B\) heap; Drone\.toml now says 16 KiB \(16384 B\)\. .* \[firmware-stale\]/,
    );
  });

  it('exits 1 on an error finding, and warns about little stack room with --min-stack', () => {
    const tight = project('arm-tight.toml', 'arm-tight.elf');
    const warned = run(['ram', '--json'], tight);
    assert.equal(warned.status, 0, 'a warning is not an error');
    assert.deepEqual(
      JSON.parse(warned.stdout).findings.map((f: { code: string }) => f.code),
      ['stack-room-low'],
    );
    assert.deepEqual(JSON.parse(run(['ram', '--json', '--min-stack', '100'], tight).stdout).findings, []);
    writeFileSync(join(tight, 'Drone.toml'), readFileSync(join(tight, 'Drone.toml'), 'utf8').replace('size = "15K"', 'size = "16K"'));
    const overflow = run(['ram', '--json'], tight);
    assert.equal(overflow.status, 1);
    const codes = JSON.parse(overflow.stdout).findings.map((f: { code: string }) => f.code);
    assert.deepEqual(codes, ['ram-overflow', 'firmware-stale']);
    const overlap = run(['ram', '--config', join(DIR, 'arm-dma.toml'), '--elf', join(DIR, 'arm-dma-ccmram.elf')]);
    assert.equal(overlap.status, 1);
    assert.match(overlap.stdout, /error: `heap\.dma` overlaps `\.ccmram` .* \[heap-overlaps-section\]/);
  });

  it("optimize states the stack's room before and after when the firmware is built", () => {
    const dir = project('arm-tight.toml', 'arm-tight.elf');
    writeFileSync(join(dir, 'trace.txt'), 'alloc 8\nalloc 30\nalloc 60\nfree 8\n');
    const json = JSON.parse(run(['optimize', '--trace', 'trace.txt', '--minimal', '--json'], dir).stdout);
    assert.equal(json.stackBytesBefore, 124);
    assert.equal(json.stackBytesAfter, 16 * 1024 - 900 - json.size);
    const text = run(['optimize', '--trace', 'trace.txt', '--minimal'], dir).stdout;
    assert.match(
      text,
      new RegExp(`the stack's room: 124 B now, ${json.stackBytesAfter} B with this heap \\(static data as in .*release/blink\\)`),
    );
    const unbuiltDir = project('arm-tight.toml');
    writeFileSync(join(unbuiltDir, 'trace.txt'), 'alloc 8\nalloc 30\nalloc 60\nfree 8\n');
    const unbuilt = JSON.parse(run(['optimize', '--trace', 'trace.txt', '--minimal', '--json'], unbuiltDir).stdout);
    assert.deepEqual([unbuilt.stackBytesBefore, unbuilt.stackBytesAfter], [null, null]);
  });

  it('exits 2 on unusable input, saying why', () => {
    const unbuilt = run(['ram'], project('arm-main.toml'));
    assert.equal(unbuilt.status, 2);
    assert.match(
      unbuilt.stderr,
      /^drone-heap: no firmware built yet \(looked for .*release\/blink and .*debug\/blink\); build it \(just build\) or name it with --elf\n$/,
    );
    const dir = project('arm-main.toml');
    writeFileSync(join(dir, 'truncated.elf'), readFileSync(join(DIR, 'arm-main.elf')).subarray(0, 3000));
    writeFileSync(join(dir, 'notes.txt'), 'not a firmware\n');
    const truncated = run(['ram', '--elf', 'truncated.elf'], dir);
    assert.equal(truncated.status, 2);
    assert.match(truncated.stderr, /^drone-heap: truncated\.elf: .*truncated/);
    assert.match(run(['ram', '--elf', 'notes.txt'], dir).stderr, /^drone-heap: notes\.txt: not an ELF file/);
    assert.match(run(['ram', '--elf', join(DIR, 'riscv64-main.elf')], dir).stderr, /a 64-bit ELF file/);
    assert.match(run(['ram', '--elf', 'missing.elf'], dir).stderr, /^drone-heap: cannot read missing\.elf: no such file\n$/);
    assert.match(
      run(['ram', '--elf', '/dev/zero'], dir).stderr,
      /^drone-heap: cannot read \/dev\/zero: it is a character device, not a regular file\n$/,
    );
    writeFileSync(join(dir, 'no-ram.toml'), '[heap.main]\nsize = "1K"\npools = [{ block = "4", capacity = 256 }]\n');
    const noRam = run(['ram', '--config', 'no-ram.toml', '--elf', join(DIR, 'arm-main.elf')], dir);
    assert.equal(noRam.status, 2, noRam.stdout);
    assert.equal(noRam.stderr, 'drone-heap: no-ram.toml: Drone.toml has no valid [memory.ram] origin and size\n');
    const other = run(['ram', '--config', join(FIXTURES, 'config', 'sum-over.toml'), '--elf', join(DIR, 'arm-main.elf')]);
    assert.equal(other.status, 2, other.stdout);
    assert.match(
      other.stderr,
      /the firmware was linked for another RAM: its heap ends at 0x20020000, while \[memory\.ram\] spans 0x20000000\.\.0x20005000 \(built from another Drone\.toml\?\)\n$/,
    );
    assert.equal(run(['ram', '--min-stack', 'lots'], dir).status, 2);
  });
});
