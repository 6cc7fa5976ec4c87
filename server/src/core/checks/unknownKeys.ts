// Keys Drone does not know. Drone's serde structs ignore unknown fields, so a typo like
// `capacty` silently does nothing (and the real key is then missing). Each unknown key
// gets a warning with the closest known key as a one-click rename.
import type { DroneConfig } from '../config/droneConfig';
import type { TomlTable } from '../config/tomlTree';
import type { Check, Finding } from './finding';
import { didYouMean } from './util';

const MAIN_HEAP_KEYS = ['size', 'pools'];
const EXTRA_HEAP_KEYS = ['origin', 'size', 'pools'];
const POOL_KEYS = ['block', 'capacity'];
const MEMORY_KEYS = ['size', 'origin'];

export const checkUnknownKeys: Check = (config) => {
  const findings: Finding[] = [];
  for (const heap of config.heaps) {
    const known = heap.isExtra ? EXTRA_HEAP_KEYS : MAIN_HEAP_KEYS;
    for (const entry of heap.table.entries) {
      if (known.includes(entry.key)) continue;
      if (entry.key === 'origin' && !heap.isExtra) {
        findings.push({
          code: 'unknown-key',
          severity: 'warning',
          span: entry.keySpan,
          message: `Drone ignores \`origin\` on \`${heap.qualifiedName}\`: the main heap is always placed at the end of \`memory.ram\`.`,
          fixes: [],
          unnecessary: true,
        });
        continue;
      }
      // In the legacy shape, a sub-table of `[heap]` is probably an attempt at 0.14's `[heap.NAME]`.
      const note =
        heap.legacy && entry.value.kind === 'table' ? ' Extra heaps (`[heap.NAME]`) need the 0.14 shape with `[heap.main]`.' : '';
      findings.push(unknownKey(config, heap.table, entry.key, known, `\`${heap.qualifiedName}\``, note));
    }
    for (const pool of heap.pools?.items ?? []) {
      for (const entry of pool.table.entries) {
        if (!POOL_KEYS.includes(entry.key))
          findings.push(unknownKey(config, pool.table, entry.key, POOL_KEYS, `pool ${pool.index + 1} of \`${heap.qualifiedName}\``, ''));
      }
    }
  }
  // In the 0.14 shape every entry of `[heap]` must be a heap table.
  if (config.heapTable && !config.heaps.some((h) => h.legacy)) {
    for (const entry of config.heapTable.entries) {
      if (entry.value.kind === 'table') continue;
      findings.push({
        code: 'wrong-type',
        severity: 'error',
        span: entry.span,
        message: `\`heap.${entry.key}\` must be a heap table like \`[heap.${entry.key}]\` with \`size\` and \`pools\`.`,
        fixes: [],
      });
    }
  }
  for (const region of config.memory) {
    for (const entry of region.table.entries) {
      if (!MEMORY_KEYS.includes(entry.key))
        findings.push(unknownKey(config, region.table, entry.key, MEMORY_KEYS, `\`memory.${region.name}\``, ''));
    }
  }
  return findings;
};

function unknownKey(config: DroneConfig, table: TomlTable, key: string, known: string[], where: string, note: string): Finding {
  const entry = table.entries.find((e) => e.key === key)!;
  const suggestion = didYouMean(
    key,
    known.filter((k) => !table.entries.some((e) => e.key === k)),
  );
  const finding: Finding = {
    code: 'unknown-key',
    severity: 'warning',
    span: entry.keySpan,
    message: `Drone does not know \`${key}\` in ${where} and ignores it.${suggestion ? ` Did you mean \`${suggestion}\`?` : ` Known keys: ${known.map((k) => `\`${k}\``).join(', ')}.`}${note}`,
    fixes: [],
  };
  if (suggestion) {
    // Quoted keys keep their quotes around the corrected name.
    const written = config.text.slice(entry.keySpan.start, entry.keySpan.end);
    const quote = written.startsWith('"') || written.startsWith("'") ? written[0] : '';
    finding.fixes.push({
      title: `Rename \`${key}\` to \`${suggestion}\``,
      edits: [{ span: entry.keySpan, newText: `${quote}${suggestion}${quote}` }],
      preferred: true,
    });
  }
  return finding;
}
