// Completion in heap tables: the keys a heap needs, a pool snippet inside `pools`, and
// the keys of a pool inside `{ }`. Keys already present are not offered again.
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { completionSite } from '../core/config/completionSite';
import { proposePool } from '../core/config/poolProposal';
import { formatSize } from '../core/config/sizes';
import { LineIndex } from '../core/config/span';
import { formatInteger } from '../../../common/format';
import { toRange } from './convert';
import type { Feature } from './feature';

const HEAP_KEYS: CompletionItem[] = [
  { label: 'size', detail: 'Heap size: a size string ("10K", "0x2800")', insertText: 'size = "${1:10K}"' },
  {
    label: 'pools',
    detail: 'Pools: block size and capacity of each',
    insertText: 'pools = [\n\t{ block = "${1:4}", capacity = ${2:128} },\n\t$0\n]',
  },
];
const ORIGIN_KEY: CompletionItem = { label: 'origin', detail: 'Start address of an extra heap', insertText: 'origin = 0x${1:20000000}' };
/**
 * A pool whose block is not in the heap yet (the next size up from the largest), one
 * block of it, and `size` raised by that block in the same edit so the sum still holds.
 */
function poolItem(text: string, offset: number, lines: LineIndex, wordSize: number): CompletionItem {
  const { block, capacity, size } = proposePool(text, offset, wordSize);
  const added = `${block} × ${capacity} = ${formatInteger(block * capacity)} B`;
  return {
    label: '{ block, capacity }',
    kind: CompletionItemKind.Snippet,
    detail: size
      ? `A pool of ${block} B blocks; size ${formatInteger(size.from)} → ${formatInteger(size.to)} B`
      : `A pool of ${block} B blocks`,
    documentation: {
      kind: MarkupKind.Markdown,
      value: size
        ? `Adds a pool of a block size the heap does not have yet (${added}) and raises \`size\` by the same bytes, so the pools still add up to it. Change the capacity and the size check offers to set \`size\` again.`
        : `Adds a pool of a block size the heap does not have yet (${added}). \`size\` is left as it is: the pools do not add up to it now either (or cannot be summed yet).`,
    },
    insertText: `{ block = "\${1:${formatSize(block)}}", capacity = \${2:${capacity}} },`,
    insertTextFormat: InsertTextFormat.Snippet,
    additionalTextEdits: size ? [{ range: toRange(lines, size.edit.span), newText: size.edit.newText }] : undefined,
  };
}
const POOL_KEYS: CompletionItem[] = [
  { label: 'block', detail: 'Block size: a size string', insertText: 'block = "${1:4}"' },
  { label: 'capacity', detail: 'Number of blocks: an integer', insertText: 'capacity = ${1:128}' },
];

const asKeys = (items: CompletionItem[], present: string[]): CompletionItem[] =>
  items
    .filter((i) => !present.includes(i.label))
    .map((i) => ({ ...i, kind: CompletionItemKind.Property, insertTextFormat: InsertTextFormat.Snippet }));

export const completionFeature: Feature = {
  capabilities: { completionProvider: { triggerCharacters: ['{', ','] } },
  register({ connection, documents, settings }) {
    connection.onCompletion((params): CompletionItem[] => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const site = completionSite(document.getText(), document.offsetAt(params.position));
      switch (site.kind) {
        case 'heap-key':
          return asKeys(site.isExtra ? [ORIGIN_KEY, ...HEAP_KEYS] : HEAP_KEYS, site.present);
        case 'pool-item':
          return [poolItem(document.getText(), document.offsetAt(params.position), new LineIndex(document.getText()), settings().wordSize)];
        case 'pool-key':
          return asKeys(POOL_KEYS, site.present);
        default:
          return [];
      }
    });
  },
};
