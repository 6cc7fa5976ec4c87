// Writing a layout into Drone.toml: only the values of `size` and `pools` change.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkDroneToml } from '../../../server/src/core/checks/index';
import { parseDroneConfig, poolSum, validPools, type HeapConfig } from '../../../server/src/core/config/droneConfig';
import { applyEdits, type TextEdit } from '../../../server/src/core/config/span';
import { applyLayout, type LayoutToWrite } from '../../../server/src/core/layout/applyLayout';
import { layoutBytes } from '../../../server/src/core/layout/droneMath';
import { corpusFiles, FIXTURES } from '../../support/paths';

const LAYOUT = {
  pools: [
    { block: 16, capacity: 50 },
    { block: 4, capacity: 100 },
    { block: 2048, capacity: 3 },
  ],
};
const layout = (pools = LAYOUT.pools): LayoutToWrite => ({ pools, size: layoutBytes(pools) });

function write(text: string, toWrite: LayoutToWrite, heapIndex = 0): { after: string; edits: TextEdit[]; heap: HeapConfig } {
  const parse = parseDroneConfig(text);
  assert.ok(parse.ok);
  const heap = parse.config.heaps[heapIndex];
  const result = applyLayout(parse.config, heap, toWrite);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return { after: applyEdits(text, result.edits), edits: result.edits, heap };
}

/** The heap in `text` holds exactly `toWrite`, and Drone's own check (the pool sum) passes. */
function assertHolds(text: string, toWrite: LayoutToWrite, heapIndex = 0): void {
  const parse = parseDroneConfig(text);
  assert.ok(parse.ok, 'the result parses');
  const heap = parse.config.heaps[heapIndex];
  const pools = validPools(heap)!.map(({ block, capacity }) => ({ block, capacity }));
  assert.deepEqual(
    pools,
    [...toWrite.pools].filter((p) => p.capacity > 0).sort((a, b) => a.block - b.block),
  );
  assert.equal(heap.size?.bytes, toWrite.size);
  assert.equal(poolSum(heap), toWrite.size);
  assert.deepEqual(
    checkDroneToml(text).findings.filter((f) => f.code === 'pool-sum-mismatch'),
    [],
  );
}

