// What `stats` and `simulate` share: reading a trace with progress on a terminal, and
// describing what reading found (format, the lossy 0.14 warning, corrupt data).
import { FORMAT_DESCRIPTIONS, type TraceFormat, type TraceProblem } from '../core/trace/formats';
import type { TraceReadOptions } from '../core/trace/readTrace';
import { UsageError, type CliIO } from './io';
import { plural } from '../../../common/format';

/** Progress on stderr for long files, only when a person is watching. */
export function progressOptions(io: CliIO): TraceReadOptions {
  if (!io.isInteractive) return {};
  let lastPercent = -1;
  return {
    onProgress: (bytesRead, totalBytes) => {
      const percent = totalBytes > 0 ? Math.floor((bytesRead / totalBytes) * 100) : 0;
      if (percent === lastPercent || totalBytes < 16 << 20) return;
      lastPercent = percent;
      io.stderr(`\rreading trace: ${percent}%${percent === 100 ? '\n' : ''}`);
    },
  };
}

export function requireTrace(options: Map<string, string>): string {
  const trace = options.get('trace');
  if (!trace) throw new UsageError('--trace FILE is required');
  return trace;
}

/** The lines to print before the figures: what the file is, and what to distrust. */
export function describeReading(
  trace: string,
  format: TraceFormat | null,
  events: number,
  warnings: string[],
  problem: TraceProblem | null,
): string[] {
  const lines = [`${trace}: ${format ? FORMAT_DESCRIPTIONS[format] : 'unknown format'}, ${plural(events, 'event')}`];
  for (const warning of warnings) lines.push(`warning: ${warning}`);
  if (problem)
    lines.push(
      `warning: corrupt data at byte ${problem.byteOffset} (event ${problem.eventIndex}): ${problem.message} The figures cover the ${plural(events, 'event')} before it.`,
    );
  return lines;
}

/** A trace that is not a trace at all (nothing decodable) is unusable input. */
export function isUnusable(format: TraceFormat | null, problem: TraceProblem | null): boolean {
  return format === null || problem?.kind === 'unrecognised-format';
}

/** Right-aligned columns for terminal tables. */
export function formatTable(header: string[], rows: (string | number)[][]): string[] {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) =>
    row
      .map((cell, i) => cell.padStart(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}
