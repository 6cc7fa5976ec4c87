// Folding: every `[table]` section, and every array that spans lines (the pools).
// Tables are found line by line so folding keeps working while the file has a syntax error.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { TomlValue } from '../core/config/tomlTree';
import { openDocument, type Feature } from './feature';

export const foldingFeature: Feature = {
  capabilities: { foldingRangeProvider: true },
  register(context) {
    context.connection.onFoldingRanges((params): FoldingRange[] => {
      const analysis = openDocument(context, params.textDocument.uri)?.analysis;
      if (!analysis) return [];
      const ranges = tableSections(analysis.text);
      if (analysis.parse.ok) {
        const lines = analysis.parse.config.lines;
        const visit = (value: TomlValue): void => {
          if (value.kind === 'array') {
            const start = lines.positionAt(value.span.start).line;
            const end = lines.positionAt(value.span.end).line;
            // Keep the closing bracket visible, as editors do for code blocks.
            if (end - 1 > start) ranges.push({ startLine: start, endLine: end - 1, kind: FoldingRangeKind.Region });
            value.items.forEach(visit);
          } else if (value.kind === 'table') value.table.entries.forEach((e) => visit(e.value));
        };
        analysis.parse.config.root.entries.forEach((e) => visit(e.value));
      }
      return ranges;
    });
  },
};

function tableSections(text: string): FoldingRange[] {
  const lines = text.split(/\r?\n/);
  const ranges: FoldingRange[] = [];
  let open: number | undefined;
  let lastContent = -1;
  const close = () => {
    if (open !== undefined && lastContent > open) ranges.push({ startLine: open, endLine: lastContent });
  };
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (/^\[/.test(trimmed)) {
      close();
      open = i;
    }
    if (trimmed !== '') lastContent = i;
  });
  close();
  return ranges;
}
