// Short texts about replay figures, shared by inlay hints, code lenses, hovers and the
// CLI so that every surface states the same numbers the same way.
import { formatPercent } from '../config/sizes';
import type { PoolReport, ReplayResult } from './result';
import { plural } from '../../../../common/format';

/** `peak 812/896 · 90.6%`, with the markers below when they apply. */
export function poolTraceLabel(report: PoolReport): string {
  return [`peak ${report.peak}/${report.capacity} · ${formatPercent(report.peak, report.capacity)}`, ...poolMarkers(report)].join(' · ');
}

/** What deserves attention in a pool: `✖ 3 failed`, `⚠ 5 overflowed in`, `unused`. */
export function poolMarkers(report: PoolReport): string[] {
  const markers: string[] = [];
  if (report.failures > 0) markers.push(`✖ ${report.failures} failed`);
  if (report.overflowIn > 0) markers.push(`⚠ ${report.overflowIn} overflowed in`);
  if (report.allocations === 0) markers.push('unused');
  return markers;
}

/**
 * One line about a whole replay, for a code lens or a hover. What matters first (failures),
 * the totals after and the trace's name last: a narrow editor cuts a lens at its end.
 */
export function replaySummary(traceName: string, result: ReplayResult): string {
  const failures = result.failures === 0 ? 'no failures' : `✖ ${plural(result.failures, 'failure')}, first at event ${result.firstFailure}`;
  return `${failures} · peak ${result.peakReservedBytes} of ${result.heapBytes} B (${formatPercent(result.peakReservedBytes, result.heapBytes)}) · ${plural(result.events, 'event')} · ${traceName}`;
}

/** Figure rows for one pool (name, value), in the order a reader wants them. */
export function poolTraceRows(report: PoolReport, result: ReplayResult): [string, string][] {
  return [
    [
      'peak blocks in use',
      `${report.peak} of ${report.capacity} (${formatPercent(report.peak, report.capacity)})${report.peakAt !== null ? `, first at event ${report.peakAt}` : ''}`,
    ],
    ['allocations served', String(report.allocations)],
    ['overflowed in from smaller pools', String(report.overflowIn)],
    ['failures (best fit was this pool)', String(report.failures)],
    [
      'internal fragmentation at the heap peak',
      `${report.fragmentationAtHeapPeak} B${result.peakReservedAt !== null ? ` (event ${result.peakReservedAt})` : ''}`,
    ],
    ['capacity never used', `${plural(report.neverUsed, 'block')} (${report.neverUsed * report.block} B)`],
  ];
}
