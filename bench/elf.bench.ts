// Reading a firmware's headers and symbols (what the RAM budget needs) from a 20 MiB ELF:
// arm-main.elf with a 20 MiB non-alloc .debug_padding section before its section header table
// (test/fixtures/firmware/arm-main-20mib.elf.gz, made by build.sh with objcopy --add-section),
// unpacked to a temporary file. readElfFile makes positioned reads of the headers, the name
// table, .symtab and .strtab only, so its time should not depend on the file's size; the
// small arm-main.elf is measured beside it for scale, and a bare readFileSync of the big
// file for what reading it all would cost.
//   npm run bench -- elf
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseDroneConfig } from '../server/src/core/config/droneConfig';
import { readElfFile } from '../server/src/core/firmware/elf';
import { firmwareFindings } from '../server/src/core/firmware/firmwareFindings';
import { ramBudget } from '../server/src/core/firmware/ramBudget';
import { FIXTURES } from '../test/support/paths';
import { measure, table } from './measure';

const DIR = join(FIXTURES, 'firmware');
const work = mkdtempSync(join(tmpdir(), 'elf-bench-'));
try {
  const big = join(work, 'firmware.elf');
  const bytes = gunzipSync(readFileSync(join(DIR, 'arm-main-20mib.elf.gz')));
  writeFileSync(big, bytes);
  const small = join(DIR, 'arm-main.elf');
  const rows: Record<string, string | number>[] = [];
  const row = (what: string, size: number, fn: () => void, options?: Parameters<typeof measure>[1]) => {
    const timing = measure(fn, options);
    rows.push({
      what,
      'file bytes': size.toLocaleString('en-US'),
      'median ms': timing.medianMs.toFixed(3),
      'min ms': timing.minMs.toFixed(3),
      runs: timing.runs,
    });
  };
  row('readElfFile, 20 MiB firmware', bytes.length, () => readElfFile(big));
  row('readElfFile, arm-main.elf', readFileSync(small).length, () => readElfFile(small));
  // What the editor does on each change of the firmware: read it and compute the budget and its findings.
  const parse = parseDroneConfig(readFileSync(join(DIR, 'arm-main.toml'), 'utf8'));
  if (!parse.ok) throw new Error('arm-main.toml does not parse');
  row('readElfFile + RAM budget + findings, 20 MiB firmware', bytes.length, () => {
    const image = readElfFile(big);
    const budget = ramBudget(parse.config, image);
    if (!budget.ok) throw new Error(budget.reason);
    firmwareFindings(parse.config, budget.budget, image, { minStackBytes: 1024, firmwareName: 'firmware.elf' });
  });
  row('readFileSync of the 20 MiB file (for scale)', bytes.length, () => readFileSync(big), { warmup: 3, minRuns: 15, minTimeMs: 500 });
  table(rows);
} finally {
  rmSync(work, { recursive: true, force: true });
}
