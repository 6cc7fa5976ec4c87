// The ELF reader against files made by the real GNU linker (test/fixtures/firmware: build.sh
// links them as drone-ld does; fixtures.json holds what readelf and nm say of each), and
// against every way a file can be broken: truncated at every byte, refused kinds (big-endian,
// ELF64, other machines), corrupt header fields, and thousands of random mutations. The
// reader must answer with an ElfInfo or an ElfError — never another exception, never a read
// outside the file.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { findMemory, heapPlacement, parseDroneConfig, poolSpecs, type DroneConfig } from '../../../server/src/core/config/droneConfig';
import {
  allocatedSections,
  ElfError,
  parseElf,
  readElfFile,
  SHF_ALLOC,
  SHT_NOBITS,
  symbolValue,
  type ElfInfo,
} from '../../../server/src/core/firmware/elf';
import { NotARegularFileError } from '../../../server/src/core/regularFile';
import { FIXTURES } from '../../support/paths';
import { mulberry32 } from '../../support/traceGen';

const DIR = join(FIXTURES, 'firmware');

interface Fixture {
  file: string;
  machine: 'arm' | 'riscv';
  toml: string;
  exercises: string;
  ram: { origin: number; size: number };
  regions: Record<string, { origin: number; size: number }>;
  heapSize: number;
  vectorStackPointer?: number;
  sections: Record<string, { address: number; size: number; type: string }>;
  symbols: Record<string, number>;
  stale?: boolean;
}
interface Manifest {
  fixtures: Fixture[];
  refused: { file: string; exercises: string; error: string }[];
  bench: { file: string; like: string };
}
const manifest = JSON.parse(readFileSync(join(DIR, 'fixtures.json'), 'utf8')) as Manifest;
const TYPES: Record<string, number> = { PROGBITS: 1, SYMTAB: 2, STRTAB: 3, NOBITS: SHT_NOBITS, RISCV_ATTRIBUTES: 0x70000003 };

/** A `read` over a buffer that fails the test on any read outside it, counting bytes read. */
function reader(bytes: Uint8Array) {
  const stats = { reads: 0, bytes: 0 };
  const read = (offset: number, length: number): Uint8Array => {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new assert.AssertionError({ message: `read(${offset}, ${length}) outside the ${bytes.length}-byte file` });
    }
    stats.reads++;
    stats.bytes += length;
    return bytes.subarray(offset, offset + length);
  };
  return { read, stats };
}

const parseBytes = (bytes: Uint8Array): ElfInfo => parseElf(reader(bytes).read, bytes.length);

/** The ElfError a parse of `bytes` throws (fails when it throws something else, or nothing). */
function elfError(bytes: Uint8Array): ElfError {
  try {
    parseBytes(bytes);
  } catch (error) {
    if (error instanceof ElfError) return error;
    throw error;
  }
  assert.fail('parsed without an error');
}

const fixtureBytes = (file: string) => new Uint8Array(readFileSync(join(DIR, file)));
const section = (info: ElfInfo, name: string) => info.sections.find((s) => s.name === name);

function droneToml(fixture: Fixture): DroneConfig {
  const parse = parseDroneConfig(readFileSync(join(DIR, fixture.toml), 'utf8'));
  assert.ok(parse.ok, `${fixture.toml} does not parse`);
  return parse.config;
}

