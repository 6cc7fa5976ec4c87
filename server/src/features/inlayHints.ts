// Inlay hints after each pool: what it costs in bytes and its share of the heap, and,
// once a trace is replayed, its peak use (`peak 812/896 · 90.6%`, with failures and
// overflow marked) unless the user wants those figures as code lenses.
import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import { describeRange, poolFigures } from '../core/config/describe';
import { overlaps } from '../core/config/span';
import { poolTraceLabel } from '../core/replay/describeReplay';
import { reportsByPool } from '../core/replay/traceFindings';
import { toSpan } from './convert';
import { parsedDocument, type Feature } from './feature';

export const inlayHintsFeature: Feature = {
  capabilities: { inlayHintProvider: true },
  register(context) {
    const { connection, replays, settings } = context;
    connection.languages.inlayHint.on((params): InlayHint[] => {
      const open = parsedDocument(context, params.textDocument.uri);
      if (!open) return [];
      const { document, config } = open;
      const visible = toSpan(config.lines, params.range);
      const hints: InlayHint[] = [];
      for (const heap of config.heaps) {
        const figures = settings().traceFigures === 'inlayHints' ? replays.figuresFor(document.uri, heap) : null;
        const reports = figures ? reportsByPool(heap, figures.result, figures.current ? 'exact' : 'same-blocks') : undefined;
        const tooltip = figures?.current === false ? 'Of the previous layout: the new one is being replayed.' : 'From the replayed heap trace; hover the pool for all figures.';
        for (const pool of heap.pools?.items ?? []) {
          if (!overlaps(pool.span, visible) && pool.span.end !== visible.start) continue;
          const figures = poolFigures(config, heap, pool);
          if (!figures) continue;
          hints.push({
            position: config.lines.positionAt(pool.span.end),
            label: `${figures.bytes} B${figures.share ? ` · ${figures.share}` : ''}`,
            kind: InlayHintKind.Type,
            paddingLeft: true,
            tooltip: figures.address ? `${figures.block} × ${figures.capacity} B at ${describeRange(figures.address)}` : `${figures.block} × ${figures.capacity} B`,
          });
          const report = reports?.get(pool);
          if (report) {
            hints.push({ position: config.lines.positionAt(pool.span.end), label: poolTraceLabel(report), paddingLeft: true, tooltip });
          }
        }
      }
      return hints;
    });
  },
};
