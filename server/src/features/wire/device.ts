// Device figures as the wire carries them (protocol/device.ts): the status bar's text and the
// heap view's "Device" source, converted field by field from the server's reading.
import type { DeviceHeapFigures, DeviceStatus } from '../../../../protocol/device';
import { describeSource, type DeviceReading, type DeviceSource } from '../../device/deviceStates';
import { plural } from '../../../../common/format';

type Reading = DeviceReading | { source: DeviceSource; sourceName: string; problem: string } | null;

const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);

/** `$(chip) device: ram.bin 12:03:05` / `$(chip) device: “QEMU” stop 12:03:05`, with a per-heap tooltip. */
export function toWireDeviceStatus(reading: Reading): DeviceStatus | null {
  if (!reading) return null;
  const source = reading.source;
  const where =
    source.kind === 'dump'
      ? `${source.path.split(/[\\/]/).pop()} ${clock(source.loadedAt)}`
      : `“${source.session}” stop ${clock(source.stoppedAt)}`;
  if ('problem' in reading) {
    return {
      text: `$(chip) device: ${where} (no figures)`,
      tooltip: `No device figures from ${describeSource(source)}: ${reading.problem}.`,
      warning: true,
    };
  }
  const lines = [`Device figures from ${describeSource(source)}.`];
  let full = 0;
  for (const { match, state } of reading.heaps) {
    if (state.kind !== 'decoded') {
      lines.push(`${match.heap.qualifiedName}: ${state.reason}`);
      continue;
    }
    const everFull = state.pools.filter((p) => p.everFull).length;
    full += everFull;
    const peak = state.pools.reduce((sum, p) => sum + p.highWater * p.block, 0);
    const now = state.pools.reduce((sum, p) => sum + (p.inUse ?? 0) * p.block, 0);
    lines.push(
      `${match.heap.qualifiedName}: ${now} B in use now, Σ pool peaks ${peak} B${everFull ? `; ${plural(everFull, 'pool has', 'pools have')} been full` : ''}`,
    );
  }
  return { text: `$(chip) device: ${where}${full ? ` · ${plural(full, 'full pool')}` : ''}`, tooltip: lines.join('\n'), warning: full > 0 };
}

/** The heap view's "Device" source for one heap, or null when nothing was read. */
export function toWireDeviceHeapFigures(reading: Reading, heapName: string): DeviceHeapFigures | null {
  if (!reading) return null;
  const source = describeSource(reading.source);
  if ('problem' in reading) return { source, problem: reading.problem, mismatch: null, pools: [] };
  const heap = reading.heaps.find((h) => h.match.heap.name === heapName);
  if (!heap) return null;
  if (heap.state.kind !== 'decoded') return { source, problem: heap.state.reason, mismatch: heap.match.mismatch, pools: [] };
  return {
    source,
    problem: null,
    mismatch: heap.match.mismatch,
    pools: heap.state.pools.map((p) => ({
      block: p.block,
      capacity: p.capacity,
      highWater: p.highWater,
      inUse: p.inUse,
      free: p.free,
      everFull: p.everFull,
    })),
  };
}
