// The device's heap per open Drone.toml: the target memory last read (a dump file, or what a
// paused debug session gave), and the figures decoded from it against the document as it is
// now and the firmware beside it (FirmwareBudgets finds and watches that file; its heap statics
// are read here once per build). A dump file is watched: dumping again into the same file
// updates the figures.
import { basename } from 'node:path';
import type { Finding } from '../core/checks/finding';
import type { DroneConfig } from '../core/config/droneConfig';
import { deviceFindings } from '../core/device/deviceFindings';
import { matchHeaps, readDeviceHeaps, type DeviceHeap } from '../core/device/deviceHeaps';
import { readFirmwareHeaps, type FirmwareHeap } from '../core/device/heapStatics';
import { TargetMemory, type MemoryPiece, type MemoryRange } from '../core/device/targetMemory';
import { readRegularFileBytesSync } from '../core/regularFile';
import type { FirmwareBudgets } from '../firmware/firmwareBudgets';
import type { TraceWatcher } from '../trace/traceWatcher';

/** Where device figures came from. Times are ms since the epoch. */
export type DeviceSource =
  { kind: 'dump'; path: string; address: number; loadedAt: number } | { kind: 'debug'; session: string; stoppedAt: number };

/** A dump larger than this is not RAM (the biggest Cortex-M parts have a few MiB). */
export const MAX_DUMP_BYTES = 64 * 1024 * 1024;
/** Rounds of "read these ranges" per debug stop: the static, then the pools' blocks. */
const MAX_ROUNDS = 4;

export interface DeviceReading {
  source: DeviceSource;
  /** How messages name the source: "the dump ram.bin (12:03:05)". */
  sourceName: string;
  heaps: DeviceHeap[];
  findings: Finding[];
}

export type FirmwareHeapsState = { ok: true; path: string; heaps: FirmwareHeap[] } | { ok: false; reason: string };

interface Loaded {
  source: DeviceSource;
  memory: TargetMemory;
}

interface PendingStop {
  session: string;
  stoppedAt: number;
  pieces: MemoryPiece[];
  rounds: number;
}

export class DeviceStates {
  private readonly loaded = new Map<string, Loaded>();
  private readonly pending = new Map<string, PendingStop>();
  private readonly watchedDumps = new Map<string, string>();
  /** Per firmware path: its heap statics as of one build. */
  private readonly firmwareCache = new Map<string, { modified: number; state: FirmwareHeapsState }>();

  constructor(
    private readonly firmware: Pick<FirmwareBudgets, 'stateOf'>,
    private readonly watcher: Pick<TraceWatcher, 'watch' | 'unwatch'>,
    private readonly onDidChange: (uri: string) => void,
    private readonly readHeaps: (path: string) => FirmwareHeap[] = readFirmwareHeaps,
  ) {}

