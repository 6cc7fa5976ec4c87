// What `simulate` and `optimize` share: read Drone.toml, parse it, and find the heap asked
// for — or say clearly why not (the caller then exits 2).
import { checkDroneToml, type Finding } from '../core/checks/index';
import { poolSpecs, type DroneConfig, type HeapConfig } from '../core/config/droneConfig';
import type { PoolSpec } from '../core/replay/result';
import type { LineIndex } from '../core/config/span';
import type { CliIO } from './io';
import { describeReadError } from './io';

export interface LoadedHeap {
  text: string;
  config: DroneConfig;
  lines: LineIndex;
  heap: HeapConfig;
  findings: Finding[];
}

/** The heap `heapName` of the file `configPath`, or undefined after printing why it is unusable. */
export function loadHeap(io: CliIO, configPath: string, heapName: string): LoadedHeap | undefined {
  let text: string;
  try {
    text = io.readFile(configPath);
  } catch (error) {
    io.stderr(`drone-heap: ${describeReadError(configPath, error)}\n`);
    return undefined;
  }
  const { parse, findings } = checkDroneToml(text);
  if (!parse.ok) {
    const at = parse.lines.positionAt(parse.error.span.start);
    io.stderr(`drone-heap: ${configPath}:${at.line + 1}:${at.character + 1}: ${parse.error.message}\n`);
    return undefined;
  }
  const heap = parse.config.heaps.find((h) => h.name === heapName);
  if (!heap) {
    const known = parse.config.heaps.map((h) => h.name);
    io.stderr(
      `drone-heap: ${configPath} has no heap "${heapName}"${known.length ? ` (heaps: ${known.join(', ')})` : ' (it has no heap section)'}\n`,
    );
    return undefined;
  }
  return { text, config: parse.config, lines: parse.lines, heap, findings };
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
