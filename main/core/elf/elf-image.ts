// A module file on disk (executable, shared object, separate debug file): sections by name,
// section contents (SHF_COMPRESSED zlib sections inflated, bounded), build-id, .gnu_debuglink.
import * as zlib from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { FileSource, type ByteSource } from '../io';
import { DumpFormatError } from '../errors';
import * as C from './constants';
import { readElfHeader, readProgramHeaders, readSectionHeaders, scanNotes, cString, type ElfHeader, type ProgramHeader, type SectionHeader } from './elf-file';

/** Largest section we inflate or read whole (debug info of big libraries runs to hundreds of MiB). */
export const MAX_SECTION_BYTES = 512 * 1024 * 1024;

const ELFCOMPRESS_ZLIB = 1;
const ELFCOMPRESS_ZSTD = 2;

export interface DebugLink {
  name: string;
  crc: number;
}

export class ElfImage {
  readonly header: ElfHeader;
  readonly programHeaders: ProgramHeader[];
  readonly sections: SectionHeader[];
  private readonly sectionCache = new Map<string, Buffer>();
  private buildIdValue: string | null | undefined;

  private constructor(readonly source: ByteSource) {
    this.header = readElfHeader(source);
    this.programHeaders = readProgramHeaders(source, this.header);
    this.sections = readSectionHeaders(source, this.header);
  }

  get path(): string {
    return this.source.name;
  }

  static open(path: string): ElfImage {
    const src = FileSource.open(path);
    try {
      return new ElfImage(src);
    } catch (e) {
      src.close();
      throw e;
    }
  }

  static fromSource(src: ByteSource): ElfImage {
    return new ElfImage(src);
  }

  close(): void {
    if (this.source instanceof FileSource) this.source.close();
    this.sectionCache.clear();
  }

  section(name: string): SectionHeader | undefined {
    return this.sections.find((s) => s.name === name);
  }

  hasSection(name: string): boolean {
    const s = this.section(name);
    return s !== undefined && s.type !== C.SHT_NOBITS && s.size > 0;
  }

  /**
   * The contents of a section, decompressed when SHF_COMPRESSED (zlib). Null when absent or
   * NOBITS (a stripped file's placeholder). Cached: sections are read once.
   */
  sectionData(name: string): Buffer | null {
    const cached = this.sectionCache.get(name);
    if (cached) return cached;
    const s = this.section(name);
    if (!s || s.type === C.SHT_NOBITS || s.size === 0) return null;
    const data = this.readSection(s);
    this.sectionCache.set(name, data);
    return data;
  }

  readSection(s: SectionHeader): Buffer {
    const file = this.source.name;
    if (s.size > MAX_SECTION_BYTES) {
      throw new DumpFormatError('LimitExceeded', `${file}: section ${s.name} is ${s.size} bytes, over the limit`, { file, offset: s.offset });
    }
    const raw = this.source.read(s.offset, s.size);
    if ((s.flags & C.SHF_COMPRESSED) === 0n) return raw;
    // Elf64_Chdr: ch_type (u32), reserved (u32), ch_size (u64), ch_addralign (u64).
    if (raw.length < 24) throw new DumpFormatError('BadSectionHeaders', `${file}: compressed section ${s.name} is too short`, { file, offset: s.offset });
    const type = raw.readUInt32LE(0);
    const size = raw.readBigUInt64LE(8);
    if (size > BigInt(MAX_SECTION_BYTES)) {
      throw new DumpFormatError('LimitExceeded', `${file}: compressed section ${s.name} inflates to ${size} bytes, over the limit`, { file, offset: s.offset });
    }
    if (type === ELFCOMPRESS_ZLIB) {
      try {
        return zlib.inflateSync(raw.subarray(24), { maxOutputLength: Number(size) });
      } catch (e) {
        throw new DumpFormatError('BadSectionHeaders', `${file}: cannot inflate section ${s.name}: ${(e as Error).message}`, { file, offset: s.offset });
      }
    }
    if (type === ELFCOMPRESS_ZSTD) {
      // gcc/ld -gz=zstd (binutils >= 2.40).
      let out: Uint8Array;
      try {
        out = zstdDecompress(raw.subarray(24), new Uint8Array(Number(size)));
      } catch (e) {
        throw new DumpFormatError('BadSectionHeaders', `${file}: cannot decompress zstd section ${s.name}: ${(e as Error).message}`, { file, offset: s.offset });
      }
      if (out.length !== Number(size)) {
        throw new DumpFormatError('BadSectionHeaders', `${file}: zstd section ${s.name} inflated to ${out.length} bytes, not the ${size} its header says`, { file, offset: s.offset });
      }
      return Buffer.from(out.buffer, out.byteOffset, out.length);
    }
    throw new DumpFormatError('BadSectionHeaders', `${file}: section ${s.name} uses compression type ${type}, which is not supported`, { file, offset: s.offset });
  }

  /** GNU build-id from the note sections or PT_NOTE segments, lowercase hex. */
  get buildId(): string | null {
    if (this.buildIdValue !== undefined) return this.buildIdValue;
    this.buildIdValue = null;
    const spans: { offset: number; size: number; align: 4 | 8 }[] = [];
    for (const s of this.sections) if (s.type === C.SHT_NOTE && s.size > 0 && s.size < 1 << 20) spans.push({ offset: s.offset, size: s.size, align: s.addralign === 8n ? 8 : 4 });
    if (spans.length === 0) {
      for (const p of this.programHeaders) if (p.type === C.PT_NOTE && p.filesz > 0 && p.filesz < 1 << 20) spans.push({ offset: p.offset, size: p.filesz, align: p.align === 8n ? 8 : 4 });
    }
    for (const sp of spans) {
      try {
        const notes = scanNotes(this.source, sp.offset, sp.size, { align: sp.align, maxNotes: 256 });
        const n = notes.find((x) => x.name === 'GNU' && x.type === C.NT_GNU_BUILD_ID && x.descSize > 0 && x.descSize <= 64);
        if (n) {
          this.buildIdValue = this.source.read(n.descOffset, n.descSize).toString('hex');
          break;
        }
      } catch {
        // a malformed note section does not hide the others
      }
    }
    return this.buildIdValue;
  }

  /** `.gnu_debuglink`: the debug file's name and the CRC-32 of its contents. */
  get debugLink(): DebugLink | null {
    const data = this.sectionData('.gnu_debuglink');
    if (!data || data.length < 8) return null;
    const name = cString(data, 0, Math.min(data.length, 4096));
    const crcOffset = (name.length + 1 + 3) & ~3;
    if (crcOffset + 4 > data.length) return null;
    return { name, crc: data.readUInt32LE(crcOffset) };
  }

  /** Link-time address of the lowest PT_LOAD with file offset 0 (to compute load bias). */
  get firstLoadVaddr(): bigint {
    const loads = this.programHeaders.filter((p) => p.type === C.PT_LOAD);
    const s0 = loads.find((p) => p.offset === 0) ?? loads[0];
    return s0 ? s0.vaddr & ~0xfffn : 0n;
  }

  /** File offset of a link-time virtual address inside a PT_LOAD, or null. */
  fileOffsetOfVaddr(vaddr: bigint): number | null {
    for (const p of this.programHeaders) {
      if (p.type !== C.PT_LOAD) continue;
      if (vaddr >= p.vaddr && vaddr < p.vaddr + BigInt(p.filesz)) return p.offset + Number(vaddr - p.vaddr);
    }
    return null;
  }
}
