// The heap view's data request (droneHeap/heapView): the heap under the cursor (or the one
// the panel shows), summarised with its latest replay by core/view, the optimiser's
// proposal for the current layout as `compare`, and the general-purpose allocator models on
// the heap's size as `allocators`. The proposal and the models are computed in the worker
// the first time the view shows a heap with a replayed trace; the view refreshes when they arrive.
// droneHeap/heapViewRange: a zoomed event range of the chart at its resolution (core/view/rangeSeries).
import { HeapViewRangeRequest, HeapViewRequest, type HeapViewParams } from '../../../protocol/lsp';
import type * as wire from '../../../protocol/heapView';
import { modelledHeapBytes } from '../core/alloc/compare';
import { validPools } from '../core/config/droneConfig';
import type { OptimizeResult } from '../core/layout/optimize';
import type { PoolSpec } from '../core/replay/result';
import { pickHeap, summariseHeapView, type HeapCompare, type HeapViewData } from '../core/view/heapView';
import { rangeSeries } from '../core/view/rangeSeries';
import type { Feature } from './feature';
import { toWireHeapViewData, toWireRangeSeries } from './wire/heapView';

export const heapViewFeature: Feature = {
  capabilities: {},
  register({ connection, documents, analyses, traces, settings }) {
    connection.onRequest(HeapViewRequest, (params): wire.HeapViewData => toWireHeapViewData(heapViewOf(params)));

    // A zoomed range of the chart, from the heap's latest replay (its per-event steps when kept).
    connection.onRequest(HeapViewRangeRequest, (params): wire.HeapViewRangeSeries | null => {
      const document = documents.get(params.uri);
      const parse = document ? analyses.get(document).parse : undefined;
      const heap = parse?.ok ? pickHeap(parse.config, params.heap, null) : undefined;
      if (!document || !heap || heap.name !== params.heap) return null;
      const result = traces.resultFor(document.uri, heap);
      if (!result) return null;
      const series = rangeSeries(result, params.from, params.to, params.buckets);
      return series ? toWireRangeSeries(series) : null;
    });

    /** What core/view makes of the request; the answer is its wire copy. */
    function heapViewOf(params: HeapViewParams): HeapViewData {
      const document = documents.get(params.uri);
      if (!document) {
        return { uri: params.uri, state: 'no-document', heaps: [], heap: null, errors: [], trace: null, replay: null, series: null, histogram: null, compare: null, allocators: null };
      }
      const analysis = analyses.get(document);
      const parse = analysis.parse;
      const offset = params.position ? parse.lines.offsetAt(params.position) : null;
      const heap = parse.ok ? pickHeap(parse.config, params.heap, offset) : undefined;
      const { wordSize, defragIndexes } = settings();
      if (heap) traces.requestProposal(document.uri, heap, wordSize);
      const proposal = heap ? traces.proposalFor(document.uri, heap) : null;
      const heapBytes = heap ? modelledHeapBytes(heap) : 0;
      const models = heap && heapBytes > 0 ? traces.models(document.uri, heap, heapBytes, defragIndexes) : null;
      return summariseHeapView({
        uri: document.uri,
        parse,
        findings: analysis.findings,
        heap,
        status: heap ? traces.heapStatus(document.uri, heap.name) : null,
        result: heap ? traces.resultFor(document.uri, heap) : null,
        buckets: params.buckets,
        compare: heap && proposal ? compareOf(proposal, validPools(heap)?.map(({ block, capacity }) => ({ block, capacity })) ?? []) : null,
        allocators:
          heap && models
            ? {
                heapBytes,
                indexes: defragIndexes,
                proposal: { state: traces.proposalState(document.uri, heap), pools: proposal?.pools ?? null, after: proposal?.after ?? null },
                models,
              }
            : null,
      });
    }
  },
};

/** Before/after figures of a proposal, as the compare view shows them. */
function compareOf(proposal: OptimizeResult, currentPools: PoolSpec[]): HeapCompare | null {
  const { before, after } = proposal;
  if (!before || !after || !proposal.offered) return null;
  return {
    current: { pools: currentPools, size: before.heapBytes, failures: before.failures, peakReservedBytes: before.peakReservedBytes, fragmentation: before.fragmentationAtHeapPeak, requiredBytes: before.heapBytes },
    proposed: { pools: proposal.pools, size: proposal.size, failures: after.failures, peakReservedBytes: after.peakReservedBytes, fragmentation: after.fragmentationAtHeapPeak, requiredBytes: proposal.requiredBytes },
  };
}
