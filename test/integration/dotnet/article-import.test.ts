// The seed article end to end through `dumpscope import`: its dotnet-dump session, its lldb
// session and its symbolized backtrace (real outputs, test/fixtures/transcripts/README.md) give
// one identity row per thread and the runtime-aware wait-for graph, with the owner of the native
// mutex named as likely, not as proven.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, tempIndex } from '../../helpers/cli';
import { type LockGraph } from '../../../shared/types';

const DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'transcripts');
const ARTICLE = ['article-dotnet-dump-session.txt', 'article-lldb-session.txt', 'article-lldb-symbols-backtrace.txt'].map((f) => path.join(DIR, f));

interface ImportDoc {
  schemaVersion: number;
  dump: null;
  transcript: { host: string; names: string[]; commands: { command: string | null; kind: string; host: string; transcript: string }[] };
  transcripts: { id: number; name: string; host: string; source: string; mode: string }[];
  threads: {
    tid: number;
    osid: string;
    dbg: number | null;
    index: number | null;
    lldbIndex: number | null;
    dotnetDumpIndex: number | null;
    managedId: number | null;
    gcMode: string | null;
    name: string | null;
    roles: string[];
    stateWords: string[];
    runtimeRole: string | null;
    inDump: boolean | null;
  }[];
  locks: LockGraph;
  warnings: string[];
}

const VERDICT =
  'Likely deadlock: thread #1 (tid 3154) suspends the runtime for a ReJIT and waits for thread #16 (tid 3193), the only thread in cooperative mode, ' +
  'which waits for a native mutex in trace::CorProfiler::AssemblyLoadFinished that thread #1 probably holds ' +
  "(not provable from a transcript; the dump's `__owner` would prove it).";

