// A heap's state on the device, from its static and its free lists in the target's memory
// (reference §7). Per pool:
//   high-water mark = (uninit − start) / block — exact: a block is taken from `uninit` only when
//                     every block taken before is in use, and `uninit` never moves down;
//   free now        = the free list's length (each free block's first word links the next);
//   in use now      = high-water mark − free now;
//   ever full       = uninit == edge: later requests of its sizes overflowed or failed.
// Memory is never trusted: the constant fields must be the firmware's, `uninit` must lie on a
// block boundary inside the pool, and every link must be a block the pool has handed out,
// seen once — otherwise the pool is reported corrupt, never looped on.
import { formatAddress } from '../config/sizes';
import { POOL_BYTES, type FirmwareHeap, type FirmwarePool } from './heapStatics';
import { mergeRanges, type MemoryRange, type TargetMemory } from './targetMemory';

export interface DevicePool extends FirmwarePool {
  /** Blocks ever in use at once since reset. */
  highWater: number;
  /** Blocks on the free list now; null when the list could not be walked (see `problem`). */
  free: number | null;
  /** Blocks in use now; null with `free`. */
  inUse: number | null;
  /** The pool ran out of never-used blocks at least once (uninit == edge). */
  everFull: boolean;
  /** Why the free list could not be counted (corrupt link, a cycle, a list longer than the pool). */
  problem: string | null;
}

export type HeapDecoding =
  | { kind: 'decoded'; pools: DevicePool[] }
  /** The memory does not hold these ranges yet: read them and decode again. */
  | { kind: 'needs'; ranges: MemoryRange[] }
  /** The memory at the static's address is not this firmware's heap. */
  | { kind: 'not-the-heap'; reason: string }
  /** A pool's `uninit` is outside the pool or off a block boundary: the static itself is damaged. */
  | { kind: 'corrupt'; reason: string };

export function decodeHeap(heap: FirmwareHeap, memory: TargetMemory): HeapDecoding {
  const staticBytes = heap.pools.length * POOL_BYTES;
  if (!memory.read(heap.address, staticBytes)) return { kind: 'needs', ranges: [{ address: heap.address, length: staticBytes }] };

  const fields = heap.pools.map((_, i) => {
    const at = heap.address + i * POOL_BYTES;
    const word = (index: number) => memory.word(at + index * 4) as number;
    return { size: word(heap.order.size), edge: word(heap.order.edge), free: word(heap.order.free), uninit: word(heap.order.uninit) };
  });
  // All zero: the firmware has not run its reset code yet (stopped at reset, before .data was copied).
  if (fields.every((f) => f.size === 0 && f.edge === 0 && f.free === 0 && f.uninit === 0)) {
    return {
      kind: 'not-the-heap',
      reason: `${heap.displayName} at ${formatAddress(heap.address)} is still all zero: the firmware has not initialised its static data yet (a stop at reset, before .data is copied from flash)`,
    };
  }
  // The constant fields say whether these bytes are the static at all.
  for (const [i, pool] of heap.pools.entries()) {
    const f = fields[i];
    if (f.size !== pool.block || f.edge !== pool.edge) {
      return {
        kind: 'not-the-heap',
        reason:
          `pool ${i + 1} of ${heap.displayName} at ${formatAddress(heap.address + i * POOL_BYTES)} should hold block ${pool.block} and edge ${formatAddress(pool.edge)}, ` +
          `but holds ${f.size} and ${formatAddress(f.edge)}`,
      };
    }
  }
  for (const [i, pool] of heap.pools.entries()) {
    const { uninit } = fields[i];
    if (uninit < pool.start || uninit > pool.edge || (uninit - pool.start) % pool.block !== 0) {
      return {
        kind: 'corrupt',
        reason: `pool ${i + 1} (block ${pool.block}) has its next never-used block at ${formatAddress(uninit)}, which is not a block boundary in ${formatAddress(pool.start)}–${formatAddress(pool.edge)}`,
      };
    }
  }

  // The free lists live in blocks already handed out: [start, uninit) of each pool with a list.
  const missing = heap.pools
    .map((pool, i) => ({ address: pool.start, length: fields[i].uninit - pool.start, head: fields[i].free }))
    .filter((r) => r.head !== 0 && r.length > 0 && !memory.read(r.address, r.length));
  if (missing.length > 0) return { kind: 'needs', ranges: mergeRanges(missing.map(({ address, length }) => ({ address, length }))) };

  return { kind: 'decoded', pools: heap.pools.map((pool, i) => poolState(pool, fields[i].uninit, fields[i].free, memory)) };
}

function poolState(pool: FirmwarePool, uninit: number, head: number, memory: TargetMemory): DevicePool {
  const highWater = (uninit - pool.start) / pool.block;
  const everFull = uninit === pool.edge;
  const walk = walkFreeList(pool, uninit, head, memory);
  return typeof walk === 'string'
    ? { ...pool, highWater, free: null, inUse: null, everFull, problem: walk }
    : { ...pool, highWater, free: walk, inUse: highWater - walk, everFull, problem: null };
}

/** The free list's length, or what is wrong with it. At most highWater + 1 steps. */
function walkFreeList(pool: FirmwarePool, uninit: number, head: number, memory: TargetMemory): number | string {
  const seen = new Set<number>();
  let link = head;
  let from = `the pool's free-list head`;
  while (link !== 0) {
    if (link < pool.start || link >= uninit || (link - pool.start) % pool.block !== 0) {
      const where = link >= uninit && link < pool.edge ? 'a block never handed out' : 'not a block of this pool';
      return `${from} is ${formatAddress(link)}, ${where} (${formatAddress(pool.start)}–${formatAddress(uninit)} handed out, block ${pool.block})`;
    }
    // Links are distinct blocks below uninit, so a list that has not looped ends within highWater steps.
    if (seen.has(link)) return `the free list loops back to ${formatAddress(link)} after ${seen.size} blocks`;
    seen.add(link);
    const next = memory.word(link);
    if (next === undefined) return `the free block at ${formatAddress(link)} was not read`;
    from = `the link in the free block at ${formatAddress(link)}`;
    link = next;
  }
  return seen.size;
}
