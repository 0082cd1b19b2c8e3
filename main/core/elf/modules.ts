// Groups NT_FILE mappings into modules and identifies each ELF module: its load bias and
// GNU build-id, read from the dump's memory (the first page of an ELF mapping, which the
// kernel dumps by default) or, failing that, from the file on disk (recorded as such: a
// file on disk may not be the one the process had mapped).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileSource } from '../io';
import * as C from './constants';
import { buildIdFromNotes, parseNotesBuffer, readElfHeader, readProgramHeaders, scanNotes } from './elf-file';
import { type FileMapping } from './core-file';
import { type CoreMemory } from './memory';

export type ModuleKind = 'executable' | 'interpreter' | 'shared' | 'vdso' | 'file';
export type BuildIdSource = 'memory' | 'file';

export interface ModuleSegment {
  vaddr: bigint;
  memsz: bigint;
  offset: number;
  filesz: number;
  flags: number;
}

export interface CoreModule {
  /** Path as the process mapped it (NT_FILE); "[vdso]" for the vDSO. */
  path: string;
  /** Basename without a " (deleted)" suffix. */
  name: string;
  deleted: boolean;
  start: bigint;
  end: bigint;
  /** Address where file offset 0 is mapped. */
  base: bigint;
  /** Runtime address minus link-time address (0 for non-PIE executables). */
  loadBias: bigint;
  kind: ModuleKind;
  isElf: boolean;
  elfType: number | null;
  buildId: string | null;
  buildIdSource: BuildIdSource | null;
  /** The module's PT_LOAD segments at link-time addresses, when its program headers were read. */
  segments: ModuleSegment[];
  mappings: FileMapping[];
}

interface CoreLike {
  path: string;
  mappings: FileMapping[];
  memory: CoreMemory;
  warnings: string[];
  auxvValue(type: number): bigint | null;
}

const MAX_PHNUM = 256;

export function buildModules(core: CoreLike): CoreModule[] {
  const groups: FileMapping[][] = [];
  const sorted = [...core.mappings].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (const m of sorted) {
    const last = groups[groups.length - 1];
    // A module is a run of mappings of one file; a new offset-0 mapping starts a second copy.
    if (last && last[0].path === m.path && m.fileOffset !== 0n) last.push(m);
    else groups.push([m]);
  }
  const entry = core.auxvValue(C.AT_ENTRY);
  const interp = core.auxvValue(C.AT_BASE);
  const modules = groups.map((g) => identify(core, g, entry, interp));
  const vdsoAddr = core.auxvValue(C.AT_SYSINFO_EHDR);
  if (vdsoAddr !== null && vdsoAddr !== 0n) {
    const vdso = identifyVdso(core, vdsoAddr);
    if (vdso) modules.push(vdso);
  }
  modules.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return modules;
}

function identify(core: CoreLike, group: FileMapping[], entry: bigint | null, interp: bigint | null): CoreModule {
  const first = group[0];
  const start = first.start;
  const end = group.reduce((e, m) => (m.end > e ? m.end : e), first.end);
  const base = first.start - first.fileOffset;
  const deleted = first.path.endsWith(' (deleted)');
  const cleanPath = deleted ? first.path.slice(0, -' (deleted)'.length) : first.path;
  const mod: CoreModule = {
    path: first.path,
    name: path.basename(cleanPath),
    deleted,
    start,
    end,
    base,
    loadBias: base,
    kind: 'file',
    isElf: false,
    elfType: null,
    buildId: null,
    buildIdSource: null,
    segments: [],
    mappings: group,
  };
  const fromMemory = first.fileOffset === 0n ? readElfFromMemory(core.memory, base) : null;
  if (fromMemory) {
    Object.assign(mod, fromMemory, { buildIdSource: fromMemory.buildId ? 'memory' : null });
  }
  if (!fromMemory || fromMemory.buildId === null) {
    const fromFile = deleted ? null : readElfFromFile(cleanPath);
    if (fromFile) {
      if (!fromMemory) {
        mod.isElf = true;
        mod.elfType = fromFile.elfType;
        mod.segments = fromFile.segments;
        mod.loadBias = loadBiasOf(base, fromFile.segments);
      }
      if (fromFile.buildId) {
        mod.buildId = fromFile.buildId;
        mod.buildIdSource = 'file';
      }
    }
  }
  if (mod.isElf) {
    if (entry !== null && entry >= start && entry < end) mod.kind = 'executable';
    else if (interp !== null && interp === base) mod.kind = 'interpreter';
    else mod.kind = 'shared';
  }
  return mod;
}

