// ELF symbol tables (.symtab, .dynsym) as sorted arrays for O(log n) address lookup.
//
// Only code symbols take part (STT_FUNC, STT_GNU_IFUNC, and STT_NOTYPE labels in executable
// sections, which hand-written assembly produces). Symbols at one address are aliases and are
// kept together: glibc defines `pthread_mutex_lock`, `__pthread_mutex_lock`,
// `___pthread_mutex_lock` and `__GI___pthread_mutex_lock` at one address. The display name is
// chosen the way debuggers show it — a global default-version name before a local internal
// alias — and every alias stays available so a caller can match any of them.
//
// Addresses are link-time addresses held as JS numbers (see dwarf-cursor.ts for why).
import { DumpFormatError } from '../errors';
import { ElfConstants as C, cString, type ElfImage, type SectionHeader } from '../elf';
import { demangle } from './demangle';
import { upperBound } from './dwarf-cursor';

export type SymbolTableKind = 'symtab' | 'dynsym';

export interface SymbolTableLimits {
  /** Symbols read from one table at most (libc has 10k, libxul about 1M). */
  maxSymbols: number;
  /** Longest name kept; longer names are cut. */
  maxNameLength: number;
  /** Aliases kept per address. */
  maxAliases: number;
}

export const DEFAULT_SYMBOL_LIMITS: SymbolTableLimits = { maxSymbols: 4_000_000, maxNameLength: 4096, maxAliases: 32 };

/** One code address with every name defined there. */
export interface SymbolEntry {
  /** Link-time address. */
  address: number;
  /** Largest st_size among the aliases (0 when none has a size). */
  size: number;
  /** Where the symbol's range ends for lookup: address + size, or for size-0 symbols the next symbol or its section's end. */
  end: number;
  /** Raw names without ELF version suffixes, display choice first. */
  names: string[];
  /** ELF symbol type of the chosen name (STT_FUNC, STT_GNU_IFUNC, STT_NOTYPE). */
  type: number;
  /** ELF binding of the chosen name (STB_LOCAL, STB_GLOBAL, STB_WEAK, STB_GNU_UNIQUE). */
  binding: number;
}

export interface SymbolMatch {
  /** Display name, demangled. */
  name: string;
  /** Raw (mangled) display name. */
  rawName: string;
  /** Every raw name at the address, display choice first. */
  aliases: string[];
  /** Link-time address of the symbol. */
  address: bigint;
  /** pc minus the symbol's address. */
  offset: bigint;
  size: bigint;
  /** True when the symbol has no size and its range was taken up to the next symbol. */
  sizeGuessed: boolean;
  table: SymbolTableKind;
}

const STT_NOTYPE = 0;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const STB_LOCAL = 0;
const STB_GLOBAL = 1;
const STB_WEAK = 2;
const STB_GNU_UNIQUE = 10;
const SHN_LORESERVE = 0xff00;
const SYM_SIZE = 24;

interface RawSym {
  address: number;
  size: number;
  name: string;
  version: 'none' | 'default' | 'hidden';
  type: number;
  binding: number;
  sectionEnd: number;
}

export class SymbolTable {
  /** Sorted unique addresses. */
  private readonly addrs: Float64Array;
  private readonly ends: Float64Array;
  private readonly entries: SymbolEntry[];
  private byNameIndex: Map<string, number> | null = null;
  /** Symbols read past the limit, names cut, and similar facts worth a warning. */
  readonly notes: string[] = [];

  private constructor(
    readonly kind: SymbolTableKind,
    readonly file: string,
    entries: SymbolEntry[],
  ) {
    this.entries = entries;
    this.addrs = Float64Array.from(entries, (e) => e.address);
    this.ends = Float64Array.from(entries, (e) => e.end);
  }

