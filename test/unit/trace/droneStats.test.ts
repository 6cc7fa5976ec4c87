import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolReplayer } from '../../../server/src/core/replay/poolReplay';
import { droneStatsOfFile } from '../../../server/src/core/replay/simulate';
import { DroneStatsCollector } from '../../../server/src/core/trace/droneStats';
import { batchOf, encodeStream, parseScenario, randomEvents } from '../../support/traceGen';

describe("Drone's per-size statistics", () => {
  it('counts max load per size, allocations, and the maximum heap load (hand-derived)', () => {
    // alloc 24 ×3 (load 3), free 24, grow 24 32 (dealloc 24 + alloc 32: load 24 → 1, 32 → 1),
    // alloc 32 (load 2), free 8 (unmatched).
    // 24: max load 3, 3 allocations; 32: max load 2, 2 allocations → 24·3 + 32·2 = 136.
    // Live bytes: 24, 48, 72 (e2), 48, 56, 88 (e5), 88 → peak 88 first at e5.
    const collector = new DroneStatsCollector();
    collector.consume(batchOf(parseScenario('alloc 24\nalloc 24\nalloc 24\nfree 24\ngrow 24 32\nalloc 32\nfree 8')));
    assert.deepEqual(collector.result(), {
      sizes: [
        { size: 24, maxLoad: 3, allocations: 3 },
        { size: 32, maxLoad: 2, allocations: 2 },
      ],
      maximumHeapLoad: 136,
      peakLiveBytes: 88,
      peakLiveBytesAt: 5,
      unmatchedFrees: 1,
      firstUnmatchedFree: 6,
      events: 7,
    });
  });

  it('the stats-only pass equals the statistics of a full replay (property)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const events = randomEvents(seed, 2000, { wellFormed: seed % 3 !== 0 });
      const collector = new DroneStatsCollector();
      const replayer = new PoolReplayer([
        { block: 64, capacity: 3 },
        { block: 512, capacity: 1 },
      ]);
      const batch = batchOf(events);
      collector.consume(batch);
      replayer.consume(batch);
      assert.deepEqual(collector.result(), replayer.result().droneStats, `seed ${seed}`);
    }
  });

  it('reads a file without any pool configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drone-heap-stats-'));
    try {
      const path = join(dir, 'heaptrace');
      writeFileSync(path, encodeStream(parseScenario('alloc 8\nalloc 8\nfree 8')));
      const { stats, read } = await droneStatsOfFile(path);
      assert.equal(read.format, 'stream');
      assert.deepEqual(stats.sizes, [{ size: 8, maxLoad: 2, allocations: 2 }]);
      assert.equal(stats.maximumHeapLoad, 16);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
