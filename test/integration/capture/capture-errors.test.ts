// The errors of capture that need a special setup: a process we may not attach to (dumpscope
// run as `nobody` through setpriv), a folder too small (a 1 MiB tmpfs), a disk that fills while
// gcore writes, a process killed mid-capture, and a cancelled capture. In each, no partial file
// may remain. Tests that need root (mount, setpriv) say so and skip when it is missing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile, haveTool, startProgram, TEST_TMP, type LiveProgram } from '../../helpers/native';
import { ROLES } from '../../helpers/programs';
import { BIN, runCli, tempIndex } from '../../helpers/cli';
import { captureDumps } from '../../../main/core/capture';
import { DumpscopeService } from '../../../main/api';
import { DumpscopeError } from '../../../main/core/errors';
import { BIG_HEAP, NON_DUMPABLE, filesIn, runCliAsync, sleep, stateOf } from './programs';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const canSetpriv = isRoot && haveTool('setpriv');

let work: string;
const live: LiveProgram[] = [];
const mounts: string[] = [];

async function start(exe: string, args: string[] = []): Promise<LiveProgram> {
  const p = await startProgram(exe, { args, stackKb: 256 });
  live.push(p);
  return p;
}

/** A folder everyone may write (for dumpscope run as nobody). */
function openDir(name: string): string {
  const d = path.join(work, name);
  fs.mkdirSync(d, { recursive: true });
  fs.chmodSync(d, 0o777);
  return d;
}

function runAsNobody(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, BIN, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function mountTmpfs(dir: string, size: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  mounts.push(dir);
  return true;
}

function expectOneLineError(r: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  fs.mkdirSync(TEST_TMP, { recursive: true });
  work = fs.mkdtempSync(path.join(TEST_TMP, 'capture-errors-'));
  fs.chmodSync(work, 0o755);
});
afterEach(() => {
  while (live.length > 0) live.pop()?.kill();
  while (mounts.length > 0) spawnSync('umount', ['-l', mounts.pop() as string]);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('capture: permission denied', () => {
  it("another user's process (dumpscope run as nobody, the process as root)", async (ctx) => {
    if (!canSetpriv) ctx.skip(); // needs root to become nobody
    const prog = await start(compile('roles', ROLES));
    const out = openDir('denied-other');
    const r = runAsNobody(['--index', path.join(openDir('denied-other-index'), 'i.sqlite'), 'capture', String(prog.pid), '-o', out]);
    expectOneLineError(
      r,
      new RegExp(
        `^dumpscope: cannot capture pid ${prog.pid} \\(roles\\): it belongs to root \\(uid 0\\) and dumpscope runs as nobody \\(uid ${NOBODY}\\); only its owner or root may attach to it: run dumpscope as root \\(sudo dumpscope capture ${prog.pid}\\)$`,
      ),
    );
    expect(filesIn(out)).toEqual([]);
  });

  it('a non-dumpable process of the same user (prctl(PR_SET_DUMPABLE, 0); both run as nobody)', async (ctx) => {
    if (!canSetpriv) ctx.skip();
    const exe = compile('non-dumpable', NON_DUMPABLE);
    const prog = await start('/usr/bin/setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', exe]);
    const out = openDir('denied-dumpable');
    const r = runAsNobody(['--index', path.join(openDir('denied-dumpable-index'), 'i.sqlite'), 'capture', String(prog.pid), '-o', out]);
    expectOneLineError(
      r,
      new RegExp(
        `^dumpscope: cannot capture pid ${prog.pid} \\(non-dumpable\\): it is marked non-dumpable \\(it called prctl\\(PR_SET_DUMPABLE, 0\\), or changed its user or capabilities, e\\.g\\. setuid\\), so only root may attach to it: run dumpscope as root \\(sudo dumpscope capture ${prog.pid}\\)$`,
      ),
    );
    expect(filesIn(out)).toEqual([]);
  });

  it('as root (CAP_SYS_PTRACE), the same non-dumpable process is captured', async (ctx) => {
    if (!canSetpriv) ctx.skip();
    const exe = compile('non-dumpable', NON_DUMPABLE);
    const prog = await start('/usr/bin/setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', exe]);
    const out = path.join(work, 'root-dumpable');
    const r = runCli(['capture', String(prog.pid), '-o', out, '--json'], { index: tempIndex() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { dumps: string[] }).dumps).toHaveLength(1);
  });
});