describe('dumpscope import of the article\'s transcripts', () => {
  const index = tempIndex();
  const r = runCli(['import', ...ARTICLE, '--json'], { index });
  const doc = JSON.parse(r.stdout) as ImportDoc;

  it('exits 0 with one JSON document and nothing on stderr', () => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.dump).toBeNull();
  });

  it('lists the commands of each transcript with their kind and host', () => {
    expect(doc.transcript.names).toEqual(['article-dotnet-dump-session.txt', 'article-lldb-session.txt', 'article-lldb-symbols-backtrace.txt']);
    const typed = doc.transcript.commands.filter((c) => c.kind !== 'unknown').map((c) => `${c.host} ${c.command} -> ${c.kind}`);
    expect(typed).toEqual([
      'dotnet-dump pstacks -> pstacks',
      'dotnet-dump clrthreads -> clrthreads',
      'dotnet-dump setthread 15 -> setthread',
      'dotnet-dump setthread -t 3193 -> setthread',
      'dotnet-dump clrstack -> clrstack',
      'dotnet-dump name2ee Datadog.Trace.dll Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create -> name2ee',
      'dotnet-dump dumpmt -md 00007f28279df908 -> dumpmt',
      'lldb thread backtrace -> lldb-backtrace',
      'lldb thread list -> lldb-thread-list',
      'lldb thread select 16 -> lldb-thread-select',
      'lldb thread backtrace -> lldb-backtrace',
      'lldb thread backtrace -> lldb-backtrace',
    ]);
    expect(doc.transcripts.map((t) => [t.name, t.host, t.source, t.mode])).toEqual([
      ['article-dotnet-dump-session.txt', 'dotnet-dump', 'import', 'text'],
      ['article-lldb-session.txt', 'lldb', 'import', 'text'],
      ['article-lldb-symbols-backtrace.txt', 'lldb', 'import', 'text'],
    ]);
  });

  it('merges every identity of the article\'s threads by tid: DBG 15 = OSID c79 = tid 3193 = lldb #16', () => {
    const t = (tid: number) => doc.threads.find((x) => x.tid === tid)!;
    expect(t(3154)).toMatchObject({ tid: 3154, osid: 'c52', index: 1, dbg: 0, lldbIndex: 1, dotnetDumpIndex: 0, managedId: 1, gcMode: 'Preemptive', name: 'dotnet', roles: ['GC'], runtimeRole: 'suspends the runtime for a ReJIT' });
    expect(t(3193)).toMatchObject({ tid: 3193, osid: 'c79', index: 16, dbg: 15, lldbIndex: 16, dotnetDumpIndex: 15, managedId: 6, gcMode: 'Cooperative', roles: ['Threadpool Worker'] });
    expect(t(3193).runtimeRole).toBe(
      'in cooperative mode and blocked (waits for a native mutex in trace::CorProfiler::AssemblyLoadFinished (std::lock_guard<std::mutex>)): it blocks the runtime suspension',
    );
    expect(t(3193).stateWords[0]).toBe('GC suspension pending (the runtime waits for this thread to leave cooperative mode)?');
    expect(doc.threads.map((x) => x.index)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(doc.threads.filter((x) => x.gcMode === 'Cooperative').map((x) => x.tid)).toEqual([3193]);
    expect(doc.threads.every((x) => x.inDump === null)).toBe(true);
  });

  it('draws the wait-for graph: proven edges from frames and clrthreads, the holder as likely', () => {
    const edges = doc.locks.edges.map((e) => [e.from, e.kind, e.to, e.proven]);
    expect(edges).toEqual([
      ['thread:3154', 'waits', 'runtime:suspension-3154', true],
      ['runtime:suspension-3154', 'waits-for-suspension', 'thread:3193', true],
      ['thread:3193', 'waits', 'mutex:unknown-3193', true],
      ['mutex:unknown-3193', 'likely-held-by', 'thread:3154', false],
    ]);
    expect(doc.locks.edges[0].evidence.map((e) => e.text)).toEqual([
      'lldb frame #9 libcoreclr.so`ThreadSuspend::SuspendRuntime: the runtime suspension loop',
      'lldb frame #10 libcoreclr.so`ThreadSuspend::SuspendEE: suspension path',
      'lldb frame #11 libcoreclr.so`ReJitManager::UpdateActiveILVersions: why it suspends for a ReJIT',
      'lldb frame #12 libcoreclr.so`ProfToEEInterfaceImpl::RequestReJIT: suspension path',
    ]);
    expect(doc.locks.edges[2].evidence.map((e) => e.text).at(-1)).toBe('lldb frame #5 Datadog.Trace.ClrProfiler.Native.so`trace::CorProfiler::AssemblyLoadFinished: takes the lock');
    expect(doc.locks.cycles).toEqual([]);
    expect(doc.locks.likelyCycles).toEqual([[3154, 3193]]);
  });

  it('says it in plain words', () => {
    expect(doc.locks.verdict).toMatchObject({ deadlock: false, likely: true, summary: VERDICT });
    const text = runCli(['import', ...ARTICLE], { index });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(VERDICT);
    expect(text.stdout).toMatch(/^16\s+15\s+3193\s+c79\s+-\s+6\s+Cooperative\s/m);
    expect(text.stdout).toContain('native mutex in trace::CorProfiler::AssemblyLoadFinished is probably held by thread #1 (tid 3154) (not proven)');
  });

  it('keeps the transcripts in the index: importing them again stores nothing new', () => {
    const again = JSON.parse(runCli(['import', ...ARTICLE, '--json'], { index }).stdout) as ImportDoc;
    expect(again.transcripts.map((t) => t.id)).toEqual(doc.transcripts.map((t) => t.id));
    expect(again.locks.verdict.summary).toBe(VERDICT);
  });
});

describe('dumpscope import: bad input', () => {
  const index = tempIndex();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-import-'));

  it('a missing file: one line naming it, exit 1', () => {
    const missing = path.join(dir, 'nope.txt');
    const r = runCli(['import', missing], { index });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`dumpscope: ${missing}: no such file\n`);
  });

  it('a binary file is not a transcript; nothing is stored when one file of several is bad', () => {
    const bin = path.join(dir, 'core.bin');
    fs.writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]));
    const r = runCli(['import', ARTICLE[0], bin, '--json'], { index });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`dumpscope: ${bin}: is binary, not a debugger transcript (a NUL byte at offset 7)\n`);
    const empty = path.join(dir, 'empty.txt');
    fs.writeFileSync(empty, '  \n');
    const e = runCli(['import', empty], { index });
    expect(e.code).toBe(1);
    expect(e.stderr).toBe('dumpscope: empty.txt: the transcript is empty\n');
  });

  it('an unknown --host or --run, or --run without --dump', () => {
    expect(runCli(['import', ARTICLE[0], '--host', 'cdb'], { index }).stderr).toBe('dumpscope: --host cdb: expected one of dotnet-dump, lldb, gdb, windbg, unknown\n');
    expect(runCli(['import', '--run', 'lldb'], { index }).stderr).toBe('dumpscope: --run needs --dump: the debugger runs on a dump\n');
    expect(runCli(['import'], { index }).code).toBe(1);
  });
});
