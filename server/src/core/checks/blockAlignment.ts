// A block that is not a multiple of the word size: the heap! macro lays pools out
// back to back, so the second block of this pool and every later pool start at a
// misaligned address, which faults (or is slow) on the device. Drone does not check it.
import { replaceStringValue } from '../config/edits';
import { poolSum, validPools } from '../config/droneConfig';
import { formatSize } from '../config/sizes';
import type { Check, Finding, Fix } from './finding';

export const checkBlockAlignment: Check = (config, { wordSize }) => {
  const findings: Finding[] = [];
  for (const heap of config.heaps) {
    const sortedBlocks = (validPools(heap) ?? []).map((p) => p.block).sort((a, b) => a - b);
    for (const pool of heap.pools?.items ?? []) {
      const block = pool.block?.bytes;
      if (block === undefined || block === 0 || block % wordSize === 0) continue;
      const rounded = Math.ceil(block / wordSize) * wordSize;
      const later = sortedBlocks.filter((b) => b > block).length;
      const blockValue = pool.block!.entry.value;
      const fix: Fix = {
        title: `Round block up to ${rounded} B`,
        edits: [replaceStringValue(config.text, blockValue, formatSize(rounded))],
        preferred: true,
      };
      // Keep Σ block × capacity = size when it holds: the rounding adds (rounded − block) ×
      // capacity bytes. When the sum is already off, pool-sum-mismatch owns that problem.
      const capacity = pool.capacity?.value;
      const size = heap.size?.bytes;
      if (capacity && size !== undefined && size === poolSum(heap) && heap.size!.entry.value.kind === 'string') {
        const newSize = size + (rounded - block) * capacity;
        fix.title += ` and size to "${formatSize(newSize)}"`;
        fix.edits.push(replaceStringValue(config.text, heap.size!.entry.value, formatSize(newSize)));
      }
      findings.push({
        code: 'block-misaligned',
        severity: 'warning',
        span: blockValue.span,
        message:
          `Block ${block} B is not a multiple of the word size (${wordSize} B). Drone lays the pools out back to back in block order, ` +
          (later > 0
            ? `so every block of this pool after the first, and the ${later} pool${later === 1 ? '' : 's'} after it, start at misaligned addresses. `
            : 'so every block of this pool after the first starts at a misaligned address. ') +
          `Use ${rounded}.`,
        fixes: [fix],
      });
    }
  }
  return findings;
};
