// Layout optimisation: propose a layout for a heap from its trace (in the worker, with
// work-done progress) and turn any layout into the minimal edit that writes it. The
// client previews the proposal and applies the edit as one undoable change; after that
// the normal replay refreshes the inline figures.
import { poolSpecs } from '../core/config/droneConfig';
import { applyLayout } from '../core/layout/applyLayout';
import type { OptimizeResult } from '../core/layout/optimize';
import { LayoutEditsRequest, OptimizeLayoutRequest, type OptimizeLayoutAnswer } from '../../../protocol/lsp';
import { plural } from '../../../common/format';
import { toTextEdit } from './convert';
import { requireHeap, type Feature } from './feature';
import { toWireOptimizeResult } from './wire/optimize';
import { stackBytesWithHeap } from '../core/firmware/ramBudget';

export const optimizeFeature: Feature = {
  capabilities: {},
  register(context) {
    const { connection } = context;
    connection.onRequest(OptimizeLayoutRequest, async (params): Promise<OptimizeLayoutAnswer> => {
      const { document, config, heap } = requireHeap(context, params.uri, params.heap);
      const version = document.version;
      const status = context.replays.heapStatus(params.uri, heap.name);
      // Not the trace of a heap in Restricted Mode whose trace lies outside the workspace.
      const tracePath = context.replays.readableTracePath(params.uri, heap.name);
      if (!status || !tracePath || status.state === 'no-trace')
        return { result: null, message: status?.message ?? 'No trace for this heap.', version };
      const current = poolSpecs(heap);
      const target = params.target ?? 'fit';
      if (target === 'fit' && heap.size?.bytes === undefined)
        return {
          result: null,
          message: `\`${heap.qualifiedName}.size\` is not a valid size, so there is nothing to fit: fix it, or ask for the smallest heap.`,
          version,
        };

      const progress = await connection.window.createWorkDoneProgress();
      progress.begin(`Optimising ${heap.qualifiedName}`, 0, 'reading the trace', false);
      try {
        const outcome = await context.proposals.search(
          params.uri,
          heap.name,
          {
            type: 'optimize',
            tracePath,
            options: {
              mode: params.mode ?? 'exact',
              pools: params.pools ?? current?.length ?? heap.pools?.items.length ?? 8,
              target,
              size: heap.size?.bytes,
              marginPercent: params.marginPercent,
              wordSize: context.settings().wordSize,
              current,
            },
          },
          (fraction, phase) => progress.report(Math.round(fraction * 100), phase ?? ''),
        );
        if (outcome.kind === 'superseded')
          return { result: null, message: 'A newer optimisation of this heap replaced this one.', version };
        if (outcome.kind === 'failed') return { result: null, message: `Could not optimise: ${outcome.message}`, version };
        if (current) context.proposals.record(params.uri, heap.name, current, outcome.result);
        // The stack's room before and after, when the firmware is built (the RAM budget).
        const budget = heap.isExtra ? null : context.firmware.budgetOf(params.uri, config);
        const before = budget?.budget.stackBytesAsWritten;
        const stack =
          budget && before != null ? ` Stack room ${before} → ${stackBytesWithHeap(budget.budget, outcome.result.size)} B.` : '';
        return {
          result: toWireOptimizeResult(outcome.result),
          message: describeOutcome(outcome.result) + (outcome.result.offered ? stack : ''),
          version,
        };
      } finally {
        progress.done();
      }
    });

    connection.onRequest(LayoutEditsRequest, (params) => {
      const { document, config, heap } = requireHeap(context, params.uri, params.heap);
      const size = params.size ?? params.pools.reduce((sum, p) => sum + p.block * p.capacity, 0);
      const edits = applyLayout(config, heap, { size, pools: params.pools });
      if (!edits.ok) return { edits: null, reason: edits.reason, version: document.version };
      return { edits: edits.edits.map((e) => toTextEdit(config.lines, e)), reason: null, version: document.version };
    });
  },
};

/** One sentence for the user about what the search found. */
export function describeOutcome(result: OptimizeResult): string {
  const how = result.mode === 'exact' ? 'exact mode' : "Drone's method";
  if (result.unchanged)
    return `The layout is already optimal for this trace: the search proposes these ${result.pools.length} pools and ${result.size} B (${how}). Nothing to change.`;
  if (!result.offered) {
    if (!result.fits)
      return `No layout with ${plural(result.poolsRequested, 'pool')} that serves the trace fits ${result.sizeLimit} B: it needs ${result.requiredBytes} B (${how}). Try the smallest heap instead, or more pools.`;
    return `The proposed layout did not serve the trace when replayed (${result.verified ? plural(result.verified.failures, 'failure') : 'failures unknown'}), so it is not offered.`;
  }
  const drone = result.drone ? ` Drone's method needs ${result.drone.requiredBytes} B.` : '';
  return `${plural(result.pools.length, 'pool')}, ${result.size} B; the trace needs ${result.requiredBytes} B (${how}).${drone} Replayed: ${plural(result.verified?.failures ?? 0, 'failure')}.`;
}
