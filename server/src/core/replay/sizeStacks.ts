// The per-size LIFO stacks of the replay, all in one Int32Array arena: slot s owns
// arena[base[s] .. base[s] + room[s]). The replay keeps room[s] > the size's max load,
// growing a stack when a new max load reaches its room, so ordinary pushes never check. One flat array instead of an array of typed arrays
// saves two dependent loads per event in the hot loop (measured: ~14 % of replay time).
// A full stack moves to the end of the arena with twice the room; the space it leaves is
// not reused, which at most doubles the arena (geometric growth) — the arena holds live
// allocations only, so its size does not depend on the trace length.

import { grown } from '../trace/sizeSlots';

const INITIAL_ROOM = 16;

export class SizeStacks {
  arena = new Int32Array(4096);
  base = new Int32Array(64);
  room = new Int32Array(64);
  private used = 0;

  /** Gives slot `slot` (the next new one) an empty stack. */
  addSlot(slot: number): void {
    this.base = grown(this.base, slot + 1);
    this.room = grown(this.room, slot + 1);
    this.base[slot] = this.reserve(INITIAL_ROOM);
    this.room[slot] = INITIAL_ROOM;
  }

  /** Doubles the room of a full stack holding `depth` entries. The arena may be replaced. */
  grow(slot: number, depth: number): void {
    const room = this.room[slot];
    const oldBase = this.base[slot];
    if (oldBase + room === this.used) {
      this.reserve(room); // last in the arena: extend in place
    } else {
      const newBase = this.reserve(2 * room);
      this.arena.copyWithin(newBase, oldBase, oldBase + depth);
      this.base[slot] = newBase;
    }
    this.room[slot] = 2 * room;
  }

  private reserve(length: number): number {
    const start = this.used;
    this.used += length;
    this.arena = grown(this.arena, this.used);
    return start;
  }
}
