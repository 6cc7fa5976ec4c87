// Findings from the device's heap: a pool that has been full (`device-pool-full`), a firmware
// built from another Drone.toml (`device-firmware-mismatch`), and memory that cannot be read
// as the heap (`device-memory-problem`). The editor and `drone-heap device` say the same words.
//
// The fix for a full pool gives it a quarter more blocks than it ever had (at least one). It
// first looks for the bytes in the heap itself — another pool's never-used blocks, which the
// device proves this run did not need — so the heap's size and the stack stay as they are;
// otherwise it grows the heap by exactly those bytes.
import type { Finding, Fix } from '../checks/finding';
import { tableAnchor } from '../checks/util';
import { replaceStringValue, replaceValue } from '../config/edits';
import { validPools, type DroneConfig, type HeapConfig } from '../config/droneConfig';
import { formatSize } from '../config/sizes';
import type { DevicePool } from './decodeHeap';
import type { DeviceHeap } from './deviceHeaps';

export interface DeviceFindingOptions {
  /** Where the figures come from, for messages: "dump ram.bin (12:03)", "the debug session “QEMU” (paused 12:03)". */
  sourceName: string;
}

export function deviceFindings(config: DroneConfig, heaps: readonly DeviceHeap[], options: DeviceFindingOptions): Finding[] {
  const findings: Finding[] = [];
  for (const { match, state } of heaps) {
    const heap = match.heap;
    const anchor = tableAnchor(heap.table);
    if (match.mismatch) {
      findings.push({
        code: 'device-firmware-mismatch',
        severity: 'warning',
        span: heap.pools?.entry.keySpan ?? anchor,
        message: `The firmware was built from another Drone.toml: ${match.mismatch}. The device figures are of the firmware's pools; build and flash again to bring the board in line.`,
        fixes: [],
      });
    }
    if (state.kind === 'not-read' || state.kind === 'not-the-heap' || state.kind === 'corrupt') {
      findings.push({
        code: 'device-memory-problem',
        severity: 'warning',
        span: anchor,
        message: `No device figures for \`${heap.qualifiedName}\` from ${options.sourceName}: ${state.reason}.`,
        fixes: [],
      });
    }
    if (state.kind !== 'decoded') continue;
    for (const pool of state.pools) {
      if (pool.problem) {
        findings.push({
          code: 'device-memory-problem',
          severity: 'warning',
          span: poolSpan(heap, pool) ?? anchor,
          message: `The free list of the ${pool.block} B pool of \`${heap.qualifiedName}\` on the device is corrupt (${options.sourceName}): ${pool.problem}. Its peak (${pool.highWater} of ${pool.capacity}) still holds.`,
          fixes: [],
        });
      }
      if (!pool.everFull) continue;
      const span = poolSpan(heap, pool);
      const now = pool.inUse === null ? '' : ` Now ${pool.inUse} in use.`;
      findings.push({
        code: 'device-pool-full',
        severity: 'warning',
        span: span ?? anchor,
        message:
          `On the device (${options.sourceName}) all ${pool.capacity} blocks of the ${pool.block} B pool were in use at once: ` +
          `later requests of up to ${pool.block} B went to larger pools or failed.${now}`,
        fixes: match.mismatch ? [] : fullPoolFixes(config, heap, pool, state.pools),
      });
    }
  }
  return findings;
}

/** The Drone.toml pool of the firmware pool's block size (pools are paired by block). */
function poolSpan(heap: HeapConfig, pool: DevicePool) {
  return validPools(heap)?.find((p) => p.block === pool.block)?.pool.span;
}

function fullPoolFixes(config: DroneConfig, heap: HeapConfig, full: DevicePool, devicePools: DevicePool[]): Fix[] {
  const pools = validPools(heap);
  const target = pools?.find((p) => p.block === full.block);
  if (!pools || !target?.pool.capacity) return [];
  const wanted = Math.max(1, Math.ceil(full.highWater / 4));
  const fixes: Fix[] = [];
  // Never-used blocks of one other pool pay for m more blocks here when their bytes match exactly.
  for (let more = wanted; more >= 1 && fixes.length === 0; more--) {
    const bytes = more * full.block;
    const donors = devicePools
      .filter((d) => d.block !== full.block && !d.everFull && bytes % d.block === 0 && bytes / d.block <= d.capacity - d.highWater)
      .sort((a, b) => b.capacity - b.highWater - (a.capacity - a.highWater));
    const donor = donors[0];
    const donorConfig = donor && pools.find((p) => p.block === donor.block);
    if (!donor || !donorConfig?.pool.capacity) continue;
    const given = bytes / donor.block;
    fixes.push({
      title: `Give pool ${target.pool.index + 1} (block ${full.block} B) ${more} more block${more === 1 ? '' : 's'} (${target.capacity + more}), from the never-used blocks of pool ${donorConfig.pool.index + 1} (block ${donor.block} B: ${donorConfig.capacity - given})`,
      edits: [
        replaceValue(target.pool.capacity.entry.value, String(target.capacity + more)),
        replaceValue(donorConfig.pool.capacity.entry.value, String(donorConfig.capacity - given)),
      ],
      preferred: true,
    });
  }
  const size = heap.size?.bytes;
  if (size !== undefined && heap.size) {
    const newSize = size + wanted * full.block;
    fixes.push({
      title: `Raise the capacity of pool ${target.pool.index + 1} (block ${full.block} B) to ${target.capacity + wanted} and the heap's size to "${formatSize(newSize)}"`,
      edits: [
        replaceValue(target.pool.capacity.entry.value, String(target.capacity + wanted)),
        replaceStringValue(config.text, heap.size.entry.value, formatSize(newSize)),
      ],
      preferred: fixes.length === 0,
    });
  }
  return fixes;
}