describe('writing a layout into Drone.toml', () => {
  for (const file of corpusFiles()) {
    it(`${basename(file)}: changes only the size and pools values`, () => {
      const text = readFileSync(file, 'utf8');
      const parse = parseDroneConfig(text);
      assert.ok(parse.ok);
      if (parse.config.heaps.length === 0) return; // the oldest format has no heap to write
      for (const toWrite of [layout(), layout([{ block: 8, capacity: 1 }])]) {
        const { after, edits, heap } = write(text, toWrite);
        const valueSpans = [heap.size!.entry.value.span, heap.pools!.entry.value.span];
        // Every edit replaces exactly one of the two values…
        for (const edit of edits)
          assert.ok(
            valueSpans.some((s) => s.start === edit.span.start && s.end === edit.span.end),
            JSON.stringify(edit.span),
          );
        // …so everything outside them is byte-identical: rebuild the result from the pieces.
        const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
        let rebuilt = '';
        let at = 0;
        for (const edit of sorted) {
          rebuilt += text.slice(at, edit.span.start) + edit.newText;
          at = edit.span.end;
        }
        assert.equal(after, rebuilt + text.slice(at));
        assert.equal(after.slice(0, sorted[0].span.start), text.slice(0, sorted[0].span.start));
        assertHolds(after, toWrite);
      }
    });
  }

  it('copies the indentation of the pools and keeps the comments around the values', () => {
    const text = [
      '[heap.main]',
      '# the heap',
      'size = "10K" # all of it',
      '  pools = [ # from drone new',
      '      { block = "4", capacity = 118 }, # tiny',
      '      # a comment of its own',
      '      { block = "10K", capacity = 0 },',
      '    ] # end of pools',
      '# after',
      '',
    ].join('\n');
    const { after } = write(
      text,
      layout([
        { block: 8, capacity: 2 },
        { block: 32, capacity: 1 },
      ]),
    );
    assert.equal(
      after,
      [
        '[heap.main]',
        '# the heap',
        'size = "48" # all of it',
        '  pools = [',
        '      { block = "8", capacity = 2 },',
        '      { block = "32", capacity = 1 },',
        '    ] # end of pools',
        '# after',
        '',
      ].join('\n'),
    );
  });

  it('keeps CRLF line breaks', () => {
    const text = readFileSync(join(FIXTURES, 'config', 'crlf.toml'), 'utf8');
    const { after } = write(text, layout());
    assert.ok(!/[^\r]\n/.test(after), 'every line break is CRLF');
    assert.match(after, /pools = \[\r\n {4}\{ block = "4", capacity = 100 \},\r\n/);
    assertHolds(after, layout());
  });

  it('keeps a one-line array on one line (dotted keys)', () => {
    const text = readFileSync(join(FIXTURES, 'config', 'dotted-keys.toml'), 'utf8');
    const { after } = write(text, layout());
    assert.match(
      after,
      /^heap\.main\.size = "7344"\nheap\.main\.pools = \[\{ block = "4", capacity = 100 \}, \{ block = "16", capacity = 50 \}, \{ block = "2K", capacity = 3 \}\]\n/m,
    );
    assertHolds(after, layout());
  });

  it('rewrites [[heap.main.pools]] array tables as array tables', () => {
    const text = readFileSync(join(FIXTURES, 'config', 'array-of-tables.toml'), 'utf8');
    const { after } = write(text, layout());
    assert.ok(
      after.endsWith(
        'size = "7344"\n\n[[heap.main.pools]]\nblock = "4"\ncapacity = 100\n\n[[heap.main.pools]]\nblock = "16"\ncapacity = 50\n\n[[heap.main.pools]]\nblock = "2K"\ncapacity = 3\n',
      ),
      after,
    );
    assertHolds(after, layout());
  });

  it('refuses array tables with another table between them', () => {
    const text =
      '[heap.main]\nsize = "8"\n[[heap.main.pools]]\nblock = "4"\ncapacity = 1\n[probe]\nx = 1\n[[heap.main.pools]]\nblock = "4"\ncapacity = 1\n';
    const parse = parseDroneConfig(text);
    assert.ok(parse.ok);
    const result = applyLayout(parse.config, parse.config.heaps[0], layout());
    assert.equal(result.ok, false);
  });

  it('adds a missing pools line after size, and a missing size before pools', () => {
    const toWrite = layout([{ block: 4, capacity: 2 }]);
    assert.equal(
      write('[heap]\nsize = "10K" # x\n[probe]\n', toWrite).after,
      '[heap]\nsize = "8" # x\npools = [\n    { block = "4", capacity = 2 },\n]\n[probe]\n',
    );
    assert.equal(
      write('[heap.main]\n  pools = []\n', toWrite).after,
      '[heap.main]\n  size = "8"\n  pools = [\n      { block = "4", capacity = 2 },\n  ]\n',
    );
  });

  it('leaves a size that already has the right value as written', () => {
    const text = '[heap.main]\nsize = "0x30"\npools = [{ block = "16", capacity = 3 }]\n';
    const { edits } = write(text, layout([{ block: 8, capacity: 6 }]));
    assert.equal(edits.length, 1);
  });

  it('writes into the heap it is given, not another one', () => {
    const text = readFileSync(join(FIXTURES, 'config', 'extra-heaps.toml'), 'utf8');
    const parse = parseDroneConfig(text);
    assert.ok(parse.ok);
    const index = parse.config.heaps.findIndex((h) => h.isExtra && h.pools?.isArray);
    const { after } = write(text, layout(), index);
    assertHolds(after, layout(), index);
    const before = parseDroneConfig(text);
    const again = parseDroneConfig(after);
    assert.ok(before.ok && again.ok);
    assert.deepEqual(
      validPools(again.config.heaps[0])?.map((p) => [p.block, p.capacity]),
      validPools(before.config.heaps[0])?.map((p) => [p.block, p.capacity]),
    );
  });
});
