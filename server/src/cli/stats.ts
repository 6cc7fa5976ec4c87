// `drone-heap stats --trace FILE [--json]`: Drone's own per-size statistics of a trace
// (what `drone heap` prints): max load and allocations per size, and the "maximum heap
// load" Σ size × max load — plus the real peak of live bytes, which Drone does not show.
import { droneStatsOfFile } from '../core/replay/simulate';
import { describeReadError, EXIT_OK, EXIT_USAGE, parseArgs, type CliIO } from './io';
import { describeReading, formatTable, isUnusable, progressOptions, requireTrace } from './traceInput';

export const STATS_USAGE = `Usage: drone-heap stats --trace FILE [--json]
Per-size statistics of a heap trace, comparable with \`drone heap\`.
Exit status: 0 read, 2 unusable arguments or unreadable/unrecognised trace.`;

export async function runStats(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, ['json', 'help'], ['trace']);
  if (parsed.flags.has('help')) {
    io.stdout(STATS_USAGE + '\n');
    return EXIT_OK;
  }
  const trace = requireTrace(parsed.options);
  let outcome: Awaited<ReturnType<typeof droneStatsOfFile>>;
  try {
    outcome = await droneStatsOfFile(trace, progressOptions(io));
  } catch (error) {
    io.stderr(`drone-heap: ${describeReadError(trace, error)}\n`);
    return EXIT_USAGE;
  }
  const { stats, read } = outcome;
  if (isUnusable(read.format, read.problem)) {
    io.stderr(`drone-heap: ${trace} is not a heap trace this tool knows: ${read.problem?.message ?? 'no format detected'}\n`);
    return EXIT_USAGE;
  }
  if (parsed.flags.has('json')) {
    io.stdout(JSON.stringify({ format: read.format, warnings: read.warnings, problem: read.problem, ...stats }, null, 2) + '\n');
    return EXIT_OK;
  }
  const lines = describeReading(trace, read.format, stats.events, read.warnings, read.problem);
  lines.push(
    '',
    ...formatTable(
      ['size', 'max load', 'allocations'],
      stats.sizes.map((s) => [s.size, s.maxLoad, s.allocations]),
    ),
  );
  lines.push('');
  lines.push(`maximum heap load: ${stats.maximumHeapLoad} B (Σ size × max load, as drone reports it: assumes every per-size peak at once)`);
  lines.push(
    `real peak of live bytes: ${stats.peakLiveBytes} B${stats.peakLiveBytesAt !== null ? ` at event ${stats.peakLiveBytesAt}` : ''}`,
  );
  if (stats.unmatchedFrees > 0)
    lines.push(`unmatched frees: ${stats.unmatchedFrees} (first at event ${stats.firstUnmatchedFree}); the capture probably started late`);
  io.stdout(lines.join('\n') + '\n');
  return EXIT_OK;
}