function identifyVdso(core: CoreLike, addr: bigint): CoreModule | null {
  const seg = core.memory.segmentAt(addr);
  const info = readElfFromMemory(core.memory, addr);
  if (!seg || !info) return null;
  return {
    path: '[vdso]',
    name: '[vdso]',
    deleted: false,
    start: addr,
    end: seg.end,
    base: addr,
    loadBias: info.loadBias,
    kind: 'vdso',
    isElf: true,
    elfType: info.elfType,
    buildId: info.buildId,
    buildIdSource: info.buildId ? 'memory' : null,
    segments: info.segments,
    mappings: [{ start: addr, end: seg.end, fileOffset: 0n, path: '[vdso]' }],
  };
}

function loadBiasOf(base: bigint, segments: ModuleSegment[]): bigint {
  // The segment that maps file offset 0 is at `base`; its link-time page address gives the bias.
  const s0 = segments.find((s) => s.offset === 0) ?? segments[0];
  if (!s0) return base;
  return base - (s0.vaddr & ~0xfffn);
}

interface ElfIdentity {
  isElf: true;
  elfType: number;
  loadBias: bigint;
  buildId: string | null;
  segments: ModuleSegment[];
}

/** Reads an ELF header, program headers and build-id note from process memory at `base`. */
export function readElfFromMemory(memory: CoreMemory, base: bigint): ElfIdentity | null {
  const h = memory.read(base, C.ELF64_EHDR_SIZE);
  if (!h || !h.subarray(0, 4).equals(C.ELFMAG) || h[4] !== C.ELFCLASS64 || h[5] !== C.ELFDATA2LSB) return null;
  const elfType = h.readUInt16LE(16);
  const phoff = h.readBigUInt64LE(32);
  const phentsize = h.readUInt16LE(54);
  const phnum = h.readUInt16LE(56);
  if (phentsize !== C.ELF64_PHDR_SIZE || phnum === 0 || phnum > MAX_PHNUM || phoff > 1n << 20n) return null;
  const ph = memory.read(base + phoff, phnum * C.ELF64_PHDR_SIZE);
  if (!ph) return null;
  const segments: ModuleSegment[] = [];
  const notes: { vaddr: bigint; size: number; align: bigint }[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = i * C.ELF64_PHDR_SIZE;
    const type = ph.readUInt32LE(o);
    const vaddr = ph.readBigUInt64LE(o + 16);
    if (type === C.PT_LOAD) {
      segments.push({
        vaddr,
        memsz: ph.readBigUInt64LE(o + 40),
        offset: Number(ph.readBigUInt64LE(o + 8) & 0xffffffffffffn),
        filesz: Number(ph.readBigUInt64LE(o + 32) & 0xffffffffffffn),
        flags: ph.readUInt32LE(o + 4),
      });
    } else if (type === C.PT_NOTE) {
      notes.push({ vaddr, size: Math.min(Number(ph.readBigUInt64LE(o + 32) & 0xffffffn), 64 * 1024), align: ph.readBigUInt64LE(o + 48) });
    }
  }
  const loadBias = loadBiasOf(base, segments);
  let buildId: string | null = null;
  for (const n of notes) {
    const buf = memory.read(loadBias + n.vaddr, n.size);
    if (!buf) continue;
    buildId = buildIdFromNotes(parseNotesBuffer(buf, n.align === 8n ? 8 : 4));
    if (buildId) break;
  }
  return { isElf: true, elfType, loadBias, buildId, segments };
}

/** Reads the same facts from an ELF file on disk; null if absent or not ELF64 LE. */
export function readElfFromFile(filePath: string): (Omit<ElfIdentity, 'loadBias'> & { path: string }) | null {
  let src: FileSource;
  try {
    // No exception for a missing file: a dump can name many thousands of files this machine lacks.
    if (!fs.statSync(filePath, { throwIfNoEntry: false })?.isFile()) return null;
    src = FileSource.open(filePath);
  } catch {
    return null;
  }
  try {
    const h = readElfHeader(src);
    const phdrs = readProgramHeaders(src, h);
    const segments = phdrs
      .filter((p) => p.type === C.PT_LOAD)
      .map((p) => ({ vaddr: p.vaddr, memsz: p.memsz, offset: p.offset, filesz: p.filesz, flags: p.flags }));
    let buildId: string | null = null;
    for (const p of phdrs) {
      if (p.type !== C.PT_NOTE || p.filesz === 0 || p.filesz > 1 << 20) continue;
      const notes = scanNotes(src, p.offset, p.filesz, { align: p.align === 8n ? 8 : 4, maxNotes: 256 });
      const gnu = notes.find((n) => n.name === 'GNU' && n.type === C.NT_GNU_BUILD_ID && n.descSize <= 64);
      if (gnu) {
        buildId = src.read(gnu.descOffset, gnu.descSize).toString('hex');
        break;
      }
    }
    return { isElf: true, elfType: h.type, buildId, segments, path: filePath };
  } catch {
    return null;
  } finally {
    src.close();
  }
}
