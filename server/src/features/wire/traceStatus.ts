// The trace manager's heap states → the protocol's. Field by field, so that a change on
// either side is a compile error here rather than a silent change of the message.
import type * as wire from '../../../../protocol/traceStatus';
import type { DocumentTraceStatus, HeapTraceStatus } from '../../trace/heapStatus';

export function toWireHeapTraceStatus(status: HeapTraceStatus): wire.HeapTraceStatus {
  return {
    heap: status.heap,
    qualifiedName: status.qualifiedName,
    tracePath: status.tracePath,
    state: status.state,
    progress: status.progress,
    events: status.events,
    failures: status.failures,
    format: status.format,
    message: status.message,
  };
}

export function toWireTraceStatusParams(status: DocumentTraceStatus): wire.TraceStatusParams {
  return { uri: status.uri, heaps: status.heaps.map(toWireHeapTraceStatus) };
}
