// Mutations of real inputs, as plain JSON so a finding is saved and replayed as data. Places are
// named by structure (see layout.ts) and resolved against the unmutated base, so a mutation
// list means the same thing on a core regenerated from the same committed program.
import { type CoreLayout, type ModuleLayout, GREGS, NT_AUXV, NT_FILE, NT_PRPSINFO, NT_PRSTATUS, NT_SIGINFO, PRSTATUS_REGS, PT_LOAD } from './layout';
import { type Prng } from './prng';

export type Region =
  | { kind: 'file' }
  | { kind: 'ehdr' }
  /** A program header entry. */
  | { kind: 'phdr'; index: number }
  /** The bytes a program header points to. */
  | { kind: 'segment'; index: number }
  /** A note, from its header. */
  | { kind: 'note'; index: number }
  /** A note's descriptor. */
  | { kind: 'desc'; index: number }
  /** The stack memory at a thread's rsp (where the unwinder reads). */
  | { kind: 'stack'; thread: number }
  /** A module file's section contents, by name. */
  | { kind: 'section'; name: string }
  /** A module file's section header entry, by section name. */
  | { kind: 'shdr'; name: string }
  /** A module file's program header entry. */
  | { kind: 'mphdr'; index: number }
  /** In a core: a section of the vDSO's image, by name. */
  | { kind: 'vdso-section'; name: string }
  /** In a core: the vDSO image's section header of a section. */
  | { kind: 'vdso-shdr'; name: string }
  /** In a core: the first page of a module's image (its ELF header, program headers, build-id note). */
  | { kind: 'module-head'; index: number };

export type Mutation =
  | { op: 'flip'; region: Region; at: number; bit: number }
  | { op: 'fill'; region: Region; at: number; length: number; byte: number }
  | { op: 'bytes'; region: Region; at: number; hex: string }
  | { op: 'int'; region: Region; at: number; width: 1 | 2 | 4 | 8; value: string; what?: string }
  /** Copies `length` bytes of one place over another (a note header over another's, …). */
  | { op: 'copy'; from: Region; to: Region; length: number }
  | { op: 'truncate'; region: Region; at: number }
  /** Grows the file with a sparse hole (applied last, by ftruncate). */
  | { op: 'extend'; bytes: number };

export type TextMutation =
  | { op: 'delete-lines'; line: number; count: number }
  | { op: 'duplicate-lines'; line: number; count: number; times: number }
  | { op: 'swap-lines'; a: number; b: number }
  | { op: 'insert'; line: number; text: string }
  | { op: 'replace-char'; offset: number; code: number }
  | { op: 'replace-number'; nth: number; value: string }
  | { op: 'long-line'; line: number; length: number; char: string }
  | { op: 'truncate'; offset: number };

export type Layout = CoreLayout | ModuleLayout;

/** The file offset a region starts at in the base, or null when the base has no such place. */
export function regionStart(layout: Layout, r: Region): number | null {
  switch (r.kind) {
    case 'file':
    case 'ehdr':
      return 0;
    case 'phdr':
      return layout.kind === 'core' ? (layout.phdrs[r.index]?.offset ?? null) : null;
    case 'segment':
      return layout.kind === 'core' ? (layout.phdrs[r.index]?.fileOffset ?? null) : null;
    case 'note':
      return layout.kind === 'core' ? (layout.notes[r.index]?.offset ?? null) : null;
    case 'desc':
      return layout.kind === 'core' ? (layout.notes[r.index]?.descOffset ?? null) : null;
    case 'stack': {
      if (layout.kind !== 'core') return null;
      const sp = layout.threadSps[r.thread];
      if (sp === undefined) return null;
      const seg = layout.phdrs.find((p) => p.type === PT_LOAD && sp >= p.vaddr && sp < p.vaddr + BigInt(p.filesz));
      return seg ? seg.fileOffset + Number(sp - seg.vaddr) : null;
    }
    case 'section':
      return layout.kind === 'module' ? (layout.sections.find((s) => s.name === r.name)?.offset ?? null) : null;
    case 'shdr':
      return layout.kind === 'module' ? (layout.sections.find((s) => s.name === r.name)?.headerOffset ?? null) : null;
    case 'mphdr':
      return layout.kind === 'module' ? (layout.phdrs[r.index]?.offset ?? null) : null;
    case 'vdso-section':
    case 'vdso-shdr': {
      if (layout.kind !== 'core' || !layout.vdso) return null;
      const sec = layout.vdso.layout.sections.find((s) => s.name === r.name);
      return sec ? layout.vdso.fileOffset + (r.kind === 'vdso-section' ? sec.offset : sec.headerOffset) : null;
    }
    case 'module-head':
      return layout.kind === 'core' ? (layout.moduleHeads[r.index] ?? null) : null;
  }
}

