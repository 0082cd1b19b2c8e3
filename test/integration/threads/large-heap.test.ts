// Opening a core with a large touched heap reads a small, bounded number of bytes, and peak
// memory does not grow with the dump's size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { BIG_HEAP, SINGLE_THREAD } from '../../helpers/programs';
import { ROOT, tempIndex } from '../../helpers/cli';

interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  maxRssKb: number;
}

function measure(args: string[]): Measured {
  const out = path.join(path.dirname(tempIndex()), 'measure.json');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'test/helpers/measure-cli.mjs'), out, ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as Measured;
}

describe('a core with a 600 MiB heap', () => {
  let big: Captured;
  let small: Captured;
  beforeAll(async () => {
    big = await captureCore(compile('bigheap', BIG_HEAP), { args: ['600'], timeoutMs: 60_000 });
    small = await captureCore(compile('single', SINGLE_THREAD));
  }, 300_000);
  afterAll(() => {
    big?.remove();
    small?.remove();
  });

  it('is large on disk', () => {
    expect(fs.statSync(big.core).size).toBeGreaterThan(600 * 1024 * 1024);
  });

  it('opens reading under 4 MiB and with the memory of a small core', () => {
    const bigRun = measure(['--index', tempIndex(), 'threads', big.core, '--json']);
    const smallRun = measure(['--index', tempIndex(), 'threads', small.core, '--json']);
    expect(bigRun.code).toBe(0);
    expect(bigRun.stderr).toBe('');
    const doc = JSON.parse(bigRun.stdout) as { dump: { indexStats: { bytesRead: number } }; threads: { tid: number }[] };
    expect(doc.threads.map((t) => t.tid)).toEqual([big.tids.get('main')]);
    expect(doc.dump.indexStats.bytesRead).toBeLessThan(4 * 1024 * 1024);
    // Peak RSS of the whole CLI process: within 40 MiB of opening a tiny core.
    expect(bigRun.maxRssKb - smallRun.maxRssKb).toBeLessThan(40 * 1024);
  });
});
