// The device decoder against a model of the firmware's allocator writing RAM (test/support/
// boardModel.ts): random workloads in every field order give the model's own counts; broken
// memory (bad links, loops, a dump too short or from the wrong address, random bytes) gives a
// reason, never an exception or a hang.
import { strict as assert } from 'node:assert';
import { parseDroneConfig, type DroneConfig } from '../../../server/src/core/config/droneConfig';
import { decodeHeap } from '../../../server/src/core/device/decodeHeap';
import { matchHeaps, readDeviceHeaps } from '../../../server/src/core/device/deviceHeaps';
import { displaySymbol, isHeapName, readHeapImage, type FirmwareHeap } from '../../../server/src/core/device/heapStatics';
import { parseAddress } from '../../../server/src/core/device/parseAddress';
import { mergeRanges, TargetMemory } from '../../../server/src/core/device/targetMemory';
import { BoardModel, type FieldName, type ModelPool } from '../../support/boardModel';
import { mulberry32 } from '../../support/traceGen';

const RAM = 0x2000_0000;
const RAM_SIZE = 0x4000;
const STATIC = 0x2000_0100;
const POOLS: ModelPool[] = [
  { block: 8, capacity: 16 },
  { block: 32, capacity: 8 },
  { block: 128, capacity: 4 },
];
const HEAP_BYTES = POOLS.reduce((s, p) => s + p.block * p.capacity, 0);
const HEAP_START = RAM + RAM_SIZE - HEAP_BYTES;
const SYMBOL = '_ZN6my_app4HEAP17h0123456789abcdefE';

