// Serves the dumped process's virtual memory from PT_LOAD segments through a bounded page
// cache. Memory the core does not hold (file-backed pages the kernel or gcore skipped, where
// p_filesz < p_memsz) can be served by providers, e.g. the module file on disk whose build-id
// matches; otherwise it is reported missing, never invented as zeros.
import { PageCache, type ByteSource } from '../io';
import { PF_X, PF_W, PF_R } from './constants';

export interface MemorySegment {
  start: bigint;
  end: bigint;
  /** File offset of the segment's first byte in the core. */
  fileOffset: number;
  /** Bytes of the segment present in the core (counted from start). */
  fileSize: number;
  flags: number;
}

export interface MemoryProvider {
  start: bigint;
  end: bigint;
  /** Name for diagnostics (a path). */
  name: string;
  read(addr: bigint, length: number): Buffer | null;
}

export interface MemoryReader {
  read(addr: bigint, length: number): Buffer | null;
  readU64(addr: bigint): bigint | null;
  readU32(addr: bigint): number | null;
  readI32(addr: bigint): number | null;
  readCString(addr: bigint, max: number): string | null;
  /** The mapped segment (dumped or not) containing addr. */
  segmentAt(addr: bigint): MemorySegment | null;
}

const U64 = (1n << 64n) - 1n;

export class CoreMemory implements MemoryReader {
  readonly segments: MemorySegment[];
  private readonly cache: PageCache;
  private providers: MemoryProvider[] = [];

  constructor(
    private readonly source: ByteSource,
    segments: MemorySegment[],
    cacheOptions: { pageSize?: number; maxPages?: number } = {},
  ) {
    this.segments = [...segments].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    this.cache = new PageCache(source, { pageSize: cacheOptions.pageSize ?? 16 * 1024, maxPages: cacheOptions.maxPages ?? 1024 });
  }

  get cacheStats(): { hits: number; misses: number; cachedBytes: number } {
    return { hits: this.cache.hits, misses: this.cache.misses, cachedBytes: this.cache.cachedBytes };
  }

  /** Adds a source for memory the core lacks (e.g. a verified module file). */
  addProvider(p: MemoryProvider): void {
    this.providers.push(p);
    this.providers.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  segmentAt(addr: bigint): MemorySegment | null {
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = segs[mid];
      if (addr < s.start) hi = mid - 1;
      else if (addr >= s.end) lo = mid + 1;
      else return s;
    }
    return null;
  }

  /** True when addr is in a mapped, executable segment. */
  isExecutable(addr: bigint): boolean {
    const s = this.segmentAt(addr);
    return s !== null && (s.flags & PF_X) !== 0;
  }

  isWritable(addr: bigint): boolean {
    const s = this.segmentAt(addr);
    return s !== null && (s.flags & PF_W) !== 0;
  }

  isReadable(addr: bigint): boolean {
    const s = this.segmentAt(addr);
    return s !== null && (s.flags & PF_R) !== 0;
  }

  read(addr: bigint, length: number): Buffer | null {
    if (length <= 0) return Buffer.alloc(0);
    if (addr < 0n || addr + BigInt(length) - 1n > U64) return null;
    const first = this.readChunk(addr, length);
    if (first === null) return null;
    if (first.length === length) return first;
    // Spans segments: assemble piece by piece.
    const parts: Buffer[] = [first];
    let got = first.length;
    while (got < length) {
      const piece = this.readChunk(addr + BigInt(got), length - got);
      if (piece === null || piece.length === 0) return null;
      parts.push(piece);
      got += piece.length;
    }
    return Buffer.concat(parts, length);
  }

  /** The readable prefix of [addr, addr+length): for scanning stacks that end mid-page. */
  readPartial(addr: bigint, length: number): Buffer {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < length) {
      const piece = this.readChunk(addr + BigInt(got), length - got);
      if (piece === null || piece.length === 0) break;
      parts.push(piece);
      got += piece.length;
    }
    return Buffer.concat(parts);
  }

  readU64(addr: bigint): bigint | null {
    const b = this.read(addr, 8);
    return b === null ? null : b.readBigUInt64LE(0);
  }

  readU32(addr: bigint): number | null {
    const b = this.read(addr, 4);
    return b === null ? null : b.readUInt32LE(0);
  }

  readI32(addr: bigint): number | null {
    const b = this.read(addr, 4);
    return b === null ? null : b.readInt32LE(0);
  }

  readCString(addr: bigint, max: number): string | null {
    const chunk = this.readPartial(addr, max);
    if (chunk.length === 0) return null;
    const nul = chunk.indexOf(0);
    return chunk.toString('utf8', 0, nul < 0 ? chunk.length : nul);
  }

  /** Bytes from the start of addr's run of available memory, at most `length`; null if none. */
  private readChunk(addr: bigint, length: number): Buffer | null {
    const seg = this.segmentAt(addr);
    if (seg !== null) {
      const rel = addr - seg.start;
      if (rel < BigInt(seg.fileSize)) {
        const relN = Number(rel);
        const n = Math.min(length, seg.fileSize - relN);
        const bytes = this.cache.read(seg.fileOffset + relN, n);
        if (bytes.length > 0) return bytes;
        // The core is truncated here: fall through to the providers.
      }
    }
    for (const p of this.providers) {
      if (addr >= p.start && addr < p.end) {
        const avail = p.end - addr;
        const n = BigInt(length) < avail ? length : Number(avail);
        const limit = seg !== null && seg.end - addr < BigInt(n) ? Number(seg.end - addr) : n;
        return p.read(addr, limit);
      }
    }
    return null;
  }
}
