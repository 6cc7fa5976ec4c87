// Reads what the RAM budget and the device reader need from a firmware ELF file: the section
// headers and the symbol table, and on request the initial image of a symbol (symbolImage).
// Nothing else — no program headers, no relocations, no other section contents.
//
// Written here rather than taken from npm: `elfy` (1.0.0, depends on endian-reader) and
// `elf-tools` (1.1.2, a reader and writer) both parse a Buffer holding the whole file — a Rust
// firmware with debug info is tens of MB, and the budget needs a few KB of it — neither ships
// types, and both trust the file: out-of-range offsets read garbage or throw assertion and
// RangeErrors rather than saying what is wrong. Drone firmware is only ever ELF32
// little-endian (Arm, RISC-V), which makes the reader small.
//
// Every failure is an ElfError saying what is wrong and where (a byte offset); the reader
// only ever asks `read` for ranges inside the file, and its work is bounded by the file's size.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { nonRegularKind, NotARegularFileError, READ_FLAGS, socketError } from '../regularFile';

export interface ElfSection {
  name: string;
  address: number;
  size: number;
  type: number;
  flags: number;
  offset: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** The index of its section in ElfInfo.sections (st_shndx): 0 undefined, 0xfff1 absolute. */
  section: number;
}

export interface ElfInfo {
  machine: 'arm' | 'riscv';
  /** Every section header, in file order: index i is section i (0 is the null section). */
  sections: ElfSection[];
  /** The named symbols of .symtab, in table order (empty for a stripped file). */
  symbols: ElfSymbol[];
}

/** The file is not an ELF file the reader accepts; the message says what and where. */
export class ElfError extends Error {
  override name = 'ElfError';
}

/** sh_flags: the section occupies memory on the target. */
export const SHF_ALLOC = 0x2;
/** sh_type: the section occupies no bytes in the file (.bss, .heap). */
export const SHT_NOBITS = 8;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
/** st_shndx of an absolute symbol. */
export const SHN_ABS = 0xfff1;

const EM_ARM = 40;
const EM_RISCV = 243;
const MACHINE_NAMES: Record<number, string> = {
  2: 'SPARC',
  3: 'x86',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S390',
  42: 'SuperH',
  50: 'IA-64',
  62: 'x86-64',
  83: 'AVR',
  94: 'Xtensa',
  183: 'AArch64',
  258: 'LoongArch',
};

const EHDR_SIZE = 52;
const SHDR_SIZE = 40;
const SYM_SIZE = 16;
const SHN_XINDEX = 0xffff;

const hex = (n: number) => `0x${n.toString(16)}`;
const bytes = (n: number) => `${n.toLocaleString('en-US')}-byte`;

/** The first value of the symbol called `name`, or undefined. */
export function symbolValue(info: ElfInfo, name: string): number | undefined {
  return info.symbols.find((s) => s.name === name)?.value;
}

/** Sections that take room on the target (SHF_ALLOC, size > 0), by address. */
export function allocatedSections(info: ElfInfo): ElfSection[] {
  return info.sections.filter((s) => (s.flags & SHF_ALLOC) !== 0 && s.size > 0).sort((a, b) => a.address - b.address);
}

/**
 * Parses the ELF header, the section headers and the symbol table of a file of `fileSize`
 * bytes, asking `read` for byte ranges (never outside [0, fileSize)).
 */
