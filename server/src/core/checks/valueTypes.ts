// Values Drone cannot deserialise: sizes that are not size strings, integers that are
// not u32, pools that are not tables. Drone fails the build on all of these with a
// serde message far from the line; here each gets its own diagnostic on the value.
import { replaceStringValue, replaceValue, replaceWithString } from '../config/edits';
import type { DroneConfig, IntegerField, SizeField } from '../config/droneConfig';
import { formatSize, parseSize, U32_MAX } from '../config/sizes';
import { describeKind } from '../config/tomlTree';
import type { Check, Finding } from './finding';
import { capitalise } from './util';

export const checkValueTypes: Check = (config) => {
  const findings: Finding[] = [];
  for (const heap of config.heaps) {
    const name = heap.qualifiedName;
    if (heap.size) findings.push(...checkSize(config, heap.size, `\`${name}.size\``));
    if (heap.origin && heap.isExtra) findings.push(...checkInteger(heap.origin, `\`${name}.origin\``, 'address'));
    const pools = heap.pools;
    if (pools && !pools.isArray) {
      findings.push({
        code: 'wrong-type',
        severity: 'error',
        span: pools.entry.value.span,
        message: `\`${name}.pools\` must be an array of pools like \`[{ block = "4", capacity = 100 }]\`, not ${describeKind(pools.entry.value)}.`,
        fixes: [],
      });
    }
    for (const item of pools?.invalidItems ?? []) {
      findings.push({
        code: 'wrong-type',
        severity: 'error',
        span: item.value.span,
        message: `Pool ${item.index + 1} of \`${name}\` must be an inline table like \`{ block = "4", capacity = 100 }\`, not ${describeKind(item.value)}.`,
        fixes: [],
      });
    }
    for (const pool of pools?.items ?? []) {
      const where = `pool ${pool.index + 1} of \`${name}\``;
      if (pool.block) findings.push(...checkSize(config, pool.block, `the block of ${where}`));
      if (pool.capacity) findings.push(...checkInteger(pool.capacity, `the capacity of ${where}`, 'count'));
    }
  }
  for (const region of config.memory) {
    if (region.size) findings.push(...checkSize(config, region.size, `\`memory.${region.name}.size\``));
    if (region.origin) findings.push(...checkInteger(region.origin, `\`memory.${region.name}.origin\``, 'address'));
  }
  return findings;
};

function checkSize(config: DroneConfig, field: SizeField, what: string): Finding[] {
  const value = field.entry.value;
  if (value.kind === 'integer') {
    const bytes = value.value;
    if (bytes >= 0n && bytes <= BigInt(U32_MAX)) {
      const formatted = formatSize(Number(bytes));
      return [
        {
          code: 'bare-integer-size',
          severity: 'error',
          span: value.span,
          message: `${capitalise(what)} must be a string: Drone reads sizes as strings like "${formatted}" and rejects the bare integer ${value.literal}. Write "${formatted}".`,
          fixes: [{ title: `Quote as "${formatted}"`, edits: [replaceWithString(value, formatted)], preferred: true }],
        },
      ];
    }
    return [
      invalidSize(
        value.span,
        `${capitalise(what)} ${value.literal} is not a size Drone accepts: sizes are unsigned 32-bit (at most ${U32_MAX} bytes) and written as strings like "10K".`,
      ),
    ];
  }
  if (value.kind !== 'string') {
    return [
      {
        code: 'wrong-type',
        severity: 'error',
        span: value.span,
        message: `${capitalise(what)} must be a size string like "10K", "512" or "0x400", not ${describeKind(value)}.`,
        fixes: [],
      },
    ];
  }
  const parsed = parseSize(value.value);
  if (parsed.ok) return [];
  const finding = invalidSize(
    value.span,
    `"${value.value}" is not a valid size for ${what}: ${parsed.reason}.${parsed.suggestion ? ` Write "${parsed.suggestion}".` : ' Sizes look like "10K", "1M", "512", "0x400".'}`,
  );
  if (parsed.suggestion) {
    finding.fixes.push({
      title: `Change to "${parsed.suggestion}"`,
      edits: [replaceStringValue(config.text, value, parsed.suggestion)],
      preferred: true,
    });
  }
  return [finding];
}

function invalidSize(span: Finding['span'], message: string): Finding {
  return { code: 'invalid-size', severity: 'error', span, message, fixes: [] };
}

function checkInteger(field: IntegerField, what: string, meaning: 'count' | 'address'): Finding[] {
  const value = field.entry.value;
  if (value.kind === 'integer') {
    if (value.value >= 0n && value.value <= BigInt(U32_MAX)) return [];
    return [
      {
        code: 'invalid-integer',
        severity: 'error',
        span: value.span,
        message: `${capitalise(what)} must be between 0 and ${U32_MAX} (an unsigned 32-bit ${meaning}); ${value.literal} is out of range.`,
        fixes: [],
      },
    ];
  }
  const finding: Finding = {
    code: 'wrong-type',
    severity: 'error',
    span: value.span,
    message: `${capitalise(what)} must be a TOML integer${meaning === 'address' ? ' such as 0x20000000' : ''}, not ${describeKind(value)}.`,
    fixes: [],
  };
  // A quoted number ("118", "0x20000000") or an integral float (118.0) has an obvious repair.
  const repaired = integerFromMistypedValue(value);
  if (repaired !== undefined) {
    finding.message += ` Write ${repaired}.`;
    finding.fixes.push({ title: `Change to ${repaired}`, edits: [replaceValue(value, repaired)], preferred: true });
  }
  return [finding];
}

function integerFromMistypedValue(value: SizeField['entry']['value']): string | undefined {
  if (value.kind === 'string') {
    const text = value.value.trim();
    if (/^(0|[1-9][0-9]*)$/.test(text) && Number(text) <= U32_MAX) return text;
    if (/^0x[0-9a-fA-F]{1,8}$/.test(text)) return text;
  }
  if (value.kind === 'float' && Number.isInteger(value.value) && value.value >= 0 && value.value <= U32_MAX) return String(value.value);
  return undefined;
}
