// Pools written out of block order. Harmless (the heap! macro sorts them), but the
// file then reads differently from the heap's real layout, so it is information only.
// The fix moves each pool's text (and its end-of-line comment) into the sorted slot;
// commas and line breaks between pools stay where they are.
import { reorderArrayItems } from '../config/edits';
import { validPools } from '../config/droneConfig';
import type { Check, Finding } from './finding';

export const checkPoolOrder: Check = (config) => {
  const findings: Finding[] = [];
  for (const heap of config.heaps) {
    const pools = validPools(heap);
    if (!pools || pools.length < 2) continue;
    const firstOutOfOrder = pools.findIndex((p, i) => i > 0 && p.block < pools[i - 1].block);
    if (firstOutOfOrder < 0) continue;
    const sorted = [...pools].sort((a, b) => a.block - b.block); // stable: equal blocks keep their order
    const edits = reorderArrayItems(
      config.text,
      pools.map((p) => p.pool.span),
      sorted.map((p) => pools.indexOf(p)),
    );
    const inlineOnly = pools.every((p) => p.pool.table.origin === 'inline');
    const culprit = pools[firstOutOfOrder];
    findings.push({
      code: 'pools-unsorted',
      severity: 'information',
      span: culprit.pool.span,
      message: `Pools are not in ascending block order (${culprit.block} B comes after ${pools[firstOutOfOrder - 1].block} B). Drone sorts them at build time, so the heap's real layout differs from the order written here.`,
      fixes: inlineOnly ? [{ title: 'Sort pools by block size', edits, preferred: true }] : [],
    });
  }
  return findings;
};
