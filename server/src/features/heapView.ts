// The heap view's data request (droneHeap/heapView): the heap under the cursor (or the one
// the panel shows), summarised with its latest replay by core/view, the optimiser's
// proposal for the current layout as `compare`, and the general-purpose allocator models on
// the heap's size as `allocators`. The proposal and the models are computed in the worker
// the first time the view shows a heap with a replayed trace; the view refreshes when they arrive.
// droneHeap/heapViewRange: a zoomed event range of the chart at its resolution (core/view/rangeSeries).
import { HeapViewRangeRequest, HeapViewRequest, type HeapViewParams } from '../../../protocol/lsp';
import type * as wire from '../../../protocol/heapView';
import { modelledHeapBytes } from '../core/alloc/compare';
import { poolSpecs } from '../core/config/droneConfig';
import type { OptimizeResult } from '../core/layout/optimize';
import type { PoolSpec } from '../core/replay/result';
import { pickHeap, summariseHeapView, type HeapCompare, type HeapViewData } from '../core/view/heapView';
import { rangeSeries } from '../core/view/rangeSeries';
import { openDocument, parsedDocument, type Feature } from './feature';
import { toWireHeapViewData, toWireRangeSeries } from './wire/heapView';
import { ramView } from '../core/firmware/describeBudget';
import { traceNameIn } from '../core/trace/traceName';
import { folderOf } from '../trace/traceFiles';
import { toWireDeviceHeapFigures } from './wire/device';

export const heapViewFeature: Feature = {
  capabilities: {},
  register(context) {
    const { connection, replays, proposals, models, firmware, settings, device } = context;
    connection.onRequest(HeapViewRequest, (params): wire.HeapViewData => {
      const view = heapViewOf(params);
      const config = view.heap ? parsedDocument(context, params.uri)?.config : undefined;
      const figures = config && view.heap ? toWireDeviceHeapFigures(device.readingOf(params.uri, config), view.heap.name) : null;
      return toWireHeapViewData(view, figures);
    });

    // A zoomed range of the chart, from the heap's latest replay (its per-event steps when kept).
    connection.onRequest(HeapViewRangeRequest, (params): wire.HeapViewRangeSeries | null => {
      const config = parsedDocument(context, params.uri)?.config;
      const heap = config ? pickHeap(config, params.heap, null) : undefined;
      if (!heap || heap.name !== params.heap) return null;
      const result = replays.resultFor(params.uri, heap);
      if (!result) return null;
      const series = rangeSeries(result, params.from, params.to, params.buckets);
      return series ? toWireRangeSeries(series) : null;
    });

    /** What core/view makes of the request; the answer is its wire copy. */
    function heapViewOf(params: HeapViewParams): HeapViewData {
      const open = openDocument(context, params.uri);
      if (!open) {
        return {
          uri: params.uri,
          state: 'no-document',
          heaps: [],
          heap: null,
          errors: [],
          trace: null,
          replay: null,
          series: null,
          histogram: null,
          compare: null,
          allocators: null,
          ram: null,
        };
      }
      const { document, analysis } = open;
      const parse = analysis.parse;
      const offset = params.position ? parse.lines.offsetAt(params.position) : null;
      const heap = parse.ok ? pickHeap(parse.config, params.heap, offset) : undefined;
      const { wordSize, defragIndexes } = settings();
      const result = heap ? replays.resultFor(document.uri, heap) : null;
      const tracePath = heap ? replays.heapStatus(document.uri, heap.name)?.tracePath : null;
      // The proposal and the models run on the trace once its replay of this layout is in.
      if (heap && result && tracePath) proposals.request(document.uri, heap, tracePath, wordSize);
      const proposal = heap ? proposals.proposalFor(document.uri, heap) : null;
      const heapBytes = heap ? modelledHeapBytes(heap) : 0;
      const modelled =
        heap && result && tracePath && heapBytes > 0 ? models.get(document.uri, heap.name, tracePath, heapBytes, defragIndexes) : null;
      // Where RAM goes, when the firmware is built (the main heap's strip shows it).
      const budget = parse.ok ? firmware.budgetOf(document.uri, parse.config) : null;
      const ram = budget ? ramView(budget.budget, traceNameIn(folderOf(document.uri), budget.state.path), budget.state.modified) : null;
      return summariseHeapView({
        uri: document.uri,
        parse,
        findings: analysis.findings,
        heap,
        status: heap ? replays.heapStatus(document.uri, heap.name) : null,
        result,
        buckets: params.buckets,
        compare: heap && proposal ? compareOf(proposal, poolSpecs(heap) ?? []) : null,
        allocators:
          heap && modelled
            ? {
                heapBytes,
                indexes: defragIndexes,
                proposal: { state: proposals.state(document.uri, heap), pools: proposal?.pools ?? null, after: proposal?.after ?? null },
                models: modelled,
              }
            : null,
        ram,
      });
    }
  },
};

/** Before/after figures of a proposal, as the compare view shows them. */
function compareOf(proposal: OptimizeResult, currentPools: PoolSpec[]): HeapCompare | null {
  const { before, after } = proposal;
  if (!before || !after || !(proposal.offered || proposal.unchanged)) return null;
  return {
    current: {
      pools: currentPools,
      size: before.heapBytes,
      failures: before.failures,
      peakReservedBytes: before.peakReservedBytes,
      fragmentation: before.fragmentationAtHeapPeak,
      requiredBytes: before.heapBytes,
    },
    proposed: {
      pools: proposal.pools,
      size: proposal.size,
      failures: after.failures,
      peakReservedBytes: after.peakReservedBytes,
      fragmentation: after.fragmentationAtHeapPeak,
      requiredBytes: proposal.requiredBytes,
    },
    unchanged: proposal.unchanged,
  };
}
