// One ELF file used for symbols (a module's code file or its separate debug file), with its
// symbol tables and DWARF built lazily and kept: libc's tables serve every thread of every
// dump. Files are cached by path, size and mtime; a file changed on disk is a new entry.
// Open file descriptors are bounded: the least recently used files give theirs back and
// reopen when they need another section.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { DumpFormatError } from '../errors';
import { ElfConstants as C, ElfImage, MAX_SECTION_BYTES } from '../elf';
import { BufferSource } from '../io';
import { infoOf, type ElfFileInfo } from './debug-files';
import { DwarfInfo } from './dwarf-info';
import { SymbolTable } from './symbol-table';
import { DataSymbolTable } from './data-symbols';

const MAX_OPEN_FILES = 64;
const MAX_CACHED_FILES = 512;

export class SymbolFile {
  private img: ElfImage | null;
  private readonly sections = new Map<string, Buffer | null>();
  private symtabValue: SymbolTable | null | undefined;
  private dynsymValue: SymbolTable | null | undefined;
  private dwarfValue: DwarfInfo | null | undefined;
  private dataValue: DataSymbolTable | null | undefined;
  readonly notes: string[] = [];

  private constructor(
    readonly path: string,
    readonly info: ElfFileInfo,
    img: ElfImage,
    private readonly reopenable: boolean,
  ) {
    this.img = img;
  }

