// Code lenses from the replayed trace: a summary above each heap (events, peak,
// failures), "Optimise layout", and, when the user prefers lenses to inlay hints, each
// pool's figures.
import type { CodeLens } from 'vscode-languageserver';
import { poolTraceLabel, replaySummary } from '../core/replay/describeReplay';
import { reportsByPool } from '../core/replay/traceFindings';
import { tableAnchor } from '../core/checks/util';
import { OPEN_HEAP_VIEW_COMMAND, OPTIMIZE_LAYOUT_COMMAND } from '../../../protocol/commands';
import { toRange } from './convert';
import type { Feature } from './feature';
import { plural } from '../../../shared/format';

/** Client command the summary lens runs (opens the heap view on that heap); a client without it just shows the text. */
export const SUMMARY_LENS_COMMAND = OPEN_HEAP_VIEW_COMMAND;

export const codeLensFeature: Feature = {
  capabilities: { codeLensProvider: { resolveProvider: false } },
  register({ connection, documents, analyses, traces, settings }) {
    connection.onCodeLens((params): CodeLens[] => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const analysis = analyses.get(document);
      if (!analysis.parse.ok) return [];
      const config = analysis.parse.config;
      const lenses: CodeLens[] = [];
      for (const heap of config.heaps) {
        const status = traces.heapStatus(document.uri, heap.name);
        const result = traces.resultFor(document.uri, heap);
        const anchor = toRange(config.lines, tableAnchor(heap.table));
        if (settings().traceSummaryLens && status && status.state !== 'no-trace') {
          const title = result && status.tracePath ? replaySummary(status.tracePath.split('/').pop()!, result) : status.message;
          lenses.push({ range: anchor, command: { title, command: SUMMARY_LENS_COMMAND, arguments: [document.uri, heap.name] } });
        }
        // One click to a layout that serves the trace (previewed before it is written).
        if (result) {
          const pools = heap.pools?.items.length ?? 8;
          const title = result.failures > 0 ? `$(wand) Optimise layout to serve the trace (${plural(pools, 'pool')})` : `$(wand) Optimise layout (${plural(pools, 'pool')})`;
          lenses.push({ range: anchor, command: { title, command: OPTIMIZE_LAYOUT_COMMAND, arguments: [document.uri, heap.name] } });
        }
        if (settings().traceFigures !== 'codeLens' || !result) continue;
        for (const [pool, report] of reportsByPool(heap, result) ?? []) {
          lenses.push({ range: toRange(config.lines, pool.span), command: { title: poolTraceLabel(report), command: '' } });
        }
      }
      return lenses;
    });
  },
};
