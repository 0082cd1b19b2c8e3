// The debuggers run on real cores made here: lldb and gdb in batch and in interactive sessions,
// through the API (transcripts stored, parsed, merged with the dump's threads by tid), and the
// runEngine wrapper's errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DumpscopeService } from '../../../main/api';
import { EngineError, EngineMissingError, engineStatus, findEngine, lldbEnvironment, requireEngine, runEngine } from '../../../main/core/engines';
import { isDumpscopeError } from '../../../main/core/errors';
import { captureCore, compile, haveTool, type Captured } from '../../helpers/native';
import { runCli, tempIndex } from '../../helpers/cli';
import * as P from '../../helpers/lock-programs';
import { type DumpSummary } from '../../../shared/types';

async function failure(p: Promise<unknown>): Promise<EngineError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('runEngine', () => {
  it('returns what the tool printed; fails with the args, the exit code and stderr', async () => {
    const ok = await runEngine({ tool: 'sh', args: ['-c', 'echo out; echo err >&2'], timeoutMs: 10_000 });
    expect(ok).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 0, truncated: false });
    const e = await failure(runEngine({ tool: 'sh', args: ['-c', 'echo oops >&2; exit 3'], timeoutMs: 10_000 }));
    expect(e).toMatchObject({ code: 'EngineFailed', exitCode: 3, stderr: 'oops\n', args: ['-c', 'echo oops >&2; exit 3'] });
    expect(e.message).toBe('sh exited with code 3 (-c echo oops >&2; exit 3): oops');
    const accepted = await runEngine({ tool: 'sh', args: ['-c', 'exit 3'], timeoutMs: 10_000, successExitCodes: [0, 3] });
    expect(accepted.exitCode).toBe(3);
    const merged = await runEngine({ tool: 'sh', args: ['-c', 'echo a; echo b >&2; echo c'], timeoutMs: 10_000, mergeStderr: true });
    expect(merged.stdout).toBe('a\nb\nc\n');
  });

  it('stops a tool that runs too long, or when cancelled', async () => {
    const t0 = Date.now();
    const e = await failure(runEngine({ tool: 'sleep', args: ['30'], timeoutMs: 200 }));
    expect(e.code).toBe('Timeout');
    expect(e.message).toBe('sleep did not finish within 200 ms (30)');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    expect((await failure(runEngine({ tool: 'sleep', args: ['30'], timeoutMs: 60_000, signal: ac.signal }))).code).toBe('Cancelled');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('names a missing debugger and how to install it', async () => {
    const e = await runEngine({ tool: '/nonexistent/lldb', args: [], timeoutMs: 1000, engine: 'lldb' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EngineMissingError);
    expect((e as EngineMissingError).message).toBe(
      'lldb is not installed (/nonexistent/lldb: no such file): install it with your package manager (Debian/Ubuntu: sudo apt-get install lldb; Fedora: sudo dnf install lldb), or set DUMPSCOPE_LLDB to its path',
    );
    expect(() => requireEngine('gdb', { gdb: '/nonexistent/gdb' })).toThrow(/^gdb is not installed \(\/nonexistent\/gdb is not an executable file\): install it with your package manager/);
    expect(() => requireEngine('dotnet-dump', {}, { PATH: '/nonexistent', HOME: '/nonexistent' })).toThrow(
      'dotnet-dump is not installed (not on PATH): install it with `dotnet tool install --global dotnet-dump` (needs the .NET SDK; it lands in ~/.dotnet/tools), or set DUMPSCOPE_DOTNET_DUMP to its path',
    );
  });

  it('lists which debuggers are here', () => {
    const st = engineStatus({}, { PATH: process.env.PATH, HOME: '/nonexistent' });
    expect(st.map((s) => s.engine)).toEqual(['dotnet-dump', 'lldb', 'gdb']);
    expect(st.find((s) => s.engine === 'gdb')?.available).toBe(haveTool('gdb'));
    expect(st.find((s) => s.engine === 'lldb')?.available).toBe(haveTool('lldb'));
    const dd = st.find((s) => s.engine === 'dotnet-dump')!;
    if (!dd.available) expect(dd.installHint).toMatch(/dotnet tool install --global dotnet-dump/);
  });
});

describe.skipIf(!haveTool('lldb'))('lldb on Debian 12', () => {
  it('gets the PYTHONPATH its Python package needs (no tracebacks)', () => {
    const lldb = findEngine('lldb')!;
    const real = fs.realpathSync(lldb);
    const m = /^(\/usr\/lib\/llvm-\d+)\/bin\/lldb$/.exec(real);
    if (!m) return; // another install: nothing to fix
    const env = lldbEnvironment(lldb, { PYTHONPATH: '' });
    expect(env.PYTHONPATH).toMatch(new RegExp(`^${m[1]}/lib/python3[.\\d]*/dist-packages$`));
    expect(fs.existsSync(path.join(env.PYTHONPATH!, 'lldb'))).toBe(true);
  });
});

describe.skipIf(!haveTool('lldb') || !haveTool('gdb'))('lldb and gdb on a core made here, through the API', () => {
  let c: Captured;
  let dir: string;
  let s: DumpscopeService;
  let dump: DumpSummary;
  const index = tempIndex();
  beforeAll(async () => {
    const exe = compile('lockorder-engines', P.LOCK_ORDER_DEADLOCK);
    c = await captureCore(exe, { settleMs: 400 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-engines-'));
    s = new DumpscopeService({ indexPath: index, sampleDir: null });
    dump = await s.openDump({ path: c.core });
  });
  afterAll(async () => {
    await s?.close();
    c?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs lldb in batch: the transcript is stored, parsed, and its thread numbers merged by tid', async () => {
    const r = await s.runEngineBatch({ dumpId: dump.id, engine: 'lldb' });
    expect(r.transcript).toMatchObject({ source: 'lldb', mode: 'batch', host: 'lldb', name: 'lldb: thread list, bt all' });
    expect(r.transcript.commands.filter((x) => x.kind !== 'unknown').map((x) => `${x.command} -> ${x.kind}`)).toEqual(['thread list -> lldb-thread-list', 'bt all -> lldb-backtrace']);
    const text = (await s.getTranscript({ transcriptId: r.transcript.id })).text;
    expect(text).not.toMatch(/Traceback|ModuleNotFoundError/);
    expect(text).toMatch(/^\(lldb\) thread list$/m);
    const threads = await s.listThreads({ dumpId: dump.id });
    expect(r.threads.threads.map((t) => [t.tid, t.lldbIndex])).toEqual(threads.map((t) => [t.tid, t.index]));
    expect(r.threads.warnings).toEqual([]);
  });

  it('runs gdb in batch: every thread gets its gdb number, and the dump still proves the deadlock', async () => {
    const r = await s.runEngineBatch({ dumpId: dump.id, engine: 'gdb' });
    expect(r.transcript).toMatchObject({ source: 'gdb', mode: 'batch', host: 'gdb' });
    // gdb prints the current frame when it loads the core (a bare backtrace block), then our two commands.
    expect(r.transcript.commands.filter((x) => x.kind !== 'unknown').map((x) => `${x.command} -> ${x.kind}`)).toEqual([
      'null -> gdb-backtrace',
      'info threads -> gdb-info-threads',
      'thread apply all bt -> gdb-backtrace',
    ]);
    expect(r.threads.threads.every((t) => t.gdbNumber !== null && t.lldbIndex === t.index)).toBe(true);
    expect(r.threads.threads.map((t) => t.sources.slice(0, 2))).toEqual(r.threads.threads.map(() => ['dump', 'lldb-thread-list']));
    // The runtime-aware graph keeps the dump's proven deadlock, in the native wording.
    const native = s.index.locks(dump.id);
    expect(r.locks.cycles).toEqual(native.cycles);
    expect(r.locks.verdict.summary).toBe(native.verdict.summary);
    expect(r.locks.verdict.deadlock).toBe(true);
    expect((await s.getLocks({ dumpId: dump.id })).verdict.summary).toBe(native.verdict.summary);
  });

  it('keeps an interactive lldb session: one command at a time, its transcript stored as it grows', async () => {
    const first = await s.runEngineCommand({ dumpId: dump.id, engine: 'lldb', command: 'thread list' });
    expect(first.output).toMatch(new RegExp(`tid = ${c.tids.get('main')}\\b`));
    expect(first.output).not.toMatch(/dumpscope-end/);
    const sel = await s.runEngineCommand({ dumpId: dump.id, engine: 'lldb', command: 'thread select 2' });
    const bt = await s.runEngineCommand({ dumpId: dump.id, engine: 'lldb', command: 'bt' });
    expect(bt.transcriptId).toBe(first.transcriptId);
    expect(`${sel.output}${bt.output}`).toMatch(/thread #2/);
    expect(bt.output).toMatch(/pthread_mutex_lock/);
    const bad = await s.runEngineCommand({ dumpId: dump.id, engine: 'lldb', command: 'no-such-command' });
    expect(bad.output).toBe("error: 'no-such-command' is not a valid command.\n");
    const t = await s.getTranscript({ transcriptId: first.transcriptId });
    expect(t).toMatchObject({ source: 'lldb', mode: 'session', host: 'lldb' });
    // lldb echoes the target it creates at start-up, then each command.
    expect(t.commands.filter((x) => x.command !== null).map((x) => x.command)).toEqual([
      `target create "${dump.executable}" --core "${c.core}"`,
      'thread list',
      'thread select 2',
      'bt',
      'no-such-command',
    ]);
    expect(t.text).not.toMatch(/dumpscope-end/);
  });

  it('keeps an interactive gdb session apart, and refuses commands that would run programs here', async () => {
    const r = await s.runEngineCommand({ dumpId: dump.id, engine: 'gdb', command: 'info threads' });
    expect(r.output).toMatch(/^\s+Id\s+Target Id\s+Frame/m);
    expect(r.output).not.toMatch(/\(gdb\)|__dumpscope_end/);
    const e = await s.runEngineCommand({ dumpId: dump.id, engine: 'gdb', command: 'shell id' }).catch((x: unknown) => x);
    expect(isDumpscopeError(e) && e.code).toBe('BadRequest');
    expect((e as Error).message).toBe('"shell" would run programs or scripts on this machine; dumpscope\'s console does not pass it to gdb');
    const t = await s.getTranscript({ transcriptId: r.transcriptId });
    expect(t.text).toMatch(/^\(gdb\) info threads\n\s+Id\s+Target Id/m);
    expect(await s.closeEngineSession({ dumpId: dump.id, engine: 'gdb' })).toEqual({ closed: true });
    expect(await s.closeEngineSession({ dumpId: dump.id, engine: 'gdb' })).toEqual({ closed: false });
    // A command after closing starts a new session (and a new transcript).
    const again = await s.runEngineCommand({ dumpId: dump.id, engine: 'gdb', command: 'info threads' });
    expect(again.transcriptId).not.toBe(r.transcriptId);
    const listed = await s.listTranscripts({ dumpId: dump.id });
    expect(listed.map((x) => [x.source, x.mode])).toEqual([
      ['lldb', 'batch'],
      ['gdb', 'batch'],
      ['lldb', 'session'],
      ['gdb', 'session'],
      ['gdb', 'session'],
    ]);
  });

  it('dumpscope import --run gdb prints the same identities from the CLI', () => {
    const r = runCli(['import', '--dump', c.core, '--run', 'gdb', '--json'], { index });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { threads: { tid: number; index: number; gdbNumber: number | null }[] };
    expect(doc.threads.map((t) => t.tid).sort()).toEqual([...c.tids.values()].sort());
    expect(doc.threads.every((t) => t.gdbNumber !== null)).toBe(true);
  });
});