function writeInt(buf: Buffer, off: number, width: 1 | 2 | 4 | 8, value: bigint): void {
  const v = BigInt.asUintN(width * 8, value);
  if (width === 1) buf.writeUInt8(Number(v), off);
  else if (width === 2) buf.writeUInt16LE(Number(v), off);
  else if (width === 4) buf.writeUInt32LE(Number(v), off);
  else buf.writeBigUInt64LE(v, off);
}

/** Applies mutations to a copy of `base`. Returns the bytes and how far to extend (sparsely). */
export function applyMutations(base: Buffer, layout: Layout, mutations: readonly Mutation[]): { bytes: Buffer; extendBy: number } {
  let buf = Buffer.from(base);
  let extendBy = 0;
  const protect = layout.kind === 'module' ? layout.buildId : null;
  const inside = (off: number, len: number) => off >= 0 && len >= 0 && off + len <= buf.length;
  // The build-id is how a mutated module copy is found: never touch it.
  const allowed = (off: number, len: number) => !protect || off + len <= protect.offset || off >= protect.offset + protect.size;
  for (const m of mutations) {
    if (m.op === 'extend') {
      extendBy += m.bytes;
      continue;
    }
    if (m.op === 'copy') {
      const from = regionStart(layout, m.from);
      const to = regionStart(layout, m.to);
      if (from === null || to === null || !inside(from, m.length) || !inside(to, m.length) || !allowed(to, m.length)) continue;
      buf.copy(buf, to, from, from + m.length);
      continue;
    }
    const start = regionStart(layout, m.region);
    if (start === null) continue;
    const off = start + m.at;
    switch (m.op) {
      case 'flip':
        if (inside(off, 1) && allowed(off, 1)) buf[off] ^= 1 << (m.bit & 7);
        break;
      case 'fill':
        if (inside(off, 0) && allowed(off, m.length)) buf.fill(m.byte, off, Math.min(buf.length, off + m.length));
        break;
      case 'bytes': {
        const b = Buffer.from(m.hex, 'hex');
        if (inside(off, b.length) && allowed(off, b.length)) b.copy(buf, off);
        break;
      }
      case 'int':
        if (inside(off, m.width) && allowed(off, m.width)) writeInt(buf, off, m.width, BigInt(m.value));
        break;
      case 'truncate':
        if (off >= 0 && off < buf.length) buf = buf.subarray(0, off);
        break;
    }
  }
  return { bytes: buf, extendBy };
}

const hex = (v: bigint) => `0x${BigInt.asUintN(64, v).toString(16)}`;

/** Values worth writing into a core: edges, and addresses and offsets the core itself uses. */
function coreValue(rng: Prng, layout: CoreLayout, width: 1 | 2 | 4 | 8): bigint {
  const r = rng.int(10);
  if (r < 4) return rng.interesting(width);
  if (r < 5) return rng.u64() & ((1n << BigInt(width * 8)) - 1n);
  const p = rng.pick(layout.phdrs);
  const near = (v: bigint) => v + BigInt(rng.range(-64, 64));
  if (r === 9 && layout.mappings.length > 0 && rng.chance(0.7)) return codeAddress(rng, layout);
  switch (r) {
    case 5:
      return near(p.vaddr);
    case 6:
      return near(p.vaddr + p.memsz);
    case 7:
      return near(BigInt(p.fileOffset));
    case 8:
      return near(BigInt(layout.size));
    default:
      return layout.threadSps.length > 0 ? near(rng.pick(layout.threadSps)) : rng.interesting(width);
  }
}

