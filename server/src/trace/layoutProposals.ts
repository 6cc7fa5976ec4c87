// Layout proposals from the optimiser, per heap, for the layout they were computed from: the
// heap view's "compare" section, and the optimise command's searches (a newer search of the
// same heap supersedes the older one). A background search with the default options (same
// pool count, fit the heap's size) starts the first time the view shows a replayed heap.
import { poolSpecs, type HeapConfig } from '../core/config/droneConfig';
import type { OptimizeResult } from '../core/layout/optimize';
import { layoutKey, type PoolSpec } from '../core/replay/result';
import { heapJobOwner, type OptimizeOutcome, type OptimizeRequest, type TraceJobs } from './traceJobs';

export type ProposalState = 'searching' | 'offered' | 'none';

interface Proposal {
  layoutKey: string;
  /** Null while searching, or when the search found nothing to offer. */
  result: OptimizeResult | null;
  searching: boolean;
}

export class LayoutProposals {
  /** `uri#heap` → the latest proposal. */
  private readonly proposals = new Map<string, Proposal>();
  /**
   * `uri#heap` → layouts (pools and size) the optimiser found optimal for the heap's trace: a
   * proposal the search proved optimal, or one it returned unchanged. Once the user applies
   * one, the lens says so instead of offering the same layout again.
   */
  private readonly optimal = new Map<string, Set<string>>();

  constructor(
    private readonly jobs: Pick<TraceJobs, 'optimize' | 'supersede'>,
    /** A background proposal arrived: the document's figures count as changed, so the heap view asks again. */
    private readonly onDidChange: (uri: string) => void,
  ) {}

  /** The user's search (the optimise command): runs in the worker; a newer search of the same heap supersedes it. */
  search(uri: string, heap: string, input: OptimizeRequest['input'], onProgress?: OptimizeRequest['onProgress']): Promise<OptimizeOutcome> {
    return this.jobs.optimize({ owner: heapJobOwner(uri, heap, 'search'), input, onProgress });
  }

  /** Remembers a proposal (from the background search or the optimise command) for the heap view. */
  record(uri: string, heap: string, current: PoolSpec[], result: OptimizeResult): void {
    // An unchanged proposal is kept too: the heap view says the layout is already the proposal.
    this.proposals.set(keyOf(uri, heap), {
      layoutKey: layoutKey(current),
      result: result.offered || result.unchanged ? result : null,
      searching: false,
    });
    if ((result.offered || result.unchanged) && result.search.optimal) {
      const known = this.optimal.get(keyOf(uri, heap)) ?? new Set<string>();
      known.add(optimalKey(result.pools, result.size));
      this.optimal.set(keyOf(uri, heap), known);
    }
    this.onDidChange(uri);
  }

  /** Whether the heap's layout as written (pools and size) is one the optimiser found optimal for its trace. */
  isOptimal(uri: string, heap: HeapConfig): boolean {
    const pools = poolSpecs(heap);
    const size = heap.size?.bytes;
    return pools !== undefined && size !== undefined && (this.optimal.get(keyOf(uri, heap.name))?.has(optimalKey(pools, size)) ?? false);
  }

  /**
   * Makes sure a proposal for the heap's current layout exists or is being searched, on
   * `tracePath` (the heap's replayed trace). When it arrives the document's figures count as changed.
   */
  request(uri: string, heap: HeapConfig, tracePath: string, wordSize: number): void {
    const pools = poolSpecs(heap);
    const size = heap.size?.bytes;
    if (!pools || size === undefined) return;
    const key = layoutKey(pools);
    const owner = keyOf(uri, heap.name);
    if (this.proposals.get(owner)?.layoutKey === key) return;
    this.proposals.set(owner, { layoutKey: key, result: null, searching: true });
    const input: OptimizeRequest['input'] = {
      type: 'optimize',
      tracePath,
      options: { mode: 'exact', pools: pools.length, target: 'fit', size, wordSize, current: pools },
    };
    void this.jobs.optimize({ owner: heapJobOwner(uri, heap.name, 'proposal'), input }).then((outcome) => {
      if (this.proposals.get(owner)?.layoutKey !== key) return;
      if (outcome.kind !== 'done') {
        this.proposals.delete(owner); // try again next time the view asks
        return;
      }
      this.record(uri, heap.name, pools, outcome.result);
    });
  }

  /** The offered proposal for this heap's current layout, or null. */
  proposalFor(uri: string, heap: HeapConfig): OptimizeResult | null {
    const proposal = this.current(uri, heap);
    return proposal?.result ?? null;
  }

  /** Whether the background search for this heap's current layout is running, found a layout, or found none to offer. */
  state(uri: string, heap: HeapConfig): ProposalState {
    const proposal = this.current(uri, heap);
    if (!proposal) return 'none';
    return proposal.result ? 'offered' : proposal.searching ? 'searching' : 'none';
  }

  /** The heap's trace changed or is gone: drop its proposal and stop searching. */
  forget(uri: string, heap: string): void {
    this.proposals.delete(keyOf(uri, heap));
    this.optimal.delete(keyOf(uri, heap));
    this.jobs.supersede(heapJobOwner(uri, heap, 'proposal'));
  }

  private current(uri: string, heap: HeapConfig): Proposal | undefined {
    const pools = poolSpecs(heap);
    const proposal = this.proposals.get(keyOf(uri, heap.name));
    return pools && proposal?.layoutKey === layoutKey(pools) ? proposal : undefined;
  }
}

const keyOf = (uri: string, heap: string): string => `${uri}#${heap}`;
const optimalKey = (pools: readonly PoolSpec[], size: number): string => `${layoutKey(pools)}=${size}`;
