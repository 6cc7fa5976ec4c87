// `drone-heap optimize [--config Drone.toml] [--heap main] --trace FILE [--pools N]
//   [--mode exact|drone] [--minimal] [--margin P] [--json] [--write]`:
// proposes the pools of a heap from a trace, verified by replaying the trace through them.
// Exit 0: a layout that serves the trace fits (and was written with --write); 1: none fits
// the heap's size (or, in drone mode, Drone's layout fails the replay); 2: unusable input.
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { findMemory, poolSpecs, type DroneConfig, type HeapConfig } from '../core/config/droneConfig';
import { readElfFile } from '../core/firmware/elf';
import { findFirmware } from '../core/firmware/findFirmware';
import { ramBudget, stackBytesWithHeap } from '../core/firmware/ramBudget';
import { NotARegularFileError } from '../core/regularFile';
import { describeBytes, formatPercent, formatSize } from '../core/config/sizes';
import { applyEdits } from '../core/config/span';
import { applyLayout } from '../core/layout/applyLayout';
import { formatHeapSection } from '../core/layout/format';
import {
  optimizeLayout,
  OptimizeInputError,
  type OptimizeCancelled,
  type OptimizeMode,
  type OptimizeProgress,
  type OptimizeResult,
} from '../core/layout/optimize';
import { fileTraceSource } from '../core/layout/traceSource';
import { loadHeap } from './heapInput';
import { helperThreadFor, OPTIMIZE_HELPER_MAX_BYTES, withHelpers } from '../threads/helperThread';
import { describeReadError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, parseArgs, UsageError, type CliIO } from './io';
import { parsePoolCount } from './starter';
import { describeReading, formatTable, requireTrace } from './traceInput';
import { plural } from '../../../common/format';

export const OPTIMIZE_USAGE = `Usage: drone-heap optimize [--config Drone.toml] [--heap main] --trace FILE [--pools N]
                          [--mode exact|drone] [--minimal] [--margin PERCENT] [--json] [--write]
Proposes the pools of a heap from a heap trace and replays the trace through them.
  --mode exact    (default) capacities from the real peak of each pool, fewest bytes
  --mode drone    Drone's \`heap generate\` method (per-size peaks added up), exact optimum
  --pools N       pools wanted (default: as many as the heap has, else 8)
  --minimal       the smallest heap that serves the trace, plus --margin (default 10%)
                  (without it: keep the heap's size, spare bytes become headroom)
  --write         put the layout into the file (only its pools and size change)
Exit status: 0 a layout serving the trace fits, 1 none fits the size, 2 unusable input.`;

