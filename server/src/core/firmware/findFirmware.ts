// Which firmware file belongs to a Drone.toml. A Drone project builds with cargo into
// `target/<triple>/release/<name>` (the Justfile's release binary) or `…/debug/<name>`:
// `<triple>` is `[build] target` in `.cargo/config.toml` (or `.cargo/config`, as 0.14
// projects have it) and `<name>` is `[package] name` in `Cargo.toml`, all beside Drone.toml.
// The newest of the two builds is the one on the board most likely.
import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { entryOf, parseTomlTree, type TomlTable } from '../config/tomlTree';
import { readRegularFileSync } from '../regularFile';

export interface FirmwareSearch {
  /** The firmware file to read, or null when there is none (yet). */
  path: string | null;
  /** When it was last written (ms since the epoch), with `path`. */
  modified: number | null;
  /** The files looked for, for "no firmware yet" messages. */
  lookedFor: string[];
  /** Why no firmware could be named or found, in one sentence (null with `path`). */
  problem: string | null;
}

/** Finds the firmware of the project in `projectDir`; `override` (setting droneHeap.firmware, relative to it) wins. */
export function findFirmware(projectDir: string, override?: string): FirmwareSearch {
  if (override) {
    const path = isAbsolute(override) ? override : resolve(projectDir, override);
    const modified = modifiedAt(path);
    return modified === null
      ? { path: null, modified: null, lookedFor: [path], problem: `droneHeap.firmware names ${path}, which is not a file (yet)` }
      : { path, modified, lookedFor: [path], problem: null };
  }
  const name = stringAt(readToml(join(projectDir, 'Cargo.toml')), 'package', 'name');
  if (!name) return { path: null, modified: null, lookedFor: [], problem: 'no [package] name in a Cargo.toml beside Drone.toml' };
  const cargoConfig =
    [join(projectDir, '.cargo', 'config.toml'), join(projectDir, '.cargo', 'config')].map(readToml).find((t) => t !== null) ?? null;
  const triple = stringAt(cargoConfig, 'build', 'target');
  if (!triple)
    return {
      path: null,
      modified: null,
      lookedFor: [],
      problem: 'no [build] target in .cargo/config.toml or .cargo/config beside Drone.toml',
    };
  const lookedFor = ['release', 'debug'].map((profile) => join(projectDir, 'target', triple, profile, name));
  const found = lookedFor
    .map((path) => ({ path, modified: modifiedAt(path) }))
    .filter((f): f is { path: string; modified: number } => f.modified !== null)
    .sort((a, b) => b.modified - a.modified)[0];
  return found
    ? { ...found, lookedFor, problem: null }
    : { path: null, modified: null, lookedFor, problem: `no firmware built yet (looked for ${lookedFor.join(' and ')})` };
}

function readToml(path: string): TomlTable | null {
  try {
    const tree = parseTomlTree(readRegularFileSync(path));
    return tree.ok ? tree.root : null;
  } catch {
    return null; // missing or unreadable: as if absent
  }
}

function stringAt(root: TomlTable | null, table: string, key: string): string | null {
  const section = root && entryOf(root, table)?.value;
  if (section?.kind !== 'table') return null;
  const value = entryOf(section.table, key)?.value;
  return value?.kind === 'string' && value.value !== '' ? value.value : null;
}

function modifiedAt(path: string): number | null {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats.mtimeMs : null;
  } catch {
    return null;
  }
}
