// The general-purpose allocator models (best fit, defrag) replayed on each heap's trace, for
// the heap size and index count they ran with: the heap view's "Compare allocators". They
// do not depend on the pools, so editing pools keeps them. The first ask for some figures
// starts them in the worker; when they are done the document's figures count as changed,
// so the view asks again.
import type { ModelsResult } from '../core/alloc/compare';
import { heapJobOwner, type TraceJobs } from './traceJobs';

export interface ModelsState {
  state: 'computing' | 'done' | 'failed';
  result: ModelsResult | null;
  message: string | null;
}

interface ModelsEntry extends ModelsState {
  tracePath: string;
  heapBytes: number;
  indexes: number;
}

export class AllocatorModels {
  /** `uri#heap` → the latest run. */
  private readonly runs = new Map<string, ModelsEntry>();

  constructor(
    private readonly jobs: Pick<TraceJobs, 'models' | 'supersede'>,
    private readonly onDidChange: (uri: string) => void,
  ) {}

  /** The models on `tracePath` for a region of `heapBytes` with `indexes`: their state and, once done, their result. */
  get(uri: string, heap: string, tracePath: string, heapBytes: number, indexes: number): ModelsState {
    const key = keyOf(uri, heap);
    let entry = this.runs.get(key);
    if (!entry || entry.tracePath !== tracePath || entry.heapBytes !== heapBytes || entry.indexes !== indexes) {
      const started: ModelsEntry = { tracePath, heapBytes, indexes, state: 'computing', result: null, message: null };
      this.runs.set(key, (entry = started));
      void this.jobs
        .models({ owner: heapJobOwner(uri, heap, 'models'), input: { type: 'models', tracePath, heapBytes, indexes } })
        .then((outcome) => {
          if (this.runs.get(key) !== started) return; // forgotten, or asked again for other figures meanwhile
          if (outcome.kind === 'superseded') {
            this.runs.delete(key); // run again next time the view asks
            return;
          }
          Object.assign(
            started,
            outcome.kind === 'done' ? { state: 'done', result: outcome.result } : { state: 'failed', message: outcome.message },
          );
          this.onDidChange(uri);
        });
    }
    const { state, result, message } = entry;
    return { state, result, message };
  }

  /** The heap's trace changed or is gone: drop its models and stop running them. */
  forget(uri: string, heap: string): void {
    this.runs.delete(keyOf(uri, heap));
    this.jobs.supersede(heapJobOwner(uri, heap, 'models'));
  }
}

const keyOf = (uri: string, heap: string): string => `${uri}#${heap}`;
