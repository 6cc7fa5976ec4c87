// Document symbols (outline, breadcrumbs, Go to Symbol): memory regions, and heaps
// with their pools as children.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { describeBytes } from '../core/config/sizes';
import { toRange } from './convert';
import { parsedDocument, type Feature } from './feature';
import { plural } from '../../../common/format';

export const symbolsFeature: Feature = {
  capabilities: { documentSymbolProvider: { label: 'Drone heap' } },
  register(context) {
    const { connection } = context;
    connection.onDocumentSymbol((params): DocumentSymbol[] => {
      const config = parsedDocument(context, params.textDocument.uri)?.config;
      if (!config) return [];
      const lines = config.lines;
      const symbols: DocumentSymbol[] = [];
      for (const region of config.memory) {
        const bytes = region.size?.bytes;
        const range = toRange(lines, region.table.span);
        symbols.push({
          name: `memory.${region.name}`,
          detail: bytes !== undefined ? describeBytes(bytes) : undefined,
          kind: SymbolKind.Module,
          range,
          selectionRange: region.table.headerSpan ? toRange(lines, region.table.headerSpan) : range,
        });
      }
      for (const heap of config.heaps) {
        const range = toRange(lines, heap.table.span);
        const children: DocumentSymbol[] = (heap.pools?.items ?? []).map((pool) => {
          const block = pool.block?.bytes;
          const capacity = pool.capacity?.value;
          const poolRange = toRange(lines, pool.span);
          return {
            name: `pool ${pool.index + 1}: ${block ?? '?'} B × ${capacity ?? '?'}`,
            detail: block !== undefined && capacity !== undefined ? `${block * capacity} B` : undefined,
            kind: SymbolKind.Field,
            range: poolRange,
            selectionRange: poolRange,
          };
        });
        const size = heap.size?.bytes;
        symbols.push({
          name: heap.qualifiedName,
          detail: size !== undefined ? `${describeBytes(size)} · ${plural(children.length, 'pool')}` : plural(children.length, 'pool'),
          kind: SymbolKind.Struct,
          range,
          selectionRange: heap.table.headerSpan ? toRange(lines, heap.table.headerSpan) : range,
          children,
        });
      }
      return symbols.sort((a, b) => a.range.start.line - b.range.start.line);
    });
  },
};
