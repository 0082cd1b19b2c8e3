// Generic ELF64 little-endian structure: header, program headers, section headers, notes.
// Used for core files and for module files (executables, shared objects, debug files) alike.
import { type ByteSource } from '../io';
import { DumpFormatError } from '../errors';
import * as C from './constants';

export interface ElfHeader {
  type: number;
  machine: number;
  entry: bigint;
  phoff: number;
  shoff: number;
  flags: number;
  phentsize: number;
  /** Real program header count (PN_XNUM resolved). */
  phnum: number;
  shentsize: number;
  /** Real section header count (0 with a non-zero shoff resolved through section 0). */
  shnum: number;
  /** Real index of the section-name string table (SHN_XINDEX resolved). */
  shstrndx: number;
}

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  filesz: number;
  memsz: bigint;
  align: bigint;
}

export interface SectionHeader {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: bigint;
  entsize: number;
}

export interface ElfNote {
  name: string;
  type: number;
  /** File offset of the descriptor. */
  descOffset: number;
  descSize: number;
}

export interface ElfLimits {
  maxProgramHeaders: number;
  maxSections: number;
  maxNotes: number;
}

export const DEFAULT_ELF_LIMITS: ElfLimits = {
  maxProgramHeaders: 1_000_000,
  maxSections: 100_000,
  maxNotes: 4_000_000,
};

/** Safe conversion of a u64 file offset or size to a JS number. */
export function u64ToNumber(v: bigint, file: string, what: string, offset: number): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DumpFormatError('BadHeader', `${file}: ${what} 0x${v.toString(16)} is too large`, { file, offset });
  }
  return Number(v);
}

/**
 * Validates the identification bytes and reads the ELF64 LE header.
 * `expectType` narrows the accepted e_type with a clear message.
 */
