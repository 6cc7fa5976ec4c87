// The device's heap on the wire: loading a RAM dump, feeding the server memory read from a
// paused debug session (the client speaks the Debug Adapter Protocol, the server decodes),
// and the figures per heap for the status bar and the heap view.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export interface DeviceDumpInfoParams {
  uri: string;
}

/** What the dump command prefills: RAM's origin and size from Drone.toml (null when it has none). */
export interface DeviceDumpInfo {
  ramOrigin: number | null;
  ramSize: number | null;
}

export const DeviceDumpInfoRequest = new RequestType<DeviceDumpInfoParams, DeviceDumpInfo, void>('droneHeap/deviceDumpInfo');

export interface LoadDeviceDumpParams {
  uri: string;
  /** Absolute path of the dump file (raw bytes of target memory). */
  path: string;
  /** The target address of the dump's first byte. */
  address: number;
}

/** The figures are in (or why not): one sentence for a notification, and the status bar's text. */
export interface DeviceAnswer {
  ok: boolean;
  message: string;
  status: DeviceStatus | null;
}

export const LoadDeviceDumpRequest = new RequestType<LoadDeviceDumpParams, DeviceAnswer, void>('droneHeap/loadDeviceDump');

/** Target memory read through DAP `readMemory`; `data` is base64, as DAP gives it. */
export interface DeviceMemoryPiece {
  address: number;
  data: string;
}

export interface DeviceMemoryParams {
  uri: string;
  /** The debug session and the time of the stop this memory was read at. */
  session: string;
  stoppedAt: number;
  /** What was read since the last answer (empty on the first call for a stop). */
  pieces: DeviceMemoryPiece[];
}

export type DeviceMemoryAnswer =
  /** Read these ranges and call again with them. */
  | { kind: 'needs'; ranges: { address: number; length: number }[] }
  /** Decoded (or found wanting): the figures are shown. */
  | { kind: 'done'; answer: DeviceAnswer }
  /** Nothing to read for this document: no firmware, no heap static, no heaps. */
  | { kind: 'unavailable'; reason: string };

export const DeviceMemoryRequest = new RequestType<DeviceMemoryParams, DeviceMemoryAnswer, void>('droneHeap/deviceMemory');

export interface DeviceClearParams {
  uri: string;
}

/** Forget the device figures of a document. */
export const DeviceClearRequest = new RequestType<DeviceClearParams, null, void>('droneHeap/deviceClear');

/** For the status bar: `$(chip) device: dump ram.bin 12:03` and a tooltip with the per-heap summary. */
export interface DeviceStatus {
  text: string;
  tooltip: string;
  /** Any pool has been full. */
  warning: boolean;
}

export interface DeviceStatusParams {
  uri: string;
  /** Null: nothing read from the device for this document. */
  status: DeviceStatus | null;
}

/** Server → client: the device figures of a document changed (loaded, re-read, cleared, edited against). */
export const DeviceStatusNotification = new NotificationType<DeviceStatusParams>('droneHeap/deviceStatus');

/** A pool's device figures in the heap view. */
export interface DevicePoolFigures {
  block: number;
  capacity: number;
  highWater: number;
  inUse: number | null;
  free: number | null;
  everFull: boolean;
}

/** The heap view's "Device" source for one heap. */
export interface DeviceHeapFigures {
  /** "dump ram.bin, loaded 12:03:05" / "debug session “QEMU”, stopped 12:03:05". */
  source: string;
  /** Why there are no pool figures (wrong dump address, corrupt memory), else null. */
  problem: string | null;
  /** The firmware was built from another Drone.toml: how it differs, else null. */
  mismatch: string | null;
  pools: DevicePoolFigures[];
}
