// Device figures through the real server: a firmware made by the GNU linker (test/fixtures/
// firmware/arm-main.elf, whose HEAP static the server finds by its initial image) and RAM as
// the firmware's allocator leaves it (written by test/support/boardModel.ts), loaded as a dump
// file or handed over piece by piece as a debug session would. Diagnostics, quick fixes, hints,
// hovers and the status follow.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, Hover, InlayHint, MarkupContent } from 'vscode-languageserver-protocol';
import type { DeviceAnswer, DeviceMemoryAnswer, DeviceStatusParams } from '../../protocol/device';
import type { TraceStatusParams } from '../../protocol/traceStatus';
import { applyEdits, LineIndex } from '../../server/src/core/config/span';
import { parseDroneConfig, poolSum } from '../../server/src/core/config/droneConfig';
import { BoardModel } from '../support/boardModel';
import { TestLspClient } from '../support/lspClient';
import { FIXTURES } from '../support/paths';

const DIR = join(FIXTURES, 'firmware');
const TRIPLE = 'thumbv7em-none-eabihf';
const RAM = 0x2000_0000;
const RAM_SIZE = 128 * 1024;
/** arm-main.elf's drone_heapfw::HEAP (nm: 20017ecc, 0x30 bytes) and its pools, declared order. */
const STATIC = 0x2001_7ecc;
const HEAP_START = 0x2001_8000;
const POOLS = [
  { block: 4, capacity: 512 },
  { block: 32, capacity: 256 },
  { block: 256, capacity: 88 },
];

function project(): { dir: string; uri: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-device-lsp-'));
  const text = readFileSync(join(DIR, 'arm-main.toml'), 'utf8');
  writeFileSync(join(dir, 'Drone.toml'), text);
  writeFileSync(join(dir, 'Cargo.toml'), '[package]\nname = "blink"\nversion = "0.1.0"\n');
  mkdirSync(join(dir, '.cargo'));
  writeFileSync(join(dir, '.cargo', 'config.toml'), `[build]\ntarget = "${TRIPLE}"\n`);
  mkdirSync(join(dir, 'target', TRIPLE, 'release'), { recursive: true });
  copyFileSync(join(DIR, 'arm-main.elf'), join(dir, 'target', TRIPLE, 'release', 'blink'));
  return { dir, uri: pathToFileURL(join(dir, 'Drone.toml')).href, text };
}

/** The board after 513 requests of 4 B (the 4 B pool fills, one spills into 32 B) and 2 frees of 4 B. */
function boardWithFullPool(): BoardModel {
  const board = new BoardModel(RAM, RAM_SIZE, STATIC, HEAP_START, POOLS, ['size', 'edge', 'free', 'uninit']);
  const blocks = Array.from({ length: 513 }, () => board.allocate(4)!);
  board.deallocate(blocks[10]);
  board.deallocate(blocks[20]);
  return board;
}

const deviceCodes = (ds: Diagnostic[]) => ds.filter((d) => String(d.code).startsWith('device-'));
const textAt = (text: string, d: Diagnostic) => {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(d.range.start), lines.offsetAt(d.range.end));
};

