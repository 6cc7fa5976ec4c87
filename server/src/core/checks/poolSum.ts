// The one check Drone itself makes (at build time): Σ block × capacity must equal
// `size`. Reported on the `size` value with both figures, and two kinds of repair:
// change `size`, or absorb the difference into one pool whose block divides it.
import { replaceStringValue, replaceValue } from '../config/edits';
import { poolSum, validPools } from '../config/droneConfig';
import { formatSize } from '../config/sizes';
import type { Check, Finding, Fix } from './finding';

export const checkPoolSum: Check = (config) => {
  const findings: Finding[] = [];
  for (const heap of config.heaps) {
    const size = heap.size?.bytes;
    const sum = poolSum(heap);
    const pools = validPools(heap);
    if (size === undefined || sum === undefined || !pools || sum === size) continue;
    const sizeValue = heap.size!.entry.value;
    const difference = size - sum;
    const direction =
      difference > 0 ? `${difference} bytes of the heap are not in any pool` : `the pools need ${-difference} bytes more than the heap has`;
    const fixes: Fix[] = [];
    if (sum <= 0xffff_ffff) {
      fixes.push({
        title: `Set size to "${formatSize(sum)}"`,
        edits: [replaceStringValue(config.text, sizeValue, formatSize(sum))],
        preferred: true,
      });
    }
    for (const { block, capacity, pool } of pools) {
      if (block === 0 || difference % block !== 0 || !pool.capacity) continue;
      const newCapacity = capacity + difference / block;
      if (newCapacity < 0) continue;
      const change = difference > 0 ? `+${difference / block}` : `${difference / block}`;
      fixes.push({
        title: `Set capacity of pool ${pool.index + 1} (block ${block} B) to ${newCapacity} (${change})`,
        edits: [replaceValue(pool.capacity.entry.value, String(newCapacity))],
      });
    }
    findings.push({
      code: 'pool-sum-mismatch',
      severity: 'error',
      span: sizeValue.span,
      message:
        `\`${heap.qualifiedName}.pools\` adds up to ${sum} bytes, but \`${heap.qualifiedName}.size\` is ${size} bytes: ${direction}. ` +
        `Drone's build fails on this. Set size to "${formatSize(sum)}" or change a pool's capacity.`,
      fixes,
    });
  }
  return findings;
};
