// The unwind tables of one module: .eh_frame (found through .eh_frame_hdr, or a one-time index
// when there is no usable header) and .debug_frame (from the module or its separate debug
// file). Parsed CIEs, FDEs and computed rows are cached per module.
//
// Addresses: tables work in their own address space (link-time addresses for files, runtime
// addresses for tables read from a dump's memory) plus a bias to runtime. Both are JS numbers:
// user-space code on x86-64 lies below 2^47 (2^56 with 5-level paging and an explicit hint),
// which a double holds exactly; a pc at or above 2^53 is simply not found.
import * as C from '../elf/constants';
import { type ElfImage } from '../elf';
import { buildFdeIndex, lookupFdeIndex, parseCie, parseFde, type CfiSection, type Cie, type Fde, type FdeIndex } from './cfi-parse';
import { computeRow, type CfiRow } from './cfi-exec';
import { EhFrameHdr } from './eh-frame-hdr';
import { BadCfiError } from './errors';

export interface CfiTablesInit {
  /** Module name for messages. */
  name: string;
  /** Runtime address minus table address (the load bias for file tables; 0 for memory). */
  bias: number;
  ehFrame?: CfiSection | null;
  ehFrameHdr?: { data: Buffer; address: number } | null;
  debugFrame?: CfiSection | null;
}

/** An FDE and the row that applies at a pc. */
export interface CfiLookup {
  fde: Fde;
  row: CfiRow;
  section: CfiSection;
}

/** Rows cached per module (pcs repeat across threads: every waiter sits at the same pc). */
const MAX_CACHED_ROWS = 8192;

export class CfiTables {
  readonly name: string;
  readonly bias: number;
  readonly ehFrame: CfiSection | null;
  readonly debugFrame: CfiSection | null;
  /** Problems met while loading (a bad header we fell back from, skipped entries). */
  readonly warnings: string[] = [];
  private readonly hdr: EhFrameHdr | null = null;
  private ehIndex: FdeIndex | null = null;
  private debugIndex: FdeIndex | null = null;
  private readonly cies = new Map<CfiSection, Map<number, Cie>>();
  private readonly fdes = new Map<CfiSection, Map<number, Fde>>();
  private readonly rows = new Map<number, CfiLookup | null>();

  constructor(init: CfiTablesInit) {
    this.name = init.name;
    this.bias = init.bias;
    this.ehFrame = init.ehFrame ?? null;
    this.debugFrame = init.debugFrame ?? null;
    if (this.ehFrame && init.ehFrameHdr) {
      try {
        const hdr = EhFrameHdr.parse(init.ehFrameHdr.data, init.ehFrameHdr.address, `.eh_frame_hdr of ${init.name}`);
        if (hdr.ehFramePtr !== this.ehFrame.address) {
          this.warnings.push(`${init.name}: .eh_frame_hdr points to 0x${hdr.ehFramePtr.toString(16)}, not to .eh_frame at 0x${this.ehFrame.address.toString(16)}; indexing .eh_frame instead`);
        } else if (!hdr.hasTable) {
          this.warnings.push(`${init.name}: .eh_frame_hdr has no search table; indexing .eh_frame instead`);
        } else {
          this.hdr = hdr;
        }
      } catch (e) {
        this.warnings.push(`${(e as Error).message}; indexing .eh_frame instead`);
      }
    }
  }

  get hasEhFrameHdr(): boolean {
    return this.hdr !== null;
  }

  /** The CIE at `offset` of a section (cached). */
  cieAt(section: CfiSection, offset: number): Cie {
    let m = this.cies.get(section);
    if (!m) this.cies.set(section, (m = new Map()));
    let cie = m.get(offset);
    if (!cie) {
      cie = parseCie(section, offset);
      m.set(offset, cie);
    }
    return cie;
  }

  /** The FDE at `offset` of a section (cached). */
  fdeAt(section: CfiSection, offset: number): Fde {
    let m = this.fdes.get(section);
    if (!m) this.fdes.set(section, (m = new Map()));
    let fde = m.get(offset);
    if (!fde) {
      fde = parseFde(section, offset, (o) => this.cieAt(section, o));
      m.set(offset, fde);
    }
    return fde;
  }

  /** The FDE covering a table-space pc: .eh_frame first, then .debug_frame. Throws BadCfi. */
  findFde(tablePc: number): { fde: Fde; section: CfiSection } | null {
    const eh = this.ehFrame;
    if (eh) {
      let offset = -1;
      if (this.hdr) {
        const addr = this.hdr.lookup(tablePc);
        if (addr !== null) offset = addr - eh.address;
        if (offset >= eh.data.length) {
          throw new BadCfiError(`${this.name}: .eh_frame_hdr entry points outside .eh_frame (offset 0x${offset.toString(16)})`, { where: this.name });
        }
      } else {
        this.ehIndex ??= this.index(eh);
        offset = lookupFdeIndex(this.ehIndex, tablePc);
      }
      if (offset >= 0) {
        const fde = this.fdeAt(eh, offset);
        if (tablePc >= fde.pcBegin && tablePc < fde.pcEnd) return { fde, section: eh };
      }
    }
    const dbg = this.debugFrame;
    if (dbg) {
      this.debugIndex ??= this.index(dbg);
      const offset = lookupFdeIndex(this.debugIndex, tablePc);
      if (offset >= 0) {
        const fde = this.fdeAt(dbg, offset);
        if (tablePc >= fde.pcBegin && tablePc < fde.pcEnd) return { fde, section: dbg };
      }
    }
    return null;
  }

