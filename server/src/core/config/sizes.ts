// Size strings as Drone reads them (`size = "10K"`, `block = "0x20"`): the linker-script
// grammar of Drone's config crate (an optional upper-case K or M suffix; 0x hex, leading-0
// octal, else decimal; a u32). Parsing never throws; it explains what is wrong so a
// diagnostic can say it and a quick fix can offer the repaired text.

export const U32_MAX = 0xffff_ffff;
const KIB = 1024;
const MIB = 1024 * 1024;

export type SizeParse =
  | { ok: true; value: number }
  | { ok: false; reason: string; /** A corrected string with the same intended value, if one is obvious. */ suggestion?: string };

/** Parses a Drone size string: optional upper-case K/M suffix, 0x hex, leading-0 octal, else decimal; u32. */
export function parseSize(text: string): SizeParse {
  if (text.length === 0) return { ok: false, reason: 'the size is empty' };
  if (/\s/.test(text)) {
    const squeezed = text.replace(/\s+/g, '');
    const checked = parseSize(squeezed);
    return { ok: false, reason: 'a size must not contain spaces', suggestion: checked.ok ? squeezed : checked.suggestion };
  }
  let digits = text;
  let multiplier = 1;
  const last = text[text.length - 1];
  if (last === 'K' || last === 'M') {
    multiplier = last === 'K' ? KIB : MIB;
    digits = text.slice(0, -1);
  } else if (last === 'k' || last === 'm') {
    const fixed = text.slice(0, -1) + last.toUpperCase();
    const checked = parseSize(fixed);
    return { ok: false, reason: `the suffix must be upper case ("${last.toUpperCase()}")`, suggestion: checked.ok ? fixed : undefined };
  } else {
    const unit = /^(.*?)\s*([kKmM])i?[bB]$/.exec(text);
    if (unit) {
      const fixed = unit[1] + unit[2].toUpperCase();
      const checked = parseSize(fixed);
      return {
        ok: false,
        reason: `Drone knows only the suffixes K and M, not "${text.slice(unit[1].length)}"`,
        suggestion: checked.ok ? fixed : undefined,
      };
    }
  }
  const number = parseUnsigned(digits);
  if (!number.ok) return number;
  const value = number.value * multiplier;
  if (value > U32_MAX) return { ok: false, reason: `${text} is ${value} bytes, more than a 32-bit size can hold (${U32_MAX})` };
  return { ok: true, value };
}

function parseUnsigned(digits: string): SizeParse {
  if (digits.length === 0) return { ok: false, reason: 'a number is missing before the suffix' };
  let radix = 10;
  let body = digits;
  if (/^0[xX]/.test(digits)) {
    radix = 16;
    body = digits.slice(2);
  } else if (digits.length > 1 && digits[0] === '0') {
    radix = 8; // As in linker scripts: "010" is eight. Surprising, so the hover says so.
    body = digits.slice(1);
  }
  const pattern = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!pattern.test(body)) {
    const kind = radix === 16 ? 'a hexadecimal' : radix === 8 ? 'an octal (it starts with 0)' : 'a decimal';
    return { ok: false, reason: `"${digits}" is not ${kind} number` };
  }
  // Parse digit by digit so that huge inputs stop early instead of losing precision.
  let value = 0;
  for (const ch of body) {
    value = value * radix + parseInt(ch, radix);
    if (value > U32_MAX) return { ok: false, reason: `"${digits}" does not fit in 32 bits (maximum ${U32_MAX})` };
  }
  return { ok: true, value };
}

/** Formats bytes the way `drone` writes sizes: "NM" when divisible by 1 MiB, "NK" by 1 KiB, else decimal. */
export function formatSize(bytes: number): string {
  if (bytes === 0) return '0';
  if (bytes % MIB === 0) return `${bytes / MIB}M`;
  if (bytes % KIB === 0) return `${bytes / KIB}K`;
  return String(bytes);
}

/** Human-readable byte count for hovers and hints: "1008 B", "10 KiB (10240 B)". */
export function describeBytes(bytes: number): string {
  if (bytes < KIB || bytes % KIB !== 0) return `${bytes} B`;
  if (bytes % MIB === 0) return `${bytes / MIB} MiB (${bytes} B)`;
  return `${bytes / KIB} KiB (${bytes} B)`;
}

// Addresses and percentages are written as on every other surface (common/format.ts).
export { formatAddress, formatPercent } from '../../../../common/format';