  /** The heap statics of the document's firmware, or why there are none. */
  firmwareHeaps(uri: string): FirmwareHeapsState {
    const state = this.firmware.stateOf(uri);
    if (state.kind === 'none') return { ok: false, reason: `no firmware: ${state.problem}` };
    if (state.kind === 'restricted')
      return { ok: false, reason: `the firmware ${state.path} lies outside the workspace (Restricted Mode)` };
    if (state.kind === 'unreadable') return { ok: false, reason: `the firmware ${state.path} cannot be read: ${state.message}` };
    const cached = this.firmwareCache.get(state.path);
    if (cached?.modified === state.modified) return cached.state;
    let result: FirmwareHeapsState;
    try {
      const heaps = this.readHeaps(state.path);
      result =
        heaps.length > 0
          ? { ok: true, path: state.path, heaps }
          : { ok: false, reason: `the firmware ${state.path} has no heap static (an object in .data of 16 bytes per pool, such as HEAP)` };
    } catch (error) {
      result = {
        ok: false,
        reason: `the firmware ${state.path} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    this.firmwareCache.set(state.path, { modified: state.modified, state: result });
    return result;
  }

  /** Loads a RAM dump file for the document (throws a read error with a sentence). */
  loadDump(uri: string, path: string, address: number, now = Date.now()): void {
    const bytes = readRegularFileBytesSync(path);
    if (bytes.length === 0) throw new Error(`${path} is empty`);
    if (bytes.length > MAX_DUMP_BYTES) throw new Error(`${path} is ${bytes.length} B: more than ${MAX_DUMP_BYTES} B is not a RAM dump`);
    if (address + bytes.length > 2 ** 32)
      throw new Error(`${path} (${bytes.length} B) from 0x${address.toString(16)} runs past the 32-bit address space`);
    this.pending.delete(uri);
    this.setLoaded(uri, { source: { kind: 'dump', path, address, loadedAt: now }, memory: new TargetMemory([{ address, bytes }]) });
    const before = this.watchedDumps.get(uri);
    if (before !== path) {
      if (before) this.watcher.unwatch(before, uri);
      this.watcher.watch(path, uri);
      this.watchedDumps.set(uri, path);
    }
  }

  /** The watched dump file changed: read it again (or keep the last figures when it is gone). */
  dumpChanged(uri: string): void {
    const loaded = this.loaded.get(uri);
    if (loaded?.source.kind !== 'dump') return;
    try {
      this.loadDump(uri, loaded.source.path, loaded.source.address);
    } catch {
      // Being rewritten or removed: the figures of the last complete dump stay.
    }
  }

  /**
   * Memory read at a debug stop. Returns the ranges still to read, or null when the figures are
   * in. A new stop (another time) starts afresh: memory from an earlier stop is stale.
   */
  debugMemory(uri: string, config: DroneConfig, session: string, stoppedAt: number, pieces: MemoryPiece[]): MemoryRange[] | null | string {
    const firmware = this.firmwareHeaps(uri);
    if (!firmware.ok) return firmware.reason;
    let stop = this.pending.get(uri);
    if (!stop || stop.session !== session || stop.stoppedAt !== stoppedAt) {
      stop = { session, stoppedAt, pieces: [], rounds: 0 };
      this.pending.set(uri, stop);
    }
    stop.pieces.push(...pieces);
    stop.rounds++;
    const memory = new TargetMemory(stop.pieces);
    const complete = stop.rounds >= MAX_ROUNDS;
    const reading = readDeviceHeaps(matchHeaps(config, firmware.heaps), memory, complete);
    if (reading.kind === 'needs') return reading.ranges;
    this.pending.delete(uri);
    this.setLoaded(uri, { source: { kind: 'debug', session, stoppedAt }, memory });
    return null;
  }

  /** The device figures for the document as it is now, or null when nothing was read. */
  readingOf(uri: string, config: DroneConfig): DeviceReading | { source: DeviceSource; sourceName: string; problem: string } | null {
    const loaded = this.loaded.get(uri);
    if (!loaded) return null;
    const sourceName = describeSource(loaded.source);
    const firmware = this.firmwareHeaps(uri);
    if (!firmware.ok) return { source: loaded.source, sourceName, problem: firmware.reason };
    const reading = readDeviceHeaps(matchHeaps(config, firmware.heaps), loaded.memory, true);
    if (reading.kind !== 'done') return { source: loaded.source, sourceName, problem: 'the memory read is incomplete' };
    return { source: loaded.source, sourceName, heaps: reading.heaps, findings: deviceFindings(config, reading.heaps, { sourceName }) };
  }

  clear(uri: string): void {
    this.pending.delete(uri);
    const dump = this.watchedDumps.get(uri);
    if (dump) this.watcher.unwatch(dump, uri);
    this.watchedDumps.delete(uri);
    if (this.loaded.delete(uri)) this.onDidChange(uri);
  }

  close(uri: string): void {
    this.clear(uri);
  }

  private setLoaded(uri: string, loaded: Loaded): void {
    this.loaded.set(uri, loaded);
    this.onDidChange(uri);
  }
}

const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);

/** "the dump ram.bin (loaded 12:03:05)", "the debug session “QEMU” (stopped 12:03:05)". */
export function describeSource(source: DeviceSource): string {
  return source.kind === 'dump'
    ? `the dump ${basename(source.path)} (loaded ${clock(source.loadedAt)})`
    : `the debug session “${source.session}” (stopped ${clock(source.stoppedAt)})`;
}