  /** Number of distinct code addresses. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * Reads the file's .symtab or .dynsym (found by section type, not name). Null when the file
   * has no such table or it holds no code symbol. Throws DumpFormatError for a table whose
   * header points outside the file.
   */
  static fromImage(img: ElfImage, kind: SymbolTableKind, limits: SymbolTableLimits = DEFAULT_SYMBOL_LIMITS): SymbolTable | null {
    const type = kind === 'symtab' ? C.SHT_SYMTAB : C.SHT_DYNSYM;
    const sec = img.sections.find((s) => s.type === type);
    if (!sec || sec.size === 0) return null;
    const strSec = img.sections[sec.link];
    if (!strSec || strSec.type !== C.SHT_STRTAB) {
      throw new DumpFormatError('BadSectionHeaders', `${img.path}: symbol table ${sec.name} links to section ${sec.link}, which is not a string table`, {
        file: img.path,
        offset: sec.offset,
      });
    }
    const symData = img.readSection(sec);
    const strData = img.readSection(strSec);
    return SymbolTable.fromBuffers(kind, img.path, symData, strData, img.sections, limits);
  }

  /** Builds a table from raw Elf64_Sym bytes and their string table. */
  static fromBuffers(kind: SymbolTableKind, file: string, symData: Buffer, strData: Buffer, sections: SectionHeader[], limits: SymbolTableLimits = DEFAULT_SYMBOL_LIMITS): SymbolTable | null {
    let count = Math.floor(symData.length / SYM_SIZE);
    const notes: string[] = [];
    if (count > limits.maxSymbols) {
      notes.push(`${file}: ${kind} has ${count} symbols; only the first ${limits.maxSymbols} were read`);
      count = limits.maxSymbols;
    }
    const execEnds = new Map<number, number>();
    const isExec = (shndx: number): number | undefined => {
      const cached = execEnds.get(shndx);
      if (cached !== undefined) return cached < 0 ? undefined : cached;
      const s = sections[shndx];
      const end = s && (s.flags & C.SHF_EXECINSTR) !== 0n && s.addr < BigInt(Number.MAX_SAFE_INTEGER) ? Number(s.addr) + s.size : -1;
      execEnds.set(shndx, end);
      return end < 0 ? undefined : end;
    };
    const raws: RawSym[] = [];
    let cut = 0;
    for (let i = 1; i < count; i++) {
      const o = i * SYM_SIZE;
      const info = symData[o + 4];
      const type = info & 0xf;
      const binding = info >> 4;
      if (type !== STT_FUNC && type !== STT_GNU_IFUNC && type !== STT_NOTYPE) continue;
      const shndx = symData.readUInt16LE(o + 6);
      if (shndx === 0 || shndx >= SHN_LORESERVE) continue;
      const sectionEnd = isExec(shndx);
      if (sectionEnd === undefined) continue; // data, or a NOTYPE label outside code
      const hi = symData.readUInt32LE(o + 12);
      if (hi >= 1 << 21) continue;
      const address = hi * 4294967296 + symData.readUInt32LE(o + 8);
      if (address === 0) continue;
      const sizeHi = symData.readUInt32LE(o + 20);
      const size = sizeHi >= 1 << 21 ? 0 : sizeHi * 4294967296 + symData.readUInt32LE(o + 16);
      const nameOff = symData.readUInt32LE(o);
      let full = cString(strData, nameOff, limits.maxNameLength + 1);
      if (full.length === 0) continue;
      if (full.length > limits.maxNameLength) {
        full = full.slice(0, limits.maxNameLength);
        cut++;
      }
      // Local labels and ARM/AArch64 mapping symbols are not functions.
      if (type === STT_NOTYPE && (full.startsWith('.L') || full.startsWith('$'))) continue;
      let name = full;
      let version: RawSym['version'] = 'none';
      const at = full.indexOf('@', 1);
      if (at > 0) {
        version = full[at + 1] === '@' ? 'default' : 'hidden';
        name = full.slice(0, at);
      }
      raws.push({ address, size: Math.min(size, Number.MAX_SAFE_INTEGER - address), name, version, type, binding, sectionEnd: Math.max(sectionEnd, address) });
    }
    if (cut > 0) notes.push(`${file}: ${cut} symbol names longer than ${limits.maxNameLength} characters were cut`);
    if (raws.length === 0) return null;
    raws.sort((a, b) => a.address - b.address || rank(a) - rank(b));
    const entries: SymbolEntry[] = [];
    for (let i = 0; i < raws.length; ) {
      let j = i;
      const first = raws[i];
      const names: string[] = [];
      let size = 0;
      let sectionEnd = first.sectionEnd;
      while (j < raws.length && raws[j].address === first.address) {
        const r = raws[j];
        if (names.length < limits.maxAliases && !names.includes(r.name)) names.push(r.name);
        if (r.size > size) size = r.size;
        if (r.sectionEnd > sectionEnd) sectionEnd = r.sectionEnd;
        j++;
      }
      const nextAddress = j < raws.length ? raws[j].address : sectionEnd;
      const end = size > 0 ? first.address + size : Math.max(first.address + 1, Math.min(nextAddress, sectionEnd));
      entries.push({ address: first.address, size, end, names, type: first.type, binding: first.binding });
      i = j;
    }
    const t = new SymbolTable(kind, file, entries);
    t.notes.push(...notes);
    return t;
  }

