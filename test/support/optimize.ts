// The optimiser's answer when the test's trace source is never cancelled: the search itself.
import type { OptimizeCancelled, OptimizeResult } from '../../server/src/core/layout/optimize';

export function completed(outcome: OptimizeResult | OptimizeCancelled): OptimizeResult {
  if (outcome.cancelled) throw new Error('the search was cancelled, though nothing cancels it here');
  return outcome;
}
