// Minimal edits: exactly the characters that must change, nothing around them.
import { strict as assert } from 'node:assert';
import { removeArrayItem, reorderArrayItems } from '../../../server/src/core/config/edits';
import { applyEdits, minimalEdit, type Span } from '../../../server/src/core/config/span';

/** Spans of the `{…}` elements of the first array in `text`. */
function itemSpans(text: string): Span[] {
  return [...text.matchAll(/\{[^}]*\}/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
}

describe('removing an array element', () => {
  const cases: [string, string, number, string][] = [
    ['alone on its line', 'a = [\n  { x = 1 },\n  { x = 2 },\n]\n', 0, 'a = [\n  { x = 2 },\n]\n'],
    ['last, alone, no trailing comma', 'a = [\n  { x = 1 },\n  { x = 2 }\n]\n', 1, 'a = [\n  { x = 1 },\n]\n'],
    ['with a comment after it: the comment stays', 'a = [\n  { x = 1 }, # one\n  { x = 2 },\n]\n', 0, 'a = [\n  # one\n  { x = 2 },\n]\n'],
    ['first of a one-line array', 'a = [{ x = 1 }, { x = 2 }]\n', 0, 'a = [{ x = 2 }]\n'],
    ['last of a one-line array', 'a = [{ x = 1 }, { x = 2 }]\n', 1, 'a = [{ x = 1 }]\n'],
    ['ending a shared line', 'a = [\n  { x = 1 }, { x = 2 },\n]\n', 1, 'a = [\n  { x = 1 },\n]\n'],
    ['CRLF lines', 'a = [\r\n  { x = 1 },\r\n  { x = 2 },\r\n]\r\n', 0, 'a = [\r\n  { x = 2 },\r\n]\r\n'],
  ];
  for (const [name, before, index, after] of cases) {
    it(name, () => assert.equal(applyEdits(before, [removeArrayItem(before, itemSpans(before), index)]), after));
  }
});

describe('reordering array elements', () => {
  it('moves end-of-line comments with their elements and keeps separators in place', () => {
    const before = 'a = [\n  { x = 3 },  # three\n  { x = 1 },\n  { x = 2 } # two\n]\n';
    const after = applyEdits(before, reorderArrayItems(before, itemSpans(before), [1, 2, 0]));
    assert.equal(after, 'a = [\n  { x = 1 },\n  { x = 2 }, # two\n  { x = 3 }  # three\n]\n');
  });

  it('keeps comments in place when elements share lines', () => {
    const before = 'a = [{ x = 2 }, { x = 1 }, # both\n]\n';
    assert.equal(applyEdits(before, reorderArrayItems(before, itemSpans(before), [1, 0])), 'a = [{ x = 1 }, { x = 2 }, # both\n]\n');
  });
});

describe('minimal edit between two texts', () => {
  it('replaces only the differing middle', () => {
    assert.deepEqual(minimalEdit('size = "10K" # x', 'size = "10752" # x'), { span: { start: 10, end: 11 }, newText: '752' });
    assert.equal(minimalEdit('same', 'same'), undefined);
    for (const [a, b] of [
      ['abc', 'abXc'],
      ['aaaa', 'aa'],
      ['', 'x'],
      ['xyz', ''],
    ]) {
      const edit = minimalEdit(a, b)!;
      assert.equal(applyEdits(a, [edit]), b);
    }
  });
});
