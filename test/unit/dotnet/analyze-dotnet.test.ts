// The merged identity table and the runtime-aware wait-for graph from real transcripts alone
// (no dump): the article's three sessions, parts of them, the dotnet/diagnostics hung-app
// tutorial (Monitor deadlock) and a gdb session of a native deadlock made here.
import { describe, expect, it } from 'vitest';
import { analyzeDotnet, stateLayoutOf } from '../../../main/core/dotnet/index';
import { parsedFixture } from './fixtures';

const ARTICLE = ['article-dotnet-dump-session.txt', 'article-lldb-session.txt', 'article-lldb-symbols-backtrace.txt'];
const analyze = (...files: string[]) => analyzeDotnet(files.map(parsedFixture), null);
const edgeList = (r: ReturnType<typeof analyze>) => r.locks.edges.map((e) => `${e.from} ${e.kind}${e.proven ? '' : ' (likely)'} ${e.to}`);

describe("the article's transcripts together", () => {
  const r = analyze(...ARTICLE);

  it('gives every managed thread all its identities, merged by tid', () => {
    const managed = r.threads.threads.filter((t) => t.managedId !== null);
    expect(managed.map((t) => ({ tid: t.tid, osid: t.osid, index: t.index, dbg: t.dbg, managedId: t.managedId, gcMode: t.gcMode }))).toEqual([
      { tid: 3154, osid: 'c52', index: 1, dbg: 0, managedId: 1, gcMode: 'Preemptive' },
      { tid: 3163, osid: 'c5b', index: 9, dbg: 8, managedId: 2, gcMode: 'Preemptive' },
      { tid: 3165, osid: 'c5d', index: 11, dbg: 10, managedId: 3, gcMode: 'Preemptive' },
      { tid: 3166, osid: 'c5e', index: 12, dbg: 11, managedId: 4, gcMode: 'Preemptive' },
      { tid: 3191, osid: 'c77', index: 14, dbg: 13, managedId: 5, gcMode: 'Preemptive' },
      { tid: 3193, osid: 'c79', index: 16, dbg: 15, managedId: 6, gcMode: 'Cooperative' },
      { tid: 3194, osid: 'c7a', index: 17, dbg: 16, managedId: 7, gcMode: 'Preemptive' },
    ]);
    // lldb lists 17 threads; a native-only thread has lldb's index and no DBG (never index - 1).
    expect(r.threads.threads).toHaveLength(17);
    expect(r.threads.threads.find((t) => t.tid === 3156)).toMatchObject({ index: 2, dbg: null, managedId: null, inDump: null });
    expect(r.threads.threads.find((t) => t.tid === 3154)).toMatchObject({ name: 'dotnet', roles: ['GC'], runtimeRole: 'suspends the runtime for a ReJIT' });
    expect(r.threads.threads.find((t) => t.tid === 3193)?.runtimeRole).toBe(
      'in cooperative mode and blocked (waits for a native mutex in trace::CorProfiler::AssemblyLoadFinished (std::lock_guard<std::mutex>)): it blocks the runtime suspension',
    );
    expect(r.threads.warnings).toEqual([]);
  });

  it('builds the suspension -> cooperative thread -> mutex -> likely holder cycle, proven edges apart from the likely one', () => {
    expect(edgeList(r)).toEqual([
      'thread:3154 waits runtime:suspension-3154',
      'runtime:suspension-3154 waits-for-suspension thread:3193',
      'thread:3193 waits mutex:unknown-3193',
      'mutex:unknown-3193 likely-held-by (likely) thread:3154',
    ]);
    expect(r.locks.nodes.map((n) => [n.id, n.kind, n.label])).toEqual([
      ['thread:3154', 'thread', 'thread #1 (tid 3154)'],
      ['runtime:suspension-3154', 'runtime', 'runtime suspension for a ReJIT'],
      ['thread:3193', 'thread', 'thread #16 (tid 3193)'],
      ['mutex:unknown-3193', 'mutex', 'native mutex in trace::CorProfiler::AssemblyLoadFinished'],
    ]);
    expect(r.locks.cycles).toEqual([]);
    expect(r.locks.likelyCycles).toEqual([[3154, 3193]]);
    const cooperative = r.locks.edges.find((e) => e.kind === 'waits-for-suspension')!;
    expect(cooperative.evidence.map((e) => e.text)).toEqual([
      'SuspendRuntime waits until every thread in cooperative GC mode reaches a safe point or leaves cooperative mode',
      'clrthreads: 15    6      c79 0000559EA2E8B990  1021222 Cooperative 00007F2800062D28:00007F2800063FD0 0000559EA25C8590 0     Ukn (Threadpool Worker) — GC Mode Cooperative',
      'State 0x1021222 has TS_GCSuspendPending (0x2) in the .NET Core 2.x/3.x layout: the runtime has asked this thread to stop for the suspension',
    ]);
    const likely = r.locks.edges.find((e) => e.kind === 'likely-held-by')!;
    expect(likely.evidence).toHaveLength(1);
    expect(likely.evidence[0]).toMatchObject({ kind: 'rule' });
    expect(likely.evidence[0].text).toContain('trace::CorProfiler::ModuleLoadFinished → trace::CorProfiler::CallTarget_RequestRejitForModule');
  });

  it('says it in plain words: a likely deadlock, the holder named as likely, not as proven', () => {
    expect(r.locks.verdict).toMatchObject({ deadlock: false, likely: true });
    expect(r.locks.verdict.summary).toBe(
      'Likely deadlock: thread #1 (tid 3154) suspends the runtime for a ReJIT and waits for thread #16 (tid 3193), the only thread in cooperative mode, ' +
        'which waits for a native mutex in trace::CorProfiler::AssemblyLoadFinished that thread #1 probably holds ' +
        "(not provable from a transcript; the dump's `__owner` would prove it).",
    );
    expect(r.locks.verdict.details).toContain(
      'Thread #16 (tid 3193) has a PrestubMethodFrame on top of its managed stack: it waits for Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create(System.Uri) to be prepared (JIT); name2ee says it is not JITted yet.',
    );
    expect(r.locks.verdict.details[0]).toBe(
      'Thread #1 (tid 3154) suspends the runtime for a ReJIT (frame #9 ThreadSuspend::SuspendRuntime, frame #10 ThreadSuspend::SuspendEE, frame #11 ReJitManager::UpdateActiveILVersions, frame #12 ProfToEEInterfaceImpl::RequestReJIT) and waits for every thread in cooperative GC mode: thread #16 (tid 3193).',
    );
  });

  it('keeps the managed frames for merging into native stacks', () => {
    expect(r.managedStacks.map((m) => [m.tid, m.frames.length, m.frames[0].frameType])).toEqual([[3193, 19, 'PrestubMethodFrame']]);
  });
});

