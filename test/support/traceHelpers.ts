// Small helpers shared by the trace/replay tests: decode bytes to an event list, feed bytes
// in odd-sized pieces, compare partial objects.

import * as assert from 'node:assert/strict';
import { createDecoder } from '../../server/src/core/trace/detect';
import { EventCollector } from '../../server/src/core/trace/events';
import type { TraceFormat, TraceProblem } from '../../server/src/core/trace/formats';
import { decodeTraceBytes, type TraceReadOptions, type TraceReadSummary } from '../../server/src/core/trace/readTrace';
import { fromColumns, type Ev } from './traceGen';

/** Decodes in-memory bytes through the full reader (detection included). */
export function decodeAll(bytes: Uint8Array, options: TraceReadOptions = {}): { events: Ev[]; summary: TraceReadSummary } {
  const collector = new EventCollector();
  const summary = decodeTraceBytes(bytes, collector, options);
  return { events: fromColumns(collector), summary };
}

/** Decodes with one decoder, feeding pieces of the given sizes in turn (to cross every boundary). */
export function decodeInPieces(
  format: TraceFormat,
  bytes: Uint8Array,
  pieceSizes: number[],
): { events: Ev[]; problem: TraceProblem | null } {
  const decoder = createDecoder(format);
  const collector = new EventCollector();
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = pieceSizes[i % pieceSizes.length];
    decoder.push(bytes.subarray(at, at + size), collector);
    at += size;
  }
  decoder.finish(collector);
  return { events: fromColumns(collector), problem: decoder.problem };
}

/** Asserts that every field present in `expected` equals the one in `actual` (recursively; arrays element-wise). */
export function assertMatches(actual: unknown, expected: unknown, path = '$'): void {
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path}: expected an object/array, got ${JSON.stringify(actual)}`);
    if (Array.isArray(expected)) {
      assert.ok(Array.isArray(actual), `${path}: expected an array`);
      assert.equal((actual as unknown[]).length, expected.length, `${path}: length`);
    }
    for (const [key, value] of Object.entries(expected)) {
      assertMatches((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  assert.deepEqual(actual, expected, path);
}
