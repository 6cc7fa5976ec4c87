// The custom requests of the shared protocol (server/src/protocol.ts): import a trace
// for a heap, and hand out a heap's full replay result.
import { ResponseError } from 'vscode-languageserver';
import { ImportTraceRequest, ReplayResultRequest } from '../protocol';
import type { Feature } from './feature';

export const traceRequestsFeature: Feature = {
  capabilities: {},
  register({ connection, documents, analyses, traces }) {
    connection.onRequest(ImportTraceRequest, (params) => {
      const status = traces.importTrace(params.uri, params.heap, params.tracePath);
      if (!status) throw new ResponseError(1, `${params.uri} is not open, or has no heap "${params.heap}"`);
      return status;
    });
    connection.onRequest(ReplayResultRequest, (params) => {
      const document = documents.get(params.uri);
      const analysis = document ? analyses.get(document) : undefined;
      const heap = analysis?.parse.ok ? analysis.parse.config.heaps.find((h) => h.name === params.heap) : undefined;
      return { status: traces.heapStatus(params.uri, params.heap), result: document && heap ? traces.resultFor(document.uri, heap) : null };
    });
  },
};