  /** The entry whose range holds the link-time address, or null (padding, or no symbol). */
  entryAt(address: number): SymbolEntry | null {
    let i = upperBound(this.addrs, address);
    // A pc past the end of its nearest symbol may still lie inside an earlier, larger one
    // (nested or overlapping symbols); look back a few entries, as gdb does.
    for (let k = 0; i >= 0 && k < 8; k++, i--) {
      if (address < this.ends[i]) return this.entries[i];
      if (this.entries[i].size === 0) break;
    }
    return null;
  }

  /** Looks up a link-time address. */
  lookup(address: bigint): SymbolMatch | null {
    if (address < 0n || address > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    const e = this.entryAt(Number(address));
    if (!e) return null;
    const raw = e.names[0];
    return {
      name: demangle(raw),
      rawName: raw,
      aliases: e.names,
      address: BigInt(e.address),
      offset: address - BigInt(e.address),
      size: BigInt(e.size),
      sizeGuessed: e.size === 0,
      table: this.kind,
    };
  }

  /** The link-time address of a raw (mangled) symbol name, or null. */
  addressOf(rawName: string): bigint | null {
    if (!this.byNameIndex) {
      this.byNameIndex = new Map();
      for (let i = 0; i < this.entries.length; i++) for (const n of this.entries[i].names) if (!this.byNameIndex.has(n)) this.byNameIndex.set(n, i);
    }
    const i = this.byNameIndex.get(rawName);
    return i === undefined ? null : BigInt(this.entries[i].address);
  }

  /** Every entry, sorted by address (for tests and tools). */
  all(): readonly SymbolEntry[] {
    return this.entries;
  }
}

/**
 * Display preference among aliases (lower first): a global default-version name, then other
 * globals, weak names, and locals last; internal glibc aliases (`__GI_`, `__GL_`) after those;
 * fewer leading underscores before more; then shorter names.
 */
function rank(s: RawSym): number {
  let r = 0;
  if (s.binding === STB_GLOBAL || s.binding === STB_GNU_UNIQUE) r += s.version === 'hidden' ? 1000 : 0;
  else if (s.binding === STB_WEAK) r += s.version === 'hidden' ? 3000 : 2000;
  else if (s.binding === STB_LOCAL) r += 4000;
  else r += 5000;
  if (s.name.startsWith('__GI_') || s.name.startsWith('__GL_') || s.name.startsWith('__EI_')) r += 500;
  if (s.type === STT_NOTYPE) r += 100;
  let u = 0;
  while (u < s.name.length && s.name.charCodeAt(u) === 0x5f && u < 8) u++;
  r += u * 10;
  return r + Math.min(9, Math.floor(s.name.length / 16));
}
