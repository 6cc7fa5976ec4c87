// Code lenses from the replayed trace: a summary above each heap (events, peak,
// failures), "Optimise layout", and, when the user prefers lenses to inlay hints, each
// pool's figures.
import type { CodeLens } from 'vscode-languageserver';
import { poolTraceLabel, replaySummary } from '../core/replay/describeReplay';
import { reportsByPool } from '../core/replay/traceFindings';
import { tableAnchor } from '../core/checks/util';
import { traceFileName } from '../core/trace/traceName';
import { findMemory } from '../core/config/droneConfig';
import { ramLensTitle } from '../core/firmware/describeBudget';
import { OPEN_HEAP_VIEW_COMMAND, OPTIMIZE_LAYOUT_COMMAND } from '../../../protocol/commands';
import { toRange } from './convert';
import { parsedDocument, type Feature } from './feature';
import { plural } from '../../../common/format';

/** Client command the summary lens runs (opens the heap view on that heap); a client without it just shows the text. */
export const SUMMARY_LENS_COMMAND = OPEN_HEAP_VIEW_COMMAND;

export const codeLensFeature: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: false } },
  register(context) {
    const { connection, replays, proposals, settings } = context;
    connection.onCodeLens((params): CodeLens[] => {
      const open = parsedDocument(context, params.textDocument.uri);
      if (!open) return [];
      const { document, config } = open;
      const lenses: CodeLens[] = [];
      // Where the RAM goes, above [memory.ram], once a firmware is built.
      const ram = findMemory(config, 'ram');
      const budget = ram ? context.firmware.budgetOf(document.uri, config) : null;
      if (ram && budget)
        lenses.push({ range: toRange(config.lines, tableAnchor(ram.table)), command: { title: ramLensTitle(budget.budget), command: '' } });
      for (const heap of config.heaps) {
        const status = replays.heapStatus(document.uri, heap.name);
        // While an edited layout replays, the previous figures stay (marked in hovers), so lenses do not jump.
        const figures = replays.figuresFor(document.uri, heap);
        const result = figures?.result;
        const anchor = toRange(config.lines, tableAnchor(heap.table));
        // The action first, then the summary: a narrow editor cuts lenses at the end of the line.
        // One click to a layout that serves the trace (previewed before it is written).
        if (result) {
          const pools = heap.pools?.items.length ?? 8;
          if (result.failures === 0 && proposals.isOptimal(document.uri, heap)) {
            // Nothing to offer: running the search again would propose this very layout.
            lenses.push({
              range: anchor,
              command: { title: `$(check) Layout optimal for this trace (${plural(pools, 'pool')})`, command: '' },
            });
          } else {
            const title =
              result.failures > 0
                ? `$(wand) Optimise layout to serve the trace (${plural(pools, 'pool')})`
                : `$(wand) Optimise layout (${plural(pools, 'pool')})`;
            lenses.push({ range: anchor, command: { title, command: OPTIMIZE_LAYOUT_COMMAND, arguments: [document.uri, heap.name] } });
          }
        }
        if (settings().traceSummaryLens && status && status.state !== 'no-trace') {
          const title = result && status.tracePath ? replaySummary(traceFileName(status.tracePath), result) : status.message;
          lenses.push({ range: anchor, command: { title, command: SUMMARY_LENS_COMMAND, arguments: [document.uri, heap.name] } });
        }
        if (settings().traceFigures !== 'codeLens' || !figures) continue;
        for (const [pool, report] of reportsByPool(heap, figures.result, figures.current ? 'exact' : 'same-blocks') ?? []) {
          lenses.push({ range: toRange(config.lines, pool.span), command: { title: poolTraceLabel(report), command: '' } });
        }
      }
      return lenses;
    });
  },
};