describe('ELF reader: linker-made firmware (test/fixtures/firmware)', () => {
  for (const fixture of manifest.fixtures) {
    describe(`${fixture.file} with ${fixture.toml}: ${fixture.exercises}`, () => {
      const info = readElfFile(join(DIR, fixture.file));

      it('reads the same from the file as from its bytes, and the machine', () => {
        assert.deepEqual(parseBytes(fixtureBytes(fixture.file)), info);
        assert.equal(info.machine, fixture.machine);
        assert.equal(info.sections[0].name, '');
        assert.equal(info.sections[0].type, 0);
      });

      it('has every section readelf lists, with its address, size and type', () => {
        const named = info.sections.filter((s) => s.name !== '');
        assert.deepEqual(
          named.map((s) => s.name),
          Object.keys(fixture.sections),
        );
        for (const [name, expected] of Object.entries(fixture.sections)) {
          const s = section(info, name)!;
          assert.deepEqual(
            { address: s.address, size: s.size, type: s.type },
            { address: expected.address, size: expected.size, type: TYPES[expected.type] },
            name,
          );
        }
      });

      it('has the symbols nm lists, with their values (st_value as in the file: Thumb functions keep bit 0)', () => {
        for (const [name, value] of Object.entries(fixture.symbols)) {
          const expected = name === 'reset' && fixture.machine === 'arm' ? value | 1 : value; // nm shows the address without the Thumb bit
          assert.equal(symbolValue(info, name), expected, name);
        }
        // The linker script's symbols are defined (GNU ld ties them to a nearby output section, not SHN_ABS).
        for (const name of ['STACK_POINTER', 'HEAP_START', 'HEAP_END', 'BSS_START', 'DATA_END']) {
          const symbol = info.symbols.find((s) => s.name === name)!;
          assert.ok(symbol.section !== 0 && symbol.section < info.sections.length, name);
        }
        assert.equal(symbolValue(info, 'no such symbol'), undefined);
        const reset = info.symbols.find((s) => s.name === 'reset')!;
        assert.equal(info.sections[reset.section].name, '.text');
      });

      it('lays RAM out as §6 says: the stack’s room, then .bss, .data, .dronereg and .heap up to the end of RAM', () => {
        const { ram } = fixture;
        const end = ram.origin + ram.size;
        const inRam = allocatedSections(info).filter((s) => s.address >= ram.origin && s.address < end);
        const sizeOf = (name: string) => section(info, name)?.size ?? 0;
        assert.deepEqual(
          inRam.map((s) => s.name),
          ['.bss', '.data', '.dronereg', '.heap'].filter((n) => sizeOf(n) > 0),
        );
        // Back to back from STACK_POINTER to the end of RAM.
        let at = symbolValue(info, 'STACK_POINTER')!;
        for (const s of inRam) {
          assert.equal(s.address, at, s.name);
          at += s.size;
        }
        assert.equal(at, end);
        const statics = sizeOf('.data') + sizeOf('.bss') + sizeOf('.dronereg') + sizeOf('.heap');
        assert.equal(symbolValue(info, 'STACK_POINTER'), end - statics);
        assert.equal(symbolValue(info, 'HEAP_END'), end);
        assert.equal(symbolValue(info, 'HEAP_END')! - symbolValue(info, 'HEAP_START')!, fixture.heapSize);
        assert.equal(sizeOf('.heap'), fixture.heapSize);
        assert.equal(section(info, '.heap')!.type, SHT_NOBITS);
        assert.equal(section(info, '.bss')!.type, SHT_NOBITS);
        assert.equal(symbolValue(info, 'DATA_END'), symbolValue(info, 'HEAP_START'));
      });

      it('allocatedSections: SHF_ALLOC sections with bytes, by address', () => {
        const allocated = allocatedSections(info);
        assert.ok(allocated.every((s) => (s.flags & SHF_ALLOC) !== 0 && s.size > 0));
        assert.deepEqual(
          allocated.map((s) => s.address),
          [...allocated.map((s) => s.address)].sort((a, b) => a - b),
        );
        assert.ok(!allocated.some((s) => s.name === '.symtab' || s.name === '.rodata' || s.name === '.riscv.attributes'));
      });

      if (fixture.machine === 'arm') {
        it("the vector table's first word is STACK_POINTER", () => {
          const vtable = section(info, '.vtable')!;
          const word = Buffer.from(fixtureBytes(fixture.file)).readUInt32LE(vtable.offset);
          assert.equal(word, symbolValue(info, 'STACK_POINTER'));
          assert.equal(word, fixture.vectorStackPointer);
        });
      }

      it(`agrees with its Drone.toml${fixture.stale ? ' on RAM, not on the heap (stale)' : ''}`, () => {
        const config = droneToml(fixture);
        const ram = findMemory(config, 'ram')!;
        assert.deepEqual({ origin: ram.origin?.value, size: ram.size?.bytes }, fixture.ram);
        const regions = config.memory.filter((m) => m.name !== 'ram' && m.name !== 'flash');
        assert.deepEqual(
          Object.fromEntries(regions.map((m) => [m.name.toUpperCase(), { origin: m.origin?.value, size: m.size?.bytes }])),
          fixture.regions,
        );
        const main = config.heaps.find((h) => h.name === 'main')!;
        assert.equal(main.legacy, fixture.toml === 'arm-legacy.toml');
        const heapStart = symbolValue(info, 'HEAP_START');
        const heapStatic = info.symbols.find((s) => s.name.endsWith('4HEAP17h0123456789abcdefE'))!;
        if (fixture.stale) {
          assert.notEqual(main.size?.bytes, fixture.heapSize);
          assert.notEqual(heapPlacement(config, main)?.start, heapStart);
        } else {
          assert.equal(main.size?.bytes, fixture.heapSize);
          assert.equal(heapPlacement(config, main)?.start, heapStart);
          // The heap! static: one {size, edge, free, uninit} per pool, in .data.
          assert.equal(heapStatic.size, 16 * poolSpecs(main)!.length);
          assert.equal(info.sections[heapStatic.section].name, '.data');
        }
      });

      if (Object.keys(fixture.regions).length > 0) {
        it('the extra heap lies in its region; which firmware sections share its addresses', () => {
          const config = droneToml(fixture);
          const dma = config.heaps.find((h) => h.name === 'dma')!;
          const range = heapPlacement(config, dma)!;
          const ccm = fixture.regions.CCM;
          assert.ok(range.start >= ccm.origin && range.end <= ccm.origin + ccm.size);
          const clashing = allocatedSections(info).filter((s) => s.address < range.end && s.address + s.size > range.start);
          assert.deepEqual(
            clashing.map((s) => s.name),
            fixture.file === 'arm-dma-ccmram.elf' ? ['.ccmram'] : [],
          );
        });
      }
    });
  }
});

