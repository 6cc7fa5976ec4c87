// What the pool snippet proposes when a pool is added by completion: a block that is not
// there yet — the next size up from the largest pool, continuing the step between the two
// largest (doubling when there is one pool), word-aligned — and one block of it, with the
// heap's `size` raised by exactly those bytes so that Σ block × capacity = size still
// holds the moment the snippet is accepted. Changing the capacity afterwards is then a
// pool-sum-mismatch with its one-click fixes, as for any other edit of a pool.
import { parseDroneConfig, poolSum, validPools, type HeapConfig } from './droneConfig';
import { formatSize } from './sizes';
import { contains, type TextEdit } from './span';

export interface PoolProposal {
  block: number;
  capacity: number;
  /** The heap's `size` set to the new sum; absent when the sum did not match `size` before (or cannot be known). */
  size?: { from: number; to: number; edit: TextEdit };
}

export const PROPOSED_CAPACITY = 1;

export function proposePool(text: string, offset: number, wordSize: number): PoolProposal {
  const heap = heapAround(text, offset);
  const blocks = [...new Set((heap?.pools?.items ?? []).flatMap((p) => (p.block?.bytes !== undefined ? [p.block.bytes] : [])))].sort(
    (a, b) => a - b,
  );
  const block = nextBlock(blocks, wordSize);
  const proposal: PoolProposal = { block, capacity: PROPOSED_CAPACITY };
  const size = heap?.size;
  const sum = heap && validPools(heap) ? poolSum(heap) : undefined;
  if (size?.bytes !== undefined && sum === size.bytes && size.entry.value.kind === 'string') {
    const to = size.bytes + block * PROPOSED_CAPACITY;
    const quote = text[size.entry.value.span.start] === "'" ? "'" : '"';
    proposal.size = { from: size.bytes, to, edit: { span: size.entry.value.span, newText: `${quote}${formatSize(to)}${quote}` } };
  }
  return proposal;
}

export function nextBlock(blocks: readonly number[], wordSize: number): number {
  const roundUp = (n: number) => Math.ceil(n / wordSize) * wordSize;
  if (blocks.length === 0) return wordSize;
  const largest = blocks[blocks.length - 1];
  const step = blocks.length >= 2 ? largest - blocks[blocks.length - 2] : largest;
  return Math.max(roundUp(largest + step), roundUp(largest + 1));
}

/**
 * The heap whose `pools` array holds the cursor. While the user types, the line up to the
 * cursor is often not valid TOML yet: it is blanked out (same length, so offsets hold).
 */
function heapAround(text: string, offset: number): HeapConfig | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  for (const candidate of [text, text.slice(0, lineStart) + ' '.repeat(offset - lineStart) + text.slice(offset)]) {
    const parse = parseDroneConfig(candidate);
    if (!parse.ok) continue;
    return parse.config.heaps.find((h) => h.pools?.isArray && contains(h.pools.entry.value.span, offset));
  }
  return undefined;
}
