// What each heap's trace state says to the user: the sentence of the status bar's tooltip,
// the heap view and the "Import Trace…" answer. Kept apart from the bookkeeping so that
// the wording can be read (and changed) in one place.
import type { HeapConfig } from '../core/config/droneConfig';
import type { ReplayResult } from '../core/replay/result';
import { FORMAT_DESCRIPTIONS } from '../core/trace/formats';
import type { HeapTraceStatus } from './heapStatus';
import type { TraceChoice } from './traceFiles';
import { plural } from '../../../common/format';

/** No trace file (yet): where it was looked for (and which imported trace is gone) and how to get one. */
export function noTraceStatus(heap: HeapConfig, tracePath: string | null, missingImport: string | null): HeapTraceStatus {
  const gone = missingImport ? `The imported trace ${missingImport} is gone. ` : '';
  return {
    heap: heap.name,
    qualifiedName: heap.qualifiedName,
    tracePath,
    state: 'no-trace',
    progress: 0,
    events: null,
    failures: null,
    format: null,
    message:
      gone +
      (tracePath
        ? `No trace at ${tracePath}. Capture one with \`just heaptrace\` (flash with \`just features=heaptrace flash\` first), or run "Drone Heap: Import Trace…".`
        : `No trace for \`${heap.qualifiedName}\`: map it in the setting droneHeap.traces, or run "Drone Heap: Import Trace…".`),
  };
}

export function layoutInvalidMessage(heap: HeapConfig, traceName: string): string {
  return `Fix the pools of \`${heap.qualifiedName}\` to replay ${traceName} through them.`;
}

export function replayingMessage(traceName: string, poolCount: number): string {
  return `Replaying ${traceName} through ${poolCount} pools…`;
}

export function replayFailedMessage(reason: string): string {
  return `Could not replay the trace: ${reason}`;
}

/** Restricted Mode: which trace is not read, where the path came from, and the two ways to read it. */
export function restrictedMessage(choice: TraceChoice, realPath: string): string {
  const from = choice.origin === 'setting' ? ' (setting droneHeap.traces)' : '';
  const leads = realPath !== choice.path ? ` (really ${realPath})` : '';
  return (
    `Restricted Mode: not reading ${choice.written}${from}${leads}, which is outside the workspace folder. ` +
    `Trust the workspace to read it, or pick the file with "Drone Heap: Import Trace…".`
  );
}

/** A finished replay: the trace's format, its events, failures and what was wrong with the data. */
export function replayedStatus(
  traceName: string,
  result: ReplayResult,
  missingImport: string | null,
): Pick<HeapTraceStatus, 'state' | 'progress' | 'events' | 'failures' | 'format' | 'message'> {
  const format = result.format ? FORMAT_DESCRIPTIONS[result.format] : 'unknown format';
  const failures = result.failures === 0 ? 'no failures' : `${plural(result.failures, 'failure')} (first at event ${result.firstFailure})`;
  const notes = [
    result.problem ? `corrupt data at byte ${result.problem.byteOffset}` : '',
    result.unmatchedFrees ? `${result.unmatchedFrees} unmatched frees` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    state: 'done',
    progress: 1,
    events: result.events,
    failures: result.failures,
    format: result.format,
    message:
      (missingImport ? `The imported trace ${missingImport} is gone; using ${traceName} until it is back. ` : '') +
      `${traceName}: ${format}, ${result.events} events, ${failures}${notes ? `; ${notes}` : ''}.`,
  };
}
