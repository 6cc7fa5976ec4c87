// Findings from a replayed trace, placed on the pools of the Drone.toml that was
// replayed: failures (error), overflow into larger pools (warning), pools never used or
// with blocks larger than any allocation (information, with the wasted bytes), and
// trouble with the trace itself (corrupt data, the lossy 0.14 format).
import type { Finding } from '../checks/finding';
import { validPools, type HeapConfig, type PoolConfig } from '../config/droneConfig';
import type { Span } from '../config/span';
import { LOSSY_014_WARNING } from '../trace/formats';
import type { PoolReport, ReplayResult } from './result';
import { plural } from '../../../../common/format';

/** The configured pools in the replay's order: ascending block, equal blocks as written. */
export function poolsInReplayOrder(heap: HeapConfig): PoolConfig[] | undefined {
  const pools = validPools(heap);
  if (!pools) return undefined;
  return [...pools].sort((a, b) => a.block - b.block).map((p) => p.pool);
}

/**
 * Pairs each configured pool with its report. `exact`: undefined when the result is for
 * another layout. `same-blocks` (figures of the previous layout, shown while the new one
 * replays): each pool whose block size the result has gets that pool's report, in order
 * among equal blocks; a pool with a new block size gets none.
 */
export function reportsByPool(
  heap: HeapConfig,
  result: ReplayResult,
  match: 'exact' | 'same-blocks' = 'exact',
): Map<PoolConfig, PoolReport> | undefined {
  if (match === 'same-blocks') return reportsBySameBlocks(heap, result);
  const pools = poolsInReplayOrder(heap);
  if (!pools || pools.length !== result.pools.length) return undefined;
  const map = new Map<PoolConfig, PoolReport>();
  for (let i = 0; i < pools.length; i++) {
    const report = result.pools[i];
    if (pools[i].block?.bytes !== report.block || pools[i].capacity?.value !== report.capacity) return undefined;
    map.set(pools[i], report);
  }
  return map;
}

function reportsBySameBlocks(heap: HeapConfig, result: ReplayResult): Map<PoolConfig, PoolReport> {
  const pools = (heap.pools?.items ?? []).filter((p) => p.block?.bytes !== undefined).sort((a, b) => a.block!.bytes! - b.block!.bytes!);
  const map = new Map<PoolConfig, PoolReport>();
  // Both lists ascend by block: walk them together.
  let r = 0;
  for (const pool of pools) {
    const block = pool.block!.bytes!;
    while (r < result.pools.length && result.pools[r].block < block) r++;
    if (r < result.pools.length && result.pools[r].block === block) map.set(pool, result.pools[r++]);
  }
  return map;
}

export interface TraceFindingContext {
  heap: HeapConfig;
  result: ReplayResult;
  /** How the trace is called in messages, e.g. `heaptrace`. */
  traceName: string;
  /** Where heap-wide findings go (the heap's table header). */
  heapAnchor: Span;
  wordSize: number;
  /** The result is of the previous layout (kept while the new one replays): pools are paired by block size. */
  stale?: boolean;
}

export function traceFindings({ heap, result, traceName, heapAnchor, wordSize, stale = false }: TraceFindingContext): Finding[] {
  const byPool = reportsByPool(heap, result, stale ? 'same-blocks' : 'exact');
  if (!byPool) return [];
  const findings: Finding[] = [];
  const sizes = result.droneStats.sizes;
  const largestRequest = sizes.length ? sizes[sizes.length - 1].size : 0;

  for (const [pool, report] of byPool) {
    const where = `Pool ${pool.index + 1} (block ${report.block} B)`;
    if (report.failures > 0) {
      findings.push({
        code: 'trace-failure',
        severity: 'error',
        span: pool.span,
        message:
          `${where} ran out in ${traceName}: ${report.failures} request${report.failures === 1 ? '' : 's'} that fit it failed because it and every larger pool were full` +
          `${result.firstFailure !== null ? `; the first failure is at event ${result.firstFailure}, where the program would abort` : ''}. ` +
          `Peak use ${report.peak}/${report.capacity} blocks. Give it more capacity.`,
        fixes: [],
      });
    }
    if (report.overflowIn > 0) {
      findings.push({
        code: 'trace-overflow',
        severity: 'warning',
        span: pool.span,
        message: `${report.overflowIn} block${report.overflowIn === 1 ? '' : 's'} of ${where} came from a smaller pool that was full in ${traceName}; those requests waste the difference in block size.`,
        fixes: [],
      });
    }
    if (report.allocations === 0 && report.capacity > 0) {
      findings.push({
        code: 'trace-unused-pool',
        severity: 'information',
        span: pool.span,
        message: `${where} was never used in ${traceName}: its ${report.block * report.capacity} B are wasted for this workload.`,
        fixes: [],
        unnecessary: true,
      });
    } else if (largestRequest > 0 && report.block > largestRequest) {
      const enough = Math.ceil(largestRequest / wordSize) * wordSize;
      if (enough < report.block) {
        findings.push({
          code: 'trace-oversized-block',
          severity: 'information',
          span: pool.block!.entry.value.span,
          message: `No allocation in ${traceName} is larger than ${largestRequest} B, so ${enough} B blocks would do: this pool wastes ${(report.block - enough) * report.capacity} B (${report.capacity} × ${report.block - enough} B).`,
          fixes: [],
        });
      }
    }
  }
  if (result.failuresTooLarge > 0) {
    findings.push({
      code: 'trace-failure',
      severity: 'error',
      span: heapAnchor,
      message: `${result.failuresTooLarge} request${result.failuresTooLarge === 1 ? ' is' : 's are'} larger than every block of \`${heap.qualifiedName}\` in ${traceName} (up to ${largestRequest} B): no pool can serve ${result.failuresTooLarge === 1 ? 'it' : 'them'}.`,
      fixes: [],
    });
  }
  if (result.problem) {
    findings.push({
      code: 'trace-problem',
      severity: 'warning',
      span: heapAnchor,
      message: `${traceName} has corrupt data at byte ${result.problem.byteOffset} (event ${result.problem.eventIndex}): ${result.problem.message} The figures cover the ${plural(result.events, 'event')} before it.`,
      fixes: [],
    });
  }
  for (const warning of result.warnings) {
    const code = warning === LOSSY_014_WARNING ? 'trace-lossy-format' : 'trace-problem';
    findings.push({ code, severity: 'information', span: heapAnchor, message: `${traceName}: ${warning}`, fixes: [] });
  }
  return findings;
}

/** The heap's trace exists but could not be replayed (not a regular file, unreadable). */
export function unreadableTraceFinding(heapAnchor: Span, message: string): Finding {
  return { code: 'trace-problem', severity: 'warning', span: heapAnchor, message, fixes: [] };
}
