// Completion in heap tables: the keys a heap needs, a pool snippet inside `pools`, and
// the keys of a pool inside `{ }`. Keys already present are not offered again.
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { completionSite } from '../core/config/completionSite';
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
const POOL_ITEM: CompletionItem = {
  label: '{ block, capacity }',
  kind: CompletionItemKind.Snippet,
  detail: 'A pool: block size and number of blocks',
  insertText: '{ block = "${1:4}", capacity = ${2:128} },',
  insertTextFormat: InsertTextFormat.Snippet,
};
const POOL_KEYS: CompletionItem[] = [
  { label: 'block', detail: 'Block size: a size string', insertText: 'block = "${1:4}"' },
  { label: 'capacity', detail: 'Number of blocks: an integer', insertText: 'capacity = ${1:128}' },
];

const asKeys = (items: CompletionItem[], present: string[]): CompletionItem[] =>
  items.filter((i) => !present.includes(i.label)).map((i) => ({ ...i, kind: CompletionItemKind.Property, insertTextFormat: InsertTextFormat.Snippet }));

export const completionFeature: Feature = {
  capabilities: { completionProvider: { triggerCharacters: ['{', ','] } },
  register({ connection, documents }) {
    connection.onCompletion((params): CompletionItem[] => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const site = completionSite(document.getText(), document.offsetAt(params.position));
      switch (site.kind) {
        case 'heap-key':
          return asKeys(site.isExtra ? [ORIGIN_KEY, ...HEAP_KEYS] : HEAP_KEYS, site.present);
        case 'pool-item':
          return [POOL_ITEM];
        case 'pool-key':
          return asKeys(POOL_KEYS, site.present);
        default:
          return [];
      }
    });
  },
};
