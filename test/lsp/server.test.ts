// The bundled server (dist/server.js) spawned over stdio and driven by JSON-RPC, as any
// LSP client would. Covers every feature the server registers.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type {
  CodeAction,
  CompletionItem,
  DocumentSymbol,
  FoldingRange,
  Hover,
  InitializeResult,
  InlayHint,
  MarkupContent,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { fixAll } from '../../server/src/core/checks/index';
import { applyEdits, LineIndex } from '../../server/src/core/config/span';
import { TestLspClient } from '../support/lspClient';
import { corpusFiles, FIXTURES } from '../support/paths';

const fixture = (name: string) => readFileSync(join(FIXTURES, 'config', name), 'utf8');
const uriOf = (name: string) => `file:///project/${name}/Drone.toml`;

function applyLspEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  return applyEdits(
    text,
    edits.map((e) => ({ span: { start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end) }, newText: e.newText })),
  );
}

/** Position of the first occurrence of `needle` (plus `delta` characters) in `text`. */
function positionOf(text: string, needle: string, delta = 0) {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in text`);
  return new LineIndex(text).positionAt(offset + delta);
}

describe('language server over stdio', function () {
  let client: TestLspClient;
  let init: InitializeResult;

  before(async () => {
    ({ client, init } = await TestLspClient.start());
  });
  after(async () => {
    await client.stop();
    assert.equal(client.stderr, '', 'the server wrote to stderr');
  });

  it('announces every feature it registers', () => {
    const c = init.capabilities;
    assert.ok(
      c.hoverProvider &&
        c.codeActionProvider &&
        c.inlayHintProvider &&
        c.documentSymbolProvider &&
        c.foldingRangeProvider &&
        c.completionProvider,
    );
    assert.equal(init.serverInfo?.name, 'drone-heap');
  });

  for (const file of corpusFiles()) {
    it(`publishes no diagnostics for ${basename(file)}`, async () => {
      const diagnostics = await client.open(`file:///corpus/${basename(file)}/Drone.toml`, readFileSync(file, 'utf8'));
      assert.deepEqual(diagnostics, []);
    });
  }

  it('reports a wrong pool sum on the size value, and the quick fix changes only that value', async () => {
    const text = fixture('sum-over.toml');
    const uri = uriOf('sum-over');
    const diagnostics = await client.open(uri, text);
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d.code, 'pool-sum-mismatch');
    assert.equal(d.source, 'drone-heap');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: positionOf(text, '"10K"'), end: positionOf(text, '"10K"', 5) });
    assert.match(d.message as string, /10752 bytes.*10240 bytes.*512 bytes more/);

    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, [
      'Set size to "10752"',
      'Set capacity of pool 2 (block 8 B) to 84 (-64)',
      'Set capacity of pool 8 (block 512 B) to 1 (-1)',
      'Fix all Drone heap problems',
    ]);
    const setSize = actions[0];
    assert.equal(setSize.kind, 'quickfix');
    assert.equal(setSize.isPreferred, true);
    const fixed = applyLspEdits(text, setSize.edit!.changes![uri]);
    assert.equal(fixed, text.replace('size = "10K"', 'size = "10752"'));

    const absorb = applyLspEdits(text, actions[2].edit!.changes![uri]);
    assert.equal(absorb, text.replace('{ block = "512", capacity = 2 }', '{ block = "512", capacity = 1 }'));
    assert.deepEqual(await client.change(uri, absorb), [], 'the absorbed difference leaves no diagnostic');
  });

  it('reports one precise syntax error while typing, and recovers', async () => {
    const good = fixture('sum-under.toml').replace('capacity = 110', 'capacity = 118');
    const uri = uriOf('typing');
    assert.deepEqual(await client.open(uri, good), []);
    const typing = good.replace('size = "10K"', 'size = "10');
    const diagnostics = await client.change(uri, typing);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, 'toml-syntax');
    assert.deepEqual(diagnostics[0].range, { start: positionOf(typing, '"10\n'), end: positionOf(typing, '"10\n', 3) });
    assert.deepEqual(await client.change(uri, good), []);
  });

  it('hovers a pool with its bytes, share and address, and a size string with its value', async () => {
    const text = readFileSync(
      corpusFiles().find((f) => f.includes('bluepill'))!,
      'utf8',
    );
    const uri = uriOf('hover');
    await client.open(uri, text);
    const pool = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, '{ block = "336"', 2),
    });
    const poolText = (pool.contents as MarkupContent).value;
    assert.match(poolText, /Pool 7 of heap\.main/);
    assert.match(poolText, /336 × 3 = 1008 B · 9\.8% of the heap/);
    // Main heap at the end of 20K RAM at 0x20000000: starts at 0x20002800; pools before
    // the 336 B one take 4×118+8×148+20×82+56×34+116×16+208×8 = 8720 B = 0x2210.
    assert.match(poolText, /Address 0x20004A10\.\.0x20004E00/);

    const size = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'size = "10K"', 9),
    });
    const sizeText = (size.contents as MarkupContent).value;
    assert.match(sizeText, /`"10K"` = 10 KiB \(10240 B\)/);
    assert.match(sizeText, /8 pools, Σ block × capacity = 10240 B \(matches `size`\)/);
    assert.match(sizeText, /50\.0% of memory\.ram/);
    assert.match(sizeText, /Address 0x20002800\.\.0x20005000/);
  });

  it('hovers an address once per form: as written, then decimal or hex only when it is not written so', async () => {
    const uri = uriOf('hover-origin');
    const text =
      '[memory.flash]\nsize = "128K"\norigin = 0\n\n[memory.ram]\nsize = "20K"\norigin = 0x2000_0000\n\n[heap.main]\nsize = "1K"\npools = [{ block = "4", capacity = 256 }]\n\n[heap.dma]\nsize = "1K"\norigin = 536874496\npools = [{ block = "4", capacity = 256 }]\n';
    await client.open(uri, text);
    const hover = async (needle: string) =>
      (
        (
          await client.request<Hover>('textDocument/hover', {
            textDocument: { uri },
            position: positionOf(text, needle, needle.length - 1),
          })
        ).contents as MarkupContent
      ).value;
    assert.equal(await hover('origin = 0x2000_0000'), '**memory.ram.origin**\n\n`0x20000000` = 536870912');
    assert.equal(await hover('origin = 0\n'.trim()), '**memory.flash.origin**\n\n`0` = 0x00000000');
    assert.match(await hover('origin = 536874496'), /^`536874496` = 0x20000E00\n\n\*\*heap\.dma\*\*/);
  });

  it('hovers a [memory.NAME] header: origin, size, end, and the heaps in it', async () => {
    const text = readFileSync(
      corpusFiles().find((f) => f.includes('bluepill'))!,
      'utf8',
    );
    const uri = uriOf('hover-memory');
    await client.open(uri, text);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, '[memory.ram]', 3),
    });
    assert.deepEqual(hover.range, { start: positionOf(text, 'memory.ram]'), end: positionOf(text, 'memory.ram]', 'memory.ram'.length) });
    assert.equal(
      (hover.contents as MarkupContent).value,
      [
        '**memory.ram** · 20 KiB (20480 B)',
        'Address 0x20000000..0x20005000 (end exclusive)',
        'Used by 1 heap:\n- heap.main: 0x20002800..0x20005000 (end exclusive), 10 KiB (10240 B) · 50.0%, at the end of the region',
        '10 KiB (10240 B) not taken by a heap (the stack and static data live there).',
        // /project/hover-memory has no Cargo.toml: the hover says how to get the RAM budget.
        '_No RAM budget: no [package] name in a Cargo.toml beside Drone.toml. Build the firmware (`just build`) to see what the heap leaves for the stack._',
      ].join('\n\n'),
    );
    const flash = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, '[memory.flash]', 3),
    });
    assert.equal(
      (flash.contents as MarkupContent).value,
      '**memory.flash** · 128 KiB (131072 B)\n\nAddress 0x08000000..0x08020000 (end exclusive)\n\nNo heap lies in this region.',
    );
  });

  it('writes percentages one way: an empty pool is 0.0%, a small one two decimals', async () => {
    const uri = uriOf('percent');
    const text =
      '[heap.main]\nsize = "1028"\npools = [\n    { block = "4", capacity = 1 },\n    { block = "8", capacity = 0 },\n    { block = "1024", capacity = 1 },\n]\n';
    await client.open(uri, text);
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: new LineIndex(text).positionAt(text.length) },
    });
    assert.deepEqual(
      hints.map((h) => h.label),
      ['4 B · 0.39%', '0 B · 0.0%', '1024 B · 99.6%'],
    );
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols[0].detail, '1028 B · 3 pools');
  });

  it('gives an inlay hint per pool with its bytes and share', async () => {
    const text = readFileSync(
      corpusFiles().find((f) => f.includes('bluepill'))!,
      'utf8',
    );
    const uri = uriOf('hints');
    await client.open(uri, text);
    const lines = new LineIndex(text);
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: lines.positionAt(text.length) },
    });
    assert.deepEqual(
      hints.map((h) => h.label),
      [
        '472 B · 4.6%',
        '1184 B · 11.6%',
        '1640 B · 16.0%',
        '1904 B · 18.6%',
        '1856 B · 18.1%',
        '1664 B · 16.3%',
        '1008 B · 9.8%',
        '512 B · 5.0%',
      ],
    );
    // After the pool's comma: a hint between `}` and `,` would leave the comma after it.
    assert.deepEqual(hints[0].position, positionOf(text, '{ block = "4", capacity = 118 },', '{ block = "4", capacity = 118 },'.length));
  });

  it('lists memory regions and heaps with their pools as symbols', async () => {
    const text = readFileSync(
      corpusFiles().find((f) => f.includes('bluepill'))!,
      'utf8',
    );
    const uri = uriOf('symbols');
    await client.open(uri, text);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['memory.flash', 'memory.ram', 'heap.main'],
    );
    const heap = symbols[2];
    assert.equal(heap.detail, '10 KiB (10240 B) · 8 pools');
    assert.equal(heap.children?.length, 8);
    assert.equal(heap.children?.[6].name, 'pool 7: 336 B × 3');
  });

  it('folds tables and the pools array', async () => {
    const text = readFileSync(
      corpusFiles().find((f) => f.includes('bluepill'))!,
      'utf8',
    );
    const uri = uriOf('folding');
    await client.open(uri, text);
    const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    const poolsLine = positionOf(text, 'pools = [').line;
    const closing = positionOf(text, '\n]').line + 1;
    assert.ok(
      ranges.some((r) => r.startLine === poolsLine && r.endLine === closing - 1),
      'pools array folds',
    );
    assert.ok(
      ranges.some((r) => r.startLine === positionOf(text, '[heap.main]').line && r.endLine === closing),
      'heap table folds',
    );
  });

  it('completes heap keys, a pool snippet inside pools, and pool keys inside a pool', async () => {
    const uri = uriOf('completion');
    const text = '[heap.main]\nsize = "1K"\n\n[heap.dma]\n\n';
    await client.open(uri, text);
    const complete = async (position: { line: number; character: number }) =>
      (await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position })).map((i) => i.label);
    assert.deepEqual(await complete({ line: 2, character: 0 }), ['pools'], 'size is present already');
    assert.deepEqual(await complete({ line: 4, character: 0 }), ['origin', 'size', 'pools'], 'an extra heap needs origin');

    const inPools = '[heap.main]\nsize = "1K"\npools = [\n    { block = "4", capacity = 1 },\n    \n    { block = "8", \n]\n';
    await client.change(uri, inPools);
    assert.deepEqual(await complete({ line: 4, character: 4 }), ['{ block, capacity }']);
    assert.deepEqual(await complete({ line: 5, character: 19 }), ['capacity']);
  });

  it('proposes a pool of a block not there yet, the next size up, and keeps the sum: size grows by the new pool', async () => {
    const uri = uriOf('completion-pool');
    const snippetText = (insert: string) => insert.replace(/\$\{\d+:([^}]*)\}/g, '$1');
    const accept = async (text: string, position: { line: number; character: number }) => {
      await client.change(uri, text);
      const [item] = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position });
      assert.equal(item.label, '{ block, capacity }');
      const offset = new LineIndex(text).offsetAt(position);
      const inserted = text.slice(0, offset) + snippetText(item.insertText!) + text.slice(offset);
      return { item, result: applyLspEdits(inserted, item.additionalTextEdits ?? []) };
    };
    await client.open(uri, '');

    // The bluepill layout: 336 then 512, so 688 (512 + 176); 10240 + 688 = 10928.
    const bluepill = readFileSync(
      corpusFiles().find((f) => f.includes('bluepill'))!,
      'utf8',
    );
    const afterLast = bluepill.replace('{ block = "512", capacity = 1 },\n', '{ block = "512", capacity = 1 },\n    \n');
    const { item, result } = await accept(
      afterLast,
      positionOf(afterLast, '{ block = "512", capacity = 1 },\n    ', '{ block = "512", capacity = 1 },\n    '.length),
    );
    assert.equal(item.insertText, '{ block = "${1:688}", capacity = ${2:1} },');
    assert.equal(item.detail, 'A pool of 688 B blocks; size 10240 → 10928 B');
    assert.ok(result.includes('size = "10928"\n') && result.includes('    { block = "688", capacity = 1 },\n]'), result);
    assert.deepEqual(await client.change(uri, result), [], 'no duplicate block, and the pools still add up to size');

    // One pool: double it; word-aligned; size as a K string stays a K string when it can.
    const one = '[heap.main]\nsize = "1K"\npools = [\n    { block = "4", capacity = 256 },\n    \n]\n';
    const single = await accept(one, { line: 4, character: 4 });
    assert.equal(single.item.insertText, '{ block = "${1:8}", capacity = ${2:1} },');
    assert.ok(single.result.includes('size = "1032"'), single.result);
    assert.deepEqual(await client.change(uri, single.result), []);

    const odd = '[heap.main]\nsize = "100"\npools = [\n    { block = "8", capacity = 5 },\n    { block = "12", capacity = 5 },\n    \n]\n';
    assert.equal((await accept(odd, { line: 5, character: 4 })).item.insertText, '{ block = "${1:16}", capacity = ${2:1} },', '12 + 4');
    const unaligned =
      '[heap.main]\nsize = "86"\npools = [\n    { block = "8", capacity = 5 },\n    { block = "14", capacity = 3 },\n    \n]\n';
    assert.equal(
      (await accept(unaligned, { line: 5, character: 4 })).item.insertText,
      '{ block = "${1:20}", capacity = ${2:1} },',
      '14 + 6 = 20, a multiple of 4',
    );

    // While a word is typed on the line the file does not parse; the proposal still knows the heap.
    const typing = '[heap.main]\nsize = "1K"\npools = [\n    { block = "4", capacity = 256 },\n    po\n]\n';
    assert.equal((await accept(typing, { line: 4, character: 6 })).item.detail, 'A pool of 8 B blocks; size 1024 → 1032 B');

    // A sum that is already wrong is left alone: its own diagnostic says what to do.
    const broken = '[heap.main]\nsize = "1K"\npools = [\n    { block = "4", capacity = 100 },\n    \n]\n';
    const left = await accept(broken, { line: 4, character: 4 });
    assert.equal(left.item.additionalTextEdits, undefined);
    assert.ok(left.result.includes('size = "1K"'));
  });

  it('takes a byte order mark in the text as the first character, and reports a bare CR at its line and character', async () => {
    const uri = uriOf('bom-cr');
    const body = '[heap.main]\nsize = "10k"\npools = [{ block = "4", capacity = 2560 }]\n';
    const withBom = await client.open(uri, '\uFEFF' + body);
    assert.deepEqual(
      withBom.map((d) => [d.code, d.range.start]),
      [['invalid-size', { line: 1, character: 7 }]],
      'no syntax error, positions as the client counts them',
    );
    const cr = await client.change(uri, '[heap.main]\nsize = "10K"\rpools = []\n');
    assert.deepEqual(
      cr.map((d) => [d.code, d.range.start, d.range.end]),
      [['toml-syntax', { line: 1, character: 12 }, { line: 2, character: 0 }]],
    );
    assert.match(cr[0].message as string, /carriage return \(CR\) that is not followed by a line feed/);
  });

  it('offers a fix-all source action equal to the core fix-all, as one minimal edit', async () => {
    const text = fixture('misaligned.toml');
    const uri = uriOf('fixall');
    await client.open(uri, text);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind]),
      [['Fix all Drone heap problems', 'source.fixAll.droneHeap']],
    );
    const edits = actions[0].edit!.changes![uri];
    assert.equal(edits.length, 1);
    assert.equal(applyLspEdits(text, edits), fixAll(text));
  });
});

describe('language server settings', () => {
  it('uses droneHeap.wordSize from initializationOptions and from configuration changes', async () => {
    const { client } = await TestLspClient.start({ settings: { wordSize: 8 } });
    try {
      const text = '[heap]\nsize = "1K"\npools = [{ block = "4", capacity = 256 }]\n';
      const diagnostics = await client.open('file:///w/Drone.toml', text);
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        ['block-misaligned'],
      );
      assert.match(diagnostics[0].message as string, /word size \(8 B\)/);
      const republished = client.diagnosticsMatching('file:///w/Drone.toml', (d) => d.length === 0);
      void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { droneHeap: { wordSize: 4 } } });
      assert.deepEqual(await republished, []);
    } finally {
      await client.stop();
    }
  });
});
