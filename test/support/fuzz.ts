// Random mutations of Drone.toml texts, deterministic for a seed: used by the fuzz test
// (fixed seed, a few thousand cases) and by bench/fuzz (long runs, any seed).
import { checkDroneToml, fixAll } from '../../server/src/core/checks/index';
import { applyEdits } from '../../server/src/core/config/span';

// Characters that matter to TOML and to size strings.
const ALPHABET = [
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '=',
  ',',
  '#',
  '\n',
  ' ',
  '.',
  'K',
  'M',
  'k',
  'x',
  '0',
  '1',
  '4',
  '9',
  '-',
  '_',
  'block',
  'capacity',
  'size',
  'pools',
  'origin',
  '"0x',
  '99999999999',
];

export function mutate(text: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  const at = pick(text.length + 1);
  switch (pick(6)) {
    case 0: // delete a short range
      return text.slice(0, at) + text.slice(at + 1 + pick(12));
    case 1: // insert a token
      return text.slice(0, at) + ALPHABET[pick(ALPHABET.length)] + text.slice(at);
    case 2: {
      // duplicate a range (duplicate keys, tables, pools)
      const end = Math.min(text.length, at + pick(80));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 3: {
      // swap two lines
      const lines = text.split('\n');
      const a = pick(lines.length);
      const b = pick(lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 4: // replace a number by an absurd one
      return text.replace(/\d+/g, (m) => (random() < 0.1 ? String([0, 3, 4294967296, 1e30, 7][pick(5)]) : m));
    default: // truncate
      return text.slice(0, at);
  }
}

/**
 * Checks one input the way an editor would use it: all findings inside the text, all
 * fixes applicable, fix-all terminating. Throws on any violation.
 */
export function exercise(text: string): number {
  const { findings } = checkDroneToml(text);
  for (const finding of findings) {
    if (finding.span.start < 0 || finding.span.end > text.length || finding.span.start > finding.span.end) {
      throw new Error(`finding ${finding.code} has span ${JSON.stringify(finding.span)} outside the text (${text.length})`);
    }
    if (!finding.message) throw new Error(`finding ${finding.code} has no message`);
    for (const fix of finding.fixes) applyEdits(text, fix.edits);
  }
  fixAll(text);
  return findings.length;
}
