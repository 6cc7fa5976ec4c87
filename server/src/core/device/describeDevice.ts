// The device's figures in words, the same on every surface: the inlay hint beside a pool, the
// pool hover, the CLI's table, and the commands that get a RAM dump out of a board.
import { plural } from '../../../../common/format';
import { formatAddress, formatPercent } from '../config/sizes';
import type { DevicePool } from './decodeHeap';

/** The hint beside a pool: `device: peak 37/118 · now 12` (`· full` when it has been). */
export function devicePoolLabel(pool: DevicePool): string {
  const now = pool.inUse === null ? 'now ?' : `now ${pool.inUse}`;
  return `device: peak ${pool.highWater}/${pool.capacity} · ${now}${pool.everFull ? ' · was full' : ''}`;
}

/** What the device says about a pool, in sentences, for the pool hover (markdown). */
export function describeDevicePool(pool: DevicePool, sourceName: string, tracePeak: number | null): string[] {
  const lines = [
    `**On the device** (${sourceName}): at most **${pool.highWater}** of ${pool.capacity} blocks in use at once since reset (${formatPercent(pool.highWater, pool.capacity)}), ` +
      (pool.problem
        ? `but the free list cannot be read: ${pool.problem}.`
        : `${pool.inUse} in use now, ${plural(pool.free ?? 0, 'block')} on the free list, ${plural(pool.capacity - pool.highWater, 'block')} never used.`),
  ];
  if (pool.everFull) {
    lines.push(`The pool has been full: later requests of up to ${pool.block} B went to larger pools or failed.`);
  }
  if (tracePeak !== null) {
    const comparison =
      tracePeak === pool.highWater
        ? 'the same peak as the trace'
        : tracePeak > pool.highWater
          ? `the trace's peak is higher (${tracePeak}): this run has not yet reached what the trace did`
          : `higher than the trace's peak (${tracePeak}): the device has seen more than the trace shows`;
    lines.push(`Device peak ${pool.highWater} vs trace peak ${tracePeak}: ${comparison}.`);
  }
  return lines;
}

/** The commands that dump `length` bytes of RAM from `origin` into `file`, for GDB, OpenOCD and probe-rs. */
export function dumpCommands(origin: number, length: number, file = 'ram.bin'): { tool: string; command: string }[] {
  const start = formatAddress(origin);
  const end = formatAddress(origin + length);
  return [
    { tool: 'GDB', command: `dump binary memory ${file} ${start} ${end}` },
    { tool: 'OpenOCD', command: `dump_image ${file} ${start} ${length}` },
    { tool: 'probe-rs', command: `probe-rs read --chip <CHIP> b32 ${start} ${Math.ceil(length / 4)} --output ${file} --format binary` },
  ];
}
