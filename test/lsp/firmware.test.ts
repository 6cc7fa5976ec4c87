// The RAM budget through the real server: the firmware cargo built beside Drone.toml (real
// linker output from test/fixtures/firmware) is found, read and watched; its findings,
// hover and lens follow every edit of the heap's size, and a first build is picked up.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import type { HeapViewData } from '../../protocol/heapView';
import type { TraceStatusParams } from '../../protocol/traceStatus';
import { LineIndex } from '../../server/src/core/config/span';
import { TestLspClient } from '../support/lspClient';
import { FIXTURES } from '../support/paths';

const DIR = join(FIXTURES, 'firmware');
const TRIPLE = 'thumbv7em-none-eabihf';
const BINARY = join('target', TRIPLE, 'release', 'blink');

/** A project as `drone new` makes it, with `elf` (if any) built as its release firmware. */
function project(toml: string, elf?: string): { dir: string; uri: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-fw-lsp-'));
  const text = readFileSync(join(DIR, toml), 'utf8');
  writeFileSync(join(dir, 'Drone.toml'), text);
  writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "blink"\nversion = "0.1.0"\n');
  mkdirSync(join(dir, '.cargo'));
  writeFileSync(join(dir, '.cargo', 'config.toml'), `[build]\ntarget = "${TRIPLE}"\n`);
  if (elf) build(dir, elf);
  return { dir, uri: pathToFileURL(join(dir, 'Drone.toml')).href, text };
}

function build(dir: string, elf: string): void {
  mkdirSync(join(dir, 'target', TRIPLE, 'release'), { recursive: true });
  copyFileSync(join(DIR, elf), join(dir, BINARY));
}

const ramCodes = (ds: Diagnostic[]) =>
  ds.map((d) => String(d.code)).filter((c) => ['ram-overflow', 'stack-room-low', 'firmware-stale', 'heap-overlaps-section'].includes(c));
const textAt = (text: string, d: Diagnostic) => {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(d.range.start), lines.offsetAt(d.range.end));
};

