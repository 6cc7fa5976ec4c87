// TOML conformance: every file of toml-test's TOML 1.0 selection (test/fixtures/toml-test,
// its README says which copy) goes through the checks as `drone-heap check` reads it, as
// bytes. Valid files must give no `toml-syntax` finding; invalid ones exactly one, whose
// position lies inside the file. Then the cases the suite found wrong, with positions.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkDroneToml, checkDroneTomlBytes } from '../../../server/src/core/checks/index';
import { decodeUtf8 } from '../../../server/src/core/config/decode';
import { LineIndex } from '../../../server/src/core/config/span';
import { FIXTURES } from '../../support/paths';

const SUITE = join(FIXTURES, 'toml-test');

function tomlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return tomlFiles(path);
      return name.endsWith('.toml') ? [path] : [];
    });
}

const syntaxFindings = (bytes: Uint8Array) => {
  const result = checkDroneTomlBytes(bytes);
  return { text: result.text, findings: result.findings.filter((f) => f.code === 'toml-syntax') };
};

describe('toml-test (TOML 1.0)', () => {
  const valid = tomlFiles(join(SUITE, 'valid'));
  const invalid = tomlFiles(join(SUITE, 'invalid'));

  it('has the whole copy: 99 valid and 234 invalid files', () => {
    assert.equal(valid.length, 99);
    assert.equal(invalid.length, 234);
  });

  for (const file of valid) {
    it(`accepts ${relative(SUITE, file)}`, () => {
      const { findings } = syntaxFindings(readFileSync(file));
      assert.deepEqual(
        findings.map((f) => f.message),
        [],
      );
    });
  }

  for (const file of invalid) {
    it(`rejects ${relative(SUITE, file)}`, () => {
      const { text, findings } = syntaxFindings(readFileSync(file));
      assert.equal(findings.length, 1, 'one toml-syntax finding');
      const { span } = findings[0];
      assert.ok(
        span.start >= 0 && span.start <= span.end && span.end <= text.length,
        `span ${span.start}-${span.end} inside ${text.length} characters`,
      );
    });
  }
});

describe('encodings and line ends', () => {
  const where = (text: string, offset: number) => {
    const p = new LineIndex(text).positionAt(offset);
    return `${p.line + 1}:${p.character + 1}`;
  };
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const BOM = [0xef, 0xbb, 0xbf];

  it('accepts a UTF-8 byte order mark at the start and drops it, so columns are the ones an editor shows', () => {
    const text = '[heap.main]\nsize = "10k"\npools = [{ block = "4", capacity = 2560 }]\n';
    const result = checkDroneTomlBytes(new Uint8Array([...BOM, ...utf8(text)]));
    assert.equal(result.text, text);
    assert.deepEqual(
      result.findings.map((f) => `${where(result.text, f.span.start)} ${f.code}`),
      ['2:8 invalid-size'],
    );
  });

  it('accepts a byte order mark kept in the text (an editor that sends it): offsets stay offsets into that text', () => {
    const text = '\uFEFF[heap.main]\nsize = "10k"\npools = [{ block = "4", capacity = 2560 }]\n';
    const result = checkDroneToml(text);
    assert.ok(result.parse.ok, 'parses');
    assert.deepEqual(
      result.findings.map((f) => [f.code, text.slice(f.span.start, f.span.end)]),
      [['invalid-size', '"10k"']],
    );
    assert.equal(result.parse.config.heaps[0].size?.bytes, undefined);
  });

  it('rejects a byte order mark that is not at the start', () => {
    const result = checkDroneToml('a = 1\n\uFEFFb = 2\n');
    assert.equal(result.findings[0]?.code, 'toml-syntax');
  });

  const cases: { name: string; bytes: number[]; at: string; says: RegExp }[] = [
    {
      name: 'a bare CR between lines',
      bytes: [...utf8('a = 1\rb = 2\n')],
      at: '1:6',
      says: /carriage return \(CR\) that is not followed by a line feed/,
    },
    { name: 'a bare CR in a comment', bytes: [...utf8('a = 1\n# x\ry\n')], at: '2:4', says: /carriage return/ },
    { name: 'a bare CR at the end of the file, after CRLF', bytes: [...utf8('# c\r\n\r')], at: '2:1', says: /carriage return/ },
    { name: 'a bare CR in a multi-line string', bytes: [...utf8('s = """a\rb"""\n')], at: '1:9', says: /carriage return/ },
    {
      name: 'a lead byte followed by ASCII',
      bytes: [...utf8('a = 1\nb = "'), 0xc3, ...utf8('"\n')],
      at: '2:6',
      says: /not valid UTF-8 \(at byte offset 11: 0xC3 0x22 0x0A\)/,
    },
    {
      name: 'a stray continuation byte after multi-byte text',
      bytes: [...utf8('# é\n# '), 0x80, 0x0a],
      at: '2:3',
      says: /byte offset 7: 0x80/,
    },
    {
      name: 'a sequence cut off at the end of the file',
      bytes: [...utf8('a = 1 # x'), 0xe2, 0x82],
      at: '1:10',
      says: /byte offset 9: 0xE2 0x82/,
    },
    { name: 'an encoded surrogate', bytes: [...utf8('a = "'), 0xed, 0xa0, 0x80, ...utf8('"\n')], at: '1:6', says: /byte offset 5: 0xED/ },
    {
      name: 'bad UTF-8 after a byte order mark (byte offsets count it)',
      bytes: [...BOM, ...utf8('a = '), 0xff],
      at: '1:5',
      says: /byte offset 7: 0xFF/,
    },
  ];
  for (const c of cases) {
    it(`reports ${c.name} as toml-syntax at ${c.at}`, () => {
      const result = checkDroneTomlBytes(new Uint8Array(c.bytes));
      assert.equal(result.findings.length, 1);
      const [finding] = result.findings;
      assert.equal(finding.code, 'toml-syntax');
      assert.equal(where(result.text, finding.span.start), c.at);
      assert.match(finding.message, c.says);
    });
  }

  it('decodes valid UTF-8 unchanged, multi-byte characters included', () => {
    assert.deepEqual(decodeUtf8(utf8('k = "é€😀"\n')), { ok: true, text: 'k = "é€😀"\n' });
  });
});
