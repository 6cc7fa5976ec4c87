// Finding a Drone.toml's firmware: the newest of the release and debug builds of the package
// for the configured target, or the file a setting names.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFirmware } from '../../../server/src/core/firmware/findFirmware';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-fw-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const CARGO = '[package]\nname = "blink"\nversion = "0.1.0"\n';
const TARGET = '[build]\ntarget = "thumbv7m-none-eabi"\n';
const binary = (profile: string) => join('target', 'thumbv7m-none-eabi', profile, 'blink');
const at = (dir: string, path: string, seconds: number) => utimesSync(join(dir, path), seconds, seconds);

describe('finding the firmware', () => {
  it('takes the newest of the release and debug builds', () => {
    const dir = project({ 'Cargo.toml': CARGO, '.cargo/config': TARGET, [binary('release')]: 'r', [binary('debug')]: 'd' });
    at(dir, binary('release'), 1_000);
    at(dir, binary('debug'), 2_000);
    assert.equal(findFirmware(dir).path, join(dir, binary('debug')));
    at(dir, binary('release'), 3_000);
    const found = findFirmware(dir);
    assert.equal(found.path, join(dir, binary('release')));
    assert.equal(found.modified, 3_000_000);
  });

  it('reads the target from .cargo/config.toml too', () => {
    const dir = project({ 'Cargo.toml': CARGO, '.cargo/config.toml': TARGET, [binary('debug')]: 'd' });
    assert.equal(findFirmware(dir).path, join(dir, binary('debug')));
  });

  it('says what it looked for when nothing is built yet, and what is missing otherwise', () => {
    const dir = project({ 'Cargo.toml': CARGO, '.cargo/config': TARGET });
    const none = findFirmware(dir);
    assert.equal(none.path, null);
    assert.deepEqual(none.lookedFor, [join(dir, binary('release')), join(dir, binary('debug'))]);
    assert.match(none.problem!, /^no firmware built yet \(looked for .*release\/blink and .*debug\/blink\)$/);
    assert.equal(findFirmware(project({ '.cargo/config': TARGET })).problem, 'no [package] name in a Cargo.toml beside Drone.toml');
    assert.equal(
      findFirmware(project({ 'Cargo.toml': CARGO })).problem,
      'no [build] target in .cargo/config.toml or .cargo/config beside Drone.toml',
    );
    assert.equal(
      findFirmware(project({ 'Cargo.toml': '[package\nname = ', '.cargo/config': TARGET })).problem,
      'no [package] name in a Cargo.toml beside Drone.toml',
    );
  });

  it('uses the file the setting names, relative to the project', () => {
    const dir = project({ 'build/fw.elf': 'x' });
    assert.equal(findFirmware(dir, 'build/fw.elf').path, join(dir, 'build', 'fw.elf'));
    assert.match(
      findFirmware(dir, 'build/missing.elf').problem!,
      /^droneHeap\.firmware names .*build\/missing\.elf, which is not a file \(yet\)$/,
    );
    assert.equal(findFirmware(dir, 'build').path, null, 'a directory is not a firmware');
  });
});
