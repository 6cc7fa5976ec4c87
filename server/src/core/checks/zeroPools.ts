// Pools that can hold nothing: block 0 never serves a request (zero-size allocations
// never reach the pools), capacity 0 holds no block. Both occupy no bytes, so removing
// them keeps the pool sum.
import { removeArrayItem } from '../config/edits';
import type { Check, Finding } from './finding';
import { capitalise, poolName } from './util';

export const checkZeroPools: Check = (config) => {
  const findings: Finding[] = [];
  for (const heap of config.heaps) {
    const items = heap.pools?.items ?? [];
    const spans = heap.pools?.entry.value.kind === 'array' ? heap.pools.entry.value.items.map((v) => v.span) : [];
    for (const pool of items) {
      const remove = { title: `Remove ${poolName(pool)}`, edits: [removeArrayItem(config.text, spans, pool.index)], preferred: true };
      if (pool.block?.bytes === 0) {
        findings.push({
          code: 'zero-block',
          severity: 'error',
          span: pool.block.entry.value.span,
          message: `Pool ${pool.index + 1} has block 0: it can never serve an allocation (zero-size requests never reach the pools). Remove it or give it a real block size.`,
          fixes: [remove],
        });
      } else if (pool.capacity?.value === 0) {
        findings.push({
          code: 'zero-capacity',
          severity: 'warning',
          span: pool.capacity.entry.value.span,
          message: `${capitalise(poolName(pool))} has capacity 0: it holds no blocks, so requests that fit it go straight to the next larger pool. Remove it or give it a capacity.`,
          fixes: [remove],
          unnecessary: true,
        });
      }
    }
  }
  return findings;
};