describe('ELF reader: files it refuses', () => {
  for (const refused of manifest.refused) {
    it(`${refused.file} (${refused.exercises}): ${refused.error}`, () => {
      assert.throws(
        () => readElfFile(join(DIR, refused.file)),
        (e: unknown) => e instanceof ElfError && new RegExp(refused.error).test(e.message),
      );
    });
  }

  const main = fixtureBytes('arm-main.elf');
  const view = () => Buffer.from(main);
  const patched = (edit: (b: Buffer) => void) => {
    const b = view();
    edit(b);
    return new Uint8Array(b);
  };
  const shoff = view().readUInt32LE(32);
  const shnum = view().readUInt16LE(48);
  const sectionHeader = (name: string) => shoff + 40 * readElfFile(join(DIR, 'arm-main.elf')).sections.findIndex((s) => s.name === name);

  const cases: [string, Uint8Array, string | RegExp][] = [
    ['a Drone.toml', new Uint8Array(readFileSync(join(DIR, 'arm-main.toml'))), 'not an ELF file (no \\x7fELF magic at byte 0)'],
    ['an empty file', new Uint8Array(0), 'not an ELF file (no \\x7fELF magic at byte 0: the file is 0 bytes)'],
    ['the magic alone', main.subarray(0, 4), 'truncated: the ELF header needs 52 bytes, the file has 4'],
    [
      'ELF64 by the class byte (byte 4 set to 2)',
      patched((b) => (b[4] = 2)),
      'a 64-bit ELF file (class 2 at byte 4): Drone firmware is ELF32',
    ],
    [
      'big-endian by the data byte (byte 5 set to 2)',
      patched((b) => (b[5] = 2)),
      'big-endian ELF (byte 5 is 2): Drone firmware is little-endian',
    ],
    ['an unknown class', patched((b) => (b[4] = 7)), 'ELF class 7 at byte 4 is neither 32-bit (1) nor 64-bit (2)'],
    ['an x86-64 machine', patched((b) => b.writeUInt16LE(62, 18)), 'machine 62 (x86-64) at byte 18 is not Arm (40) or RISC-V (243)'],
    ['an unnamed machine', patched((b) => b.writeUInt16LE(9999, 18)), 'machine 9999 at byte 18 is not Arm (40) or RISC-V (243)'],
    ['no section header table', patched((b) => b.writeUInt32LE(0, 32)), 'no section header table (e_shoff at byte 32 is 0)'],
    [
      'short section header entries',
      patched((b) => b.writeUInt16LE(20, 46)),
      'section headers of 20 bytes (e_shentsize at byte 46): ELF32 needs 40',
    ],
    [
      'an absurd section count',
      patched((b) => b.writeUInt16LE(0xfff0, 48)),
      `truncated: section header table at 0x${shoff.toString(16)} (65520 × 40 bytes) extends past the end of the 9,568-byte file`,
    ],
    [
      'an absurd entry size',
      patched((b) => b.writeUInt16LE(0xffff, 46)),
      `truncated: section header table at 0x${shoff.toString(16)} (${shnum} × 65535 bytes) extends past the end of the 9,568-byte file`,
    ],
    ['no section-name table', patched((b) => b.writeUInt16LE(0, 50)), 'no section-name string table (e_shstrndx at byte 50 is 0)'],
    [
      'a section-name table index past the headers',
      patched((b) => b.writeUInt16LE(200, 50)),
      `section-name string table index 200 (e_shstrndx at byte 50) is past the ${shnum} section headers`,
    ],
    [
      'a section name past its string table',
      patched((b) => b.writeUInt32LE(0x10000, sectionHeader('.heap'))),
      /^bad string-table offset: the name of section 7 \(header at 0x[0-9a-f]+\) at 0x10000 is past the end of the section-name string table \(\d+ bytes\)$/,
    ],
    [
      'a symbol table whose string table is not one',
      patched((b) => b.writeUInt32LE(1, sectionHeader('.symtab') + 24)),
      /^the symbol table \.symtab names string table 1 \(sh_link at 0x[0-9a-f]+\), which is not a string table$/,
    ],
    [
      'a symbol table past the end of the file',
      patched((b) => b.writeUInt32LE(0x7fff0000, sectionHeader('.symtab') + 16)),
      /^truncated: the symbol table \.symtab \(section \d+\) at 0x7fff0000 extends past the end of the 9,568-byte file$/,
    ],
    [
      'a symbol name past the string table',
      patched((b) => b.writeUInt32LE(0xffff, b.readUInt32LE(sectionHeader('.symtab') + 16) + 16)),
      /^bad string-table offset: the name of symbol 1 \(at 0x[0-9a-f]+\) at 0xffff is past the end of the symbol string table \(\d+ bytes\)$/,
    ],
  ];
  for (const [what, bytes, message] of cases) {
    it(`${what}: ${message}`, () => {
      const error = elfError(bytes);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
    });
  }

  it('a string table without a final NUL', () => {
    const b = view();
    const strtab = readElfFile(join(DIR, 'arm-main.elf')).sections.find((s) => s.name === '.strtab')!;
    b.fill(0x41, strtab.offset, strtab.offset + strtab.size);
    assert.match(elfError(new Uint8Array(b)).message, /runs off the end of the symbol string table without a NUL$/);
  });

  it('is truncated at every byte: always an ElfError that says so (the section headers come last)', () => {
    for (let cut = 0; cut < main.length; cut++) {
      const message = elfError(main.subarray(0, cut)).message;
      if (!/^(truncated: |not an ELF file)/.test(message)) assert.fail(`cut at ${cut}: ${message}`);
    }
  });

  it('refuses what is not a regular file, before reading: a directory, a device, a FIFO', function () {
    assert.throws(
      () => readElfFile(DIR),
      (e: unknown) => e instanceof NotARegularFileError && e.kind === 'a directory',
    );
    assert.throws(
      () => readElfFile('/dev/zero'),
      (e: unknown) => e instanceof NotARegularFileError && e.kind === 'a character device',
    );
    const dir = mkdtempSync(join(tmpdir(), 'elf-fifo-'));
    try {
      const fifo = join(dir, 'firmware');
      if (spawnSync('mkfifo', [fifo]).status !== 0) this.skip();
      assert.throws(
        () => readElfFile(fifo),
        (e: unknown) => e instanceof NotARegularFileError && e.kind === 'a FIFO (named pipe)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing file is the file system’s error (ENOENT), not an ElfError', () => {
    assert.throws(
      () => readElfFile(join(DIR, 'no-such.elf')),
      (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT',
    );
  });
});

describe('ELF reader: reads only what it needs', () => {
  it('the 20 MiB firmware: a few KB in a handful of reads, the same sections plus the padding', () => {
    const big = new Uint8Array(gunzipSync(readFileSync(join(DIR, manifest.bench.file))));
    assert.ok(big.length > 20 * 1024 * 1024);
    const { read, stats } = reader(big);
    const info = parseElf(read, big.length);
    assert.ok(stats.bytes < 4096, `read ${stats.bytes} bytes`);
    assert.ok(stats.reads <= 8, `${stats.reads} reads`);
    // objcopy rewrote the symbol and name tables; what the budget reads is unchanged.
    const like = readElfFile(join(DIR, manifest.bench.like));
    const figures = (i: ElfInfo) =>
      allocatedSections(i).map(({ name, address, size, type, flags }) => ({ name, address, size, type, flags }));
    assert.deepEqual(figures(info), figures(like));
    assert.equal(section(info, '.debug_padding')?.size, 20 * 1024 * 1024);
    assert.equal(section(info, '.debug_padding')!.flags & SHF_ALLOC, 0);
    const values = (i: ElfInfo) => i.symbols.map(({ name, value }) => [name, value]);
    assert.deepEqual(values(info), values(like));
  });

  it('readElfFile on a file on disk reads the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elf-big-'));
    try {
      const path = join(dir, 'firmware.elf');
      writeFileSync(path, gunzipSync(readFileSync(join(DIR, manifest.bench.file))));
      assert.equal(section(readElfFile(path), '.debug_padding')?.size, 20 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ELF reader: fuzzing (seed 20261204)', function () {
  this.timeout(60_000);

  it('5000 mutated fixtures: an ElfInfo or an ElfError, never another exception or a read outside the file', () => {
    const random = mulberry32(20261204);
    const pick = (n: number) => Math.floor(random() * n);
    const sources = manifest.fixtures.filter((f, i, all) => all.findIndex((g) => g.file === f.file) === i).map((f) => fixtureBytes(f.file));
    const extremes = [0, 1, 0x28, 0xff, 0xffff, 0x7fffffff, 0xffffffff];
    let parsed = 0;
    let refused = 0;
    const started = Date.now();
    for (let i = 0; i < 5000; i++) {
      const source = sources[i % sources.length];
      const bytes = Buffer.from(source);
      const shoff = bytes.readUInt32LE(32);
      const rounds = 1 + pick(4);
      for (let r = 0; r < rounds; r++) {
        // Aim at the bytes the reader interprets: the ELF header, the section header table,
        // and anywhere in the file (symbols and string tables).
        const region = pick(3);
        const at = region === 0 ? pick(52) : region === 1 ? shoff + pick(bytes.length - shoff) : pick(bytes.length);
        if (at >= bytes.length) continue;
        switch (pick(3)) {
          case 0:
            bytes[at] = pick(256);
            break;
          case 1:
            if (at + 4 <= bytes.length) bytes.writeUInt32LE(extremes[pick(extremes.length)], at);
            break;
          default:
            bytes[at] ^= 1 << pick(8);
        }
      }
      const cut = random() < 0.1 ? pick(bytes.length) : bytes.length;
      const input = new Uint8Array(bytes.subarray(0, cut));
      try {
        const info = parseBytes(input);
        assert.ok(info.machine === 'arm' || info.machine === 'riscv');
        parsed++;
      } catch (error) {
        if (!(error instanceof ElfError)) assert.fail(`case ${i}: ${(error as Error).stack}`);
        assert.ok(error.message.length > 0);
        refused++;
      }
    }
    const elapsed = Date.now() - started;
    // Both outcomes must be common, or the mutations prove little.
    assert.ok(parsed > 500 && refused > 500, `parsed ${parsed}, refused ${refused}`);
    assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
  });
});
