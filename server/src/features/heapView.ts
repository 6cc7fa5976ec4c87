// The heap view's data request (droneHeap/heapView): the heap under the cursor (or the one
// the panel shows), summarised with its latest replay by core/view. The optimiser's
// before/after figures go in `compare` once it is wired (null until then).
import { HeapViewRequest } from '../protocol';
import { pickHeap, summariseHeapView, type HeapViewData } from '../core/view/heapView';
import type { Feature } from './feature';

export const heapViewFeature: Feature = {
  capabilities: {},
  register({ connection, documents, analyses, traces }) {
    connection.onRequest(HeapViewRequest, (params): HeapViewData => {
      const document = documents.get(params.uri);
      if (!document) {
        return { uri: params.uri, state: 'no-document', heaps: [], heap: null, errors: [], trace: null, replay: null, series: null, histogram: null, compare: null };
      }
      const analysis = analyses.get(document);
      const parse = analysis.parse;
      const offset = params.position ? parse.lines.offsetAt(params.position) : null;
      const heap = parse.ok ? pickHeap(parse.config, params.heap, offset) : undefined;
      return summariseHeapView({
        uri: document.uri,
        parse,
        findings: analysis.findings,
        heap,
        status: heap ? traces.heapStatus(document.uri, heap.name) : null,
        result: heap ? traces.resultFor(document.uri, heap) : null,
        buckets: params.buckets,
        compare: null,
      });
    });
  },
};
