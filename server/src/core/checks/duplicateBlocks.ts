// Two pools with the same block behave as one pool whose capacity is the sum (the
// second is used only when the first is full), so the second only adds confusion.
import { removeArrayItem, replaceValue } from '../config/edits';
import type { PoolConfig } from '../config/droneConfig';
import type { Check, Finding } from './finding';

export const checkDuplicateBlocks: Check = (config) => {
  const findings: Finding[] = [];
  for (const heap of config.heaps) {
    const spans = heap.pools?.entry.value.kind === 'array' ? heap.pools.entry.value.items.map((v) => v.span) : [];
    const firstWithBlock = new Map<number, PoolConfig>();
    for (const pool of heap.pools?.items ?? []) {
      const block = pool.block?.bytes;
      if (block === undefined || block === 0) continue;
      const first = firstWithBlock.get(block);
      if (!first) {
        firstWithBlock.set(block, pool);
        continue;
      }
      const finding: Finding = {
        code: 'duplicate-block',
        severity: 'warning',
        span: pool.block!.entry.value.span,
        message: `Pool ${pool.index + 1} has the same block (${block} B) as pool ${first.index + 1}. Two such pools act as one pool with the summed capacity; merge them.`,
        fixes: [],
      };
      const a = first.capacity?.value;
      const b = pool.capacity?.value;
      if (a !== undefined && b !== undefined && first.capacity) {
        finding.fixes.push({
          title: `Merge into pool ${first.index + 1} (capacity ${a + b})`,
          edits: [replaceValue(first.capacity.entry.value, String(a + b)), removeArrayItem(config.text, spans, pool.index)],
          preferred: true,
        });
      }
      findings.push(finding);
    }
  }
  return findings;
};
