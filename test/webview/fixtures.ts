// The heap view data the page tests show, made by the real summariser (server/src/core/view)
// from Drone.toml texts and replayed traces and turned into the wire data as the server does, plus the compare figures the optimiser gives
// (computed here by replaying the same trace through a proposed layout) and the allocator
// models the worker runs (core/alloc, on the same trace and heap size).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PoolSpec, ReplayResult } from '../../server/src/core/replay/result';
import { replayModelsFile } from '../../server/src/core/alloc/compare';
import { checkDroneToml } from '../../server/src/core/checks/index';
import { layoutFigures } from '../../server/src/core/layout/optimize';
import { simulateTraceFile } from '../../server/src/core/replay/simulate';
import type { HeapCompare, LayoutFigures } from '../../server/src/core/view/heapView';
import { toWireHeapViewData } from '../../server/src/features/wire/heapView';
import type { HeapViewData } from '../../protocol/heapView';
import { corruptXor014, randomEvents } from '../support/traceGen';
import { REPO_ROOT } from '../support/paths';
import { workloadPools } from '../support/traceWorkload';
import { done, droneToml, modelWorkload, replayText, replayWorkload, viewOf } from '../unit/view/viewFixtures';
import { parseDroneConfig } from '../../server/src/core/config/droneConfig';
import { ramView } from '../../server/src/core/firmware/describeBudget';
import { readElfFile } from '../../server/src/core/firmware/elf';
import { ramBudget } from '../../server/src/core/firmware/ramBudget';
import { matchHeaps, readDeviceHeaps } from '../../server/src/core/device/deviceHeaps';
import { readFirmwareHeaps } from '../../server/src/core/device/heapStatics';
import { TargetMemory } from '../../server/src/core/device/targetMemory';
import { toWireDeviceHeapFigures } from '../../server/src/features/wire/device';

/** The starter layout `drone new` writes for a 10K heap. */
export const STARTER: PoolSpec[] = workloadPools(1);

/** Blocks an optimiser might choose; capacities are fitted to the trace (see proposedLayout). */
const PROPOSED_BLOCKS = [4, 8, 16, 32, 64, 128, 256, 512];

/** The proposed blocks, each with exactly the capacity the trace needs: it serves every request. */
async function proposedLayout(events: number): Promise<PoolSpec[]> {
  const roomy = await replayWorkload(
    PROPOSED_BLOCKS.map((block) => ({ block, capacity: 1_000_000 })),
    events,
  );
  return roomy.pools.map((p) => ({ block: p.block, capacity: Math.max(1, p.peak) }));
}

export function figures(pools: PoolSpec[], result: ReplayResult): LayoutFigures {
  const bytes = pools.reduce((s, p) => s + p.block * p.capacity, 0);
  return {
    pools,
    size: bytes,
    failures: result.failures,
    peakReservedBytes: result.peakReservedBytes,
    fragmentation: result.fragmentationAtHeapPeak,
    requiredBytes: bytes,
  };
}

/** What the server sends for a view: the summary, converted for the wire. */
const sent = (...args: Parameters<typeof viewOf>): HeapViewData => toWireHeapViewData(viewOf(...args), null);

export interface Fixtures {
  /** The QEMU test firmware's heap: the trace's figures and the device's (from a RAM dump). */
  device: HeapViewData;
  deviceWrongAddress: HeapViewData;
  withRam: HeapViewData;
  traced: HeapViewData;
  /** With the proposed layout and the allocator comparison. */
  compared: HeapViewData;
  /** The allocator models still running, the proposal still being searched. */
  modelsComputing: HeapViewData;
  multiHeap: HeapViewData;
  noTrace: HeapViewData;
  /** Restricted Mode: the heap's trace lies outside the workspace folder and is not read. */
  restricted: HeapViewData;
  corrupt: HeapViewData;
  invalid: HeapViewData;
  syntax: HeapViewData;
  noHeap: HeapViewData;
  replaying: HeapViewData;
  failed: HeapViewData;
  served: HeapViewData;
  /** examples/sensor-logger: its Drone.toml and heaptrace (what `npm run demo` shows). */
  example: HeapViewData;
}