describe('device figures in the language server', function () {
  this.timeout(30_000);
  let client: TestLspClient;
  beforeEach(async () => ({ client } = await TestLspClient.start()));
  afterEach(() => client.stop());

  it('loads a RAM dump: a full pool is warned about on its line, with fixes that keep the sum; hints, hover and status follow', async () => {
    const { dir, uri, text } = project();
    assert.deepEqual(deviceCodes(await client.open(uri, text)), []);
    const dump = join(dir, 'ram.bin');
    writeFileSync(dump, boardWithFullPool().ram);

    const status = client.notificationMatching<DeviceStatusParams>('droneHeap/deviceStatus', (p) => p.uri === uri && p.status !== null);
    const published = client.diagnosticsMatching(uri, (ds) => deviceCodes(ds).length > 0);
    const answer = await client.request<DeviceAnswer>('droneHeap/loadDeviceDump', { uri, path: dump, address: RAM });
    assert.equal(answer.ok, true, answer.message);
    assert.match(answer.message, /heap\.main: 2072 B in use now, Σ pool peaks 2080 B; 1 pool has been full/);
    assert.match((await status).status!.text, /^\$\(chip\) device: ram\.bin \d\d:\d\d:\d\d · 1 full pool$/);

    const [full] = deviceCodes(await published);
    assert.equal(full.code, 'device-pool-full');
    assert.equal(textAt(text, full), '{ block = "4", capacity = 512 }');
    assert.match(String(full.message), /all 512 blocks of the 4 B pool were in use at once.*Now 510 in use\./);

    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: full.range,
      context: { diagnostics: [full] },
    });
    const fixes = actions.filter((a) => a.edit);
    assert.deepEqual(
      fixes.map((a) => a.title),
      [
        'Give pool 1 (block 4 B) 128 more blocks (640), from the never-used blocks of pool 2 (block 32 B: 240)',
        'Raise the capacity of pool 1 (block 4 B) to 640 and the heap\'s size to "33280"',
      ],
    );
    assert.equal(fixes[0].isPreferred, true);
    for (const fix of fixes) {
      const lines = new LineIndex(text);
      const edits = fix.edit!.changes![uri].map((e) => ({
        span: { start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end) },
        newText: e.newText,
      }));
      const fixed = applyEdits(text, edits);
      const parsed = parseDroneConfig(fixed);
      assert.ok(parsed.ok);
      const heap = parsed.config.heaps[0];
      assert.equal(poolSum(heap), heap.size!.bytes, `${fix.title}: the pools still add up to size`);
      // Everything outside the changed values stays byte-identical.
      assert.equal(fixed.replace(/capacity = \d+|size = "[^"]*"/g, ''), text.replace(/capacity = \d+|size = "[^"]*"/g, ''));
    }

    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } },
    });
    const labels = hints.map((h) => String(h.label)).filter((l) => l.startsWith('device:'));
    assert.deepEqual(labels, ['device: peak 512/512 · now 510 · was full', 'device: peak 1/256 · now 1', 'device: peak 0/88 · now 0']);

    const poolLine = text.split('\n').findIndex((l) => l.includes('block = "32"'));
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: poolLine, character: 8 } });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /\*\*On the device\*\* \(the dump ram\.bin \(loaded \d\d:\d\d:\d\d\)\): at most \*\*1\*\* of 256 blocks/);
    assert.match(value, /1 in use now, 0 blocks on the free list, 255 blocks never used/);
  });

  it('with a trace applied: the optimiser on a pool that has been full, and the device peak beside the trace peak', async () => {
    const { dir, uri, text } = project();
    await client.open(uri, text);
    writeFileSync(join(dir, 'heaptrace'), 'alloc 4\nalloc 4\nalloc 30\nfree 4\n');
    await client.notificationMatching<TraceStatusParams>('droneHeap/traceStatus', (p) => p.uri === uri && p.heaps[0]?.state === 'done');
    const dump = join(dir, 'ram.bin');
    writeFileSync(dump, boardWithFullPool().ram);
    const published = client.diagnosticsMatching(uri, (ds) => deviceCodes(ds).length > 0);
    await client.request<DeviceAnswer>('droneHeap/loadDeviceDump', { uri, path: dump, address: RAM });
    const [full] = deviceCodes(await published);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: full.range,
      context: { diagnostics: [full] },
    });
    const optimise = actions.find((a) => a.command);
    assert.equal(optimise?.title, 'Optimise the layout of heap.main to serve the trace…');
    assert.deepEqual(optimise.command?.arguments, [uri, 'main']);
    // The pool hover sets the device's peak beside the trace's.
    const poolLine = text.split('\n').findIndex((l) => l.includes('block = "4"'));
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: poolLine, character: 8 } });
    assert.match(
      (hover.contents as MarkupContent).value,
      /Device peak 512 vs trace peak 2: higher than the trace's peak \(2\): the device has seen more than the trace shows\./,
    );
  });

  it('hands out the dump commands on the heap header before anything was read, and clears', async () => {
    const { uri, text } = project();
    await client.open(uri, text);
    const header = text.split('\n').findIndex((l) => l.startsWith('[heap.main]'));
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: header, character: 3 } });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /GDB: `dump binary memory ram\.bin 0x20000000 0x20020000`/);
    assert.match(value, /OpenOCD: `dump_image ram\.bin 0x20000000 131072`/);
    assert.match(value, /probe-rs: `probe-rs read --chip <CHIP> b32 0x20000000 32768 --output ram\.bin --format binary`/);
  });

  it('reads a debug stop piece by piece: the static, then only the blocks handed out', async () => {
    const { uri, text } = project();
    await client.open(uri, text);
    const board = boardWithFullPool();
    const slice = (address: number, length: number) => ({
      address,
      data: Buffer.from(board.ram.subarray(address - RAM, address - RAM + length)).toString('base64'),
    });
    const ask = (pieces: { address: number; data: string }[], stoppedAt = 1000) =>
      client.request<DeviceMemoryAnswer>('droneHeap/deviceMemory', { uri, session: 'QEMU', stoppedAt, pieces });

    assert.deepEqual(await ask([]), { kind: 'needs', ranges: [{ address: STATIC, length: 48 }] });
    // The 4 B pool has a free list: its 512 handed-out blocks are asked for, nothing else.
    assert.deepEqual(await ask([slice(STATIC, 48)]), { kind: 'needs', ranges: [{ address: HEAP_START, length: 2048 }] });
    const done = await ask([slice(HEAP_START, 2048)]);
    assert.equal(done.kind, 'done');
    assert.match(done.kind === 'done' ? done.answer.message : '', /the debug session “QEMU” \(stopped \d\d:\d\d:\d\d\)/);
    // A new stop starts afresh.
    assert.deepEqual(await ask([], 2000), { kind: 'needs', ranges: [{ address: STATIC, length: 48 }] });
  });

  it('says what is wrong with a dump from another address, a missing file and a firmware built from another Drone.toml', async () => {
    const { dir, uri, text } = project();
    await client.open(uri, text);
    const dump = join(dir, 'ram.bin');
    writeFileSync(dump, boardWithFullPool().ram);
    const shifted = await client.request<DeviceAnswer>('droneHeap/loadDeviceDump', { uri, path: dump, address: RAM + 0x1000 });
    assert.equal(shifted.ok, false);
    assert.match(shifted.message, /most likely starts at 0x20000000, not 0x20001000/);
    const problem = await client.diagnosticsMatching(uri, (ds) => ds.some((d) => d.code === 'device-memory-problem'));
    assert.equal(
      textAt(
        text,
        problem.find((d) => d.code === 'device-memory-problem')!,
      ),
      'heap.main',
    );

    const missing = await client.request<DeviceAnswer>('droneHeap/loadDeviceDump', { uri, path: join(dir, 'nope.bin'), address: RAM });
    assert.deepEqual([missing.ok, missing.message], [false, `Cannot load ${join(dir, 'nope.bin')}: no such file.`]);

    await client.request('droneHeap/loadDeviceDump', { uri, path: dump, address: RAM });
    const edited = text.replace('{ block = "32", capacity = 256 }', '{ block = "32", capacity = 255 },\n    { block = "8", capacity = 4 }');
    const diagnostics = await client.change(uri, edited);
    const mismatch = diagnostics.find((d) => d.code === 'device-firmware-mismatch');
    assert.ok(mismatch, JSON.stringify(diagnostics.map((d) => d.code)));
    assert.match(
      String(mismatch.message),
      /drone_heapfw::HEAP has pools 512×4 B, 256×32 B, 88×256 B; Drone\.toml has 512×4 B, 4×8 B, 255×32 B, 88×256 B/,
    );
  });

  it('keeps the hints away with droneHeap.deviceFigures off, and the warning on', async () => {
    await client.stop();
    ({ client } = await TestLspClient.start({ settings: { deviceFigures: false } }));
    const { dir, uri, text } = project();
    await client.open(uri, text);
    const dump = join(dir, 'ram.bin');
    writeFileSync(dump, boardWithFullPool().ram);
    const published = client.diagnosticsMatching(uri, (ds) => deviceCodes(ds).length > 0);
    await client.request<DeviceAnswer>('droneHeap/loadDeviceDump', { uri, path: dump, address: RAM });
    assert.deepEqual(
      deviceCodes(await published).map((d) => d.code),
      ['device-pool-full'],
    );
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } },
    });
    assert.deepEqual(
      hints.map((h) => String(h.label)).filter((l) => l.startsWith('device:')),
      [],
    );
  });
});
