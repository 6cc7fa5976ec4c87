// `drone-heap simulate [--config Drone.toml] [--heap main] --trace FILE [--json]`:
// replays a trace through a heap's pools exactly as Drone's allocator would serve it.
// Exit 1 when the trace causes failures, 0 when it is served, 2 on unusable input.
import { poolMarkers } from '../core/replay/describeReplay';
import type { ReplayResult } from '../core/replay/result';
import { simulateTraceFile } from '../core/replay/simulate';
import { formatPercent } from '../core/config/sizes';
import { loadHeapWithPools } from './heapInput';
import { describeReadError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, parseArgs, type CliIO } from './io';
import { describeReading, formatTable, isUnusable, progressOptions, requireTrace } from './traceInput';
import { plural } from '../../../common/format';

export const SIMULATE_USAGE = `Usage: drone-heap simulate [--config Drone.toml] [--heap main] --trace FILE [--json]
Replays a heap trace through the pools of a heap in Drone.toml.
Exit status: 0 the trace is served, 1 it causes allocation failures, 2 unusable input.`;

export async function runSimulate(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, ['json', 'help'], ['config', 'heap', 'trace']);
  if (parsed.flags.has('help')) {
    io.stdout(SIMULATE_USAGE + '\n');
    return EXIT_OK;
  }
  const trace = requireTrace(parsed.options);
  const configPath = parsed.options.get('config') ?? 'Drone.toml';
  const heapName = parsed.options.get('heap') ?? 'main';

  const loaded = loadHeapWithPools(io, configPath, heapName);
  if (!loaded) return EXIT_USAGE;
  const { heap, pools } = loaded;

  let result: ReplayResult;
  try {
    // The time series is for charts: the CLI prints none, so the replay skips it.
    result = await simulateTraceFile(trace, pools, { ...progressOptions(io), series: false });
  } catch (error) {
    io.stderr(`drone-heap: ${describeReadError(trace, error)}\n`);
    return EXIT_USAGE;
  }
  if (isUnusable(result.format, result.problem)) {
    io.stderr(`drone-heap: ${trace} is not a heap trace this tool knows: ${result.problem?.message ?? 'no format detected'}\n`);
    return EXIT_USAGE;
  }

  if (parsed.flags.has('json')) {
    // The time series is for charts; the CLI leaves it out to keep the output readable.
    const { series: _series, ...rest } = result;
    io.stdout(JSON.stringify({ config: configPath, heap: heap.name, trace, ...rest }, null, 2) + '\n');
  } else {
    io.stdout(describeSimulation(configPath, heap.qualifiedName, trace, result).join('\n') + '\n');
  }
  return result.failures > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

function describeSimulation(configPath: string, heapName: string, trace: string, result: ReplayResult): string[] {
  const lines = describeReading(trace, result.format, result.events, result.warnings, result.problem);
  lines.push(`${heapName} in ${configPath}: ${result.heapBytes} B in ${plural(result.pools.length, 'pool')}`, '');
  lines.push(
    ...formatTable(
      ['block', 'capacity', 'peak', 'use', 'allocations', 'overflow in', 'failures', 'frag at peak', 'never used', ''],
      result.pools.map((p) => [
        p.block,
        p.capacity,
        p.peak,
        formatPercent(p.peak, p.capacity),
        p.allocations,
        p.overflowIn,
        p.failures,
        `${p.fragmentationAtHeapPeak} B`,
        p.neverUsed,
        poolMarkers(p).join(' · '),
      ]),
    ),
  );
  lines.push('');
  lines.push(
    result.failures === 0
      ? 'served: no allocation failed'
      : `FAILED: ${result.failures} allocation failures, the first at event ${result.firstFailure} (the program would abort there)${result.failuresTooLarge ? `; ${result.failuresTooLarge} larger than every block` : ''}`,
  );
  lines.push(
    `peak requested ${result.peakRequestedBytes} B, peak reserved ${result.peakReservedBytes} B of ${result.heapBytes} B (${formatPercent(result.peakReservedBytes, result.heapBytes)}); internal fragmentation at the peak ${result.fragmentationAtHeapPeak} B`,
  );
  if (result.unmatchedFrees > 0)
    lines.push(
      `unmatched frees: ${result.unmatchedFrees} (first at event ${result.firstUnmatchedFree}); the capture probably started late`,
    );
  lines.push(`drone's maximum heap load: ${result.droneStats.maximumHeapLoad} B (see \`drone-heap stats\`)`);
  return lines;
}
