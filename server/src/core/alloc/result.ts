// What a general-purpose allocator model reports for a trace: one plain JSON-serialisable object.
// Event indices are 0-based positions in the trace; a grow/shrink is one event.

export type AllocModelName = 'best-fit' | 'defrag' | 'defrag-compacting';

export interface AllocFailureKinds {
  /** Total free bytes < the block needed. */
  outOfMemory: number;
  /** Every allocation index is in use (defrag only). */
  outOfIndexes: number;
  /** Enough free bytes in total, but no free run large enough. */
  fragmented: number;
}

export interface AllocModelResult {
  model: AllocModelName;
  /** Size of the one region the model allocates from. */
  heapBytes: number;
  /** Bytes added to every allocated block (0 for best-fit, 8 for defrag). */
  overheadPerBlock: number;
  /** Allocation indexes (defrag), or null when unlimited. */
  indexes: number | null;
  events: number;
  failures: number;
  firstFailure: number | null;
  failureKinds: AllocFailureKinds;
  unmatchedFrees: number;
  firstUnmatchedFree: number | null;
  zeroSizeRequests: number;
  /** Peak of Σ block bytes (payload rounded to the word + overhead) over live blocks. */
  peakBytesInUse: number;
  peakAt: number | null;
  /** Largest free run when `peakBytesInUse` was first reached. */
  largestFreeRunAtPeak: number;
  freeBytesAtPeak: number;
  /** Most live blocks at once (= allocation indexes needed). */
  peakBlocks: number;
  /** Max over time of 1 − largest free run / free bytes (0 when nothing is free). */
  maxExternalFragmentation: number;
  /** Compactions run (defrag-compacting only) and the bytes they moved (blocks incl. overhead). */
  compactions: number;
  bytesMoved: number;
  /** External fragmentation over time: bucket k covers events [k·bucketWidth, (k+1)·bucketWidth), max per bucket. */
  series: { bucketWidth: number; buckets: number; externalFragmentation: number[] };
}
