// `drone-heap starter --size 10K [--pools 8] [--legacy]`: the heap section `drone new`
// writes for a heap of that size, number for number as Drone computes it.
import { parseSize } from '../core/config/sizes';
import { formatHeapSection } from '../core/layout/format';
import { DEFAULT_POOL_COUNT, starterLayout, starterProblem } from '../core/layout/starter';
import { EXIT_OK, parseArgs, UsageError, type CliIO } from './io';

export const STARTER_USAGE = `Usage: drone-heap starter --size SIZE [--pools N] [--legacy]
Prints the heap section that \`drone new\` writes for a heap of SIZE bytes ("10K", "0x2800",
"10240") split into N pools (default ${DEFAULT_POOL_COUNT}): [heap.main], or [heap] with --legacy.
Exit status: 0 printed, 2 unusable arguments.`;

export function runStarter(args: string[], io: CliIO): number {
  const parsed = parseArgs(args, ['legacy', 'help'], ['size', 'pools']);
  if (parsed.flags.has('help')) {
    io.stdout(STARTER_USAGE + '\n');
    return EXIT_OK;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const sizeText = parsed.options.get('size');
  if (sizeText === undefined) throw new UsageError('--size SIZE is required');
  const size = parseSize(sizeText);
  if (!size.ok)
    throw new UsageError(
      `--size "${sizeText}" is not a size: ${size.reason}${size.suggestion ? ` (did you mean "${size.suggestion}"?)` : ''}`,
    );
  const pools = parsePoolCount(parsed.options.get('pools'), DEFAULT_POOL_COUNT);
  const problem = starterProblem(size.value, pools);
  if (problem) throw new UsageError(problem);
  const layout = starterLayout(size.value, pools);
  io.stdout(formatHeapSection(layout, { legacy: parsed.flags.has('legacy') }));
  return EXIT_OK;
}

/** `--pools N`: a whole number from 1 to 256 (more pools than that is never a sensible heap). */
export function parsePoolCount(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > 256)
    throw new UsageError(`--pools must be a whole number from 1 to 256, not "${text}"`);
  return Number(text);
}
