// A core of 2000 threads, and the same core claiming 8 GiB more memory in a sparse hole: both
// open in the same time, memory and bytes read. What an open costs depends on the threads and
// their stacks, never on the size of the file. Figures for bigger cases: docs/ROBUSTNESS.md
// (made with test/integration/huge/measure-huge.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { MANY_THREADS } from '../../helpers/programs';
import { tempIndex } from '../../helpers/cli';
import { makeSparseVariant, measureCli, type SparseVariant } from './sparse-core';

const THREADS = 2000;
const GIB = 1024 ** 3;

interface ThreadsDoc {
  dump: { indexStats: { bytesRead: number; elapsedMs: number } };
  threads: { tid: number }[];
}

describe('huge and sparse dumps', () => {
  let real: Captured;
  let sparse: SparseVariant;

  beforeAll(async () => {
    real = await captureCore(compile('many-threads', MANY_THREADS), { args: [String(THREADS)], stackKb: 64, timeoutMs: 120_000 });
    sparse = makeSparseVariant(real.core, path.join(real.dir, 'sparse.core'), 4, 2 * GIB);
  });
  afterAll(() => real?.remove());

  it(`a ${THREADS}-thread core claiming 8 GiB more in a sparse hole costs what the core itself costs`, () => {
    const original = fs.statSync(real.core);
    expect(sparse.size).toBeGreaterThan(original.size + 8 * GIB);
    expect(sparse.allocated).toBeLessThan(original.blocks * 512 + 16 * 1024 * 1024); // the hole takes no disk

    const base = measureCli(['--index', tempIndex('base'), 'threads', real.core, '--json']);
    const huge = measureCli(['--index', tempIndex('huge'), 'threads', sparse.path, '--json']);
    for (const m of [base, huge]) {
      expect(m.code, m.stderr).toBe(0);
      expect(m.stderr).toBe('');
    }
    const a = JSON.parse(base.stdout) as ThreadsDoc;
    const b = JSON.parse(huge.stdout) as ThreadsDoc;
    expect(b.threads.map((t) => t.tid)).toEqual(a.threads.map((t) => t.tid));
    expect(a.threads).toHaveLength(THREADS + 1);
    console.log(
      `${THREADS} threads: core ${(original.size / 2 ** 20).toFixed(0)} MiB -> read ${(a.dump.indexStats.bytesRead / 2 ** 20).toFixed(1)} MiB in ${a.dump.indexStats.elapsedMs} ms, peak RSS ${(base.maxRssKb / 1024).toFixed(0)} MiB; ` +
        `+8 GiB sparse (${(sparse.size / GIB).toFixed(1)} GiB) -> read ${(b.dump.indexStats.bytesRead / 2 ** 20).toFixed(1)} MiB in ${b.dump.indexStats.elapsedMs} ms, peak RSS ${(huge.maxRssKb / 1024).toFixed(0)} MiB`,
    );
    // Reading: the few KiB of the longer program header table and the fingerprint's last 64 KiB.
    expect(b.dump.indexStats.bytesRead).toBeLessThan(a.dump.indexStats.bytesRead + 1024 * 1024);
    expect(huge.maxRssKb).toBeLessThan(base.maxRssKb * 1.25 + 64 * 1024);
    expect(b.dump.indexStats.elapsedMs).toBeLessThan(a.dump.indexStats.elapsedMs * 1.5 + 2000);
    // Per thread, not per byte of file: about 20 KiB read per thread (its stack pages, its notes).
    expect(a.dump.indexStats.bytesRead / THREADS).toBeLessThan(64 * 1024);
  }, 300_000);
});
