// common/format.ts: how every surface writes numbers (editor, status bar, heap view, CLI).
import { strict as assert } from 'node:assert';
import { formatAddress, formatInteger, formatPercent, plural } from '../../../common/format';
import * as page from '../../../client/src/heapView/page/dom';

describe('number formatting (common/format.ts)', () => {
  const percents: [number, number, string][] = [
    [0, 128, '0.0%'],
    [1, 1_000_000, '<0.01%'],
    [1, 256, '0.39%'],
    [1, 100, '1.0%'],
    [1008, 10240, '9.8%'],
    [9996, 10000, '99.96%'],
    [999_999, 1_000_000, '>99.99%'],
    [128, 128, '100.0%'],
    [3, 2, '150.0%'],
    [5, 0, '–'],
  ];
  for (const [part, whole, text] of percents) it(`${part} of ${whole} is ${text}`, () => assert.equal(formatPercent(part, whole), text));

  it('writes integers with plain digits, as Drone.toml and the CLI do', () => {
    assert.equal(formatInteger(37525), '37525');
    assert.equal(formatInteger(10_000_000), '10000000');
  });

  it('says 1 failure and 0 or 2 failures', () => {
    assert.deepEqual(
      [0, 1, 2].map((n) => plural(n, 'failure')),
      ['0 failures', '1 failure', '2 failures'],
    );
    assert.equal(plural(1, 'match', 'matches'), '1 match');
  });

  it('writes addresses as eight upper-case hex digits', () => assert.equal(formatAddress(0x20004a10), '0x20004A10'));

  it('is what the heap view page uses', () => {
    assert.equal(page.num(37525), formatInteger(37525));
    assert.equal(page.bytes(10240), '10240 B');
    assert.equal(page.percent(0, 128), formatPercent(0, 128));
    assert.equal(page.plural(1, 'failure'), '1 failure');
    assert.equal(page.address(0x20000000), formatAddress(0x20000000));
  });
});