describe('capture: not enough disk space', () => {
  it('refuses before writing when the folder cannot hold the dump (a 1 MiB tmpfs)', async (ctx) => {
    const dir = path.join(work, 'tiny');
    if (!isRoot || !mountTmpfs(dir, '1m')) ctx.skip(); // mounting needs root
    const prog = await start(compile('roles', ROLES));
    const r = runCli(['capture', String(prog.pid), '-o', dir], { index: tempIndex() });
    expectOneLineError(
      r,
      new RegExp(
        `^dumpscope: not enough space in ${dir} for a full dump of pid ${prog.pid} \\(roles\\): it needs about [0-9.]+ MiB \\(estimated from [0-9.]+ MiB of mapped memory, with a margin\\) but only 1\\.00 MiB is free; choose another folder with -o DIR$`,
      ),
    );
    expect(filesIn(dir)).toEqual([]);
  });

  it('removes the partial dump when the disk fills while gcore writes (estimate fooled by a fake statfs)', async (ctx) => {
    const dir = path.join(work, 'filling');
    if (!isRoot || !mountTmpfs(dir, '8m')) ctx.skip();
    const prog = await start(compile('big-heap', BIG_HEAP), ['64']);
    let err: unknown;
    try {
      await captureDumps(
        { pid: prog.pid, outDir: dir },
        {
          open: () => Promise.reject(new Error('must not be indexed')),
          // claims 1 TiB free, so gcore really starts and really hits ENOSPC
          statfs: () => ({ bavail: 2 ** 28, bsize: 4096 }),
        },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DumpscopeError);
    expect((err as DumpscopeError).code).toBe('NotEnoughSpace');
    expect((err as DumpscopeError).message).toMatch(
      new RegExp(`^no space left in ${dir} while gcore wrote the dump of pid ${prog.pid} \\(big-heap\\) \\([0-9.]+ MiB written\\); the incomplete dump was removed$`),
    );
    expect(filesIn(dir)).toEqual([]);
    expect(stateOf(prog.pid)).not.toBe('T');
  });
});

describe('capture: the process goes away or the user cancels', () => {
  it('a process killed while gcore writes its 2 GiB heap: CaptureFailed, nothing left', async () => {
    const prog = await start(compile('big-heap', BIG_HEAP), ['2048']);
    const out = path.join(work, 'killed');
    const cli = runCliAsync(['capture', String(prog.pid), '-o', out], tempIndex());
    // wait until gcore has written a good part, then kill the process from outside
    let partial = 0;
    for (let i = 0; i < 600 && partial < 64 * 1024 * 1024; i++) {
      await sleep(50);
      const f = filesIn(out).find((n) => n.includes('.partial'));
      partial = f ? fs.statSync(path.join(out, f)).size : 0;
    }
    expect(partial).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    prog.kill();
    const r = await cli.done;
    expectOneLineError(
      r,
      new RegExp(
        `^dumpscope: process ${prog.pid} \\(big-heap\\) exited during the capture \\(gcore had written [0-9.]+ [MG]iB of about [0-9.]+ GiB\\); the incomplete dump was removed$`,
      ),
    );
    expect(filesIn(out)).toEqual([]);
  });

  it('a process that exits between the two dumps: the error says the first dump is kept', async () => {
    const prog = await start(compile('roles', ROLES));
    const out = path.join(work, 'between');
    const cli = runCliAsync(['capture', String(prog.pid), '--twice', '--interval', '3s', '-o', out], tempIndex());
    // the first dump is complete once a file without ".partial" appears
    let first: string | undefined;
    for (let i = 0; i < 600 && !first; i++) {
      await sleep(50);
      first = filesIn(out).find((n) => !n.includes('.partial'));
    }
    expect(first).toBeDefined();
    prog.kill();
    const r = await cli.done;
    expectOneLineError(
      r,
      new RegExp(`^dumpscope: (no process with pid ${prog.pid} .*|process ${prog.pid} \\(roles\\) has already exited .*) \\(second dump; the first is kept: ${path.join(out, first ?? '')}\\)$`),
    );
    expect(filesIn(out)).toEqual([first]);
  });

  it('a cancelled capture stops gcore, removes the partial dump and leaves the process running', async () => {
    const prog = await start(compile('big-heap', BIG_HEAP), ['2048']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-cancel-'));
    const service = new DumpscopeService({ indexPath: path.join(dir, 'index.sqlite'), sampleDir: null });
    const out = path.join(dir, 'out');
    try {
      const pending = service.captureDump({ pid: prog.pid, outDir: out, jobId: 'cap-1' });
      for (let i = 0; i < 600 && !filesIn(out).some((n) => n.includes('.partial') && fs.statSync(path.join(out, n)).size > 16 * 1024 * 1024); i++) await sleep(50);
      expect(await service.cancelJob({ jobId: 'cap-1' })).toEqual({ cancelled: true });
      await expect(pending).rejects.toMatchObject({
        code: 'Cancelled',
        message: `capture of pid ${prog.pid} (big-heap) cancelled; the incomplete dump was removed`,
      });
      expect(filesIn(out)).toEqual([]);
      await sleep(300);
      // gdb was stopped mid-dump; the process must not stay stopped
      expect(['S', 'R']).toContain(stateOf(prog.pid));
      expect(await service.listDumps({})).toEqual([]);
    } finally {
      await service.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