export function readElfHeader(src: ByteSource, opts: { expectCore?: boolean } = {}): ElfHeader {
  const file = src.name;
  if (src.size === 0) throw new DumpFormatError('EmptyFile', `${file}: file is empty`, { file });
  const ident = src.readUpTo(0, 16);
  if (ident.length < 4 || !ident.subarray(0, 4).equals(C.ELFMAG)) {
    throw new DumpFormatError('NotElf', `${file}: not an ELF file (no \\x7fELF magic at offset 0)`, { file, offset: 0 });
  }
  if (ident.length < 16) {
    throw new DumpFormatError('TruncatedFile', `${file}: file is truncated inside the ELF identification (${src.size} bytes)`, { file, offset: 0 });
  }
  const cls = ident[4];
  const data = ident[5];
  if (cls === C.ELFCLASS32) {
    throw new DumpFormatError('UnsupportedClass', `${file}: 32-bit ELF files are not supported yet (only 64-bit x86-64)`, { file, offset: 4, actual: 'ELFCLASS32' });
  }
  if (cls !== C.ELFCLASS64) {
    throw new DumpFormatError('BadHeader', `${file}: invalid ELF class ${cls}`, { file, offset: 4 });
  }
  if (data === C.ELFDATA2MSB) {
    throw new DumpFormatError('UnsupportedEndian', `${file}: big-endian ELF files are not supported yet (only little-endian x86-64)`, {
      file,
      offset: 5,
      actual: 'ELFDATA2MSB',
    });
  }
  if (data !== C.ELFDATA2LSB) {
    throw new DumpFormatError('BadHeader', `${file}: invalid ELF data encoding ${data}`, { file, offset: 5 });
  }
  if (src.size < C.ELF64_EHDR_SIZE) {
    throw new DumpFormatError('TruncatedFile', `${file}: file is truncated inside the ELF header (${src.size} of 64 bytes)`, { file, offset: 0 });
  }
  const h = src.read(0, C.ELF64_EHDR_SIZE);
  const type = h.readUInt16LE(16);
  const machine = h.readUInt16LE(18);
  if (opts.expectCore && type !== C.ET_CORE) {
    throw new DumpFormatError('NotCore', `${file}: is ${C.elfTypeName(type)}, not a core dump`, { file, offset: 16, expected: 'ET_CORE', actual: `e_type ${type}` });
  }
  if (opts.expectCore && machine !== C.EM_X86_64) {
    throw new DumpFormatError('UnsupportedMachine', `${file}: ${C.machineName(machine)} core dumps are not supported yet (only x86-64)`, {
      file,
      offset: 18,
      actual: C.machineName(machine),
    });
  }
  const header: ElfHeader = {
    type,
    machine,
    entry: h.readBigUInt64LE(24),
    phoff: u64ToNumber(h.readBigUInt64LE(32), file, 'e_phoff', 32),
    shoff: u64ToNumber(h.readBigUInt64LE(40), file, 'e_shoff', 40),
    flags: h.readUInt32LE(48),
    phentsize: h.readUInt16LE(54),
    phnum: h.readUInt16LE(56),
    shentsize: h.readUInt16LE(58),
    shnum: h.readUInt16LE(60),
    shstrndx: h.readUInt16LE(62),
  };
  // Extended numbering: with more than 0xfffe program headers (cores of processes with many
  // mappings), e_phnum is PN_XNUM and the real count is in section 0's sh_info; likewise
  // e_shnum 0 / e_shstrndx SHN_XINDEX defer to section 0's sh_size / sh_link.
  const needSection0 = header.phnum === C.PN_XNUM || (header.shnum === 0 && header.shoff !== 0) || header.shstrndx === C.SHN_XINDEX;
  if (needSection0) {
    if (header.shoff === 0) {
      throw new DumpFormatError('BadHeader', `${file}: e_phnum is PN_XNUM but there is no section header to hold the real count`, { file, offset: 56 });
    }
    const s0 = src.read(header.shoff, C.ELF64_SHDR_SIZE);
    if (header.phnum === C.PN_XNUM) header.phnum = s0.readUInt32LE(44);
    if (header.shnum === 0) header.shnum = u64ToNumber(s0.readBigUInt64LE(32), file, 'section 0 sh_size', header.shoff + 32);
    if (header.shstrndx === C.SHN_XINDEX) header.shstrndx = s0.readUInt32LE(40);
  }
  return header;
}

export function readProgramHeaders(src: ByteSource, h: ElfHeader, limits: ElfLimits = DEFAULT_ELF_LIMITS): ProgramHeader[] {
  const file = src.name;
  if (h.phnum === 0) return [];
  if (h.phentsize !== C.ELF64_PHDR_SIZE) {
    throw new DumpFormatError('BadProgramHeaders', `${file}: program header size is ${h.phentsize}, expected 56`, { file, offset: 54 });
  }
  if (h.phnum > limits.maxProgramHeaders) {
    throw new DumpFormatError('LimitExceeded', `${file}: ${h.phnum} program headers is more than the limit of ${limits.maxProgramHeaders}`, { file, offset: 56 });
  }
  const total = h.phnum * C.ELF64_PHDR_SIZE;
  if (h.phoff + total > src.size) {
    throw new DumpFormatError(
      'TruncatedFile',
      `${file}: file is truncated: its ${h.phnum} program headers end at offset 0x${(h.phoff + total).toString(16)} but the file has ${src.size} bytes`,
      { file, offset: h.phoff },
    );
  }
  const buf = src.read(h.phoff, total);
  const out: ProgramHeader[] = new Array(h.phnum);
  for (let i = 0; i < h.phnum; i++) {
    const o = i * C.ELF64_PHDR_SIZE;
    out[i] = {
      type: buf.readUInt32LE(o),
      flags: buf.readUInt32LE(o + 4),
      offset: u64ToNumber(buf.readBigUInt64LE(o + 8), file, `program header ${i} p_offset`, h.phoff + o + 8),
      vaddr: buf.readBigUInt64LE(o + 16),
      paddr: buf.readBigUInt64LE(o + 24),
      filesz: u64ToNumber(buf.readBigUInt64LE(o + 32), file, `program header ${i} p_filesz`, h.phoff + o + 32),
      memsz: buf.readBigUInt64LE(o + 40),
      align: buf.readBigUInt64LE(o + 48),
    };
  }
  return out;
}

