// The device decoder on what a real CPU left in RAM: test/fixtures/device holds a Cortex-M3
// firmware (drone-core's pool allocator in C, linked as drone-ld links) and its RAM dumped by
// GDB at two breakpoints while it ran in QEMU (build.sh). The figures must be those of
// expected.json — a model of the allocator over sequence.txt — and the per-pool peaks those of
// the trace replay of the same requests (sequence-N.trace).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDroneConfig } from '../../../server/src/core/config/droneConfig';
import type { DevicePool } from '../../../server/src/core/device/decodeHeap';
import { matchHeaps, readDeviceHeaps } from '../../../server/src/core/device/deviceHeaps';
import { readFirmwareHeaps } from '../../../server/src/core/device/heapStatics';
import { TargetMemory } from '../../../server/src/core/device/targetMemory';
import { simulateTraceFile } from '../../../server/src/core/replay/simulate';
import { FIXTURES } from '../../support/paths';

const DIR = join(FIXTURES, 'device');
const RAM = 0x2000_0000;

interface ExpectedPool {
  block: number;
  capacity: number;
  highWater: number;
  free: number;
  inUse: number;
  everFull: boolean;
}
const expected: { checkpoints: { checkpoint: number; events: number; failures: number; pools: ExpectedPool[] }[] } = JSON.parse(
  readFileSync(join(DIR, 'expected.json'), 'utf8'),
);

type PoolFigures = Pick<DevicePool, 'block' | 'capacity' | 'highWater' | 'free' | 'inUse' | 'everFull'>;

/** The fields expected.json has, from a decoded pool or an expected one. */
function figuresOf(p: PoolFigures): PoolFigures {
  return { block: p.block, capacity: p.capacity, highWater: p.highWater, free: p.free, inUse: p.inUse, everFull: p.everFull };
}

function decode(checkpoint: number) {
  const parse = parseDroneConfig(readFileSync(join(DIR, 'Drone.toml'), 'utf8'));
  assert.ok(parse.ok);
  const firmware = readFirmwareHeaps(join(DIR, 'firmware.elf'));
  const memory = new TargetMemory([{ address: RAM, bytes: readFileSync(join(DIR, `dump-${checkpoint}.bin`)) }]);
  const reading = readDeviceHeaps(matchHeaps(parse.config, firmware), memory, true);
  assert.ok(reading.kind === 'done');
  return reading.heaps;
}

describe('device figures from the QEMU test firmware', () => {
  it('finds drone_heap_qemu::HEAP by its initial image, fields in the order free, size, uninit, edge', () => {
    const [heap] = readFirmwareHeaps(join(DIR, 'firmware.elf'));
    assert.equal(heap.displayName, 'drone_heap_qemu::HEAP');
    assert.deepEqual(heap.order, { free: 0, size: 1, uninit: 2, edge: 3 });
    assert.deepEqual(
      heap.pools.map((p) => [p.block, p.capacity]),
      [
        [16, 8],
        [32, 6],
        [64, 4],
        [128, 2],
      ],
    );
    // drone-ld puts the heap at the end of RAM: 64 KiB − 832 B.
    assert.equal(heap.pools[0].start, RAM + 0x10000 - 832);
  });

  for (const checkpoint of expected.checkpoints) {
    it(`checkpoint ${checkpoint.checkpoint}: the dump gives the model's figures and the trace replay's peaks`, async () => {
      const [heap] = decode(checkpoint.checkpoint);
      assert.equal(heap.match.mismatch, null);
      assert.ok(heap.state.kind === 'decoded', JSON.stringify(heap.state));
      assert.deepEqual(heap.state.pools.map(figuresOf), checkpoint.pools.map(figuresOf));
      const replay = await simulateTraceFile(join(DIR, `sequence-${checkpoint.checkpoint}.trace`), checkpoint.pools);
      assert.equal(replay.events, checkpoint.events);
      assert.equal(replay.failures, checkpoint.failures);
      assert.deepEqual(
        replay.pools.map((p) => p.peak),
        heap.state.pools.map((p) => p.highWater),
        'the device high-water marks are the replay peaks',
      );
    });
  }
});
