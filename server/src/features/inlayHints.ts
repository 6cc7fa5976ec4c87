// Inlay hints after each pool: what it costs in bytes and its share of the heap, and,
// once a trace is replayed, its peak use (`peak 812/896 · 90.6%`, with failures and
// overflow marked) unless the user wants those figures as code lenses; and, once memory was
// read from the device, its figures (`device: peak 37/118 · now 12`).
import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import { describeRange, poolFigures } from '../core/config/describe';
import { overlaps } from '../core/config/span';
import { poolTraceLabel } from '../core/replay/describeReplay';
import { reportsByPool } from '../core/replay/traceFindings';
import { devicePoolLabel } from '../core/device/describeDevice';
import { devicePoolsOf } from './deviceFigures';
import { toSpan } from './convert';
import { parsedDocument, type Feature } from './feature';

export const inlayHintsFeature: Feature = {
  capabilities: { inlayHintProvider: true },
  register(context) {
    const { connection, replays, settings, device } = context;
    connection.languages.inlayHint.on((params): InlayHint[] => {
      const open = parsedDocument(context, params.textDocument.uri);
      if (!open) return [];
      const { document, config, analysis } = open;
      const visible = toSpan(config.lines, params.range);
      const hints: InlayHint[] = [];
      const deviceReading = settings().deviceFigures ? device.readingOf(document.uri, config) : null;
      for (const heap of config.heaps) {
        const devicePools = devicePoolsOf(deviceReading, heap);
        const trace = settings().traceFigures === 'inlayHints' ? replays.figuresFor(document.uri, heap) : null;
        const reports = trace ? reportsByPool(heap, trace.result, trace.current ? 'exact' : 'same-blocks') : undefined;
        const tooltip =
          trace?.current === false
            ? 'Of the previous layout: the new one is being replayed.'
            : 'From the replayed heap trace; hover the pool for all figures.';
        for (const pool of heap.pools?.items ?? []) {
          if (!overlaps(pool.span, visible) && pool.span.end !== visible.start) continue;
          const figures = poolFigures(config, heap, pool);
          if (!figures) continue;
          const position = config.lines.positionAt(afterComma(analysis.text, pool.span.end));
          hints.push({
            position,
            label: `${figures.bytes} B${figures.share ? ` · ${figures.share}` : ''}`,
            kind: InlayHintKind.Type,
            paddingLeft: true,
            tooltip: figures.address
              ? `${figures.block} × ${figures.capacity} B at ${describeRange(figures.address)}`
              : `${figures.block} × ${figures.capacity} B`,
          });
          const report = reports?.get(pool);
          if (report) {
            hints.push({ position, label: poolTraceLabel(report), paddingLeft: true, tooltip });
          }
          const onDevice = devicePools?.find((p) => p.block === pool.block?.bytes);
          if (onDevice && deviceReading) {
            hints.push({
              position,
              label: devicePoolLabel(onDevice),
              paddingLeft: true,
              tooltip: `From ${deviceReading.sourceName}: the most blocks in use at once since reset, and in use now. Hover the pool for more.`,
            });
          }
        }
      }
      return hints;
    });
  },
};

/** After the comma that ends a pool (`{ … },`), if one follows: a hint before it would leave the comma stranded after the hint. */
function afterComma(text: string, offset: number): number {
  let at = offset;
  while (text[at] === ' ' || text[at] === '\t') at++;
  return text[at] === ',' ? at + 1 : offset;
}
