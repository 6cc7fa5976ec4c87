// What a check reports: a problem at a span, with a stable code and the fixes that
// repair it. A fix is already a list of text edits on the original text, so the LSP
// shell (code actions), the CLI and the tests all apply exactly the same change.
import type { Span, TextEdit } from '../config/span';
import type { DroneConfig } from '../config/droneConfig';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Every diagnostic code the checks can emit; stable, documented in the README. */
export const DIAGNOSTIC_CODES = [
  'toml-syntax',
  'bare-integer-size',
  'invalid-size',
  'wrong-type',
  'invalid-integer',
  'missing-key',
  'pool-sum-mismatch',
  'block-misaligned',
  'zero-block',
  'zero-capacity',
  'duplicate-block',
  'pools-unsorted',
  'heap-exceeds-ram',
  'heap-outside-memory',
  'heap-overlap',
  'unknown-key',
  // From a replayed heap trace (core/replay/traceFindings.ts):
  'trace-failure',
  'trace-overflow',
  'trace-unused-pool',
  'trace-oversized-block',
  'trace-problem',
  'trace-lossy-format',
  // From the built firmware's RAM layout (core/firmware/firmwareFindings.ts):
  'ram-overflow',
  'stack-room-low',
  'firmware-stale',
  'heap-overlaps-section',
  // From the heap's state in the device's memory (core/device/deviceFindings.ts):
  'device-pool-full',
  'device-firmware-mismatch',
  'device-memory-problem',
] as const;
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The obvious repair: VS Code offers it first, and "fix all" applies it. */
  preferred?: boolean;
}

export interface Finding {
  code: DiagnosticCode;
  severity: Severity;
  span: Span;
  message: string;
  fixes: Fix[];
  /** Marks code that does nothing (rendered faded by editors). */
  unnecessary?: boolean;
}

export interface CheckOptions {
  /** Bytes per machine word: 4 on every Drone target (Cortex-M, 32-bit RISC-V). */
  wordSize: number;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = { wordSize: 4 };

export type Check = (config: DroneConfig, options: CheckOptions) => Finding[];
