// Where heaps land in memory: the main heap must fit in `memory.ram` (it sits at its
// end); an extra heap must lie inside one `[memory.*]` region and overlap no other heap.
import { findMemory, heapPlacement, type AddressRange, type HeapConfig } from '../config/droneConfig';
import { describeBytes, formatAddress } from '../config/sizes';
import type { Check, Finding } from './finding';

const describeRange = (r: AddressRange): string => `${formatAddress(r.start)}..${formatAddress(r.end)}`;

export const checkPlacement: Check = (config) => {
  const findings: Finding[] = [];
  const ram = findMemory(config, 'ram');
  const placed: { heap: HeapConfig; range: AddressRange }[] = [];
  for (const heap of config.heaps) {
    const size = heap.size?.bytes;
    if (!heap.isExtra && size !== undefined && ram?.size?.bytes !== undefined && size > ram.size.bytes) {
      findings.push({
        code: 'heap-exceeds-ram',
        severity: 'error',
        span: heap.size!.entry.value.span,
        message: `\`${heap.qualifiedName}\` is ${describeBytes(size)}, larger than \`memory.ram\` (${describeBytes(ram.size.bytes)}). The heap is placed at the end of RAM and must leave room for stack and data.`,
        fixes: [],
      });
      continue;
    }
    const range = heapPlacement(config, heap);
    if (!range) continue;
    if (heap.isExtra && heap.origin) {
      const inside = config.memory.some((m) => {
        const origin = m.origin?.value;
        const bytes = m.size?.bytes;
        return origin !== undefined && bytes !== undefined && range.start >= origin && range.end <= origin + bytes;
      });
      if (!inside) {
        const regions = config.memory
          .filter((m) => m.origin?.value !== undefined && m.size?.bytes !== undefined)
          .map((m) => `memory.${m.name} ${describeRange({ start: m.origin!.value!, end: m.origin!.value! + m.size!.bytes! })}`);
        findings.push({
          code: 'heap-outside-memory',
          severity: 'error',
          span: heap.origin.entry.value.span,
          message: `\`${heap.qualifiedName}\` spans ${describeRange(range)}, which is not inside any memory region${regions.length ? ` (${regions.join(', ')})` : config.memory.length ? ' (no `[memory.*]` region has a valid size and origin)' : ' (no `[memory.*]` region is defined)'}.`,
          fixes: [],
        });
      }
    }
    for (const other of placed) {
      if (range.start < other.range.end && other.range.start < range.end) {
        const anchor = heap.isExtra && heap.origin ? heap.origin.entry.value.span : heap.size!.entry.value.span;
        findings.push({
          code: 'heap-overlap',
          severity: 'error',
          span: anchor,
          message: `\`${heap.qualifiedName}\` (${describeRange(range)}) overlaps \`${other.heap.qualifiedName}\` (${describeRange(other.range)}). Heaps must not share memory.`,
          fixes: [],
        });
      }
    }
    placed.push({ heap, range });
  }
  return findings;
};