export function parseElf(read: FileReader, fileSize: number): ElfInfo {
  const get = (offset: number, length: number, what: string): DataView => {
    if (offset + length > fileSize) {
      throw new ElfError(`truncated: ${what} at ${hex(offset)} extends past the end of the ${bytes(fileSize)} file`);
    }
    const data = read(offset, length);
    if (data.length < length) throw new ElfError(`truncated: read ${data.length} of the ${length} bytes of ${what} at ${hex(offset)}`);
    return new DataView(data.buffer, data.byteOffset, length);
  };

  // e_ident: magic, class, byte order.
  const identLength = Math.min(fileSize, 6);
  const ident = identLength > 0 ? get(0, identLength, 'the ELF identification') : new DataView(new ArrayBuffer(0));
  const magic = [0x7f, 0x45, 0x4c, 0x46];
  if (identLength < 4 || magic.some((b, i) => ident.getUint8(i) !== b)) {
    throw new ElfError(`not an ELF file (no \\x7fELF magic at byte 0${fileSize < 4 ? `: the file is ${fileSize} bytes` : ''})`);
  }
  if (identLength < 6) throw new ElfError(`truncated: the ELF header needs ${EHDR_SIZE} bytes, the file has ${fileSize}`);
  const elfClass = ident.getUint8(4);
  if (elfClass === 2) throw new ElfError('a 64-bit ELF file (class 2 at byte 4): Drone firmware is ELF32');
  if (elfClass !== 1) throw new ElfError(`ELF class ${elfClass} at byte 4 is neither 32-bit (1) nor 64-bit (2)`);
  const order = ident.getUint8(5);
  if (order === 2) throw new ElfError('big-endian ELF (byte 5 is 2): Drone firmware is little-endian');
  if (order !== 1) throw new ElfError(`ELF byte order ${order} at byte 5 is neither little-endian (1) nor big-endian (2)`);
  if (fileSize < EHDR_SIZE) throw new ElfError(`truncated: the ELF header needs ${EHDR_SIZE} bytes, the file has ${fileSize}`);

  const header = get(0, EHDR_SIZE, 'the ELF header');
  const u16 = (view: DataView, at: number) => view.getUint16(at, true);
  const u32 = (view: DataView, at: number) => view.getUint32(at, true);
  const machineNumber = u16(header, 18);
  if (machineNumber !== EM_ARM && machineNumber !== EM_RISCV) {
    const known = MACHINE_NAMES[machineNumber];
    throw new ElfError(`machine ${machineNumber}${known ? ` (${known})` : ''} at byte 18 is not Arm (40) or RISC-V (243)`);
  }
  const machine = machineNumber === EM_ARM ? 'arm' : 'riscv';

  // The section header table. With more than 0xff00 sections, e_shnum is 0 and the count is
  // section 0's sh_size; with a name table index past 0xff00, e_shstrndx is SHN_XINDEX and the
  // index is section 0's sh_link.
  const shoff = u32(header, 32);
  const shentsize = u16(header, 46);
  let shnum = u16(header, 48);
  let shstrndx = u16(header, 50);
  if (shoff === 0) throw new ElfError('no section header table (e_shoff at byte 32 is 0)');
  if (shentsize < SHDR_SIZE) throw new ElfError(`section headers of ${shentsize} bytes (e_shentsize at byte 46): ELF32 needs ${SHDR_SIZE}`);
  const headerAt = (index: number) => shoff + index * shentsize;
  const readHeader = (index: number) => get(headerAt(index), SHDR_SIZE, `section header ${index}`);
  if (shnum === 0 || shstrndx === SHN_XINDEX) {
    const first = readHeader(0);
    if (shnum === 0) shnum = u32(first, 20);
    if (shstrndx === SHN_XINDEX) shstrndx = u32(first, 24);
  }
  if (shnum === 0) throw new ElfError(`no section headers (e_shnum at byte 48 is 0, and so is section 0's size at ${hex(shoff + 20)})`);
  if (shoff + shnum * shentsize > fileSize) {
    throw new ElfError(
      `truncated: section header table at ${hex(shoff)} (${shnum} × ${shentsize} bytes) extends past the end of the ${bytes(fileSize)} file`,
    );
  }
  // One read for the usual table; entry by entry when entries are padded (read 40 bytes of each).
  const table = shentsize === SHDR_SIZE ? get(shoff, shnum * SHDR_SIZE, 'the section header table') : undefined;
  const raw = Array.from({ length: shnum }, (_, i) => {
    const view = table ?? readHeader(i);
    const at = table ? i * SHDR_SIZE : 0;
    return {
      nameOffset: u32(view, at),
      type: u32(view, at + 4),
      flags: u32(view, at + 8),
      address: u32(view, at + 12),
      offset: u32(view, at + 16),
      size: u32(view, at + 20),
      link: u32(view, at + 24),
      entsize: u32(view, at + 36),
    };
  });

  /** The bytes of section `index` (`what` names it), checked to lie inside the file. */
  const contents = (index: number, what: string): DataView => {
    const s = raw[index];
    if (s.type === SHT_NOBITS) throw new ElfError(`${what} (section ${index}, header at ${hex(headerAt(index))}) has no bytes in the file`);
    return get(s.offset, s.size, `${what} (section ${index})`);
  };
  /** A NUL-terminated string at `offset` in string table `strings`. */
  const decoder = new TextDecoder();
  const stringAt = (strings: DataView, offset: number, tableName: string, what: () => string): string => {
    if (offset >= strings.byteLength) {
      throw new ElfError(
        `bad string-table offset: ${what()} at ${hex(offset)} is past the end of ${tableName} (${strings.byteLength} bytes)`,
      );
    }
    const array = new Uint8Array(strings.buffer, strings.byteOffset, strings.byteLength);
    const end = array.indexOf(0, offset);
    if (end < 0) throw new ElfError(`bad string table: ${what()} at ${hex(offset)} runs off the end of ${tableName} without a NUL`);
    return decoder.decode(array.subarray(offset, end));
  };

  if (shstrndx === 0) throw new ElfError('no section-name string table (e_shstrndx at byte 50 is 0)');
  if (shstrndx >= shnum)
    throw new ElfError(`section-name string table index ${shstrndx} (e_shstrndx at byte 50) is past the ${shnum} section headers`);
  const names = contents(shstrndx, 'the section-name string table');
  const sections: ElfSection[] = raw.map((s, i) => ({
    name:
      i === 0 && s.nameOffset === 0
        ? ''
        : stringAt(names, s.nameOffset, 'the section-name string table', () => `the name of section ${i} (header at ${hex(headerAt(i))})`),
    address: s.address,
    size: s.size,
    type: s.type,
    flags: s.flags,
    offset: s.offset,
  }));

  // The symbol table: the first SHT_SYMTAB section, its names in the section its sh_link names.
  const symtabIndex = raw.findIndex((s) => s.type === SHT_SYMTAB);
  const symbols: ElfSymbol[] = [];
  if (symtabIndex >= 0) {
    const symtab = raw[symtabIndex];
    const label = `the symbol table ${sections[symtabIndex].name || ''}`.trimEnd();
    if (symtab.entsize < SYM_SIZE) {
      throw new ElfError(
        `${label} has entries of ${symtab.entsize} bytes (sh_entsize at ${hex(headerAt(symtabIndex) + 36)}): ELF32 symbols are ${SYM_SIZE}`,
      );
    }
    if (symtab.link === 0 || symtab.link >= shnum || raw[symtab.link].type !== SHT_STRTAB) {
      throw new ElfError(
        `${label} names string table ${symtab.link} (sh_link at ${hex(headerAt(symtabIndex) + 24)}), which is not a string table`,
      );
    }
    const entries = contents(symtabIndex, label);
    const strings = contents(symtab.link, `its string table ${sections[symtab.link].name}`.trimEnd());
    const count = Math.floor(symtab.size / symtab.entsize);
    for (let i = 1; i < count; i++) {
      const at = i * symtab.entsize;
      const nameOffset = u32(entries, at);
      if (nameOffset === 0) continue;
      symbols.push({
        name: stringAt(strings, nameOffset, 'the symbol string table', () => `the name of symbol ${i} (at ${hex(symtab.offset + at)})`),
        value: u32(entries, at + 4),
        size: u32(entries, at + 8),
        section: u16(entries, at + 14),
      });
    }
  }
  return { machine, sections, symbols };
}