function permutations(items: FieldName[]): FieldName[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
const ORDERS = permutations(['size', 'edge', 'free', 'uninit']);

function board(order: FieldName[] = ['free', 'size', 'uninit', 'edge']): BoardModel {
  return new BoardModel(RAM, RAM_SIZE, STATIC, HEAP_START, POOLS, order);
}
function firmwareOf(model: BoardModel): FirmwareHeap {
  const heap = readHeapImage({ name: SYMBOL, value: STATIC }, model.initialImage());
  assert.ok(heap, 'the initial image reads as a heap');
  return heap;
}
const memoryOf = (model: BoardModel) => new TargetMemory([{ address: RAM, bytes: model.ram }]);

/** A random workload: allocations of random sizes, frees of random live blocks. */
function run(model: BoardModel, seed: number, steps: number): void {
  const random = mulberry32(seed);
  const live: number[] = [];
  for (let i = 0; i < steps; i++) {
    if (live.length > 0 && random() < 0.45) {
      const [address] = live.splice(Math.floor(random() * live.length), 1);
      model.deallocate(address);
    } else {
      const address = model.allocate(1 + Math.floor(random() * 140));
      if (address !== null) live.push(address);
    }
  }
}

function config(text = ''): DroneConfig {
  const parse = parseDroneConfig(
    `[memory.ram]\nsize = "16K"\norigin = 0x20000000\n\n[heap.main]\nsize = "${HEAP_BYTES}"\npools = [\n` +
      POOLS.map((p) => `  { block = "${p.block}", capacity = ${p.capacity} },\n`).join('') +
      `]\n${text}`,
  );
  assert.ok(parse.ok);
  return parse.config;
}

describe('device heap decoder', () => {
  it('tells the four fields apart by value in every order', () => {
    for (const order of ORDERS) {
      const heap = firmwareOf(board(order));
      assert.deepEqual(
        [heap.order.size, heap.order.edge, heap.order.free, heap.order.uninit],
        (['size', 'edge', 'free', 'uninit'] as FieldName[]).map((f) => order.indexOf(f)),
        order.join(','),
      );
      assert.deepEqual(
        heap.pools.map((p) => [p.block, p.capacity, p.start]),
        POOLS.map((p, i) => [p.block, p.capacity, board(order).starts[i]]),
      );
    }
  });

  it('refuses images that are not a heap', () => {
    const image = board().initialImage();
    const notSorted = new Uint8Array(image);
    new DataView(notSorted.buffer).setUint32(16 + 4, 4, true); // pool 2's size (word 1 in this order) below pool 1's
    for (const bytes of [new Uint8Array(16), new Uint8Array(48).fill(0xff), notSorted, image.subarray(0, 20)]) {
      assert.equal(readHeapImage({ name: 'x', value: STATIC }, bytes), null);
    }
  });

  it('gives the model’s figures after random workloads, in every field order', () => {
    let seed = 1;
    for (const order of ORDERS) {
      for (const steps of [0, 5, 40, 400]) {
        const model = board(order);
        run(model, seed++, steps);
        const decoded = decodeHeap(firmwareOf(model), memoryOf(model));
        assert.equal(decoded.kind, 'decoded');
        if (decoded.kind !== 'decoded') continue;
        decoded.pools.forEach((pool, i) => {
          assert.equal(pool.highWater, model.peak[i], `peak of pool ${i} (${order}, ${steps} steps)`);
          assert.equal(pool.free, model.freeCount[i]);
          assert.equal(pool.inUse, model.inUse[i]);
          assert.equal(pool.everFull, model.everFull(i));
          assert.equal(pool.problem, null);
        });
      }
    }
  });

  it('reports a pool that has been full, with the overflow gone to the next pool', () => {
    const model = board();
    for (let i = 0; i < 17; i++) model.allocate(8); // 16 fit in the 8 B pool; the 17th goes to the 32 B pool
    const decoded = decodeHeap(firmwareOf(model), memoryOf(model));
    assert.ok(decoded.kind === 'decoded');
    assert.deepEqual(
      decoded.pools.map((p) => [p.highWater, p.inUse, p.free, p.everFull]),
      [
        [16, 16, 0, true],
        [1, 1, 0, false],
        [0, 0, 0, false],
      ],
    );
  });

  it('says what is wrong with a corrupt free list, and stops', () => {
    const cases: [string, (m: BoardModel) => void, RegExp][] = [
      ['a link outside the pool', (m) => m.setWord(m.get(0, 'free'), 0x1234), /0x00001234, not a block of this pool/],
      ['a link off a block boundary', (m) => m.setWord(m.get(0, 'free'), m.starts[0] + 3), /not a block of this pool/],
      ['a link to a never-used block', (m) => m.setWord(m.get(0, 'free'), m.get(0, 'uninit')), /a block never handed out/],
      ['a loop', (m) => m.setWord(m.get(0, 'free'), m.get(0, 'free')), /loops back to 0x2000/],
    ];
    for (const [name, corrupt, message] of cases) {
      const model = board();
      const blocks = [0, 1, 2, 3].map(() => model.allocate(8)!);
      blocks.forEach((b) => model.deallocate(b));
      model.allocate(8); // uninit stays 4 blocks up; the list holds 3
      corrupt(model);
      const decoded = decodeHeap(firmwareOf(model), memoryOf(model));
      assert.ok(decoded.kind === 'decoded', name);
      assert.equal(decoded.pools[0].free, null, name);
      assert.match(decoded.pools[0].problem ?? '', message, name);
      assert.equal(decoded.pools[0].highWater, 4, `${name}: the peak still holds`);
      assert.equal(decoded.pools[1].problem, null);
    }
  });

  it('says when the static is still zero: stopped at reset, before .data is initialised', () => {
    const decoded = decodeHeap(firmwareOf(board()), new TargetMemory([{ address: RAM, bytes: new Uint8Array(RAM_SIZE) }]));
    assert.equal(decoded.kind, 'not-the-heap');
    assert.match(
      decoded.kind === 'not-the-heap' ? decoded.reason : '',
      /my_app::HEAP at 0x20000100 is still all zero: .*before \.data is copied/,
    );
  });

  it('calls a static whose uninit left its pool corrupt', () => {
    const model = board();
    model.set(1, 'uninit', model.starts[1] + 5);
    const decoded = decodeHeap(firmwareOf(board()), memoryOf(model));
    assert.equal(decoded.kind, 'corrupt');
    assert.match(decoded.kind === 'corrupt' ? decoded.reason : '', /pool 2 \(block 32\).*not a block boundary/);
  });

  it('asks for the static, then only the blocks handed out of pools with a free list', () => {
    const model = board();
    const a = model.allocate(8)!;
    model.allocate(8);
    model.deallocate(a);
    model.allocate(100);
    const firmware = firmwareOf(model);
    const first = decodeHeap(firmware, new TargetMemory([]));
    assert.deepEqual(first, { kind: 'needs', ranges: [{ address: STATIC, length: 48 }] });
    const staticOnly = new TargetMemory([{ address: STATIC, bytes: model.ram.slice(STATIC - RAM, STATIC - RAM + 48) }]);
    const second = decodeHeap(firmware, staticOnly);
    assert.deepEqual(second, { kind: 'needs', ranges: [{ address: model.starts[0], length: 16 }] });
    const both = new TargetMemory([
      ...staticOnly.pieceList,
      { address: model.starts[0], bytes: model.ram.slice(model.starts[0] - RAM, model.starts[0] - RAM + 16) },
    ]);
    const third = decodeHeap(firmware, both);
    assert.ok(third.kind === 'decoded');
    assert.deepEqual(
      third.pools.map((p) => [p.highWater, p.free, p.inUse]),
      [
        [2, 1, 1],
        [0, 0, 0],
        [1, 0, 1],
      ],
    );
  });

  it('says when a dump is too short or starts at another address, and which one', () => {
    const model = board();
    run(model, 7, 50);
    const matches = matchHeaps(config(), [firmwareOf(model)]);
    const short = readDeviceHeaps(matches, new TargetMemory([{ address: RAM, bytes: model.ram.subarray(0, 0x80) }]), true);
    assert.ok(short.kind === 'done');
    assert.equal(short.heaps[0].state.kind, 'not-read');
    assert.match(
      'reason' in short.heaps[0].state ? short.heaps[0].state.reason : '',
      /0x20000000–0x20000080\) does not hold 0x20000100–0x20000130/,
    );

    const shifted = readDeviceHeaps(matches, new TargetMemory([{ address: RAM + 0x40, bytes: model.ram }]), true);
    assert.ok(shifted.kind === 'done');
    assert.equal(shifted.heaps[0].state.kind, 'not-the-heap');
    assert.match(
      'reason' in shifted.heaps[0].state ? shifted.heaps[0].state.reason : '',
      /most likely starts at 0x20000000, not 0x20000040/,
    );
  });

  it('reads random memory as something, never throwing or hanging', () => {
    const random = mulberry32(99);
    const firmware = firmwareOf(board());
    for (let i = 0; i < 3000; i++) {
      const model = board();
      run(model, i, 30);
      const bytes = model.ram;
      // Overwrite some words of the static and the heap with random values, often near-valid ones.
      for (let k = 0; k < 1 + Math.floor(random() * 6); k++) {
        const inStatic = random() < 0.5;
        const address = inStatic ? STATIC + 4 * Math.floor(random() * 12) : HEAP_START + 4 * Math.floor(random() * (HEAP_BYTES / 4));
        const value = random() < 0.5 ? Math.floor(random() * 2 ** 32) : HEAP_START + 8 * Math.floor(random() * (HEAP_BYTES / 8));
        new DataView(bytes.buffer).setUint32(address - RAM, value, true);
      }
      const decoded = decodeHeap(firmware, new TargetMemory([{ address: RAM, bytes }]));
      assert.ok(['decoded', 'corrupt', 'not-the-heap'].includes(decoded.kind));
      if (decoded.kind === 'decoded') {
        for (const pool of decoded.pools) {
          assert.ok(pool.highWater >= 0 && pool.highWater <= pool.capacity);
          if (pool.free !== null) assert.ok(pool.free <= pool.highWater && pool.inUse === pool.highWater - pool.free);
        }
      }
    }
  });
});

