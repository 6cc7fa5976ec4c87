// Reading a whole trace: format detection, incremental decoding, progress, cancellation.
//
// `TraceReader` is the incremental core (feed bytes as they come: file chunks or a live
// capture); `readTraceFile` streams a file through it in fixed-size chunks so memory does
// not depend on the trace length; `decodeTraceBytes` does the same for bytes in memory.
// Only node:fs is used, so this runs unchanged in a worker thread.

import type { TraceDecoder } from './decoder';
import { createDecoder, DETECT_SAMPLE_BYTES, detectFormat, type FormatDetection } from './detect';
import type { EventSink } from './events';
import { formatWarnings, type TraceFormat, type TraceProblem } from './formats';
import { openRegularFile } from '../regularFile';

export const DEFAULT_CHUNK_BYTES = 1 << 20;

/** A live capture's format is decided from this many bytes when they are conclusive. */
const EARLY_DETECT_BYTES = 256;

export interface TraceReadOptions {
  /** Skip detection and decode as this format. */
  format?: TraceFormat;
  /** Bytes per file read (default 1 MiB). */
  chunkBytes?: number;
  /** Called after each chunk with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Stops reading (between chunks) once aborted. */
  signal?: AbortSignal;
  /** Polled between chunks; returning true stops reading (e.g. a flag shared with a worker). */
  isCancelled?: () => boolean;
}

/** What reading produced, besides the events handed to the sink. */
export interface TraceReadSummary {
  format: TraceFormat | null;
  detection: FormatDetection;
  /** Plain sentences to show with any figure from this trace (e.g. the 0.14 size loss). */
  warnings: string[];
  /** Events decoded (a grow/shrink is one event). */
  events: number;
  bytesRead: number;
  totalBytes: number;
  /** The first corrupt data (decoding stopped there, events before it were kept), or null. */
  problem: TraceProblem | null;
  /** Reading stopped early because of the signal / isCancelled. */
  cancelled: boolean;
}

/**
 * Incremental reader: buffers the first bytes until the format can be detected (or takes
 * the format it is given), then decodes every fed chunk into the sink.
 */
export class TraceReader {
  private decoder: TraceDecoder | null = null;
  private detection: FormatDetection | null = null;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private bytesFed = 0;
  private finished = false;
  cancelled = false;

  /** `format`: decode as this format instead of detecting it. */
  constructor(
    private readonly sink: EventSink,
    format?: TraceFormat,
  ) {
    if (format) this.start({ format, confidence: 'high', reason: `The format was given: ${format}.` });
  }

  /** Feeds the next bytes. They are decoded before this returns (unless still detecting). */
  feed(chunk: Uint8Array): void {
    this.bytesFed += chunk.length;
    if (this.decoder) {
      this.decoder.push(chunk, this.sink);
      return;
    }
    if (this.detection) return; // unrecognised format: nothing can be decoded
    if (this.headBytes === 0 && chunk.length >= DETECT_SAMPLE_BYTES) {
      this.start(detectFormat(chunk))?.push(chunk, this.sink);
      return;
    }
    // Keep a copy: the caller may reuse its buffer before detection has enough bytes.
    // (Not chunk.slice(): on a Buffer that is a view, not a copy.)
    this.head.push(new Uint8Array(chunk));
    this.headBytes += chunk.length;
    // A live capture trickles in: decide early when a shorter sample is already conclusive.
    if (this.headBytes >= DETECT_SAMPLE_BYTES) this.detectAndReplayHead();
    else if (this.headBytes >= EARLY_DETECT_BYTES) this.detectAndReplayHead(true);
  }

  /** End of data. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    if (!this.decoder && !this.detection) this.detectAndReplayHead();
    this.decoder?.finish(this.sink);
  }

  /** True once decoding stopped at corrupt data: feeding more is pointless. */
  get stopped(): boolean {
    return (this.decoder?.problem ?? null) !== null || (this.detection !== null && this.decoder === null);
  }

