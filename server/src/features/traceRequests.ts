// The custom requests of the protocol (protocol/lsp.ts): import a trace
// for a heap, and hand out a heap's full replay result.
import { ResponseError } from 'vscode-languageserver';
import { DroneHeapErrorCodes, ImportTraceRequest, ReplayResultRequest } from '../../../protocol/lsp';
import { parsedDocument, requireHeap, type Feature } from './feature';
import { mapNullable } from './wire/nullable';
import { toWireReplayResult } from './wire/replay';
import { toWireHeapTraceStatus } from './wire/traceStatus';

export const traceRequestsFeature: Feature = {
  capabilities: {},
  register(context) {
    const { connection, replays } = context;
    connection.onRequest(ImportTraceRequest, (params) => {
      requireHeap(context, params.uri, params.heap);
      const status = replays.importTrace(params.uri, params.heap, params.tracePath);
      if (!status) throw new ResponseError(DroneHeapErrorCodes.NoSuchHeap, `Drone.toml has no heap "${params.heap}"`);
      return toWireHeapTraceStatus(status);
    });
    connection.onRequest(ReplayResultRequest, (params) => {
      const heap = parsedDocument(context, params.uri)?.config.heaps.find((h) => h.name === params.heap);
      const result = heap ? replays.resultFor(params.uri, heap) : null;
      return {
        status: mapNullable(replays.heapStatus(params.uri, params.heap), toWireHeapTraceStatus),
        result: mapNullable(result, toWireReplayResult),
      };
    });
  },
};
