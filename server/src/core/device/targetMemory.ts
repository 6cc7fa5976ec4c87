// The target's memory as far as it has been read: pieces of it at their addresses, from a dump
// file (one piece) or from a paused debug session (the pieces the decoder asked for).
import { formatAddress } from '../../../../common/format';

export interface MemoryPiece {
  address: number;
  bytes: Uint8Array;
}

/** An address range the decoder needs; `end` is exclusive. */
export interface MemoryRange {
  address: number;
  length: number;
}

export class TargetMemory {
  private readonly pieces: MemoryPiece[];

  constructor(pieces: readonly MemoryPiece[]) {
    this.pieces = [...pieces].sort((a, b) => a.address - b.address);
  }

  /** The `length` bytes at `address`, or undefined when no one piece holds all of them. */
  read(address: number, length: number): Uint8Array | undefined {
    for (const piece of this.pieces) {
      const offset = address - piece.address;
      if (offset >= 0 && offset + length <= piece.bytes.length) return piece.bytes.subarray(offset, offset + length);
    }
    return undefined;
  }

  /** The 32-bit little-endian word at `address`, or undefined when it has not been read. */
  word(address: number): number | undefined {
    const bytes = this.read(address, 4);
    return bytes ? bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | ((bytes[3] << 24) >>> 0) : undefined;
  }

  /** What has been read, as "0x20000000–0x20010000" phrases. */
  describe(): string {
    if (this.pieces.length === 0) return 'nothing';
    return this.pieces.map((p) => `${formatAddress(p.address)}–${formatAddress(p.address + p.bytes.length)}`).join(', ');
  }

  get pieceList(): readonly MemoryPiece[] {
    return this.pieces;
  }
}

/** Merges ranges that touch or overlap, so a debug adapter is asked once per stretch. */
export function mergeRanges(ranges: readonly MemoryRange[]): MemoryRange[] {
  const sorted = ranges.filter((r) => r.length > 0).sort((a, b) => a.address - b.address);
  const merged: MemoryRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.address <= last.address + last.length) {
      last.length = Math.max(last.length, range.address + range.length - last.address);
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}