  /** The row for a runtime pc, or null when no FDE covers it. Throws BadCfi on bad tables. */
  rowAt(pc: bigint | number): CfiLookup | null {
    const runtime = typeof pc === 'bigint' ? (pc < 2n ** 53n ? Number(pc) : NaN) : pc;
    if (!Number.isFinite(runtime)) return null;
    const tablePc = runtime - this.bias;
    const cached = this.rows.get(tablePc);
    if (cached !== undefined) return cached;
    const found = this.findFde(tablePc);
    const result = found ? { fde: found.fde, section: found.section, row: computeRow(found.section, found.fde, tablePc) } : null;
    if (this.rows.size >= MAX_CACHED_ROWS) this.rows.clear();
    this.rows.set(tablePc, result);
    return result;
  }

  /** Every FDE of a section in address order (for tests and tools). */
  listFdes(kind: 'eh_frame' | 'debug_frame'): Fde[] {
    const section = kind === 'eh_frame' ? this.ehFrame : this.debugFrame;
    if (!section) return [];
    const idx = this.index(section);
    const out: Fde[] = [];
    for (let i = 0; i < idx.count; i++) out.push(this.fdeAt(section, idx.offsets[i]));
    return out;
  }

  private index(section: CfiSection): FdeIndex {
    const idx = buildFdeIndex(section, (o) => this.cieAt(section, o));
    if (idx.errors > 0) this.warnings.push(`${section.name}: ${idx.errors} entries skipped (first: ${idx.firstError})`);
    return idx;
  }
}

function toNumber(v: bigint): number {
  return v < 2n ** 53n && v > -(2n ** 53n) ? Number(v) : NaN;
}

/**
 * Tables from a module file (and optionally its separate debug file, for .debug_frame).
 * `loadBias` is the runtime address minus the link-time address. Null when neither file has
 * an unwind section. Throws what ElfImage throws for unreadable sections.
 */
export function cfiFromElfImage(image: ElfImage, loadBias: bigint, debugImage?: ElfImage | null): CfiTables | null {
  const name = image.path;
  const textBase = image.section('.text')?.addr;
  const gotBase = image.section('.got')?.addr;
  const extras = {
    textBase: textBase !== undefined ? toNumber(textBase) : undefined,
    dataBase: gotBase !== undefined ? toNumber(gotBase) : undefined,
    // DW_EH_PE_indirect: the pointer as the file holds it (link-time; relocations not applied).
    readPointer: (addr: number): number | null => {
      const off = image.fileOffsetOfVaddr(BigInt(addr));
      if (off === null || off + 8 > image.source.size) return null;
      const v = image.source.read(off, 8).readBigUInt64LE(0);
      return v < 2n ** 53n ? Number(v) : null;
    },
  };
  let ehFrame: CfiSection | null = null;
  let ehFrameHdr: { data: Buffer; address: number } | null = null;
  const ehData = image.sectionData('.eh_frame');
  const ehSec = image.section('.eh_frame');
  if (ehData && ehSec) {
    ehFrame = { kind: 'eh_frame', data: ehData, address: toNumber(ehSec.addr), name: `.eh_frame of ${name}`, ...extras };
    const hdrData = image.sectionData('.eh_frame_hdr');
    const hdrSec = image.section('.eh_frame_hdr');
    if (hdrData && hdrSec) ehFrameHdr = { data: hdrData, address: toNumber(hdrSec.addr) };
  } else if (image.sections.length === 0) {
    // No section headers (sstrip'ed): PT_GNU_EH_FRAME still leads to the tables.
    const fromPh = ehFromProgramHeaders(image, name, extras);
    if (fromPh) ({ ehFrame, ehFrameHdr } = fromPh);
  }
  let debugFrame: CfiSection | null = null;
  for (const img of [image, debugImage]) {
    if (!img || debugFrame) continue;
    const d = img.sectionData('.debug_frame');
    if (d) debugFrame = { kind: 'debug_frame', data: d, address: 0, name: `.debug_frame of ${img.path}`, ...extras };
  }
  if (!ehFrame && !debugFrame) return null;
  return new CfiTables({ name, bias: toNumber(loadBias), ehFrame, ehFrameHdr, debugFrame });
}