describe('parts of the article', () => {
  it('dotnet-dump alone: DBG from SOS, no lldb index, and the pending suspension read from the State word', () => {
    const r = analyze('article-dotnet-dump-session.txt');
    expect(r.threads.threads.find((t) => t.tid === 3193)).toMatchObject({ index: null, dbg: 15, dotnetDumpIndex: 15, lldbIndex: null });
    expect(r.locks.edges).toEqual([]);
    expect(r.locks.verdict.summary).toBe(
      'No proven deadlock: a runtime suspension is waiting (State TS_GCSuspendPending) for tid 3193 (DBG 15), in cooperative mode, which waits for Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create(System.Uri) to be prepared (JIT); name2ee says it is not JITted yet.',
    );
  });

  it('lldb alone: the suspension and the mutex are seen, but not which threads are cooperative', () => {
    const r = analyze('article-lldb-session.txt', 'article-lldb-symbols-backtrace.txt');
    expect(r.locks.verdict.summary).toBe('No proven deadlock: thread #1 (tid 3154) suspends the runtime for a ReJIT and waits for the threads in cooperative GC mode (not known without clrthreads).');
    expect(r.locks.verdict.details).toContain("Which threads are in cooperative GC mode is not known: SOS's clrthreads output (GC Mode column) would say.");
    expect(edgeList(r)).toEqual(['thread:3154 waits runtime:suspension-3154', 'thread:3193 waits mutex:unknown-3193', 'mutex:unknown-3193 likely-held-by (likely) thread:3154']);
  });

  it('without libcoreclr symbols no rule can see the suspension, and the verdict says why', () => {
    const r = analyze('article-lldb-session.txt');
    expect(r.locks.verdict.summary).toBe(
      'No proven deadlock: 1 thread waits on locks whose owners a transcript cannot show (a dump would: a mutex records its owner): thread #16 (tid 3193).',
    );
    expect(r.locks.verdict.details[0]).toMatch(/^One stack has libcoreclr\.so frames without names/);
  });
});

describe('Monitor waits (dotnet/diagnostics hung-app tutorial)', () => {
  const r = analyze('diagnostics-hung-app-threads.txt', 'diagnostics-hung-app-syncblk.txt', 'diagnostics-hung-app-setthread-clrstack.txt', 'diagnostics-hung-app-clrstack-all.txt');

  it('owners come from syncblk (proven), the monitor each owner waits for by elimination (likely)', () => {
    const mine = edgeList(r).filter((e) => e.includes('121885') || e.includes('121886'));
    expect(mine).toEqual([
      'thread:121885 waits (likely) mutex:0x7f2e90080fd0',
      'mutex:0x7f2e90080fd0 held-by thread:121886',
      'thread:121886 waits (likely) mutex:0x7f2e90080fb8',
      'mutex:0x7f2e90080fb8 held-by thread:121885',
    ]);
    expect(r.locks.likelyCycles).toEqual([[121885, 121886]]);
    expect(r.locks.verdict.summary).toBe(
      'Likely deadlock: tid 121885 (DBG 20) waits for the monitor of System.Object 0x7f2e90080fd0 (probably: the only other monitor with waiters in syncblk) held by tid 121886 (DBG 21), ' +
        'which waits for the monitor of System.Object 0x7f2e90080fb8 (probably: the only other monitor with waiters in syncblk) held by tid 121885.',
    );
  });

  it('waiters whose monitor cannot be told apart stay unattached to either', () => {
    const other = r.locks.edges.filter((e) => e.from === 'thread:121986');
    expect(other.map((e) => e.to)).toEqual(['mutex:unknown-121986']);
  });
});

describe('a native deadlock in a gdb transcript', () => {
  it('names the mutexes from the arguments gdb printed, and leaves their owners unknown', () => {
    const r = analyze('gdb-core-O0.txt');
    expect(edgeList(r)).toEqual(['thread:10683 waits mutex:0x558cb5371100', 'thread:10684 waits mutex:0x558cb53710c0']);
    expect(r.locks.nodes.filter((n) => n.kind === 'mutex').map((n) => n.label)).toEqual(['mutex lock_b', 'mutex lock_a']);
    expect(r.threads.threads.map((t) => [t.tid, t.gdbNumber])).toEqual([
      [10681, 1],
      [10683, 2],
      [10684, 3],
      [10685, 4],
    ]);
  });
});

describe('State layout by runtime version', () => {
  it('2.x/3.x read as the old layout, 8+ as the current one, others stay uncertain', () => {
    expect(['2.0.0-preview3-25510-01', '3.1.32', '6.0.36', '8.0.11', null].map(stateLayoutOf)).toEqual(['coreclr', 'coreclr', 'unknown', 'runtime', 'unknown']);
  });
});
