// `drone-heap compare --trace FILE [--config Drone.toml] [--heap main] [--json] [--indexes N]`:
// replays a trace through a heap's Drone pools and two general-purpose allocator models on
// a region of the heap's size, side by side. It is a comparison: exit 0 whenever the input
// was usable (failures included), 2 on unusable input.
import { compareTraceFile, modelledHeapBytes, type CompareResult } from '../core/alloc/compare';
import { DEFAULT_DEFRAG_INDEXES } from '../core/alloc/models';
import type { AllocModelResult } from '../core/alloc/result';
import { formatPercent } from '../core/config/sizes';
import { plural } from '../../../common/format';
import { loadHeapWithPools } from './heapInput';
import { describeReadError, EXIT_OK, EXIT_USAGE, parseArgs, UsageError, type CliIO } from './io';
import { describeReading, formatTable, isUnusable, progressOptions, requireTrace } from './traceInput';
import { offloadDefragModels, withHelpers } from '../threads/helperThread';

export const COMPARE_USAGE = `Usage: drone-heap compare --trace FILE [--config Drone.toml] [--heap main] [--json] [--indexes N]
Replays a heap trace through the pools of a heap in Drone.toml and through two general-purpose
allocators on one region of the heap's size: best fit with coalescing (metadata outside the
region, sizes rounded to 4 B) and the defrag crate's style (8 B per block, N allocation
indexes, default ${DEFAULT_DEFRAG_INDEXES}; also with defrag() compacting when fragmentation would fail a request).
Exit status: 0 the comparison was made (whatever failed), 2 unusable input.`;

export async function runCompare(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, ['json', 'help'], ['config', 'heap', 'trace', 'indexes']);
  if (parsed.flags.has('help')) {
    io.stdout(COMPARE_USAGE + '\n');
    return EXIT_OK;
  }
  const trace = requireTrace(parsed.options);
  const configPath = parsed.options.get('config') ?? 'Drone.toml';
  const heapName = parsed.options.get('heap') ?? 'main';
  const indexesText = parsed.options.get('indexes');
  const indexes = indexesText === undefined ? undefined : Number(indexesText);
  if (indexes !== undefined && (!/^\d+$/.test(indexesText!) || !Number.isSafeInteger(indexes)))
    throw new UsageError(`--indexes needs a whole number, not "${indexesText}"`);

  const loaded = loadHeapWithPools(io, configPath, heapName);
  if (!loaded) return EXIT_USAGE;
  const { heap, pools } = loaded;
  const heapBytes = modelledHeapBytes(heap);

  let result: CompareResult;
  try {
    // A large trace on a multi-core machine: each defrag model replays in a helper thread of
    // its own while this one replays the pools and best fit. The time series are for charts:
    // the CLI prints none, so the replays skip them.
    result = await withHelpers(
      () => offloadDefragModels(__filename, require.main === module, trace, heapBytes, { indexes, series: false }),
      (helpers) => compareTraceFile(trace, pools, heapBytes, { ...progressOptions(io), indexes, series: false, offload: helpers?.offload }),
    );
  } catch (error) {
    io.stderr(`drone-heap: ${describeReadError(trace, error)}\n`);
    return EXIT_USAGE;
  }
  const { drone } = result;
  if (isUnusable(drone.format, drone.problem)) {
    io.stderr(`drone-heap: ${trace} is not a heap trace this tool knows: ${drone.problem?.message ?? 'no format detected'}\n`);
    return EXIT_USAGE;
  }

  if (parsed.flags.has('json')) {
    // The time series are for charts; the CLI leaves them out to keep the output readable.
    const { series: _d, droneStats: _s, pools: dronePools, ...droneRest } = drone;
    const model = ({ series: _m, ...rest }: AllocModelResult) => rest;
    const json = {
      config: configPath,
      heap: heap.name,
      trace,
      heapBytes: result.heapBytes,
      drone: {
        ...droneRest,
        peakBytesInUse: drone.peakReservedBytes,
        peakAt: drone.peakReservedAt,
        pools: dronePools.map(({ sizes: _z, ...p }) => p),
      },
      bestFit: model(result.bestFit),
      defrag: model(result.defrag),
      defragCompacting: model(result.defragCompacting),
    };
    io.stdout(JSON.stringify(json, null, 2) + '\n');
  } else {
    io.stdout(describeComparison(configPath, heap.qualifiedName, trace, result).join('\n') + '\n');
  }
  return EXIT_OK;
}

function describeComparison(configPath: string, heapName: string, trace: string, result: CompareResult): string[] {
  const { drone, bestFit, defrag, defragCompacting, heapBytes } = result;
  const lines = describeReading(trace, drone.format, drone.events, drone.warnings, drone.problem);
  lines.push(
    `${heapName} in ${configPath}: ${heapBytes} B; Drone's pools hold ${drone.heapBytes} B in ${plural(drone.pools.length, 'pool')}`,
    '',
  );
  const first = (at: number | null) => (at === null ? '—' : `event ${at}`);
  const bytes = (n: number) => `${n} B (${formatPercent(n, heapBytes)})`;
  const fraction = (x: number) => formatPercent(x, 1);
  const modelRow = (label: string, m: AllocModelResult) => [
    label,
    m.failures,
    first(m.firstFailure),
    bytes(m.peakBytesInUse),
    `${m.largestFreeRunAtPeak} B`,
    fraction(m.maxExternalFragmentation),
    kindsOf(m),
  ];
  lines.push(
    ...formatTable(
      ['allocator', 'failures', 'first failure', 'peak in use', 'largest free run at peak', 'max ext. frag.', 'failure kinds'],
      [
        [
          'drone pools',
          drone.failures,
          first(drone.firstFailure),
          bytes(drone.peakReservedBytes),
          '—',
          '—',
          drone.failuresTooLarge ? `${drone.failuresTooLarge} larger than every block` : '',
        ],
        modelRow('best fit', bestFit),
        modelRow(`defrag (${defrag.indexes} indexes)`, defrag),
        modelRow('defrag + compaction', defragCompacting),
      ],
    ),
  );
  lines.push('');
  lines.push(
    `defrag with compaction: ${plural(defragCompacting.compactions, 'compaction')} moved ${defragCompacting.bytesMoved} B; ${plural(defragCompacting.failures, 'failure')} left (${defrag.failureKinds.fragmented} fragmented ones without compaction)`,
  );
  lines.push(
    `live blocks at most: ${bestFit.peakBlocks} with best fit (defrag needs an index for each; it has ${defrag.indexes}, see --indexes)`,
  );
  lines.push('peak in use: Drone = Σ block size of the blocks in use; the models = Σ request rounded to 4 B (+ 8 B per block for defrag)');
  lines.push('external fragmentation = 1 − largest free run ÷ free bytes, the maximum over the trace');
  if (drone.unmatchedFrees > 0)
    lines.push(`unmatched frees: ${drone.unmatchedFrees} (first at event ${drone.firstUnmatchedFree}); the capture probably started late`);
  return lines;
}

function kindsOf(m: AllocModelResult): string {
  const parts: string[] = [];
  if (m.failureKinds.outOfMemory) parts.push(`${m.failureKinds.outOfMemory} out of memory`);
  if (m.failureKinds.outOfIndexes) parts.push(`${m.failureKinds.outOfIndexes} out of indexes`);
  if (m.failureKinds.fragmented) parts.push(`${m.failureKinds.fragmented} fragmented`);
  return parts.join(', ');
}
