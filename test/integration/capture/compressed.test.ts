// Compressed cores: a real core compressed by the gzip, zstd, xz and lz4 tools opens with the
// same threads as the core itself, from a decompressed copy made once in the cache next to the
// index; corrupt and truncated files give one clear line and leave no cache file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { LOCK_ORDER_DEADLOCK } from '../../helpers/lock-programs';
import { runCli, tempIndex } from '../../helpers/cli';
import { type ApiEvents } from '../../../shared/api';
import { DumpscopeService } from '../../../main/api';
import { filesIn } from './programs';

interface ThreadsJson {
  dump: { path: string; decompressedPath?: string; pid: number; fromIndex: boolean };
  threads: { tid: number; registers: Record<string, string>; syscall: { name: string } | null }[];
}

const FORMATS = [
  { ext: 'gz', kind: 'gzip', cmd: (f: string) => ['gzip', '-k', '-f', f] },
  { ext: 'zst', kind: 'zstd', cmd: (f: string) => ['zstd', '-q', '-f', f] },
  { ext: 'xz', kind: 'xz', cmd: (f: string) => ['xz', '-k', '-f', '-T0', f] },
  { ext: 'lz4', kind: 'lz4', cmd: (f: string) => ['lz4', '-q', '-f', f, `${f}.lz4`] },
] as const;

let real: Captured;
let dir: string;
const index = tempIndex('compressed');
const cacheDir = path.join(path.dirname(index), 'decompressed');

function threads(file: string): { r: ReturnType<typeof runCli>; j: ThreadsJson | null } {
  const r = runCli(['threads', file, '--json'], { index });
  return { r, j: r.code === 0 ? (JSON.parse(r.stdout) as ThreadsJson) : null };
}

function expectOneLineError(r: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
}

beforeAll(async () => {
  real = await captureCore(compile('lock-order', LOCK_ORDER_DEADLOCK), { stackKb: 256 });
  dir = real.dir;
  for (const f of FORMATS) {
    const [cmd, ...args] = f.cmd(real.core);
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  }
});
afterAll(() => real?.remove());