/** An address inside one of the modules' mappings: a plausible pc or return address. */
function codeAddress(rng: Prng, layout: CoreLayout): bigint {
  const m = rng.pick(layout.mappings);
  const span = m.end - m.start;
  return span > 0n ? m.start + BigInt(rng.int(Number(span > 0x7fffffffn ? 0x7fffffffn : span))) : m.start;
}

const PHDR_FIELDS: { at: number; width: 4 | 8; what: string }[] = [
  { at: 0, width: 4, what: 'p_type' },
  { at: 4, width: 4, what: 'p_flags' },
  { at: 8, width: 8, what: 'p_offset' },
  { at: 16, width: 8, what: 'p_vaddr' },
  { at: 32, width: 8, what: 'p_filesz' },
  { at: 40, width: 8, what: 'p_memsz' },
  { at: 48, width: 8, what: 'p_align' },
];

const EHDR_FIELDS: { at: number; width: 1 | 2 | 4 | 8; what: string }[] = [
  { at: 16, width: 2, what: 'e_type' },
  { at: 32, width: 8, what: 'e_phoff' },
  { at: 40, width: 8, what: 'e_shoff' },
  { at: 54, width: 2, what: 'e_phentsize' },
  { at: 56, width: 2, what: 'e_phnum' },
  { at: 58, width: 2, what: 'e_shentsize' },
  { at: 60, width: 2, what: 'e_shnum' },
  { at: 62, width: 2, what: 'e_shstrndx' },
];

