// The RAM budget from a firmware image and Drone.toml, and its findings, on images laid out
// the way drone-ld lays out RAM: stack room, .bss, .data, .dronereg, .heap to the end of RAM.
import { strict as assert } from 'node:assert';
import { parseDroneConfig, type DroneConfig } from '../../../server/src/core/config/droneConfig';
import { firmwareFindings } from '../../../server/src/core/firmware/firmwareFindings';
import { ramBudget, type FirmwareImage } from '../../../server/src/core/firmware/ramBudget';

const ALLOC = 0x2;
const RAM = 0x2000_0000;

/** An image as drone-ld would link it into 20 KiB of RAM. */
function image(data: number, bss: number, dronereg: number, heap: number, extra: FirmwareImage['sections'] = []): FirmwareImage {
  const top = RAM + 20 * 1024;
  const heapStart = top - heap;
  const stackPointer = heapStart - dronereg - data - bss;
  return {
    machine: 'arm',
    sections: [
      { name: '.vector_table', address: 0x0800_0000, size: 0x130, flags: ALLOC },
      { name: '.bss', address: stackPointer, size: bss, flags: ALLOC | 0x1 },
      { name: '.data', address: stackPointer + bss, size: data, flags: ALLOC | 0x1 },
      { name: '.dronereg', address: stackPointer + bss + data, size: dronereg, flags: ALLOC | 0x1 },
      { name: '.heap', address: heapStart, size: heap, flags: ALLOC | 0x1 },
      { name: '.debug_info', address: 0, size: 5000, flags: 0 },
      ...extra,
    ],
    symbols: [
      { name: 'STACK_POINTER', value: stackPointer },
      { name: 'HEAP_START', value: heapStart },
      { name: 'HEAP_END', value: top },
    ],
  };
}

function config(heapSize: string, extra = ''): DroneConfig {
  const parse = parseDroneConfig(
    `[memory.flash]\nsize = "64K"\norigin = 0x08000000\n\n[memory.ram]\nsize = "20K"\norigin = 0x20000000\n${extra}\n[heap.main]\nsize = "${heapSize}"\npools = [\n  { block = "4", capacity = 1 },\n]\n`,
  );
  assert.ok(parse.ok);
  return parse.config;
}

const options = { minStackBytes: 1024, firmwareName: 'target/thumbv7m-none-eabi/release/blink' };

describe('RAM budget', () => {
  it('splits RAM into stack room, static data and heap as built', () => {
    const result = ramBudget(config('10K'), image(64, 1200, 80, 10240));
    assert.ok(result.ok);
    assert.deepEqual(result.budget, {
      ram: { origin: RAM, size: 20480 },
      sections: [
        { name: '.bss', address: RAM + 20480 - 10240 - 80 - 64 - 1200, size: 1200 },
        { name: '.data', address: RAM + 20480 - 10240 - 80 - 64, size: 64 },
        { name: '.dronereg', address: RAM + 20480 - 10240 - 80, size: 80 },
        { name: '.heap', address: RAM + 10240, size: 10240 },
      ],
      staticBytes: 1344,
      stackBytes: 20480 - 1344 - 10240,
      heapBytesBuilt: 10240,
      heapBytesWritten: 10240,
      stale: false,
      stackBytesAsWritten: 20480 - 1344 - 10240,
    });
    assert.deepEqual(firmwareFindings(config('10K'), result.budget, image(64, 1200, 80, 10240), options), []);
  });

  const cases: { name: string; written: string; built: number; codes: string[]; message?: RegExp }[] = [
    {
      name: 'a heap raised past the stack minimum warns',
      written: '18700',
      built: 10240,
      codes: ['stack-room-low', 'firmware-stale'],
      message: /The stack keeps 436 B of RAM .* A heap of at most 18112 B keeps 1 KiB \(1024 B\)/,
    },
    {
      name: 'a heap beyond what static data leaves will not link',
      written: '19K',
      built: 10240,
      codes: ['ram-overflow', 'firmware-stale'],
      message: /320 B too many, so the link will fail\. The largest heap that fits is 19136 B/,
    },
    {
      name: 'a smaller heap than built is a prediction only',
      written: '8K',
      built: 10240,
      codes: ['firmware-stale'],
      message: /was built with a 10 KiB \(10240 B\) heap; Drone\.toml now says 8 KiB \(8192 B\)/,
    },
    { name: 'a heap size that is not a multiple of 4 was built rounded up: not stale', written: '10238', built: 10240, codes: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const firmware = image(64, 1200, 80, c.built);
      const drone = config(c.written);
      const result = ramBudget(drone, firmware);
      assert.ok(result.ok);
      const findings = firmwareFindings(drone, result.budget, firmware, options);
      assert.deepEqual(
        findings.map((f) => f.code),
        c.codes,
      );
      if (c.message) assert.match(findings[0].message, c.message);
      for (const f of findings) assert.equal(drone.text.slice(f.span.start, f.span.end), `"${c.written}"`, "on the main heap's size");
    });
  }

  it('finds the sections an extra heap overlaps, in any region', () => {
    const ccm =
      '\n[memory.ccm]\nsize = "64K"\norigin = 0x10000000\n\n[heap.dma]\nsize = "4K"\norigin = 0x10000000\npools = [\n  { block = "4", capacity = 1024 },\n]\n';
    const drone = config('10K', ccm);
    const placed = image(64, 1200, 80, 10240, [{ name: '.ccmram', address: 0x1000_0800, size: 0x100, flags: ALLOC }]);
    const result = ramBudget(drone, placed);
    assert.ok(result.ok);
    const findings = firmwareFindings(drone, result.budget, placed, options);
    assert.deepEqual(
      findings.map((f) => f.code),
      ['heap-overlaps-section'],
    );
    assert.match(findings[0].message, /`heap\.dma` overlaps `\.ccmram` \(0x10000800\.\.0x10000900, 256 B\)/);
    assert.equal(drone.text.slice(findings[0].span.start, findings[0].span.end), '0x10000000');
    const clear = image(64, 1200, 80, 10240, [{ name: '.ccmram', address: 0x1000_1000, size: 0x100, flags: ALLOC }]);
    assert.deepEqual(firmwareFindings(drone, result.budget, clear, options), []);
  });

  it('falls back on the symbols when the heap section is missing, and needs [memory.ram]', () => {
    const firmware = image(64, 1200, 80, 10240);
    const noHeapSection = { ...firmware, sections: firmware.sections.filter((s) => s.name !== '.heap') };
    const result = ramBudget(config('10K'), noHeapSection);
    assert.ok(result.ok);
    assert.equal(result.budget.heapBytesBuilt, 10240);
    const parse = parseDroneConfig('[heap.main]\nsize = "1K"\npools = []\n');
    assert.ok(parse.ok);
    assert.deepEqual(ramBudget(parse.config, firmware), { ok: false, reason: 'Drone.toml has no valid [memory.ram] origin and size' });
  });
});
