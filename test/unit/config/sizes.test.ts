// Size strings exactly as Drone's config crate reads them.
import { strict as assert } from 'node:assert';
import { formatSize, parseSize } from '../../../server/src/core/config/sizes';

describe('size strings', () => {
  const valid: [string, number][] = [
    ['0', 0],
    ['4', 4],
    ['10K', 10240],
    ['1M', 1048576],
    ['0x400', 1024],
    ['0X400', 1024],
    ['0xffK', 255 * 1024],
    ['010', 8], // leading 0: octal, as in linker scripts
    ['0777', 511],
    ['00', 0],
    ['4294967295', 0xffffffff],
    ['4194303K', 4194303 * 1024],
    ['4095M', 4095 * 1048576],
    ['0xFFFFFFFF', 0xffffffff],
  ];
  for (const [text, bytes] of valid) {
    it(`"${text}" is ${bytes} bytes`, () => assert.deepEqual(parseSize(text), { ok: true, value: bytes }));
  }

  const invalid: [string, RegExp, string | undefined][] = [
    ['', /empty/, undefined],
    ['10k', /upper case/, '10K'],
    ['1m', /upper case/, '1M'],
    ['10KB', /only the suffixes K and M/, '10K'],
    ['64 KiB', /spaces/, '64K'],
    [' 4', /spaces/, '4'],
    ['K', /missing before the suffix/, undefined],
    ['08', /not an octal/, undefined],
    ['0x', /not a hexadecimal/, undefined],
    ['0xG', /not a hexadecimal/, undefined],
    ['-4', /not a decimal/, undefined],
    ['+4', /not a decimal/, undefined],
    ['4.5K', /not a decimal/, undefined],
    ['4294967296', /does not fit in 32 bits/, undefined],
    ['4194304K', /more than a 32-bit size/, undefined],
    ['4096M', /more than a 32-bit size/, undefined],
    ['99999999999999999999999', /does not fit in 32 bits/, undefined],
  ];
  for (const [text, reason, suggestion] of invalid) {
    it(`"${text}" is rejected${suggestion ? ` with the suggestion "${suggestion}"` : ''}`, () => {
      const result = parseSize(text);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(result.reason, reason);
      assert.equal(result.suggestion, suggestion);
    });
  }

  it('formats like drone: M, then K, then decimal', () => {
    assert.deepEqual([0, 4, 1024, 10240, 9468, 1048576, 3 * 1048576 + 1024, 0xffffffff].map(formatSize), [
      '0',
      '4',
      '1K',
      '10K',
      '9468',
      '1M',
      '3073K',
      '4294967295',
    ]);
  });

  it('formatting round-trips through parsing for every byte count it produces', () => {
    for (const bytes of [1, 7, 1023, 1024, 1025, 65536, 1048575, 1048576, 123 * 1048576, 0xfffffc00]) {
      assert.deepEqual(parseSize(formatSize(bytes)), { ok: true, value: bytes });
    }
  });
});
