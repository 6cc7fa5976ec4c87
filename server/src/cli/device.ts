// `drone-heap device [--config Drone.toml] [--elf FILE] --dump FILE [--dump-address ADDR] [--json]`:
// the heap's real use on the board — per pool the most blocks ever in use at once since reset,
// the blocks in use and free now, and whether the pool has been full — from a RAM dump taken
// in a debugger and the firmware that ran. No trace needed. Exit 0; 1 when a pool has been
// full; 2 on unusable input.
import { formatAddress, formatPercent } from '../core/config/sizes';
import { describePools, matchHeaps, readDeviceHeaps, type DeviceHeap } from '../core/device/deviceHeaps';
import { deviceFindings } from '../core/device/deviceFindings';
import { readFirmwareHeaps } from '../core/device/heapStatics';
import { parseAddress } from '../core/device/parseAddress';
import { TargetMemory } from '../core/device/targetMemory';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, parseArgs, readOrSay, UsageError, type CliIO } from './io';
import { loadConfig, loadFirmware } from './heapInput';
import { formatTable } from './traceInput';

export const DEVICE_USAGE = `Usage: drone-heap device [--config Drone.toml] [--elf FILE] --dump FILE [--dump-address ADDR] [--json]
The heap's use on the board, from a RAM dump and the firmware that ran (default: the newest of
target/<triple>/{release,debug}/<package> beside Drone.toml): per pool the most blocks ever in
use at once since reset (peak), the blocks in use and free now, and whether it has been full.
--dump-address is where the dump starts (default: [memory.ram] origin). Take the dump at a
breakpoint, e.g. in GDB: dump binary memory ram.bin 0x20000000 0x20010000
Exit status: 0 no pool has been full, 1 a pool has been full, 2 unusable input.`;

export function runDevice(args: string[], io: CliIO): number {
  const parsed = parseArgs(args, ['json', 'help'], ['config', 'elf', 'dump', 'dump-address']);
  if (parsed.flags.has('help')) {
    io.stdout(DEVICE_USAGE + '\n');
    return EXIT_OK;
  }
  const dumpPath = parsed.options.get('dump');
  if (!dumpPath) throw new UsageError('--dump FILE is required: a RAM dump taken at a breakpoint (see drone-heap device --help)');
  const addressText = parsed.options.get('dump-address');
  const givenAddress = addressText === undefined ? undefined : parseAddress(addressText);
  if (givenAddress !== undefined && typeof givenAddress === 'string') throw new UsageError(`--dump-address: ${givenAddress}`);

  const configPath = parsed.options.get('config') ?? 'Drone.toml';
  const config = loadConfig(io, configPath);
  if (!config) return EXIT_USAGE;
  const ramOrigin = config.memory.find((m) => m.name === 'ram')?.origin?.value;
  const dumpAddress = givenAddress ?? ramOrigin;
  if (dumpAddress === undefined) {
    io.stderr(`drone-heap: ${configPath} has no [memory.ram] origin: say where the dump starts with --dump-address\n`);
    return EXIT_USAGE;
  }

  const firmware = loadFirmware(io, configPath, parsed.options.get('elf'), 'name the firmware that ran with --elf', readFirmwareHeaps);
  if (!firmware) return EXIT_USAGE;
  const { path: firmwarePath, read: firmwareHeaps } = firmware;
  if (firmwareHeaps.length === 0) {
    io.stderr(
      `drone-heap: ${firmwarePath} has no heap static (an object in .data of 16 bytes per pool, such as drone's HEAP; a stripped firmware has no symbols)\n`,
    );
    return EXIT_USAGE;
  }
  const dump = readOrSay(io, dumpPath, (path) => io.readBytes(path));
  if (!dump) return EXIT_USAGE;
  if (dump.length === 0) {
    io.stderr(`drone-heap: ${dumpPath} is empty\n`);
    return EXIT_USAGE;
  }

  const memory = new TargetMemory([{ address: dumpAddress, bytes: dump }]);
  const reading = readDeviceHeaps(matchHeaps(config, firmwareHeaps), memory, true);
  if (reading.kind !== 'done') throw new Error('a complete memory reading asked for more'); // readDeviceHeaps with complete=true never does
  const sourceName = `the dump ${dumpPath}`;
  const findings = deviceFindings(config, reading.heaps, { sourceName });

  if (parsed.flags.has('json')) {
    const json = {
      config: configPath,
      firmware: firmwarePath,
      dump: { path: dumpPath, address: dumpAddress, bytes: dump.length },
      heaps: reading.heaps.map(heapJson),
      findings: findings.map((f) => {
        const at = config.lines.positionAt(f.span.start);
        return { code: f.code, severity: f.severity, message: f.message, line: at.line + 1, column: at.character + 1 };
      }),
    };
    io.stdout(JSON.stringify(json, null, 2) + '\n');
  } else {
    const lines = [`${dumpPath} (${dump.length} B from ${formatAddress(dumpAddress)}) with ${firmwarePath}:`];
    for (const heap of reading.heaps) lines.push('', ...heapText(heap));
    if (findings.length > 0) lines.push('');
    for (const f of findings) {
      const at = config.lines.positionAt(f.span.start);
      lines.push(`${configPath}:${at.line + 1}:${at.character + 1}: ${f.severity}: ${f.message} [${f.code}]`);
    }
    io.stdout(lines.join('\n') + '\n');
  }
  const usable = reading.heaps.some((h) => h.state.kind === 'decoded');
  if (!usable) return EXIT_USAGE;
  return findings.some((f) => f.code === 'device-pool-full') ? EXIT_PROBLEMS : EXIT_OK;
}

function heapJson({ match, state }: DeviceHeap) {
  return {
    name: match.heap.qualifiedName,
    symbol: match.firmware?.symbol ?? null,
    address: match.firmware?.address ?? null,
    mismatch: match.mismatch,
    problem: state.kind === 'decoded' ? null : state.reason,
    pools:
      state.kind === 'decoded'
        ? state.pools.map((p) => ({
            block: p.block,
            capacity: p.capacity,
            start: p.start,
            highWater: p.highWater,
            inUse: p.inUse,
            free: p.free,
            everFull: p.everFull,
            problem: p.problem,
          }))
        : [],
  };
}

function heapText({ match, state }: DeviceHeap): string[] {
  const title = match.firmware
    ? `${match.heap.qualifiedName}: ${match.firmware.displayName} at ${formatAddress(match.firmware.address)}, pools ${describePools(match.firmware.pools)}`
    : `${match.heap.qualifiedName}:`;
  if (state.kind !== 'decoded') return [title, `  no figures: ${state.reason}`];
  const rows = state.pools.map((p) => [
    p.block,
    p.capacity,
    p.highWater,
    formatPercent(p.highWater, p.capacity),
    p.inUse ?? '?',
    p.free ?? '?',
    p.capacity - p.highWater,
    p.everFull ? 'was full' : p.problem ? `free list corrupt: ${p.problem}` : '',
  ]);
  const table = formatTable(['block', 'capacity', 'peak', 'peak %', 'in use', 'free', 'never used', ''], rows);
  const inUseBytes = state.pools.reduce((sum, p) => sum + (p.inUse ?? 0) * p.block, 0);
  const peakBytes = state.pools.reduce((sum, p) => sum + p.highWater * p.block, 0);
  return [title, ...table.map((l) => `  ${l}`), `  in use now ${inUseBytes} B; Σ pool peaks ${peakBytes} B`];
}