const DMA = `
[memory.sram2]
size = "4K"
origin = 0x30000000

[heap.dma]
origin = 0x30000000
size = "2K"
pools = [{ block = "512", capacity = 4 }]
`;

export async function makeFixtures(events = 200_000): Promise<Fixtures> {
  const text = droneToml(STARTER);
  const status = done('/work/project/heaptrace', events);
  const result = await replayWorkload(STARTER, events);
  const traced = sent(text, { status, result });
  const proposed = await proposedLayout(events);
  const proposedResult = await replayWorkload(proposed, events);
  const compare: HeapCompare = { current: figures(STARTER, result), proposed: figures(proposed, proposedResult), unchanged: false };
  const heapBytes = STARTER.reduce((sum, p) => sum + p.block * p.capacity, 0);
  const models = await modelWorkload(heapBytes, events);
  const allocators = {
    heapBytes,
    indexes: 256,
    proposal: { state: 'offered' as const, pools: proposed, after: layoutFigures(proposedResult) },
    models: { state: 'done' as const, result: models, message: null },
  };
  const compared = sent(text, { status, result, compare, allocators });
  const modelsComputing = sent(text, {
    status,
    result,
    allocators: {
      ...allocators,
      proposal: { state: 'searching', pools: null, after: null },
      models: { state: 'computing', result: null, message: null },
    },
  });
  const served = sent(droneToml(proposed), { status, result: proposedResult });

  const multiHeap = sent(droneToml(STARTER, DMA), { status, result });
  const noTrace = sent(text, {
    status: {
      state: 'no-trace',
      tracePath: '/work/project/heaptrace',
      progress: 0,
      message:
        'No trace at /work/project/heaptrace. Capture one with `just heaptrace` (flash with `just features=heaptrace flash` first), or run "Drone Heap: Import Trace…".',
    },
  });
  const restricted = sent(text, {
    status: {
      state: 'restricted',
      tracePath: '/work/outside.trace',
      progress: 0,
      message:
        'Restricted Mode: not reading ../outside.trace (setting droneHeap.traces), which is outside the workspace folder. Trust the workspace to read it, or pick the file with "Drone Heap: Import Trace…".',
    },
  });
  // A 0.14-format capture (lossy sizes) with a damaged word after 3000 events.
  const events014 = randomEvents(5, 4000, { maxSize: 300 });
  const damaged = corruptXor014(events014, 3000, 'unknown-header');
  const corrupt = sent(text, { status: done('/work/project/heaptrace', 3000), result: replayText(STARTER, damaged.bytes) });
  const invalidText = text.replace('{ block = "20", capacity = 82 }', '{ block = "20k", capacity = 82 }');
  const invalid = sent(invalidText, {
    status: {
      state: 'layout-invalid',
      tracePath: '/work/project/heaptrace',
      progress: 0,
      message: 'Fix the pools of `heap.main` to replay heaptrace through them.',
    },
  });
  const syntax = sent('[heap.main]\nsize = "10K\npools = []\n');
  const noHeap = sent('[memory.ram]\nsize = "20K"\norigin = 0x20000000\n');
  const replaying = sent(text, {
    status: { state: 'replaying', tracePath: '/work/project/heaptrace', progress: 0.42, message: 'Replaying heaptrace through 8 pools…' },
  });
  const failed = sent(text, {
    status: {
      state: 'failed',
      tracePath: '/work/project/heaptrace',
      progress: 0,
      message: 'Could not replay the trace: /work/project/heaptrace is not readable',
    },
  });
  const exampleDir = join(REPO_ROOT, 'examples', 'sensor-logger');
  const exampleText = readFileSync(join(exampleDir, 'Drone.toml'), 'utf8');
  const examplePools = [...exampleText.matchAll(/block = "(\d+)", capacity = (\d+)/g)].map((m) => ({
    block: Number(m[1]),
    capacity: Number(m[2]),
  }));
  const exampleResult = await simulateTraceFile(join(exampleDir, 'heaptrace'), examplePools);
  const exampleParse = checkDroneToml(exampleText).parse;
  const exampleSize = exampleParse.ok ? (exampleParse.config.heaps.find((heap) => heap.name === 'main')?.size?.bytes ?? 0) : 0;
  const exampleModels = await replayModelsFile(join(exampleDir, 'heaptrace'), exampleSize);
  const example = sent(exampleText, {
    status: done(join(exampleDir, 'heaptrace'), exampleResult.events),
    result: exampleResult,
    allocators: {
      heapBytes: exampleSize,
      indexes: 256,
      proposal: { state: 'none', pools: null, after: null },
      models: { state: 'done', result: exampleModels, message: null },
    },
  });
  // The RAM budget of real linker output (test/fixtures/firmware): built with a 32K heap, written as 16K.
  const firmwareDir = join(REPO_ROOT, 'test', 'fixtures', 'firmware');
  const firmwareText = readFileSync(join(firmwareDir, 'arm-main-stale.toml'), 'utf8');
  const firmwareParse = parseDroneConfig(firmwareText);
  if (!firmwareParse.ok) throw new Error('arm-main-stale.toml does not parse');
  const budget = ramBudget(firmwareParse.config, readElfFile(join(firmwareDir, 'arm-main.elf')));
  if (!budget.ok) throw new Error(budget.reason);
  const withRam = sent(firmwareText, {
    ram: ramView(budget.budget, 'target/thumbv7em-none-eabihf/release/blink', Date.UTC(2026, 11, 4, 16, 54)),
  });
  // The device's figures: the QEMU test firmware's RAM at its second checkpoint (test/fixtures/
  // device), decoded as the server does, beside the replay of the same requests as a trace.
  const deviceDir = join(REPO_ROOT, 'test', 'fixtures', 'device');
  const deviceText = readFileSync(join(deviceDir, 'Drone.toml'), 'utf8');
  const deviceParse = parseDroneConfig(deviceText);
  if (!deviceParse.ok) throw new Error('the device Drone.toml does not parse');
  const firmwareHeaps = readFirmwareHeaps(join(deviceDir, 'firmware.elf'));
  const deviceFigures = (address: number) => {
    const memory = new TargetMemory([{ address, bytes: readFileSync(join(deviceDir, 'dump-2.bin')) }]);
    const reading = readDeviceHeaps(matchHeaps(deviceParse.config, firmwareHeaps), memory, true);
    if (reading.kind !== 'done') throw new Error('a dump is read completely');
    const source = { kind: 'dump' as const, path: join(deviceDir, 'dump-2.bin'), address, loadedAt: Date.UTC(2026, 11, 4, 12, 3, 5) };
    return toWireDeviceHeapFigures({ source, sourceName: 'the dump dump-2.bin', heaps: reading.heaps, findings: [] }, 'main');
  };
  const devicePools = firmwareHeaps[0].pools.map(({ block, capacity }) => ({ block, capacity }));
  const deviceResult = await simulateTraceFile(join(deviceDir, 'sequence-2.trace'), devicePools);
  const deviceView = viewOf(deviceText, { status: done(join(deviceDir, 'sequence-2.trace'), deviceResult.events), result: deviceResult });
  const device = toWireHeapViewData(deviceView, deviceFigures(0x2000_0000));
  /** The same dump given the wrong start address: no figures, and why. */
  const deviceWrongAddress = toWireHeapViewData(deviceView, deviceFigures(0x2000_0100));
  return {
    device,
    deviceWrongAddress,
    withRam,
    traced,
    compared,
    modelsComputing,
    multiHeap,
    noTrace,
    restricted,
    corrupt,
    invalid,
    syntax,
    noHeap,
    replaying,
    failed,
    served,
    example,
  };
}
