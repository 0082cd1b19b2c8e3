import { describe, expect, it } from 'vitest';
import { BufferSource, PageCache } from '../../../main/core/io';
import { CoreMemory } from '../../../main/core/elf';

// A 12-byte "core" body: two segments, the second only partly present (filesz < memsz).
const body = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const src = new BufferSource('test.core', body);

describe('CoreMemory', () => {
  const mem = new CoreMemory(src, [
    { start: 0x1000n, end: 0x1008n, fileOffset: 0, fileSize: 8, flags: 4 },
    { start: 0x2000n, end: 0x3000n, fileOffset: 8, fileSize: 4, flags: 6 },
  ]);

  it('serves addresses inside a dumped segment', () => {
    expect(mem.read(0x1002n, 3)).toEqual(Buffer.from([3, 4, 5]));
    expect(mem.readU32(0x1000n)).toBe(0x04030201);
  });

  it('reports memory beyond p_filesz as missing, never as zeros', () => {
    expect(mem.read(0x2000n, 4)).toEqual(Buffer.from([9, 10, 11, 12]));
    expect(mem.read(0x2002n, 4)).toBeNull();
    expect(mem.readPartial(0x2002n, 4)).toEqual(Buffer.from([11, 12]));
    expect(mem.read(0x5000n, 1)).toBeNull();
  });

  it('fills the gap from a provider (a verified module file)', () => {
    const m2 = new CoreMemory(src, [{ start: 0x2000n, end: 0x3000n, fileOffset: 8, fileSize: 4, flags: 4 }]);
    m2.addProvider({ start: 0x2000n, end: 0x3000n, name: 'lib.so', read: (addr, n) => Buffer.alloc(n, Number(addr & 0xffn)) });
    expect(m2.read(0x2002n, 4)).toEqual(Buffer.from([11, 12, 4, 4]));
  });

  it('finds segments by binary search', () => {
    expect(mem.segmentAt(0x1007n)?.start).toBe(0x1000n);
    expect(mem.segmentAt(0x1008n)).toBeNull();
    expect(mem.isWritable(0x2000n)).toBe(true);
    expect(mem.isWritable(0x1000n)).toBe(false);
  });
});

describe('PageCache', () => {
  it('keeps at most maxPages pages, evicting the least recently used', () => {
    const big = new BufferSource('big', Buffer.alloc(64 * 1024, 7));
    const cache = new PageCache(big, { pageSize: 1024, maxPages: 4 });
    for (let p = 0; p < 10; p++) cache.read(p * 1024, 8);
    expect(cache.cachedBytes).toBe(4 * 1024);
    cache.read(9 * 1024, 8);
    expect(cache.hits).toBe(1);
    cache.read(0, 8);
    expect(cache.misses).toBe(11);
  });

  it('returns reads that span pages and stops at the end of the file', () => {
    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => i & 0xff));
    const cache = new PageCache(new BufferSource('d', data), { pageSize: 1024, maxPages: 2 });
    expect(cache.read(1020, 8)).toEqual(data.subarray(1020, 1028));
    expect(cache.read(2990, 100)).toEqual(data.subarray(2990));
  });
});