/** Reads `length` bytes of the file at `offset` (fewer only at the end of the file). */
export type FileReader = (offset: number, length: number) => Uint8Array;

/**
 * The initial image of a symbol's object — its bytes in the file, where the loader copies them
 * from — or a sentence saying why there is none (an undefined, absolute or NOBITS symbol, or one
 * that does not lie inside its section).
 */
export function symbolImage(info: ElfInfo, symbol: ElfSymbol, read: FileReader): Uint8Array | string {
  const section = symbol.section > 0 && symbol.section < info.sections.length ? info.sections[symbol.section] : undefined;
  if (!section) return `${symbol.name} is not defined in a section of the file (st_shndx ${symbol.section})`;
  if (section.type === SHT_NOBITS) return `${symbol.name} lies in ${section.name}, which has no bytes in the file`;
  const inSection = symbol.value - section.address;
  if (inSection < 0 || inSection + symbol.size > section.size)
    return `${symbol.name} (${hex(symbol.value)}, ${symbol.size} B) does not lie inside ${section.name} (${hex(section.address)}, ${section.size} B)`;
  const bytes = read(section.offset + inSection, symbol.size);
  return bytes.length === symbol.size ? bytes : `the file ends inside ${symbol.name}'s bytes`;
}

/**
 * Reads a firmware file's headers, section-name table, .symtab and .strtab with positioned
 * reads — never the whole file. Refuses what is not a regular file (NotARegularFileError).
 */
export function readElfFile(path: string): ElfInfo {
  return withElfFile(path, (info) => info);
}

/**
 * Parses the file like readElfFile, then hands `use` the result and a reader for more of its
 * bytes (symbolImage), while the file is still open.
 */
export function withElfFile<T>(path: string, use: (info: ElfInfo, read: FileReader) => T): T {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    throw socketError(path, error);
  }
  try {
    const stats = fstatSync(fd);
    const kind = nonRegularKind(stats);
    if (kind) throw new NotARegularFileError(path, kind);
    const read = (offset: number, length: number): Uint8Array => {
      const buffer = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buffer, done, length - done, offset + done);
        if (n === 0) break; // the file shrank since fstat: parseElf says so
        done += n;
      }
      return buffer.subarray(0, done);
    };
    return use(parseElf(read, stats.size), read);
  } finally {
    closeSync(fd);
  }
}