  /**
   * Opens (or returns the cached) file at `path`; an error with a reason when it is not
   * usable. `supplementary` admits a dwz multifile (ET_REL).
   */
  static open(filePath: string, opts: { supplementary?: boolean } = {}): SymbolFile | { error: string } {
    let st: fs.Stats;
    try {
      st = fs.statSync(filePath);
    } catch {
      return { error: `${filePath}: no such file` };
    }
    const key = `${filePath}\0${st.size}\0${st.mtimeMs}${opts.supplementary ? '\0sup' : ''}`;
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    let img: ElfImage;
    try {
      img = ElfImage.open(filePath);
    } catch (e) {
      return { error: (e as Error).message };
    }
    let info: ElfFileInfo | null;
    try {
      info = infoOf(img, st, opts.supplementary === true);
    } catch (e) {
      img.close();
      return { error: `${filePath}: ${(e as Error).message}` };
    }
    if (!info) {
      img.close();
      return { error: `${filePath}: not an executable, shared object or debug file` };
    }
    const f = new SymbolFile(filePath, info, img, true);
    cache.set(key, f);
    if (cache.size > MAX_CACHED_FILES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) {
        cache.get(oldest)?.release();
        cache.delete(oldest);
      }
    }
    touch(f);
    return f;
  }

  /** A file image held in memory (the vDSO read from a dump). */
  static fromBuffer(name: string, buf: Buffer): SymbolFile | null {
    try {
      const img = ElfImage.fromSource(new BufferSource(name, buf));
      const info = infoOf(img, { size: buf.length, mtimeMs: 0 });
      return info ? new SymbolFile(name, info, img, false) : null;
    } catch {
      return null;
    }
  }

  private image(): ElfImage {
    if (!this.img) {
      this.img = ElfImage.open(this.path);
      if (this.img.buildId !== this.info.buildId) {
        this.img.close();
        this.img = null;
        throw new DumpFormatError('MissingDebugInfo', `${this.path}: the file changed on disk while in use`, { file: this.path });
      }
    }
    touch(this);
    return this.img;
  }

  /** Gives back the file descriptor; sections already read stay in memory. */
  release(): void {
    if (this.img && this.reopenable) {
      this.img.close();
      this.img = null;
    }
  }

  /**
   * A section's contents (SHF_COMPRESSED sections inflated by ElfImage; legacy `.zdebug_*`
   * sections inflated here), or null when absent or unreadable (with a note).
   */
  section(name: string): Buffer | null {
    if (this.sections.has(name)) return this.sections.get(name) ?? null;
    let data: Buffer | null;
    try {
      const img = this.image();
      data = img.sectionData(name);
      if (!data && name.startsWith('.debug_')) data = this.zdebug(img, `.zdebug_${name.slice(7)}`);
    } catch (e) {
      this.notes.push(`${this.path}: cannot read ${name}: ${(e as Error).message}`);
      data = null;
    }
    this.sections.set(name, data);
    return data;
  }

  /** GNU's older compressed sections: "ZLIB", a big-endian u64 size, then a zlib stream. */
  private zdebug(img: ElfImage, name: string): Buffer | null {
    const s = img.section(name);
    if (!s || s.type === C.SHT_NOBITS || s.size < 12) return null;
    const raw = img.readSection(s);
    if (raw.toString('latin1', 0, 4) !== 'ZLIB') return raw;
    const size = raw.readBigUInt64BE(4);
    if (size > BigInt(MAX_SECTION_BYTES)) throw new DumpFormatError('LimitExceeded', `${this.path}: ${name} inflates to ${size} bytes`, { file: this.path });
    return zlib.inflateSync(raw.subarray(12), { maxOutputLength: Number(size) });
  }

  get symtab(): SymbolTable | null {
    if (this.symtabValue === undefined) this.symtabValue = this.loadTable('symtab');
    return this.symtabValue;
  }

  get dynsym(): SymbolTable | null {
    if (this.dynsymValue === undefined) this.dynsymValue = this.loadTable('dynsym');
    return this.dynsymValue;
  }

  /** Data objects (global and static variables), for naming addresses. */
  get dataSymbols(): DataSymbolTable | null {
    if (this.dataValue === undefined) {
      this.dataValue = null;
      if (this.info.hasSymtab || this.info.hasDynsym) {
        try {
          this.dataValue = DataSymbolTable.fromImage(this.image());
        } catch (e) {
          this.notes.push(`${this.path}: cannot read its data symbols: ${(e as Error).message}`);
        }
      }
    }
    return this.dataValue;
  }

  private loadTable(kind: 'symtab' | 'dynsym'): SymbolTable | null {
    if (kind === 'symtab' ? !this.info.hasSymtab : !this.info.hasDynsym) return null;
    try {
      const t = SymbolTable.fromImage(this.image(), kind);
      if (t) this.notes.push(...t.notes);
      return t;
    } catch (e) {
      this.notes.push(`${this.path}: cannot read its ${kind}: ${(e as Error).message}`);
      return null;
    }
  }

  /** The file's DWARF, or null when it has no .debug_info nor .debug_line. */
  get dwarf(): DwarfInfo | null {
    if (this.dwarfValue === undefined) {
      this.dwarfValue = null;
      if (this.info.hasDwarf || this.info.hasLines) {
        try {
          this.dwarfValue = new DwarfInfo((n) => this.section(n), this.path);
        } catch (e) {
          this.notes.push(`${this.path}: cannot read its DWARF: ${(e as Error).message}`);
        }
      }
    }
    return this.dwarfValue;
  }

  /** The `.gnu_debuglink`: the debug file's name and CRC-32, or null. */
  debugLink(): { name: string; crc: number } | null {
    try {
      return this.image().debugLink;
    } catch {
      return null;
    }
  }

  /** The `.gnu_debugaltlink` (dwz supplementary file): its path and build-id. */
  get debugAltLink(): { path: string; buildId: string } | null {
    const d = this.section('.gnu_debugaltlink');
    if (!d) return null;
    const nul = d.indexOf(0);
    if (nul <= 0 || nul + 1 >= d.length) return null;
    return { path: d.toString('utf8', 0, nul), buildId: d.toString('hex', nul + 1) };
  }
}

const cache = new Map<string, SymbolFile>();
const openOrder = new Set<SymbolFile>();

function touch(f: SymbolFile): void {
  openOrder.delete(f);
  openOrder.add(f);
  if (openOrder.size > MAX_OPEN_FILES) {
    const oldest = openOrder.values().next().value;
    if (oldest) {
      oldest.release();
      openOrder.delete(oldest);
    }
  }
}

/** Forgets every cached file (tests; or after a symbol folder is removed). */
export function clearSymbolFileCache(): void {
  for (const f of cache.values()) f.release();
  cache.clear();
  openOrder.clear();
}
