// A heap's replay result as the server sends it (droneHeap/replayResult), and the small
// types other messages share with it. Event indices are 0-based positions in the trace;
// a grow/shrink is one event.

/** One pool of a layout: `capacity` blocks of `block` bytes. */
export interface PoolSpec {
  block: number;
  capacity: number;
}

/** `xor-0.14` (drone-core 0.12–0.14), `stream` (newer Drone), `text` (this project's plain text). */
export type TraceFormatName = 'xor-0.14' | 'stream' | 'text';

export type TraceProblemKind =
  'unknown-frame' | 'out-of-sequence' | 'non-zero-padding' | 'too-many-open-frames' | 'truncated' | 'bad-line' | 'unrecognised-format';

/** Corrupt data where decoding stopped; every event before it was read. */
export interface TraceProblem {
  kind: TraceProblemKind;
  message: string;
  /** Where the offending record, word, frame sequence or line starts. */
  byteOffset: number;
  /** The index the offending event would have had. */
  eventIndex: number;
}

export interface PoolSizeCount {
  size: number;
  count: number;
}

export interface PoolReport {
  block: number;
  capacity: number;
  /** Most blocks in use at once (a realloc's two blocks included). */
  peak: number;
  /** Event index at which `peak` was first reached; null when the pool was never used. */
  peakAt: number | null;
  /** Blocks taken from this pool, including the new block of grow/shrink. */
  allocations: number;
  /** Blocks taken whose best-fitting pool has a smaller block (it was full). */
  overflowIn: number;
  /** Failed requests whose best-fitting pool is this one. */
  failures: number;
  /** Σ (block − requested size) over this pool's live blocks at the heap's peak. */
  fragmentationAtHeapPeak: number;
  /** capacity − peak. */
  neverUsed: number;
  /** Requested sizes that landed in this pool, ascending; only the most frequent. */
  sizes: PoolSizeCount[];
  /** Blocks taken for sizes left out of `sizes`. */
  sizesOmittedCount: number;
}

export interface DroneSizeStats {
  size: number;
  /** Peak number of simultaneously live allocations of this size. */
  maxLoad: number;
  allocations: number;
}

/** Drone's own per-size statistics, comparable with `drone heap`. */
export interface DroneStats {
  /** Ascending by size. */
  sizes: DroneSizeStats[];
  /** Σ size × maxLoad. */
  maximumHeapLoad: number;
  peakLiveBytes: number;
  peakLiveBytesAt: number | null;
  unmatchedFrees: number;
  firstUnmatchedFree: number | null;
  events: number;
}

export interface PoolSeries {
  block: number;
  /** Fewest and most blocks in use within each bucket. */
  min: number[];
  max: number[];
}

/** Blocks in use over time. Bucket k covers events [k·bucketWidth, (k+1)·bucketWidth). */
export interface ReplaySeries {
  bucketWidth: number;
  buckets: number;
  /** Same order as ReplayResult.pools. */
  pools: PoolSeries[];
  /** Event indices of the first failures. */
  failureIndices: number[];
  /** All failures, including those not listed. */
  failureCount: number;
}

export interface ReplayResult {
  format: TraceFormatName | null;
  warnings: string[];
  problem: TraceProblem | null;
  /** Reading was cancelled: the figures cover the events read until then. */
  cancelled: boolean;
  events: number;
  failures: number;
  firstFailure: number | null;
  /** Failures of requests larger than every block. */
  failuresTooLarge: number;
  /** Frees with no live allocation of that size: capture started late. */
  unmatchedFrees: number;
  firstUnmatchedFree: number | null;
  zeroSizeRequests: number;
  /** Σ block × capacity. */
  heapBytes: number;
  peakRequestedBytes: number;
  peakRequestedAt: number | null;
  /** The heap's peak: Σ block size over blocks in use. */
  peakReservedBytes: number;
  peakReservedAt: number | null;
  fragmentationAtHeapPeak: number;
  /** Ascending block order. */
  pools: PoolReport[];
  droneStats: DroneStats;
  series: ReplaySeries;
}