function ehFromProgramHeaders(
  image: ElfImage,
  name: string,
  extras: { textBase?: number; dataBase?: number },
): { ehFrame: CfiSection; ehFrameHdr: { data: Buffer; address: number } } | null {
  const ph = image.programHeaders.find((p) => p.type === C.PT_GNU_EH_FRAME);
  if (!ph || ph.filesz === 0) return null;
  const hdrData = image.source.read(ph.offset, Math.min(ph.filesz, 64 * 1024 * 1024));
  const hdrAddress = toNumber(ph.vaddr);
  const hdr = EhFrameHdr.parse(hdrData, hdrAddress, `PT_GNU_EH_FRAME of ${name}`);
  const load = image.programHeaders.find((p) => p.type === C.PT_LOAD && hdr.ehFramePtr >= toNumber(p.vaddr) && hdr.ehFramePtr < toNumber(p.vaddr) + p.filesz);
  if (!load) return null;
  const off = load.offset + (hdr.ehFramePtr - toNumber(load.vaddr));
  const size = Math.min(load.offset + load.filesz - off, MAX_MEMORY_TABLE);
  const data = image.source.read(off, size);
  return { ehFrame: { kind: 'eh_frame', data, address: hdr.ehFramePtr, name: `.eh_frame of ${name}`, ...extras }, ehFrameHdr: { data: hdrData, address: hdrAddress } };
}

/** Largest .eh_frame we read from a dump's memory or a header-less file. */
const MAX_MEMORY_TABLE = 64 * 1024 * 1024;

/** What cfiFromMemory needs of the dump's memory. */
export interface TableMemory {
  read(addr: bigint, length: number): Buffer | null;
  /** The readable prefix of a range, when the reader can tell (CoreMemory can). */
  readPartial?(addr: bigint, length: number): Buffer;
}

/** What cfiFromMemory needs of a module. */
export interface MemoryModuleInfo {
  name: string;
  /** Where the ELF header is mapped. */
  base: bigint;
  loadBias: bigint;
}

/**
 * Tables read from the dump's memory through the module's in-memory program headers
 * (PT_GNU_EH_FRAME), e.g. for the vDSO, which has no file. Addresses are runtime (bias 0).
 * Null when the headers or the tables are not in the dump.
 */
export function cfiFromMemory(memory: TableMemory, module: MemoryModuleInfo): CfiTables | null {
  const eh = memory.read(module.base, C.ELF64_EHDR_SIZE);
  if (!eh || !eh.subarray(0, 4).equals(C.ELFMAG) || eh[4] !== C.ELFCLASS64) return null;
  const phoff = eh.readBigUInt64LE(32);
  const phentsize = eh.readUInt16LE(54);
  const phnum = eh.readUInt16LE(56);
  if (phentsize !== C.ELF64_PHDR_SIZE || phnum === 0 || phnum > 256 || phoff > 1n << 20n) return null;
  const ph = memory.read(module.base + phoff, phnum * C.ELF64_PHDR_SIZE);
  if (!ph) return null;
  let hdrVaddr: bigint | null = null;
  let hdrSize = 0;
  const loads: { vaddr: bigint; memsz: bigint }[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = i * C.ELF64_PHDR_SIZE;
    const type = ph.readUInt32LE(o);
    if (type === C.PT_GNU_EH_FRAME) {
      hdrVaddr = ph.readBigUInt64LE(o + 16);
      hdrSize = Number(ph.readBigUInt64LE(o + 40) & 0xffffffffn);
    } else if (type === C.PT_LOAD) {
      loads.push({ vaddr: ph.readBigUInt64LE(o + 16), memsz: ph.readBigUInt64LE(o + 40) });
    }
  }
  if (hdrVaddr === null || hdrSize < 4 || hdrSize > MAX_MEMORY_TABLE) return null;
  const hdrAddr = hdrVaddr + module.loadBias;
  const hdrData = memory.read(hdrAddr, hdrSize);
  if (!hdrData) return null;
  const name = module.name;
  const hdr = EhFrameHdr.parse(hdrData, toNumber(hdrAddr), `PT_GNU_EH_FRAME of ${name}`);
  // .eh_frame has no size of its own here: it runs at most to the end of its PT_LOAD.
  const ehAddr = BigInt(hdr.ehFramePtr);
  const seg = loads.find((l) => ehAddr >= l.vaddr + module.loadBias && ehAddr < l.vaddr + module.loadBias + l.memsz);
  if (!seg) return null;
  const segEnd = seg.vaddr + module.loadBias + seg.memsz;
  const size = Number(segEnd - ehAddr < BigInt(MAX_MEMORY_TABLE) ? segEnd - ehAddr : BigInt(MAX_MEMORY_TABLE));
  // The segment may be cut short in the dump; what is there is still a valid prefix.
  const data = memory.read(ehAddr, size) ?? memory.readPartial?.(ehAddr, size) ?? null;
  if (!data || data.length < 8) return null;
  const readPointer = (addr: number): number | null => {
    const b = memory.read(BigInt(addr), 8);
    const v = b ? b.readBigUInt64LE(0) : null;
    return v !== null && v < 2n ** 53n ? Number(v) : null;
  };
  return new CfiTables({
    name,
    bias: 0,
    ehFrame: { kind: 'eh_frame', data, address: hdr.ehFramePtr, name: `.eh_frame of ${name} (from the dump)`, readPointer },
    ehFrameHdr: { data: hdrData, address: toNumber(hdrAddr) },
  });
}

/** Tables over sections already in memory (tests, symbol folders with loose sections). */
export function cfiFromSections(init: CfiTablesInit): CfiTables {
  return new CfiTables(init);
}