export async function runOptimize(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, ['json', 'help', 'minimal', 'write'], ['config', 'heap', 'trace', 'pools', 'mode', 'margin']);
  if (parsed.flags.has('help')) {
    io.stdout(OPTIMIZE_USAGE + '\n');
    return EXIT_OK;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const trace = requireTrace(parsed.options);
  const mode = parseMode(parsed.options.get('mode'));
  const minimal = parsed.flags.has('minimal');
  const margin = parseMargin(parsed.options.get('margin'), minimal ? 10 : 0);
  const configPath = parsed.options.get('config') ?? 'Drone.toml';
  const heapName = parsed.options.get('heap') ?? 'main';

  const loaded = loadHeap(io, configPath, heapName);
  if (!loaded) return EXIT_USAGE;
  const { text, config, heap } = loaded;
  const size = heap.size?.bytes;
  if (!minimal && size === undefined) {
    io.stderr(
      `drone-heap: ${heap.qualifiedName} in ${configPath} has no valid \`size\` to fit; give one, or use --minimal to size the heap from the trace\n`,
    );
    return EXIT_USAGE;
  }
  const current = poolSpecs(heap);
  const pools = parsePoolCount(parsed.options.get('pools'), current && current.length > 0 ? current.length : 8);

  let outcome: OptimizeResult | OptimizeCancelled;
  const progress = progressPrinter(io);
  try {
    // A large trace on a multi-core machine: the replays of the current pools and of Drone's
    // layout run in a helper thread while this one collects steps and searches.
    outcome = await withHelpers(
      () => helperThreadFor(__filename, require.main === module, trace, OPTIMIZE_HELPER_MAX_BYTES),
      (helper) =>
        optimizeLayout(fileTraceSource(trace), {
          elsewhere: helper?.optimiserReplays(),
          mode,
          pools,
          target: minimal ? 'minimal' : 'fit',
          size,
          marginPercent: margin,
          current,
          onProgress: progress?.update,
        }),
    );
  } catch (error) {
    if (error instanceof OptimizeInputError) {
      io.stderr(`drone-heap: ${trace}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if ((error as NodeJS.ErrnoException).code || error instanceof NotARegularFileError) {
      io.stderr(`drone-heap: ${describeReadError(trace, error)}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    progress?.clear();
  }
  // The CLI reads the whole file and never cancels; say so rather than print a half result.
  if (outcome.cancelled) throw new Error('the optimisation stopped before its end');
  const result = outcome;

  let written = false;
  if (parsed.flags.has('write') && result.offered) {
    const edits = applyLayout(config, heap, { size: result.size, pools: result.pools });
    if (!edits.ok) {
      io.stderr(`drone-heap: cannot write the layout into ${configPath}: ${edits.reason}\n`);
      return EXIT_USAGE;
    }
    writeFileSync(configPath, applyEdits(text, edits.edits));
    written = true;
  }

  const stack = heap.isExtra ? null : stackRoom(configPath, config, result.size);
  if (parsed.flags.has('json')) {
    io.stdout(
      JSON.stringify(
        {
          ...toJson(configPath, heap, trace, result, written),
          stackBytesBefore: stack?.before ?? null,
          stackBytesAfter: stack?.after ?? null,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const ram = heap.isExtra ? undefined : findMemory(config, 'ram')?.size?.bytes;
    io.stdout(describe(configPath, heap, trace, result, { ram, stack, wantedWrite: parsed.flags.has('write'), written }).join('\n') + '\n');
  }
  // Already optimal is a success: there is nothing to fix.
  return result.offered || result.unchanged ? EXIT_OK : EXIT_PROBLEMS;
}

/**
 * The stack's room now and with the proposed heap, when the project's firmware is built (the
 * RAM budget, see `drone-heap ram`); null without a readable firmware for this RAM.
 */
function stackRoom(
  configPath: string,
  config: DroneConfig,
  proposedSize: number,
): { before: number; after: number; firmware: string } | null {
  const firmware = findFirmware(dirname(configPath)).path;
  if (!firmware) return null;
  try {
    const budget = ramBudget(config, readElfFile(firmware));
    if (!budget.ok || budget.budget.stackBytesAsWritten === null) return null;
    return { before: budget.budget.stackBytesAsWritten, after: stackBytesWithHeap(budget.budget, proposedSize), firmware };
  } catch {
    return null; // not a firmware this tool reads: `drone-heap ram` says why
  }
}

function parseMode(text: string | undefined): OptimizeMode {
  if (text === undefined || text === 'exact' || text === 'drone') return text ?? 'exact';
  throw new UsageError(`--mode must be "exact" or "drone", not "${text}"`);
}

function parseMargin(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.replace(/%$/, ''));
  if (!/^[0-9]+(\.[0-9]+)?%?$/.test(text) || value > 1000)
    throw new UsageError(`--margin must be a percentage from 0 to 1000, not "${text}"`);
  return value;
}

const PHASES: Record<OptimizeProgress['phase'], string> = {
  reading: 'reading trace',
  searching: 'searching layouts',
  verifying: 'verifying by replay',
};

/** "reading trace 42%" on stderr, redrawn in place, only when a person is watching. */
function progressPrinter(io: CliIO): { update: (progress: OptimizeProgress) => void; clear: () => void } | undefined {
  if (!io.isInteractive) return undefined;
  let shown = '';
  return {
    update: ({ phase, fraction }) => {
      const line = `${PHASES[phase]} ${Math.floor(fraction * 100)}%`;
      if (line === shown) return;
      shown = line;
      io.stderr(`\r${line.padEnd(30)}`);
    },
    clear: () => {
      if (shown) io.stderr(`\r${' '.repeat(30)}\r`);
    },
  };
}

function toJson(config: string, heap: HeapConfig, trace: string, r: OptimizeResult, written: boolean) {
  return {
    config,
    heap: heap.name,
    trace,
    format: r.trace.format,
    warnings: r.trace.warnings,
    problem: r.trace.problem,
    events: r.trace.events,
    distinctSizes: r.trace.distinctSizes,
    unmatchedFrees: r.trace.unmatchedFrees,
    mode: r.mode,
    target: r.target,
    poolsRequested: r.poolsRequested,
    pools: r.pools,
    size: r.size,
    requiredBytes: r.requiredBytes,
    fragmentation: r.fragmentation,
    needed: r.needed,
    marginPercent: r.marginPercent,
    sizeLimit: r.sizeLimit,
    fits: r.fits,
    verified: r.verified,
    offered: r.offered,
    unchanged: r.unchanged,
    written,
    search: r.search,
    before: r.before,
    after: r.after,
    drone: r.drone && {
      pools: r.drone.pools,
      size: r.drone.size,
      requiredBytes: r.drone.requiredBytes,
      fragmentation: r.drone.fragmentation,
      verified: r.drone.verified,
    },
    tradeoff: r.tradeoff,
  };
}

interface DescribeContext {
  /** memory.ram's size, for the main heap. */
  ram: number | undefined;
  /** The stack's room before and after, from the built firmware. */
  stack: { before: number; after: number; firmware: string } | null;
  wantedWrite: boolean;
  written: boolean;
}

function describe(
  config: string,
  heap: HeapConfig,
  trace: string,
  r: OptimizeResult,
  { ram, stack, wantedWrite, written }: DescribeContext,
): string[] {
  const lines = describeReading(trace, r.trace.format, r.trace.events, r.trace.warnings, r.trace.problem);
  if (r.trace.unmatchedFrees > 0)
    lines.push(
      `note: ${plural(r.trace.unmatchedFrees, 'free')} ${r.trace.unmatchedFrees === 1 ? 'matches' : 'match'} no live allocation (the capture probably started late); they are ignored`,
    );
  const method =
    r.mode === 'drone'
      ? "Drone's method (capacity = Σ of per-size max loads), optimal split"
      : `exact (capacity = the pool's real peak), ${r.search.optimal ? 'proven optimal' : `best found by local search, at most ${formatPercent(r.requiredBytes - r.search.lowerBound, r.search.lowerBound)} above the optimum`}`;
  const target = r.target === 'fit' ? `fitting size = "${formatSize(r.sizeLimit!)}"` : `smallest heap + ${r.marginPercent}% margin`;
  const poolsUsed =
    r.pools.length === r.poolsRequested
      ? plural(r.pools.length, 'pool')
      : `${plural(r.pools.length, 'pool')} (of ${r.poolsRequested} allowed)`;
  lines.push(`${heap.qualifiedName} in ${config}: ${poolsUsed}, ${method}; ${target}`, '');

  const needed = new Map(r.needed.map((p) => [p.block, p.capacity]));
  lines.push(
    ...formatTable(
      ['block', 'capacity', 'needed', 'bytes'],
      r.pools.map((p) => [p.block, p.capacity, needed.get(p.block) ?? 0, p.block * p.capacity]),
    ),
  );
  lines.push('');
  const comparison = r.drone
    ? ` (Drone's method needs ${r.drone.requiredBytes} B: ${(r.drone.requiredBytes / r.requiredBytes).toFixed(2)}×)`
    : '';
  lines.push(
    `the trace needs ${describeBytes(r.requiredBytes)} in these pools${comparison}; Drone's fragmentation of these blocks: ${r.fragmentation} B`,
  );
  if (r.target === 'fit') {
    lines.push(
      r.fits
        ? `size ${describeBytes(r.size)}: ${r.size - r.requiredBytes} B of headroom handed out as Drone does`
        : `DOES NOT FIT: the heap has ${describeBytes(r.sizeLimit!)}, the layout needs ${describeBytes(r.size)}${r.marginPercent > 0 ? ` with the ${r.marginPercent}% margin` : ''} (use --minimal to resize the heap)`,
    );
  } else {
    lines.push(r.fits ? `size ${describeBytes(r.size)}` : `no Drone heap can be that large (${r.size} B; the limit is 4 GiB − 1)`);
  }
  // The main heap sits at the end of RAM; a larger one cannot be placed (the `heap-exceeds-ram` check).
  if (ram !== undefined && r.size > ram) lines.push(`note: that is more than memory.ram (${describeBytes(ram)})`);
  if (stack) lines.push(`the stack's room: ${stack.before} B now, ${stack.after} B with this heap (static data as in ${stack.firmware})`);
  if (r.verified) {
    lines.push(
      r.verified.failures === 0
        ? 'verified: the trace replays through this layout with no allocation failure'
        : `VERIFICATION FAILED: ${r.verified.failures} allocation failures in the replay, the first at event ${r.verified.firstFailure}`,
    );
  }
  if (r.drone?.verified && r.drone.verified.failures > 0)
    lines.push(`(Drone's layout for the same inputs fails ${plural(r.drone.verified.failures, 'allocation')} in the replay)`);

  if (r.before || r.after) {
    const column = (f: OptimizeResult['before']) =>
      f ? [f.heapBytes, f.failures, f.peakReservedBytes, f.fragmentationAtHeapPeak] : ['–', '–', '–', '–'];
    const [b, a] = [column(r.before), column(r.after)];
    lines.push(
      '',
      ...formatTable(
        ['', 'before', 'after'],
        ['heap bytes', 'failures', 'peak reserved', 'frag at peak'].map((name, i) => [name, b[i], a[i]]),
      ),
    );
  }
  if (r.tradeoff.length > 1) {
    lines.push('', 'bytes the trace needs by number of pools:');
    lines.push(
      ...formatTable(
        ['pools', 'bytes', 'fragmentation'],
        r.tradeoff.map((t) => [t.poolsUsed === t.pools ? t.pools : `${t.pools} (uses ${t.poolsUsed})`, t.requiredBytes, t.fragmentation]),
      ),
    );
  }
  if (r.size <= 0xffff_ffff) lines.push('', formatHeapSection(r.pools, { legacy: heap.legacy, name: heap.name }).trimEnd(), '');
  else lines.push('');
  if (written) lines.push(`written to ${config} (only the pools and size of ${heap.qualifiedName} changed)`);
  else if (r.unchanged)
    lines.push(`${heap.qualifiedName} already has this layout: nothing would change${wantedWrite ? ', so nothing was written' : ''}`);
  else if (wantedWrite) lines.push('not written: this layout does not serve the trace within the heap size');
  else if (r.offered) lines.push(`run with --write to put it into ${config}`);
  return lines;
}