describe('compressed cores', () => {
  it('open in every format with the threads and registers of the core itself', () => {
    const plain = threads(real.core);
    expect(plain.r.stderr).toBe('');
    const expected = plain.j?.threads.map((t) => ({ tid: t.tid, registers: t.registers, syscall: t.syscall?.name ?? null }));
    expect(expected?.map((t) => t.tid).sort()).toEqual([...real.tids.values()].sort());
    for (const f of FORMATS) {
      const { r, j } = threads(`${real.core}.${f.ext}`);
      expect(r.stderr, f.ext).toBe('');
      expect(r.code, f.ext).toBe(0);
      expect(j?.dump.fromIndex, f.ext).toBe(false);
      // The JSON names the file the user opened; the decompressed copy is beside it.
      expect(j?.dump.path, f.ext).toBe(`${real.core}.${f.ext}`);
      expect(path.dirname(j?.dump.decompressedPath ?? ''), f.ext).toBe(cacheDir);
      expect(j?.threads.map((t) => ({ tid: t.tid, registers: t.registers, syscall: t.syscall?.name ?? null })), f.ext).toEqual(expected);
      expect(fs.readFileSync(j?.dump.decompressedPath ?? '').equals(fs.readFileSync(real.core)), f.ext).toBe(true);
    }
    expect(filesIn(cacheDir)).toHaveLength(FORMATS.length);
  });

  it('reuse the decompressed copy on the second open', () => {
    const before = filesIn(cacheDir).map((f) => [f, fs.statSync(path.join(cacheDir, f)).mtimeMs]);
    for (const f of FORMATS) {
      const { r, j } = threads(`${real.core}.${f.ext}`);
      expect(r.code, f.ext).toBe(0);
      expect(j?.dump.fromIndex, f.ext).toBe(true);
    }
    expect(filesIn(cacheDir).map((f) => [f, fs.statSync(path.join(cacheDir, f)).mtimeMs])).toEqual(before);
  });

  it('remember the file the user opened and its compression', async () => {
    const service = new DumpscopeService({ indexPath: index, sampleDir: null });
    try {
      const zst = `${real.core}.zst`;
      const d = await service.openDump({ path: zst });
      expect(d).toMatchObject({ originalPath: zst, compression: 'zstd', fromIndex: true });
      expect(d.path.startsWith(cacheDir)).toBe(true);
      const listed = await service.listDumps({});
      expect(listed.find((x) => x.id === d.id)).toMatchObject({ originalPath: zst, compression: 'zstd' });
      expect(listed.find((x) => x.path === real.core)).toMatchObject({ originalPath: null, compression: null });
      // removing the dump removes our decompressed copy, never the user's file
      expect(await service.removeDump({ dumpId: d.id })).toEqual({ removed: true });
      expect(fs.existsSync(d.path)).toBe(false);
      expect(fs.existsSync(zst)).toBe(true);
    } finally {
      await service.close();
    }
  });

  it('report decompression progress in compressed bytes read', async () => {
    const progress: ApiEvents['progress'][] = [];
    const fresh = tempIndex('compressed-progress');
    const service = new DumpscopeService({
      indexPath: fresh,
      sampleDir: null,
      emit: (event, payload) => {
        if (event === 'progress') progress.push(payload as ApiEvents['progress']);
      },
    });
    try {
      const xz = `${real.core}.xz`;
      await service.openDump({ path: xz, jobId: 'open-xz' });
      const dec = progress.filter((p) => p.jobId === 'open-xz' && p.phase === 'decompress');
      expect(dec.length).toBeGreaterThan(0);
      for (let i = 1; i < dec.length; i++) expect(dec[i].done).toBeGreaterThanOrEqual(dec[i - 1].done);
      expect(dec[dec.length - 1]).toMatchObject({ done: fs.statSync(xz).size, total: fs.statSync(xz).size });
      expect(dec[dec.length - 1].message).toMatch(/^Decompressing core\.\d+\.xz \(xz\): [0-9.]+ MiB written$/);
    } finally {
      await service.close();
      fs.rmSync(path.dirname(fresh), { recursive: true, force: true });
    }
  });

  it('are told by their bytes: systemd-coredump names, and a core whose name says otherwise', () => {
    const systemdName = path.join(dir, `core.lock-order.0.1827be70bda44e3b9598c4aaf5ac32bc.${real.pid}.1717652311000000.zst`);
    fs.copyFileSync(`${real.core}.zst`, systemdName);
    expect(threads(systemdName).j?.threads).toHaveLength(real.tids.size);
    const noExt = path.join(dir, 'core-without-extension');
    fs.copyFileSync(`${real.core}.xz`, noExt);
    expect(threads(noExt).j?.threads).toHaveLength(real.tids.size);
    const plainNamedZst = path.join(dir, 'plain-core.zst');
    fs.copyFileSync(real.core, plainNamedZst);
    const p = threads(plainNamedZst);
    expect(p.j?.dump.path).toBe(plainNamedZst);
  });

  it('corrupt or truncated: one clear line naming the file, and no cache file left', () => {
    const cacheBefore = filesIn(cacheDir);
    for (const f of FORMATS) {
      const whole = fs.readFileSync(`${real.core}.${f.ext}`);
      const cut = path.join(dir, `cut.${f.ext}`);
      fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
      expectOneLineError(threads(cut).r, new RegExp(`^dumpscope: ${cut}: the ${f.kind} data ends early.*: the file is truncated$`));
      const bad = path.join(dir, `corrupt.${f.ext}`);
      const b = Buffer.from(whole);
      for (let i = 0; i < 8; i++) b[Math.floor(b.length * 0.5) + i] ^= 0xa5;
      fs.writeFileSync(bad, b);
      expectOneLineError(threads(bad).r, new RegExp(`^dumpscope: ${bad}: (corrupt ${f.kind} data|the xz data is corrupt)`));
      expect(filesIn(cacheDir), f.ext).toEqual(cacheBefore);
    }
  });

  it('a compressed ELF file that is not a core: named by the file the user opened, and not kept', () => {
    const exe = path.join(dir, 'program');
    fs.copyFileSync(compile('lock-order', LOCK_ORDER_DEADLOCK), exe);
    spawnSync('zstd', ['-q', '-f', exe]);
    const before = filesIn(cacheDir);
    expectOneLineError(threads(`${exe}.zst`).r, new RegExp(`^dumpscope: ${exe}\\.zst \\(zstd-decompressed\\): is a shared object or PIE executable, not a core dump$`));
    expect(filesIn(cacheDir)).toEqual(before);
  });

  it('compressed data that is not a core is named as such', () => {
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'my notes about the crash\n');
    spawnSync('gzip', ['-k', '-f', text]);
    expectOneLineError(
      threads(`${text}.gz`).r,
      new RegExp(`^dumpscope: ${text}\\.gz: decompresses to something that is not an ELF core \\(it starts with 6d 79 20 6e`),
    );
  });
});