describe('device heap statics and matching', () => {
  it('pairs the firmware’s heap with Drone.toml’s, and names a firmware built from another Drone.toml', () => {
    const firmware = firmwareOf(board());
    assert.deepEqual(
      matchHeaps(config(), [firmware]).map((m) => [m.heap.name, m.firmware?.symbol, m.mismatch]),
      [['main', SYMBOL, null]],
    );
    const other = parseDroneConfig(
      `[memory.ram]\nsize = "16K"\norigin = 0x20000000\n\n[heap.main]\nsize = "${HEAP_BYTES}"\npools = [\n  { block = "8", capacity = 32 },\n  { block = "32", capacity = 4 },\n  { block = "128", capacity = 4 },\n]\n`,
    );
    assert.ok(other.ok);
    const [match] = matchHeaps(other.config, [firmware]);
    assert.equal(match.firmware, firmware);
    assert.equal(match.mismatch, "the firmware's my_app::HEAP has pools 16×8 B, 8×32 B, 4×128 B; Drone.toml has 32×8 B, 4×32 B, 4×128 B");
  });

  it('names statics for people', () => {
    assert.equal(displaySymbol('_ZN12drone_heapfw4HEAP17h0123456789abcdefE'), 'drone_heapfw::HEAP');
    assert.equal(displaySymbol('MY_POOLS'), 'MY_POOLS');
    assert.ok(isHeapName('_ZN3app4HEAP17h0123456789abcdefE'));
    assert.ok(isHeapName('HEAP'));
    assert.ok(!isHeapName('_ZN3app7NOTHEAPX17h0123456789abcdefE'));
  });

  it('parses addresses and merges ranges', () => {
    assert.equal(parseAddress('0x2000_0000'), 0x2000_0000);
    assert.equal(parseAddress('536870912'), 0x2000_0000);
    assert.match(String(parseAddress('ram')), /not an address/);
    assert.match(String(parseAddress('0x1_0000_0000')), /past the 32-bit/);
    assert.deepEqual(
      mergeRanges([
        { address: 20, length: 10 },
        { address: 0, length: 10 },
        { address: 10, length: 5 },
      ]),
      [
        { address: 0, length: 15 },
        { address: 20, length: 10 },
      ],
    );
  });
});
