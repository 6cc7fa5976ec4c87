// The custom requests of the protocol (protocol/lsp.ts): import a trace
// for a heap, and hand out a heap's full replay result.
import { ResponseError } from 'vscode-languageserver';
import { ImportTraceRequest, ReplayResultRequest } from '../../../protocol/lsp';
import type { Feature } from './feature';
import { mapNullable } from './wire/nullable';
import { toWireReplayResult } from './wire/replay';
import { toWireHeapTraceStatus } from './wire/traceStatus';

export const traceRequestsFeature: Feature = {
  capabilities: {},
  register({ connection, documents, analyses, traces }) {
    connection.onRequest(ImportTraceRequest, (params) => {
      const status = traces.importTrace(params.uri, params.heap, params.tracePath);
      if (!status) throw new ResponseError(1, `${params.uri} is not open, or has no heap "${params.heap}"`);
      return toWireHeapTraceStatus(status);
    });
    connection.onRequest(ReplayResultRequest, (params) => {
      const document = documents.get(params.uri);
      const analysis = document ? analyses.get(document) : undefined;
      const heap = analysis?.parse.ok ? analysis.parse.config.heaps.find((h) => h.name === params.heap) : undefined;
      const result = document && heap ? traces.resultFor(document.uri, heap) : null;
      return { status: mapNullable(traces.heapStatus(params.uri, params.heap), toWireHeapTraceStatus), result: mapNullable(result, toWireReplayResult) };
    });
  },
};