  summary(totalBytes = this.bytesFed): TraceReadSummary {
    const detection = this.detection ?? { format: null, confidence: 'low', reason: 'Not enough data yet to detect the format.' };
    const format = this.decoder?.format ?? null;
    let problem = this.decoder?.problem ?? null;
    if (!this.decoder && this.detection && this.bytesFed > 0) {
      problem = { kind: 'unrecognised-format', message: detection.reason, byteOffset: 0, eventIndex: 0 };
    }
    return {
      format,
      detection,
      warnings: formatWarnings(format),
      events: this.decoder?.events ?? 0,
      bytesRead: this.bytesFed,
      totalBytes: Math.max(totalBytes, this.bytesFed),
      problem,
      cancelled: this.cancelled,
    };
  }

  /** Detects the format from the buffered head and decodes it; `onlyIfSure`: unless not conclusive yet. */
  private detectAndReplayHead(onlyIfSure = false): void {
    const sample = concatAll(this.head, this.headBytes);
    const detection = detectFormat(sample);
    if (onlyIfSure && detection.confidence !== 'high') {
      this.head = [sample];
      return;
    }
    this.head = [];
    this.headBytes = 0;
    this.start(detection)?.push(sample, this.sink);
  }

  /** Records the detection and creates the decoder (null when no format matched). */
  private start(detection: FormatDetection): TraceDecoder | null {
    this.detection = detection;
    this.decoder = detection.format ? createDecoder(detection.format) : null;
    return this.decoder;
  }
}

/**
 * Streams a trace file into `sink` in chunks of `chunkBytes` (default 1 MiB). The next
 * chunk is read while the current one is decoded, so I/O overlaps decoding. Corrupt data
 * never throws (see summary.problem); only I/O errors (missing file…) and paths that are not
 * regular files (NotARegularFileError) do.
 */
export async function readTraceFile(path: string, sink: EventSink, options: TraceReadOptions = {}): Promise<TraceReadSummary> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const reader = new TraceReader(sink, options.format);
  if (cancelled(options)) {
    reader.cancelled = true;
    return reader.summary();
  }
  const { file, size: totalBytes } = await openRegularFile(path);
  let inFlight: Promise<unknown> | null = null;
  try {
    const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
    // Never past the size at the start: a growing capture is read as it was then.
    const readChunk = (buffer: Buffer, at: number) => file.read(buffer, 0, Math.min(chunkBytes, totalBytes - at), at);
    let position = 0;
    let current = 0;
    let next = readChunk(buffers[current], position);
    inFlight = next;
    for (;;) {
      const { bytesRead } = await next;
      inFlight = null;
      if (bytesRead === 0) break;
      const data = buffers[current].subarray(0, bytesRead);
      position += bytesRead;
      current ^= 1;
      next = readChunk(buffers[current], position);
      inFlight = next;
      reader.feed(data);
      options.onProgress?.(position, totalBytes);
      if (reader.stopped) break;
      if (cancelled(options)) {
        reader.cancelled = true;
        break;
      }
    }
    if (!reader.cancelled) reader.end();
    return reader.summary(totalBytes);
  } finally {
    // Never close the file under a read that is still running.
    if (inFlight) await inFlight.catch(() => undefined);
    await file.close();
  }
}

/** Decodes a trace held in memory (tests, small files, a capture buffer). */
export function decodeTraceBytes(bytes: Uint8Array, sink: EventSink, options: TraceReadOptions = {}): TraceReadSummary {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const reader = new TraceReader(sink, options.format);
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    if (cancelled(options)) {
      reader.cancelled = true;
      break;
    }
    reader.feed(bytes.subarray(at, Math.min(bytes.length, at + chunkBytes)));
    options.onProgress?.(Math.min(bytes.length, at + chunkBytes), bytes.length);
    if (reader.stopped) break;
  }
  if (!reader.cancelled) reader.end();
  return reader.summary(bytes.length);
}

function cancelled(options: TraceReadOptions): boolean {
  return (options.signal?.aborted ?? false) || (options.isCancelled?.() ?? false);
}

function concatAll(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