/** One to a few mutations of a core, weighted towards the places parsers and the unwinder read. */
export function mutateCore(rng: Prng, layout: CoreLayout): Mutation[] {
  const out: Mutation[] = [];
  const count = rng.chance(0.6) ? 1 : rng.range(2, 6);
  const notesOf = (type: number, name = 'CORE') => layout.notes.filter((n) => n.type === type && n.name === name);
  for (let k = 0; k < count; k++) {
    const note = rng.pick(layout.notes);
    const ph = rng.pick(layout.phdrs);
    switch (rng.int(25)) {
      case 0:
      case 1: {
        // bit flips in the headers and notes
        const region: Region = rng.pick<Region>([{ kind: 'ehdr' }, { kind: 'phdr', index: ph.index }, { kind: 'note', index: note.index }, { kind: 'desc', index: note.index }]);
        const span = region.kind === 'ehdr' ? 64 : region.kind === 'phdr' ? 56 : region.kind === 'note' ? 12 + note.namesz : Math.max(1, note.descsz);
        for (let i = rng.range(1, 8); i > 0; i--) out.push({ op: 'flip', region, at: rng.int(span), bit: rng.int(8) });
        break;
      }
      case 2: {
        const f = rng.pick(PHDR_FIELDS);
        out.push({ op: 'int', region: { kind: 'phdr', index: ph.index }, at: f.at, width: f.width, value: hex(coreValue(rng, layout, f.width)), what: f.what });
        break;
      }
      case 3: {
        // huge sizes: a segment claiming far more than the file holds
        const f = rng.pick(PHDR_FIELDS.filter((x) => x.what === 'p_filesz' || x.what === 'p_memsz'));
        const big = rng.pick([1n << 32n, 1n << 40n, (1n << 53n) - 1n, 1n << 53n, (1n << 63n) + 5n, (1n << 64n) - 1n, BigInt(layout.size) * 1000n]);
        out.push({ op: 'int', region: { kind: 'phdr', index: ph.index }, at: f.at, width: 8, value: hex(big), what: f.what });
        break;
      }
      case 4: {
        // overlapping PT_LOADs: move one onto another
        const loads = layout.phdrs.filter((p) => p.type === PT_LOAD);
        const a = rng.pick(loads);
        const b = rng.pick(loads);
        out.push({ op: 'int', region: { kind: 'phdr', index: a.index }, at: 16, width: 8, value: hex(b.vaddr + BigInt(rng.range(-2, 2) * 4096)), what: 'p_vaddr (overlap)' });
        break;
      }
      case 5: {
        const f = rng.pick(EHDR_FIELDS);
        const v = f.what === 'e_phnum' && rng.chance(0.5) ? BigInt(layout.phnum + rng.range(-3, 3)) : rng.interesting(f.width);
        out.push({ op: 'int', region: { kind: 'ehdr' }, at: f.at, width: f.width, value: hex(v), what: f.what });
        break;
      }
      case 6: {
        // note sizes
        const at = rng.pick([0, 4]);
        const v = rng.chance(0.5) ? BigInt((at === 0 ? note.namesz : note.descsz) + rng.range(-16, 16)) : rng.interesting(4);
        out.push({ op: 'int', region: { kind: 'note', index: note.index }, at, width: 4, value: hex(v), what: at === 0 ? 'n_namesz' : 'n_descsz' });
        break;
      }
      case 7: {
        // note types swapped
        const other = rng.pick(layout.notes);
        out.push({ op: 'int', region: { kind: 'note', index: note.index }, at: 8, width: 4, value: hex(BigInt(other.type)), what: 'n_type (swapped)' });
        if (rng.chance(0.5)) out.push({ op: 'int', region: { kind: 'note', index: other.index }, at: 8, width: 4, value: hex(BigInt(note.type)), what: 'n_type (swapped)' });
        break;
      }
      case 8: {
        // note counts: a note segment cut short or running on, or one note's header over another's
        const notePh = layout.phdrs.filter((p) => p.type === 4);
        if (rng.chance(0.5) && notePh.length > 0) {
          const p = rng.pick(notePh);
          out.push({ op: 'int', region: { kind: 'phdr', index: p.index }, at: 32, width: 8, value: hex(BigInt(Math.max(0, p.filesz + rng.range(-400, 400)))), what: 'p_filesz (notes)' });
        } else {
          const other = rng.pick(layout.notes);
          out.push({ op: 'copy', from: { kind: 'note', index: other.index }, to: { kind: 'note', index: note.index }, length: 12 });
        }
        break;
      }
      case 9:
      case 10: {
        // NT_FILE: count, page size, entries, names
        const nf = notesOf(NT_FILE)[0];
        if (!nf) break;
        const region: Region = { kind: 'desc', index: nf.index };
        const entries = Math.max(1, Number((nf.descsz - 16) / 24) | 0);
        switch (rng.int(5)) {
          case 0:
            out.push({ op: 'int', region, at: 0, width: 8, value: hex(rng.chance(0.5) ? rng.interesting(8) : BigInt(rng.range(0, 4 * entries))), what: 'NT_FILE count' });
            break;
          case 1:
            out.push({ op: 'int', region, at: 8, width: 8, value: hex(rng.interesting(8)), what: 'NT_FILE page size' });
            break;
          case 2:
            out.push({ op: 'int', region, at: 16 + 24 * rng.int(Math.min(entries, 64)) + 8 * rng.int(3), width: 8, value: hex(coreValue(rng, layout, 8)), what: 'NT_FILE entry' });
            break;
          default: {
            // names: NULs overwritten (names run together), control characters, invalid UTF-8
            const at = rng.int(Math.max(1, nf.descsz));
            out.push({ op: 'fill', region, at, length: rng.range(1, 300), byte: rng.pick([0x41, 0x1b, 0xff, 0xc3, 0x00, 0x2f]) });
          }
        }
        break;
      }
      case 11:
      case 12:
      case 13: {
        // registers: the unwinder starts from them
        const prs = notesOf(NT_PRSTATUS);
        if (prs.length === 0) break;
        const n = rng.pick(prs);
        const reg = rng.pick(['rip', 'rsp', 'rbp', 'rip', 'rsp', 'orig_rax', 'rdi', 'rsi', 'rdx', 'rbx', 'r12', 'fs_base'] as const);
        out.push({ op: 'int', region: { kind: 'desc', index: n.index }, at: PRSTATUS_REGS + 8 * GREGS.indexOf(reg), width: 8, value: hex(coreValue(rng, layout, 8)), what: reg });
        break;
      }
      case 21: {
        // a forged stack: words near rsp replaced by return addresses into the modules
        if (layout.threadSps.length === 0 || layout.mappings.length === 0) break;
        const thread = rng.int(layout.threadSps.length);
        const words = rng.range(1, 64);
        const at = rng.range(-4, 256) * 8;
        const bytes = Buffer.alloc(words * 8);
        for (let i = 0; i < words; i++) bytes.writeBigUInt64LE(rng.chance(0.8) ? codeAddress(rng, layout) : BigInt.asUintN(64, rng.pick(layout.threadSps) + BigInt(rng.range(-64, 512) * 8)), i * 8);
        out.push({ op: 'bytes', region: { kind: 'stack', thread }, at, hex: bytes.toString('hex') });
        if (rng.chance(0.5)) {
          const prs = notesOf(NT_PRSTATUS)[thread];
          if (prs) out.push({ op: 'int', region: { kind: 'desc', index: prs.index }, at: PRSTATUS_REGS + 8 * GREGS.indexOf('rip'), width: 8, value: hex(codeAddress(rng, layout)), what: 'rip' });
        }
        break;
      }
      case 14:
      case 15: {
        // the stack the unwinder walks: words near a thread's rsp
        if (layout.threadSps.length === 0) break;
        const thread = rng.int(layout.threadSps.length);
        const at = rng.range(-16, 512) * 8;
        if (rng.chance(0.6)) out.push({ op: 'int', region: { kind: 'stack', thread }, at, width: 8, value: hex(coreValue(rng, layout, 8)) });
        else out.push({ op: 'fill', region: { kind: 'stack', thread }, at, length: rng.range(8, 4096), byte: rng.pick([0, 0xff, 0x41]) });
        break;
      }
      case 16: {
        // other notes the reader interprets
        const candidates = [...notesOf(NT_PRPSINFO), ...notesOf(NT_AUXV), ...notesOf(NT_SIGINFO)];
        if (candidates.length === 0) break;
        const n = rng.pick(candidates);
        const width = rng.pick([1, 4, 8] as const);
        out.push({ op: 'int', region: { kind: 'desc', index: n.index }, at: rng.int(Math.max(1, n.descsz - width + 1)) & ~(width - 1), width, value: hex(coreValue(rng, layout, width)) });
        break;
      }
      case 17: {
        // byte runs anywhere in the headers and notes
        const region: Region = rng.chance(0.5) ? { kind: 'note', index: note.index } : { kind: 'phdr', index: ph.index };
        out.push({ op: 'fill', region, at: rng.int(64), length: rng.range(1, 256), byte: rng.pick([0, 0xff, 0x7f, 0x80]) });
        break;
      }
      case 18: {
        // memory the modules are read from (ELF headers in the dump, the vDSO)
        const loads = layout.phdrs.filter((p) => p.type === PT_LOAD && p.filesz > 0);
        const p = rng.pick(loads);
        for (let i = rng.range(1, 16); i > 0; i--) out.push({ op: 'flip', region: { kind: 'segment', index: p.index }, at: rng.int(Math.min(p.filesz, 8192)), bit: rng.int(8) });
        break;
      }
      case 19: {
        // truncation: in the headers, the notes, or memory
        const where = rng.int(3);
        if (where === 0) out.push({ op: 'truncate', region: { kind: 'file' }, at: rng.int(Math.min(layout.size, 4096)) });
        else if (where === 1) out.push({ op: 'truncate', region: { kind: 'note', index: note.index }, at: rng.int(12 + note.namesz + note.descsz) });
        else out.push({ op: 'truncate', region: { kind: 'segment', index: ph.index }, at: rng.int(Math.max(1, ph.filesz)) });
        break;
      }
      case 20:
        out.push({ op: 'extend', bytes: rng.pick([1, 4096, 1 << 20, 1 << 30, 4 * 2 ** 30]) });
        break;
      case 23: {
        // the vDSO, read from the dump: its sections and section headers
        const v = layout.vdso;
        if (!v) break;
        const secs = v.layout.sections.filter((x) => x.size > 0 && x.name !== '');
        const sec = rng.pick(secs);
        if (rng.chance(0.3)) {
          const f = rng.pick(SHDR_FIELDS);
          out.push({ op: 'int', region: { kind: 'vdso-shdr', name: sec.name }, at: f.at, width: f.width, value: hex(rng.interesting(f.width)), what: `vDSO ${f.what}` });
        } else {
          for (let i = rng.range(1, 10); i > 0; i--) out.push({ op: 'flip', region: { kind: 'vdso-section', name: sec.name }, at: rng.int(sec.size), bit: rng.int(8) });
        }
        break;
      }
      case 24: {
        // a module's ELF header and program headers as the dump holds them (load bias, build-id)
        if (layout.moduleHeads.length === 0) break;
        const index = rng.int(layout.moduleHeads.length);
        if (rng.chance(0.5)) {
          const f = rng.pick(EHDR_FIELDS);
          out.push({ op: 'int', region: { kind: 'module-head', index }, at: f.at, width: f.width, value: hex(rng.interesting(f.width)), what: `module ${f.what}` });
        } else {
          for (let i = rng.range(1, 8); i > 0; i--) out.push({ op: 'flip', region: { kind: 'module-head', index }, at: rng.int(1024), bit: rng.int(8) });
        }
        break;
      }
      case 22:
      default: {
        // a program header count larger or smaller than the table
        out.push({ op: 'int', region: { kind: 'ehdr' }, at: 56, width: 2, value: hex(BigInt(rng.pick([0, 1, layout.phnum - 1, layout.phnum + 1, 0xffff, 0xfffe]))), what: 'e_phnum' });
      }
    }
  }
  return out;
}