export function readSectionHeaders(src: ByteSource, h: ElfHeader, limits: ElfLimits = DEFAULT_ELF_LIMITS): SectionHeader[] {
  const file = src.name;
  if (h.shoff === 0 || h.shnum === 0) return [];
  if (h.shentsize !== C.ELF64_SHDR_SIZE) {
    throw new DumpFormatError('BadSectionHeaders', `${file}: section header size is ${h.shentsize}, expected 64`, { file, offset: 58 });
  }
  if (h.shnum > limits.maxSections) {
    throw new DumpFormatError('LimitExceeded', `${file}: ${h.shnum} sections is more than the limit of ${limits.maxSections}`, { file, offset: 60 });
  }
  const total = h.shnum * C.ELF64_SHDR_SIZE;
  if (h.shoff + total > src.size) {
    throw new DumpFormatError('TruncatedFile', `${file}: file is truncated inside its section headers`, { file, offset: h.shoff });
  }
  const buf = src.read(h.shoff, total);
  const raw = [];
  for (let i = 0; i < h.shnum; i++) {
    const o = i * C.ELF64_SHDR_SIZE;
    raw.push({
      index: i,
      nameOffset: buf.readUInt32LE(o),
      type: buf.readUInt32LE(o + 4),
      flags: buf.readBigUInt64LE(o + 8),
      addr: buf.readBigUInt64LE(o + 16),
      offset: u64ToNumber(buf.readBigUInt64LE(o + 24), file, `section ${i} sh_offset`, h.shoff + o + 24),
      size: u64ToNumber(buf.readBigUInt64LE(o + 32), file, `section ${i} sh_size`, h.shoff + o + 32),
      link: buf.readUInt32LE(o + 40),
      info: buf.readUInt32LE(o + 44),
      addralign: buf.readBigUInt64LE(o + 48),
      entsize: u64ToNumber(buf.readBigUInt64LE(o + 56), file, `section ${i} sh_entsize`, h.shoff + o + 56),
    });
  }
  // Section names: read the string table once, bounded.
  let names: Buffer | null = null;
  const strtab = raw[h.shstrndx];
  if (h.shstrndx !== C.SHN_UNDEF && strtab && strtab.type !== C.SHT_NOBITS && strtab.size <= 16 * 1024 * 1024) {
    names = src.readUpTo(strtab.offset, strtab.size);
  }
  return raw.map(({ nameOffset, ...s }) => ({ ...s, name: names ? cString(names, nameOffset, 4096) : '' }));
}

/** A NUL-terminated string from `buf` at `offset`, at most `max` bytes. */
export function cString(buf: Buffer, offset: number, max: number): string {
  if (offset < 0 || offset >= buf.length) return '';
  const end = Math.min(buf.length, offset + max);
  let i = offset;
  while (i < end && buf[i] !== 0) i++;
  return buf.toString('utf8', offset, i);
}

export interface NoteScanOptions {
  /** Note alignment: 4 for cores and most notes; 8 for PT_NOTE segments with p_align 8. */
  align: 4 | 8;
  maxNotes: number;
}

/**
 * Walks the notes in [offset, offset+size) of `src` without reading descriptors
 * (callers read the ones they want). Throws TruncatedNote when a note runs past its segment.
 */
