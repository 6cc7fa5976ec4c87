// Server-side time to produce diagnostics for a Drone.toml: parse, run every check, and
// convert the findings to LSP diagnostics — what the server does on each keystroke.
// Targets: ≤ 5 ms for a 200-pool file, ≤ 1 ms for each real corpus file.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { checkDroneToml } from '../server/src/core/checks/index';
import { toDiagnostic } from '../server/src/features/convert';
import { corpusFiles } from '../test/support/paths';
import { measure, table } from './measure';

function diagnose(text: string): number {
  const { parse, findings } = checkDroneToml(text);
  return findings.map((f) => toDiagnostic(parse.lines, f)).length;
}

/** A 200-pool heap with a wrong sum and a few misaligned blocks, so every rule has work. */
function manyPools(count: number): string {
  const pools = Array.from(
    { length: count },
    (_, i) => `    { block = "${(i + 1) * 4 + (i % 50 === 7 ? 2 : 0)}", capacity = ${((i * 7) % 13) + 1} }, # pool ${i}`,
  );
  return `[memory.flash]\nsize = "1M"\norigin = 0x08000000\n\n[memory.ram]\nsize = "256K"\norigin = 0x20000000\n\n[heap.main]\nsize = "128K"\npools = [\n${pools.join('\n')}\n]\n\n[linker]\nplatform = "arm"\n`;
}

const rows: Record<string, string | number>[] = [];
const inputs: [string, string][] = [
  ['200 pools (generated)', manyPools(200)],
  ...corpusFiles().map((f): [string, string] => [basename(f), readFileSync(f, 'utf8')]),
];
for (const [name, text] of inputs) {
  const timing = measure(() => diagnose(text));
  rows.push({
    file: name,
    bytes: text.length,
    diagnostics: diagnose(text),
    'median ms': timing.medianMs.toFixed(3),
    'min ms': timing.minMs.toFixed(3),
    runs: timing.runs,
  });
}
table(rows);
