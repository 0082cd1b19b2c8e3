// A bounded LRU cache of fixed-size pages over a ByteSource. Memory stays at
// maxPages * pageSize whatever the size of the file.
import { type ByteSource } from './file-source';

export interface PageCacheOptions {
  pageSize?: number;
  maxPages?: number;
}

export class PageCache {
  readonly pageSize: number;
  readonly maxPages: number;
  hits = 0;
  misses = 0;
  // Map keeps insertion order: delete + set moves a page to the young end.
  private readonly pages = new Map<number, Buffer>();

  constructor(
    private readonly source: ByteSource,
    opts: PageCacheOptions = {},
  ) {
    this.pageSize = opts.pageSize ?? 64 * 1024;
    this.maxPages = opts.maxPages ?? 256;
  }

  get cachedBytes(): number {
    let n = 0;
    for (const p of this.pages.values()) n += p.length;
    return n;
  }

  /**
   * Up to `length` bytes at file `offset`; fewer when the file ends first.
   * Small reads inside one page cost one lookup; large reads bypass the cache.
   */
  read(offset: number, length: number): Buffer {
    if (length <= 0 || offset >= this.source.size) return Buffer.alloc(0);
    if (length > this.pageSize * 4) return this.source.readUpTo(offset, length);
    const first = Math.floor(offset / this.pageSize);
    const last = Math.floor((offset + length - 1) / this.pageSize);
    if (first === last) {
      const page = this.page(first);
      const start = offset - first * this.pageSize;
      return page.subarray(start, Math.min(page.length, start + length));
    }
    const parts: Buffer[] = [];
    let remaining = length;
    let pos = offset;
    for (let p = first; p <= last && remaining > 0; p++) {
      const page = this.page(p);
      const start = pos - p * this.pageSize;
      if (start >= page.length) break;
      const piece = page.subarray(start, Math.min(page.length, start + remaining));
      parts.push(piece);
      remaining -= piece.length;
      pos += piece.length;
      if (page.length < this.pageSize) break;
    }
    return Buffer.concat(parts);
  }

  private page(n: number): Buffer {
    const cached = this.pages.get(n);
    if (cached) {
      this.hits++;
      this.pages.delete(n);
      this.pages.set(n, cached);
      return cached;
    }
    this.misses++;
    const buf = this.source.readUpTo(n * this.pageSize, this.pageSize);
    this.pages.set(n, buf);
    if (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    return buf;
  }
}