const MODULE_SECTIONS = ['.debug_loc', '.debug_ranges', '.eh_frame', '.eh_frame_hdr', '.debug_frame', '.debug_line', '.debug_info', '.debug_abbrev', '.symtab', '.strtab', '.dynsym', '.dynstr', '.debug_str', '.debug_line_str', '.debug_rnglists', '.debug_aranges', '.debug_addr', '.debug_str_offsets', '.debug_loclists', '.gnu_debuglink', '.text'];

const SHDR_FIELDS: { at: number; width: 4 | 8; what: string }[] = [
  { at: 4, width: 4, what: 'sh_type' },
  { at: 8, width: 8, what: 'sh_flags' },
  { at: 16, width: 8, what: 'sh_addr' },
  { at: 24, width: 8, what: 'sh_offset' },
  { at: 32, width: 8, what: 'sh_size' },
  { at: 40, width: 4, what: 'sh_link' },
  { at: 56, width: 8, what: 'sh_entsize' },
];

/** Mutations of a module file's unwind tables, symbol tables and DWARF (its build-id kept). */
export function mutateModule(rng: Prng, layout: ModuleLayout, focus?: readonly string[]): Mutation[] {
  const present = layout.sections.filter((s) => (focus ?? MODULE_SECTIONS).includes(s.name) && s.size > 0);
  const out: Mutation[] = [];
  if (present.length === 0) return out;
  const count = rng.chance(0.5) ? 1 : rng.range(2, 5);
  for (let k = 0; k < count; k++) {
    const s = rng.pick(present);
    const region: Region = { kind: 'section', name: s.name };
    switch (rng.int(10)) {
      case 0:
      case 1:
      case 2:
        for (let i = rng.range(1, 12); i > 0; i--) out.push({ op: 'flip', region, at: rng.int(s.size), bit: rng.int(8) });
        break;
      case 3: {
        const width = rng.pick([1, 2, 4, 8] as const);
        out.push({ op: 'int', region, at: rng.int(Math.max(1, s.size - width)), width, value: hex(rng.interesting(width)) });
        break;
      }
      case 4:
        out.push({ op: 'fill', region, at: rng.int(s.size), length: rng.range(1, 512), byte: rng.pick([0, 0xff, 0x80, 0x7f, 0x01]) });
        break;
      case 5: {
        // symbol entries: name, info, shndx, value, size
        if (s.name === '.symtab' || s.name === '.dynsym') {
          const n = Math.max(1, Math.floor(s.size / 24));
          const f = rng.pick([
            { at: 0, width: 4 as const },
            { at: 4, width: 1 as const },
            { at: 6, width: 2 as const },
            { at: 8, width: 8 as const },
            { at: 16, width: 8 as const },
          ]);
          out.push({ op: 'int', region, at: 24 * rng.int(n) + f.at, width: f.width, value: hex(rng.interesting(f.width)), what: 'symbol field' });
        } else {
          out.push({ op: 'bytes', region, at: rng.int(s.size), hex: Buffer.from(Array.from({ length: rng.range(1, 32) }, () => rng.int(256))).toString('hex') });
        }
        break;
      }
      case 6:
      case 7: {
        const f = rng.pick(SHDR_FIELDS);
        const v = f.what === 'sh_size' && rng.chance(0.6) ? BigInt(rng.int(s.size + 64)) : f.what === 'sh_flags' && rng.chance(0.5) ? 0x800n : rng.interesting(f.width);
        out.push({ op: 'int', region: { kind: 'shdr', name: s.name }, at: f.at, width: f.width, value: hex(v), what: f.what });
        break;
      }
      case 8:
        // LEB128 runs: continuation bits everywhere
        out.push({ op: 'fill', region, at: rng.int(s.size), length: rng.range(2, 40), byte: 0x80 | rng.int(128) });
        break;
      default: {
        // the file's own headers: where its segments (and so its load bias and code) are
        if (rng.chance(0.6) && layout.phdrs.length > 0) {
          const p = rng.pick(layout.phdrs);
          const f = rng.pick(PHDR_FIELDS);
          out.push({ op: 'int', region: { kind: 'mphdr', index: p.index }, at: f.at, width: f.width, value: hex(rng.interesting(f.width)), what: `module ${f.what}` });
        } else {
          const f = rng.pick(EHDR_FIELDS);
          out.push({ op: 'int', region: { kind: 'ehdr' }, at: f.at, width: f.width, value: hex(rng.interesting(f.width)), what: `module ${f.what}` });
        }
      }
    }
  }
  return out;
}

