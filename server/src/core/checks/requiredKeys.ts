// Keys Drone requires: `size` and `pools` on every heap, `origin` on extra heaps, and a
// `main` heap once the 0.14 shape (`[heap.NAME]`) is used.
import type { Check, Finding } from './finding';
import { tableAnchor } from './util';

export const checkRequiredKeys: Check = (config) => {
  const findings: Finding[] = [];
  const heapTable = config.heapTable;
  if (heapTable && config.heaps.length > 0 && !config.heaps.some((h) => !h.isExtra)) {
    findings.push({
      code: 'missing-key',
      severity: 'error',
      span: tableAnchor(heapTable),
      message: 'Drone 0.14 needs a `[heap.main]` heap; only extra heaps are defined. Add `[heap.main]` with `size` and `pools`.',
      fixes: [],
    });
  }
  for (const heap of config.heaps) {
    const anchor = tableAnchor(heap.table);
    const missing: string[] = [];
    if (!heap.size) missing.push('`size` (e.g. `size = "10K"`)');
    if (!heap.pools) missing.push('`pools` (e.g. `pools = [{ block = "4", capacity = 100 }]`)');
    if (heap.isExtra && !heap.origin)
      missing.push('`origin` (its start address, e.g. `origin = 0x10000000`): an extra heap is not placed automatically');
    if (missing.length > 0) {
      findings.push({
        code: 'missing-key',
        severity: 'error',
        span: anchor,
        message: `\`${heap.qualifiedName}\` is missing ${missing.join('; and ')}.`,
        fixes: [],
      });
    }
    for (const pool of heap.pools?.items ?? []) {
      for (const key of ['block', 'capacity'] as const) {
        if (pool[key]) continue;
        findings.push({
          code: 'missing-key',
          severity: 'error',
          span: pool.span,
          message: `Pool ${pool.index + 1} of \`${heap.qualifiedName}\` is missing \`${key}\`; every pool needs \`block\` (a size string) and \`capacity\` (an integer).`,
          fixes: [],
        });
      }
    }
  }
  return findings;
};