describe('the RAM budget in the language server', function () {
  this.timeout(30_000);
  let client: TestLspClient;
  beforeEach(async () => ({ client } = await TestLspClient.start()));
  afterEach(() => client.stop());

  it('warns on the heap size when the stack keeps less than the minimum, and errs when the link would fail', async () => {
    const { uri, text } = project('arm-tight.toml', 'arm-tight.elf');
    const opened = await client.open(uri, text);
    assert.deepEqual(ramCodes(opened), ['stack-room-low']);
    const low = opened.find((d) => d.code === 'stack-room-low')!;
    assert.equal(textAt(text, low), '"15K"');
    assert.match(String(low.message), /^The stack keeps 124 B of RAM \(less than droneHeap\.minStackBytes, 1 KiB \(1024 B\)\)/);
    const bigger = text.replace('size = "15K"', 'size = "16K"');
    const changed = await client.change(uri, bigger);
    assert.deepEqual(ramCodes(changed), ['ram-overflow', 'firmware-stale']);
    assert.match(String(changed.find((d) => d.code === 'ram-overflow')!.message), /900 B too many, so the link will fail/);
    assert.equal(
      textAt(
        bigger,
        changed.find((d) => d.code === 'firmware-stale')!,
      ),
      '"16K"',
    );
  });

  it('offers to shrink the heap to what the trace needs when the stack is short and a trace is applied', async () => {
    const { dir, uri, text } = project('arm-tight.toml', 'arm-tight.elf');
    const low = (await client.open(uri, text)).find((d) => d.code === 'stack-room-low')!;
    const actions = () =>
      client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: low.range, context: { diagnostics: [low] } });
    assert.deepEqual(
      (await actions()).map((a) => a.title),
      [],
      'no trace, no proposal',
    );
    writeFileSync(join(dir, 'heaptrace'), 'alloc 8\nalloc 30\nalloc 60\nfree 8\n');
    await client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => p.uri === uri && p.heaps[0]?.state === 'done');
    const [shrink] = await actions();
    assert.equal(shrink?.title, 'Shrink heap.main to what the trace needs (optimise for the smallest heap)…');
    assert.deepEqual(shrink.command?.arguments, [uri, 'main', { target: 'minimal' }]);
  });

  it('errs on an extra heap whose origin lies on a section of the firmware', async () => {
    const { uri, text } = project('arm-dma.toml', 'arm-dma-ccmram.elf');
    const diagnostics = await client.open(uri, text);
    assert.deepEqual(ramCodes(diagnostics), ['heap-overlaps-section']);
    const overlap = diagnostics.find((d) => d.code === 'heap-overlaps-section')!;
    assert.equal(textAt(text, overlap), '0x10000000');
    assert.match(String(overlap.message), /`heap\.dma` overlaps `\.ccmram` \(0x10000000\.\.0x10000400, 1 KiB \(1024 B\)\)/);
  });

  it('shows the RAM map in the hover on [memory.ram] and the main heap size, and the budget as a lens', async () => {
    const { uri, text } = project('arm-main-stale.toml', 'arm-main.elf');
    const diagnostics = await client.open(uri, text);
    assert.deepEqual(ramCodes(diagnostics), ['firmware-stale']);
    const lines = new LineIndex(text);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: lines.positionAt(text.indexOf('[memory.ram]') + 3),
    });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /\*\*RAM budget\*\* from `target\/thumbv7em-none-eabihf\/release\/blink` \(built \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    assert.match(value, /\| stack room \| 0x20000000\.\.0x20017AC4 \| 96964 B \| 74\.0% \|/);
    assert.match(value, /\*\*As written\*\* \(heap 16384 B instead of 32768 B; a prediction until the next build\):/);
    assert.match(value, /\| \.heap \| 0x2001C000\.\.0x20020000 \| 16384 B \| 12\.5% \|/);
    const heapSize = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: lines.positionAt(text.indexOf('"16K"') + 1),
    });
    assert.match((heapSize.contents as MarkupContent).value, /\*\*RAM budget\*\*/);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses[0].command?.title, 'stack 113348 B · static 1340 B · heap 16384 B (as written; rebuild to confirm)');
    assert.equal(lenses[0].range.start.line, lines.positionAt(text.indexOf('[memory.ram]')).line, 'above [memory.ram]');
    // The heap view gets the same map for its RAM strip.
    const view = await client.request<HeapViewData>('droneHeap/heapView', { uri, heap: 'main', position: null, buckets: 50 });
    assert.deepEqual(
      view.ram?.rows.map((r) => [r.name, r.bytes]),
      [
        ['stack room', 96964],
        ['.bss', 1032],
        ['.data', 308],
        ['.heap', 32768],
      ],
    );
    assert.deepEqual([view.ram?.stackBytes, view.ram?.stackBytesAsWritten, view.ram?.asWritten?.at(-1)?.bytes], [96964, 113348, 16384]);
    assert.equal(view.ram?.firmware, 'target/thumbv7em-none-eabihf/release/blink');
  });

  it('has no budget before the first build, says how to get one, and picks up the build', async () => {
    const { dir, uri, text } = project('arm-tight.toml');
    assert.deepEqual(ramCodes(await client.open(uri, text)), []);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: new LineIndex(text).positionAt(text.indexOf('[memory.ram]') + 3),
    });
    assert.match(
      (hover.contents as MarkupContent).value,
      /_No RAM budget: no firmware built yet \(looked for .*release\/blink and .*debug\/blink\)\. Build the firmware \(`just build`\)/,
    );
    build(dir, 'arm-tight.elf');
    await client.diagnosticsMatching(uri, (ds) => ramCodes(ds).includes('stack-room-low'));
  });

  it('says when the file is not a firmware it can read', async () => {
    const { dir, uri, text } = project('arm-tight.toml');
    mkdirSync(join(dir, 'target', TRIPLE, 'release'), { recursive: true });
    writeFileSync(join(dir, BINARY), readFileSync(join(DIR, 'arm-tight.elf')).subarray(0, 200));
    assert.deepEqual(ramCodes(await client.open(uri, text)), []);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: new LineIndex(text).positionAt(text.indexOf('[memory.ram]') + 3),
    });
    assert.match((hover.contents as MarkupContent).value, /_No RAM budget: .*truncated/);
  });
});
