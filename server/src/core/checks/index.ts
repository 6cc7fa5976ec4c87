// Runs every check rule over a Drone.toml. The order of the list is the order in which
// findings are reported for the same position.
import { decodeUtf8 } from '../config/decode';
import { parseDroneConfig, type ConfigParse } from '../config/droneConfig';
import { applyEdits, LineIndex } from '../config/span';
import { checkBlockAlignment } from './blockAlignment';
import { checkDuplicateBlocks } from './duplicateBlocks';
import { DEFAULT_CHECK_OPTIONS, type Check, type CheckOptions, type Finding } from './finding';
import { checkPlacement } from './placement';
import { checkPoolOrder } from './poolOrder';
import { checkPoolSum } from './poolSum';
import { checkRequiredKeys } from './requiredKeys';
import { checkUnknownKeys } from './unknownKeys';
import { checkValueTypes } from './valueTypes';
import { checkZeroPools } from './zeroPools';

export * from './finding';

const RULES: Check[] = [
  checkValueTypes,
  checkRequiredKeys,
  checkUnknownKeys,
  checkPoolSum,
  checkBlockAlignment,
  checkZeroPools,
  checkDuplicateBlocks,
  checkPoolOrder,
  checkPlacement,
];

export interface CheckResult {
  parse: ConfigParse;
  findings: Finding[];
}

/**
 * Parses and checks a Drone.toml. A TOML syntax error yields exactly one finding: while
 * the user is typing, a half-written line must not produce a cascade of bogus errors.
 */
export function checkDroneToml(text: string, options: CheckOptions = DEFAULT_CHECK_OPTIONS): CheckResult {
  const parse = parseDroneConfig(text);
  if (!parse.ok) {
    return {
      parse,
      findings: [{ code: 'toml-syntax', severity: 'error', span: parse.error.span, message: parse.error.message, fixes: [] }],
    };
  }
  const findings = RULES.flatMap((rule) => rule(parse.config, options));
  findings.sort((a, b) => a.span.start - b.span.start);
  return { parse, findings };
}

/**
 * checkDroneToml for a file's bytes (what the CLI reads): a file that is not UTF-8 gets one
 * `toml-syntax` finding at its first bad byte; a UTF-8 byte order mark is dropped. `text`
 * is what the findings' spans point into.
 */
export function checkDroneTomlBytes(bytes: Uint8Array, options: CheckOptions = DEFAULT_CHECK_OPTIONS): CheckResult & { text: string } {
  const decoded = decodeUtf8(bytes);
  if (decoded.ok) return { ...checkDroneToml(decoded.text, options), text: decoded.text };
  const { error, text } = decoded;
  return {
    parse: { ok: false, error, lines: new LineIndex(text) },
    findings: [{ code: 'toml-syntax', severity: 'error', span: error.span, message: error.message, fixes: [] }],
    text,
  };
}

/**
 * Applies the preferred fix of every finding, one at a time with a fresh check after
 * each (fixes of different findings may touch the same text, e.g. a block and the size),
 * until nothing preferred is left. Returns the final text.
 */
export function fixAll(text: string, options: CheckOptions = DEFAULT_CHECK_OPTIONS): string {
  let current = text;
  // Every round removes at least one finding; the bound only guards against a fix that
  // would re-create what it repairs.
  for (let round = 0; round < 200; round++) {
    const { findings } = checkDroneToml(current, options);
    const fix = findings.flatMap((f) => f.fixes).find((f) => f.preferred);
    if (!fix) break;
    const next = applyEdits(current, fix.edits);
    if (next === current) break;
    current = next;
  }
  return current;
}