const HOSTILE_TEXT = [
  '\x1b[31mred\x1b[0m',
  '\x1b]0;title\x07',
  '<script>alert(1)</script>',
  '\u202eevil\u202c',
  '\0\0\0',
  '\r',
  '\t\t\t',
  '\uFFFD\uD800',
  '>',
  '(lldb) ',
  '> ',
  '(gdb) ',
  'Thread 1 (Thread 0x7f0000000000 (LWP 4294967296)):',
  '  * thread #99999999999: tid = 0xffffffffffffffff, 0x0000 libc.so.6`__futex_abstimed_wait_common + 1',
  '#0  0x00007ffff7e4a1d4 in ?? ()',
  '   0    1 99999999999999999999 00007FFFF7E4A1D4  2a020 Preemptive  0000000000000000:0000000000000000 0000000000000000 -00001 Ukn',
  'OS Thread Id: 0xffffffffffff (-1)',
  'ThreadCount:      -5',
  '-'.repeat(5000),
];

/** Mutations of a transcript's text: lines removed, repeated, swapped, numbers replaced, hostile text inserted. */
export function mutateTranscript(rng: Prng, text: string): TextMutation[] {
  const lines = text.split('\n').length;
  const out: TextMutation[] = [];
  const count = rng.chance(0.5) ? 1 : rng.range(2, 6);
  for (let k = 0; k < count; k++) {
    switch (rng.int(9)) {
      case 0:
        out.push({ op: 'delete-lines', line: rng.int(lines), count: rng.range(1, 10) });
        break;
      case 1:
        out.push({ op: 'duplicate-lines', line: rng.int(lines), count: rng.range(1, 20), times: rng.pick([1, 2, 10, 1000]) });
        break;
      case 2:
        out.push({ op: 'swap-lines', a: rng.int(lines), b: rng.int(lines) });
        break;
      case 3:
        out.push({ op: 'insert', line: rng.int(lines), text: rng.pick(HOSTILE_TEXT) });
        break;
      case 4:
        out.push({ op: 'replace-char', offset: rng.int(text.length), code: rng.pick([0, 0x1b, 0x0d, 0x09, 0x20, 0x2d, 0x3a, 0x23, 0x78, 0x30, 0x39, 0x7f, 0xfffd, 0x202e, rng.int(0x10000)]) });
        break;
      case 5:
        out.push({ op: 'replace-number', nth: rng.int(400), value: rng.pick(['0', '-1', '99999999999999999999', '0x', 'ffffffffffffffffffff', '1e308', 'NaN', '4294967296', '00000000000000000000000000000001']) });
        break;
      case 6:
        out.push({ op: 'long-line', line: rng.int(lines), length: rng.pick([1000, 100_000, 2_000_000]), char: rng.pick(['a', ' ', '0', '-', '(', '|']) });
        break;
      case 7:
        out.push({ op: 'truncate', offset: rng.int(text.length) });
        break;
      default:
        out.push({ op: 'replace-char', offset: rng.int(text.length), code: 0x20 + rng.int(0x5f) });
    }
  }
  return out;
}

