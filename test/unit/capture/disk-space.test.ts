// The free-space check against an injected statfs (the real one is exercised by the tmpfs test
// in test/integration/capture).
import { describe, expect, it } from 'vitest';
import { checkFreeSpace, estimateDumpSize, readProcess } from '../../../main/core/capture';
import { DumpscopeError } from '../../../main/core/errors';

const MiB = 1024 * 1024;

describe('disk space', () => {
  const estimate = { bytes: 1000 * MiB, basis: '1000 MiB of mapped memory' };

  it('refuses with both numbers when the folder is too small', () => {
    let err: unknown;
    try {
      checkFreeSpace('/dumps', estimate, 'a full dump of pid 42 (app)', () => ({ bavail: 500 * 256, bsize: 4096 }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DumpscopeError);
    const e = err as DumpscopeError;
    expect(e.code).toBe('NotEnoughSpace');
    // 1000 MiB + 5% + 64 MiB = 1114 MiB (1.09 GiB) needed; 500 MiB free
    expect(e.message).toBe(
      'not enough space in /dumps for a full dump of pid 42 (app): it needs about 1.09 GiB (estimated from 1000 MiB of mapped memory, with a margin) but only 500 MiB is free; choose another folder with -o DIR',
    );
  });

  it('passes when the estimate and the margin fit', () => {
    expect(checkFreeSpace('/dumps', estimate, 'x', () => ({ bavail: 1200 * 256, bsize: 4096 })).freeBytes).toBe(1200 * MiB);
  });

  it('does not block when statfs is unavailable', () => {
    const r = checkFreeSpace('/dumps', estimate, 'x', () => {
      throw new Error('ENOSYS');
    });
    expect(Number.isNaN(r.freeBytes)).toBe(true);
  });

  it('estimates a full dump from the memory map, larger than the resident set', () => {
    const p = readProcess(process.pid);
    const full = estimateDumpSize(p, 'full');
    const all = estimateDumpSize(p, 'full', true);
    const heap = estimateDumpSize(p, 'heap');
    expect(full.bytes).toBeGreaterThan(p.rssBytes ?? 0);
    expect(all.bytes).toBeGreaterThanOrEqual(full.bytes);
    expect(heap.bytes).toBeLessThan(full.bytes);
    expect(full.basis).toMatch(/of mapped memory$/);
  });
});
