// Where things are in a base input, read straight from its bytes (independently of main/core,
// so a bug there cannot hide itself from the fuzzer): program headers, notes, NT_FILE entries,
// thread registers for a core; sections and symbols for a module file. Mutations name places
// by structure (the 3rd program header, the NT_FILE note, .eh_frame) and are resolved here,
// so a reproducer still means the same thing on a core regenerated from the same program.

export interface NoteInfo {
  index: number;
  /** File offset of the note header. */
  offset: number;
  namesz: number;
  descsz: number;
  type: number;
  name: string;
  descOffset: number;
}

export interface CoreLayout {
  kind: 'core';
  size: number;
  phoff: number;
  phnum: number;
  phdrs: { index: number; offset: number; type: number; fileOffset: number; filesz: number; vaddr: bigint; memsz: bigint }[];
  notes: NoteInfo[];
  /** Stack pointer of each thread (NT_PRSTATUS order). */
  threadSps: bigint[];
  /** NT_FILE mappings (code and data of the modules): where plausible pcs and pointers lie. */
  mappings: { start: bigint; end: bigint }[];
  /** The vDSO's image in the core (an ELF file in memory: its sections are read from the dump). */
  vdso: { fileOffset: number; layout: ModuleLayout } | null;
  /** File offsets of the modules' first pages in the core (ELF header, program headers, build-id note). */
  moduleHeads: number[];
}

export interface SectionInfo {
  index: number;
  name: string;
  /** File offset of the section header entry. */
  headerOffset: number;
  offset: number;
  size: number;
  type: number;
  entsize: number;
}

export interface ModuleLayout {
  kind: 'module';
  size: number;
  shoff: number;
  phoff: number;
  phdrs: { index: number; offset: number; type: number }[];
  sections: SectionInfo[];
  /** File range of the build-id note, which mutations must leave intact (it is how the copy is found). */
  buildId: { offset: number; size: number } | null;
}

export const NT_PRSTATUS = 1;
export const NT_PRPSINFO = 3;
export const NT_AUXV = 6;
export const NT_FILE = 0x46494c45;
export const NT_SIGINFO = 0x53494749;
export const PT_LOAD = 1;
export const PT_NOTE = 4;
/** Offset of pr_reg (the general registers) inside NT_PRSTATUS. */
export const PRSTATUS_REGS = 112;
/** user_regs_struct order. */
export const GREGS = ['r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi', 'rdi', 'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs'] as const;

const pad4 = (n: number) => (n + 3) & ~3;

