// The RAM budget on firmware linked by the real GNU linker with drone-ld's stage-two script
// (test/fixtures/firmware, see its README): the figures readelf and nm give for each ELF.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDroneConfig } from '../../../server/src/core/config/droneConfig';
import { readElfFile } from '../../../server/src/core/firmware/elf';
import { firmwareFindings } from '../../../server/src/core/firmware/firmwareFindings';
import { ramBudget } from '../../../server/src/core/firmware/ramBudget';
import { FIXTURES } from '../../support/paths';

const DIR = join(FIXTURES, 'firmware');

interface Fixture {
  file: string;
  toml: string;
  exercises: string;
  ram: { origin: number; size: number };
  heapSize: number;
  sections: Record<string, { address: number; size: number }>;
  symbols: Record<string, number>;
  stale?: boolean;
}

const { fixtures } = JSON.parse(readFileSync(join(DIR, 'fixtures.json'), 'utf8')) as { fixtures: Fixture[] };

/** What each fixture's Drone.toml, read against its firmware, should report (with the default 1 KiB minimum). */
const EXPECTED_CODES: Record<string, string[]> = {
  'arm-legacy.toml': [],
  'arm-main.toml': [],
  'arm-main-stale.toml': ['firmware-stale'],
  'arm-tight.toml': ['stack-room-low'],
  'arm-dma.toml': [],
  'riscv-main.toml': [],
};

describe('RAM budget of real linker output', () => {
  for (const fixture of fixtures) {
    it(`${fixture.file} with ${fixture.toml}: ${fixture.exercises}`, () => {
      const parse = parseDroneConfig(readFileSync(join(DIR, fixture.toml), 'utf8'));
      assert.ok(parse.ok);
      const image = readElfFile(join(DIR, fixture.file));
      const result = ramBudget(parse.config, image);
      assert.ok(result.ok);
      const { budget } = result;
      const size = (name: string) => fixture.sections[name]?.size ?? 0;
      assert.deepEqual(budget.ram, fixture.ram);
      assert.equal(budget.staticBytes, size('.bss') + size('.data') + size('.dronereg'));
      assert.equal(budget.stackBytes, fixture.symbols.STACK_POINTER - fixture.ram.origin);
      assert.equal(budget.heapBytesBuilt, fixture.heapSize);
      // drone-ld's own equation: the stack gets RAM minus static data and heap.
      assert.equal(budget.stackBytes, fixture.ram.size - budget.staticBytes - fixture.heapSize);
      assert.equal(budget.stale, fixture.stale ?? false);
      assert.deepEqual(
        budget.sections.map((s) => s.name),
        Object.entries(fixture.sections)
          .filter(([, s]) => s.size > 0 && s.address >= fixture.ram.origin && s.address < fixture.ram.origin + fixture.ram.size)
          .sort(([, a], [, b]) => a.address - b.address)
          .map(([name]) => name),
      );
      const expected = fixture.file === 'arm-dma-ccmram.elf' ? ['heap-overlaps-section'] : EXPECTED_CODES[fixture.toml];
      const findings = firmwareFindings(parse.config, budget, image, { minStackBytes: 1024, firmwareName: fixture.file });
      assert.deepEqual(
        findings.map((f) => f.code),
        expected,
      );
    });
  }
});