export function scanNotes(src: ByteSource, offset: number, size: number, opts: NoteScanOptions, out: ElfNote[] = []): ElfNote[] {
  const file = src.name;
  const end = offset + size;
  if (end > src.size) {
    throw new DumpFormatError(
      'TruncatedFile',
      `${file}: file is truncated: the note segment at offset 0x${offset.toString(16)} needs ${size} bytes but the file ends at ${src.size}`,
      { file, offset },
    );
  }
  const pad = (n: number) => (n + opts.align - 1) & ~(opts.align - 1);
  let pos = offset;
  // Read notes through a sliding window so a segment of many thousands of notes costs a few reads.
  let window: Buffer = Buffer.alloc(0);
  let windowStart = 0;
  const bytesAt = (p: number, n: number): Buffer => {
    if (p < windowStart || p + n > windowStart + window.length) {
      windowStart = p;
      window = src.read(p, Math.min(end - p, Math.max(n, 256 * 1024)));
    }
    return window.subarray(p - windowStart, p - windowStart + n);
  };
  while (pos < end) {
    if (end - pos < 12) {
      // Trailing padding shorter than a note header is tolerated only if it is all zero.
      const rest = bytesAt(pos, end - pos);
      if (rest.every((b) => b === 0)) break;
      throw new DumpFormatError('TruncatedNote', `${file}: a note header at offset 0x${pos.toString(16)} runs past the end of its segment`, { file, offset: pos });
    }
    if (out.length >= opts.maxNotes) {
      throw new DumpFormatError('LimitExceeded', `${file}: more than ${opts.maxNotes} notes`, { file, offset: pos });
    }
    const hdr = bytesAt(pos, 12);
    const namesz = hdr.readUInt32LE(0);
    const descsz = hdr.readUInt32LE(4);
    const type = hdr.readUInt32LE(8);
    const nameStart = pos + 12;
    const descStart = nameStart + pad(namesz);
    const next = descStart + pad(descsz);
    if (descStart + descsz > end || namesz > end - nameStart) {
      throw new DumpFormatError(
        'TruncatedNote',
        `${file}: note at offset 0x${pos.toString(16)} (type 0x${type.toString(16)}) claims ${namesz}+${descsz} bytes, which runs past the end of its segment at 0x${end.toString(16)}`,
        { file, offset: pos, expected: `<= ${end - nameStart} bytes`, actual: `${namesz + descsz} bytes` },
      );
    }
    const name = namesz > 0 ? cString(bytesAt(nameStart, Math.min(namesz, 64)), 0, 64) : '';
    out.push({ name, type, descOffset: descStart, descSize: descsz });
    pos = Math.min(next, end);
  }
  return out;
}

/** Notes held in an in-memory buffer (e.g. a module's PT_NOTE read from a dump's memory). */
export function parseNotesBuffer(buf: Buffer, align: 4 | 8, maxNotes = 1024): { name: string; type: number; desc: Buffer }[] {
  const out: { name: string; type: number; desc: Buffer }[] = [];
  const pad = (n: number) => (n + align - 1) & ~(align - 1);
  let pos = 0;
  while (pos + 12 <= buf.length && out.length < maxNotes) {
    const namesz = buf.readUInt32LE(pos);
    const descsz = buf.readUInt32LE(pos + 4);
    const type = buf.readUInt32LE(pos + 8);
    const nameStart = pos + 12;
    const descStart = nameStart + pad(namesz);
    if (namesz > buf.length || descsz > buf.length || descStart + descsz > buf.length) break;
    out.push({ name: cString(buf, nameStart, Math.min(namesz, 64)), type, desc: buf.subarray(descStart, descStart + descsz) });
    pos = descStart + pad(descsz);
  }
  return out;
}

/** The GNU build-id in a list of parsed notes, as lowercase hex. */
export function buildIdFromNotes(notes: { name: string; type: number; desc: Buffer }[]): string | null {
  for (const n of notes) {
    if (n.name === 'GNU' && n.type === C.NT_GNU_BUILD_ID && n.desc.length > 0 && n.desc.length <= 64) return n.desc.toString('hex');
  }
  return null;
}