export function coreLayout(buf: Buffer): CoreLayout {
  const phoff = Number(buf.readBigUInt64LE(32));
  const phnum = buf.readUInt16LE(56);
  const phdrs: CoreLayout['phdrs'] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * 56;
    phdrs.push({
      index: i,
      offset: o,
      type: buf.readUInt32LE(o),
      fileOffset: Number(buf.readBigUInt64LE(o + 8)),
      vaddr: buf.readBigUInt64LE(o + 16),
      filesz: Number(buf.readBigUInt64LE(o + 32)),
      memsz: buf.readBigUInt64LE(o + 40),
    });
  }
  const notes: NoteInfo[] = [];
  for (const p of phdrs.filter((x) => x.type === PT_NOTE)) {
    let pos = p.fileOffset;
    const end = p.fileOffset + p.filesz;
    while (pos + 12 <= end) {
      const namesz = buf.readUInt32LE(pos);
      const descsz = buf.readUInt32LE(pos + 4);
      const type = buf.readUInt32LE(pos + 8);
      const name = buf.toString('latin1', pos + 12, pos + 12 + Math.max(0, namesz - 1));
      const descOffset = pos + 12 + pad4(namesz);
      notes.push({ index: notes.length, offset: pos, namesz, descsz, type, name, descOffset });
      pos = descOffset + pad4(descsz);
    }
  }
  const threadSps = notes
    .filter((n) => n.name === 'CORE' && n.type === NT_PRSTATUS)
    .map((n) => buf.readBigUInt64LE(n.descOffset + PRSTATUS_REGS + 8 * GREGS.indexOf('rsp')));
  const mappings: { start: bigint; end: bigint }[] = [];
  const nf = notes.find((n) => n.name === 'CORE' && n.type === NT_FILE);
  if (nf) {
    const count = Number(buf.readBigUInt64LE(nf.descOffset));
    for (let i = 0; i < count && 16 + 24 * (i + 1) <= nf.descsz; i++) {
      const o = nf.descOffset + 16 + 24 * i;
      mappings.push({ start: buf.readBigUInt64LE(o), end: buf.readBigUInt64LE(o + 8) });
    }
  }
  // Where an address is in the file, when a PT_LOAD holds it.
  const fileOffsetOf = (addr: bigint): number | null => {
    const seg = phdrs.find((p) => p.type === PT_LOAD && addr >= p.vaddr && addr < p.vaddr + BigInt(p.filesz));
    return seg ? seg.fileOffset + Number(addr - seg.vaddr) : null;
  };
  let vdso: CoreLayout['vdso'] = null;
  const auxv = notes.find((n) => n.name === 'CORE' && n.type === NT_AUXV);
  for (let o = 0; auxv && o + 16 <= auxv.descsz; o += 16) {
    if (buf.readBigUInt64LE(auxv.descOffset + o) !== 33n /* AT_SYSINFO_EHDR */) continue;
    const at = fileOffsetOf(buf.readBigUInt64LE(auxv.descOffset + o + 8));
    if (at !== null) {
      try {
        vdso = { fileOffset: at, layout: moduleLayout(buf.subarray(at)) };
      } catch {
        vdso = null;
      }
    }
  }
  const moduleHeads: number[] = [];
  if (nf) {
    const count = Number(buf.readBigUInt64LE(nf.descOffset));
    for (let i = 0; i < count && 16 + 24 * (i + 1) <= nf.descsz; i++) {
      const o = nf.descOffset + 16 + 24 * i;
      if (buf.readBigUInt64LE(o + 16) !== 0n) continue; // not the mapping of file offset 0
      const at = fileOffsetOf(buf.readBigUInt64LE(o));
      if (at !== null && buf.readUInt32BE(at) === 0x7f454c46) moduleHeads.push(at);
    }
  }
  return { kind: 'core', size: buf.length, phoff, phnum, phdrs, notes, threadSps, mappings, vdso, moduleHeads };
}

export function moduleLayout(buf: Buffer): ModuleLayout {
  const shoff = Number(buf.readBigUInt64LE(40));
  const phoff = Number(buf.readBigUInt64LE(32));
  const phdrs = Array.from({ length: buf.readUInt16LE(56) }, (_, index) => ({ index, offset: phoff + index * 56, type: buf.readUInt32LE(phoff + index * 56) }));
  const shnum = buf.readUInt16LE(60);
  const shstrndx = buf.readUInt16LE(62);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 64;
    raw.push({
      index: i,
      headerOffset: o,
      nameOff: buf.readUInt32LE(o),
      type: buf.readUInt32LE(o + 4),
      offset: Number(buf.readBigUInt64LE(o + 24)),
      size: Number(buf.readBigUInt64LE(o + 32)),
      entsize: Number(buf.readBigUInt64LE(o + 56)),
    });
  }
  const strtab = raw[shstrndx];
  const nameAt = (off: number) => {
    const start = strtab.offset + off;
    const end = buf.indexOf(0, start);
    return buf.toString('latin1', start, end < 0 ? start : end);
  };
  const sections = raw.map(({ nameOff, ...s }) => ({ ...s, name: nameAt(nameOff) }));
  const bid = sections.find((s) => s.name === '.note.gnu.build-id');
  return { kind: 'module', size: buf.length, shoff, phoff, phdrs, sections, buildId: bid ? { offset: bid.offset, size: bid.size } : null };
}
