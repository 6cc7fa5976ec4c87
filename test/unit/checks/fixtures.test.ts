// Data-driven: every test/fixtures/config/*.toml is checked and its findings compared
// with <name>.expected (position, severity, code and the text they point at); the
// result of "fix all" is compared with <name>.fixed.toml. The real corpus files must
// produce no finding at all.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkDroneToml, fixAll } from '../../../server/src/core/checks/index';
import { applyEdits, LineIndex } from '../../../server/src/core/config/span';
import { corpusFiles, FIXTURES } from '../../support/paths';
import { matchSnapshot } from '../../support/snapshot';

const CONFIG_FIXTURES = join(FIXTURES, 'config');

function describeFindings(text: string): string {
  const lines = new LineIndex(text);
  return checkDroneToml(text)
    .findings.map((f) => {
      const start = lines.positionAt(f.span.start);
      const end = lines.positionAt(f.span.end);
      const source = JSON.stringify(text.slice(f.span.start, f.span.end).slice(0, 60));
      const fixes = f.fixes.map((x) => `\n    fix${x.preferred ? '*' : ''}: ${x.title}`).join('');
      return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${f.severity} ${f.code} ${source}\n    ${f.message}${fixes}\n`;
    })
    .join('');
}

describe('checks on the real corpus', () => {
  for (const file of corpusFiles()) {
    it(`${basename(file)} has no findings`, () => {
      const text = readFileSync(file, 'utf8');
      const result = checkDroneToml(text);
      assert.ok(result.parse.ok, 'parses');
      assert.deepEqual(result.findings, []);
      assert.equal(fixAll(text), text, 'fix all changes nothing');
    });
  }

  it('reads the heap shapes of the corpus', () => {
    const shapes = corpusFiles().map((file) => {
      const parse = checkDroneToml(readFileSync(file, 'utf8')).parse;
      assert.ok(parse.ok);
      return `${basename(file)}: ${parse.config.heaps.map((h) => `${h.qualifiedName}${h.legacy ? ' (legacy)' : ''} ${h.size?.bytes} B, ${h.pools?.items.length} pools`).join('; ') || 'no heap'}`;
    });
    assert.deepEqual(shapes, [
      'bluepill-blink.Drone.toml: heap.main 10240 B, 8 pools',
      'cc2538-starter.Drone.toml: heap (legacy) 9468 B, 5 pools',
      'legacy-heap-stm32f103.Drone.toml: heap (legacy) 10240 B, 8 pools',
      'legacy-heap-stm32f4-nucleo144.Drone.toml: heap (legacy) 131072 B, 8 pools',
      'longan-blink.Drone.toml: heap.main 10240 B, 8 pools',
      'no-heap-old-format.Drone.toml: no heap',
      'nrf9160dk-blink.Drone.toml: heap.main 131072 B, 8 pools',
    ]);
  });
});

describe('checks on fixtures (test/fixtures/config)', () => {
  const names = readdirSync(CONFIG_FIXTURES).filter((f) => f.endsWith('.toml') && !f.endsWith('.fixed.toml'));
  for (const name of names) {
    const stem = name.slice(0, -'.toml'.length);
    it(stem, () => {
      const text = readFileSync(join(CONFIG_FIXTURES, name), 'utf8');
      matchSnapshot(join(CONFIG_FIXTURES, `${stem}.expected`), describeFindings(text));
      // No fix loses user text: every comment survives every fix, and fix all.
      const comments = (t: string) => (t.match(/#[^\n\r]*/g) ?? []).filter((c) => !/["']/.test(c)).sort();
      for (const finding of checkDroneToml(text).findings) {
        for (const fix of finding.fixes)
          assert.deepEqual(comments(applyEdits(text, fix.edits)), comments(text), `${fix.title} keeps every comment`);
      }
      assert.deepEqual(comments(fixAll(text)), comments(text), 'fix all keeps every comment');
      const fixedPath = join(CONFIG_FIXTURES, `${stem}.fixed.toml`);
      const fixed = fixAll(text);
      if (fixed === text) {
        if (process.env.UPDATE_SNAPSHOTS === '1' && existsSync(fixedPath)) unlinkSync(fixedPath);
        assert.ok(!existsSync(fixedPath), `${stem}: fix all changes nothing, but ${stem}.fixed.toml exists`);
        return;
      }
      matchSnapshot(fixedPath, fixed);
      // Fixing never makes things worse: no finding of the fixed text has a preferred fix left.
      const left = checkDroneToml(fixed).findings.filter((f) => f.fixes.some((x) => x.preferred));
      assert.deepEqual(
        left.map((f) => f.code),
        [],
        'fix all leaves fixable findings',
      );
    });
  }
});
