// What the commands share: read Drone.toml, parse it, and find the heap asked for (`simulate`,
// `optimize`), or the firmware and what it holds (`ram`, `device`) — or say clearly why not
// (the caller then exits 2).
import { checkDroneToml, type Finding } from '../core/checks/index';
import { dirname } from 'node:path';
import { parseDroneConfig, poolSpecs, type ConfigParse, type DroneConfig, type HeapConfig } from '../core/config/droneConfig';
import { ElfError } from '../core/firmware/elf';
import { findFirmware } from '../core/firmware/findFirmware';
import type { PoolSpec } from '../core/replay/result';
import type { LineIndex } from '../core/config/span';
import type { CliIO } from './io';
import { describeReadError, readOrSay } from './io';

export interface LoadedHeap {
  text: string;
  config: DroneConfig;
  lines: LineIndex;
  heap: HeapConfig;
  findings: Finding[];
}

/** The heap `heapName` of the file `configPath`, or undefined after printing why it is unusable. */
export function loadHeap(io: CliIO, configPath: string, heapName: string): LoadedHeap | undefined {
  const text = readOrSay(io, configPath, (path) => io.readFile(path));
  if (text === undefined) return undefined;
  const { parse, findings } = checkDroneToml(text);
  const config = parsedOrSay(io, configPath, parse);
  if (!config) return undefined;
  const heap = config.heaps.find((h) => h.name === heapName);
  if (!heap) {
    const known = config.heaps.map((h) => h.name);
    io.stderr(
      `drone-heap: ${configPath} has no heap "${heapName}"${known.length ? ` (heaps: ${known.join(', ')})` : ' (it has no heap section)'}\n`,
    );
    return undefined;
  }
  return { text, config, lines: parse.lines, heap, findings };
}

/** Like loadHeap, for commands that replay the heap's pools: they must all be valid. */
export function loadHeapWithPools(io: CliIO, configPath: string, heapName: string): (LoadedHeap & { pools: PoolSpec[] }) | undefined {
  const loaded = loadHeap(io, configPath, heapName);
  if (!loaded) return undefined;
  const pools = poolSpecs(loaded.heap);
  if (!pools || pools.length === 0) {
    const errors = loaded.findings
      .filter((f) => f.severity === 'error')
      .map((f) => `  ${configPath}:${loaded.lines.positionAt(f.span.start).line + 1}: ${f.message}`);
    io.stderr(
      `drone-heap: the pools of ${loaded.heap.qualifiedName} in ${configPath} are not usable:\n${errors.join('\n') || '  no pools'}\n`,
    );
    return undefined;
  }
  return { ...loaded, pools };
}

/** The parsed Drone.toml at `configPath` (text checks aside), or undefined after printing why it is unusable. */
export function loadConfig(io: CliIO, configPath: string): DroneConfig | undefined {
  const text = readOrSay(io, configPath, (path) => io.readFile(path));
  return text === undefined ? undefined : parsedOrSay(io, configPath, parseDroneConfig(text));
}

/** The parsed configuration, or undefined after printing the TOML error at its line and column. */
function parsedOrSay(io: CliIO, configPath: string, parse: ConfigParse): DroneConfig | undefined {
  if (parse.ok) return parse.config;
  const at = parse.lines.positionAt(parse.error.span.start);
  io.stderr(`drone-heap: ${configPath}:${at.line + 1}:${at.character + 1}: ${parse.error.message}\n`);
  return undefined;
}

/**
 * The firmware named by --elf, or found beside Drone.toml, read by `read`; undefined after
 * printing why there is none (`hint` says what the user can do) or why it cannot be read.
 */
export function loadFirmware<T>(
  io: CliIO,
  configPath: string,
  elfOption: string | undefined,
  hint: string,
  read: (path: string) => T,
): { path: string; read: T } | undefined {
  const search = elfOption ? null : findFirmware(dirname(configPath));
  const path = elfOption ?? search?.path;
  if (!path) {
    io.stderr(`drone-heap: ${search?.problem ?? 'no firmware'}; ${hint}\n`);
    return undefined;
  }
  try {
    return { path, read: read(path) };
  } catch (error) {
    io.stderr(`drone-heap: ${error instanceof ElfError ? `${path}: ${error.message}` : describeReadError(path, error)}\n`);
    return undefined;
  }
}