/**
 * Largest mutated transcript: far above any real saved session (the fixtures are a few KiB), and
 * small enough that the memory bound measures the parser, not the input.
 */
export const MAX_TEXT_CHARS = 8 * 1024 * 1024;

export function applyTextMutations(text: string, mutations: readonly TextMutation[]): string {
  let t = text;
  for (const m of mutations) {
    const lines = t.split('\n');
    const grows = m.op === 'long-line' ? m.length : m.op === 'duplicate-lines' ? lines.slice(m.line, m.line + m.count).reduce((n, l) => n + l.length + 1, 0) * m.times : 0;
    if (t.length + grows > MAX_TEXT_CHARS) continue;
    const clampLine = (n: number) => Math.max(0, Math.min(lines.length, n));
    switch (m.op) {
      case 'delete-lines':
        lines.splice(clampLine(m.line), m.count);
        t = lines.join('\n');
        break;
      case 'duplicate-lines': {
        const seg = lines.slice(clampLine(m.line), clampLine(m.line + m.count));
        const copies: string[] = [];
        for (let i = 0; i < m.times; i++) copies.push(...seg);
        lines.splice(clampLine(m.line + m.count), 0, ...copies);
        t = lines.join('\n');
        break;
      }
      case 'swap-lines': {
        const a = clampLine(m.a);
        const b = clampLine(m.b);
        if (a < lines.length && b < lines.length) [lines[a], lines[b]] = [lines[b], lines[a]];
        t = lines.join('\n');
        break;
      }
      case 'insert':
        lines.splice(clampLine(m.line), 0, m.text);
        t = lines.join('\n');
        break;
      case 'replace-char':
        if (m.offset < t.length) t = t.slice(0, m.offset) + String.fromCharCode(m.code) + t.slice(m.offset + 1);
        break;
      case 'replace-number': {
        let n = -1;
        t = t.replace(/\d+/g, (d) => (++n === m.nth ? m.value : d));
        break;
      }
      case 'long-line':
        lines.splice(clampLine(m.line), 0, m.char.repeat(m.length));
        t = lines.join('\n');
        break;
      case 'truncate':
        t = t.slice(0, m.offset);
        break;
    }
  }
  return t;
}
