import { describe, it, expect } from 'vitest';
import { buildThreadIdentities, parseTranscript } from '../../../main/core/dotnet/index';
import { fixture, parsedFixture } from './fixtures';

describe('buildThreadIdentities', () => {
  it('joins the article\'s dotnet-dump and lldb sessions by tid: DBG 15 = OSID c79 = tid 3193 = lldb #16', () => {
    const result = buildThreadIdentities([parsedFixture('article-dotnet-dump-session.txt'), parsedFixture('article-lldb-session.txt')], { stateLayout: 'coreclr' });
    expect(result.host).toBe('dotnet-dump');
    const c79 = result.threads.find((t) => t.tid === 3193);
    expect(c79).toMatchObject({
      tid: 3193,
      osid: 'c79',
      dotnetDumpIndex: 15,
      lldbIndex: 16,
      managedId: 6,
      gcMode: 'Cooperative',
      lockCount: 0,
      apartment: 'Ukn',
      roles: ['Threadpool Worker'],
      state: 0x1021222,
      threadObj: '0x559ea2e8b990',
    });
    expect(c79?.stateWords).toContain('GC suspension pending (the runtime waits for this thread to leave cooperative mode)');
    expect(c79?.sources.sort()).toEqual(['clrstack', 'clrthreads', 'lldb-backtrace', 'lldb-thread-list', 'lldb-thread-select', 'pstacks']);
    const main = result.threads.find((t) => t.tid === 3154);
    expect(main).toMatchObject({ osid: 'c52', dotnetDumpIndex: 0, lldbIndex: 1, managedId: 1, name: 'dotnet', roles: ['GC'] });
    // Every managed thread of the article: dotnet-dump DBG and lldb index come from different
    // tools and differ by one here — by coincidence of this dump, not by rule.
    const managed = result.threads.filter((t) => t.managedId !== null).map((t) => [t.osid, t.dotnetDumpIndex, t.lldbIndex]);
    expect(managed).toEqual([
      ['c52', 0, 1], ['c5b', 8, 9], ['c5d', 10, 11], ['c5e', 11, 12], ['c77', 13, 14], ['c79', 15, 16], ['c7a', 16, 17],
    ]);
    expect(result.threads).toHaveLength(17);
    expect(result.warnings).toEqual([]);
  });

  it('reads SOS DBG as lldb\'s index under lldb, never shifting it', () => {
    const r = buildThreadIdentities(parsedFixture('issue-runtime-66759-lldb-clrthreads.txt'));
    expect(r.host).toBe('lldb');
    expect(r.threads.map((t) => [t.osid, t.lldbIndex, t.dotnetDumpIndex, t.managedId])).toEqual([
      ['11224f', 1, null, 1], ['112269', 8, null, 2], ['11226a', 9, null, 3], ['1122f3', 10, null, 4], ['1122f6', 11, null, 5], ['11231f', 14, null, 6],
    ]);
  });

  it('does not map DBG from bare output of unknown host, and says so', () => {
    const r = buildThreadIdentities(parsedFixture('article-clrthreads-bare.txt'));
    expect(r.host).toBe('unknown');
    const c79 = r.threads.find((t) => t.osid === 'c79');
    expect(c79).toMatchObject({ tid: 3193, managedId: 6, dotnetDumpIndex: null, lldbIndex: null, windbgIndex: null });
    expect(r.warnings.map((w) => w.code)).toEqual(['AmbiguousDbg']);
  });

  it('uses the host the caller names for bare output', () => {
    const r = buildThreadIdentities(parseTranscript(fixture('article-clrthreads-bare.txt'), { host: 'dotnet-dump' }));
    expect(r.threads.find((t) => t.tid === 3193)?.dotnetDumpIndex).toBe(15);
    expect(r.warnings).toEqual([]);
  });

  it('keeps managed threads without an OS thread aside', () => {
    const r = buildThreadIdentities(parsedFixture('diagnostics-coredump-lldb-clrthreads.txt'));
    expect(r.threads.map((t) => [t.osid, t.managedId, t.lldbIndex])).toEqual([['1fbf31', 1, null], ['1fbf39', 2, null]]);
    const dead = buildThreadIdentities(parsedFixture('issue-coreclr-25478-lldb-clrthreads-tabs.txt'));
    expect(dead.threads.every((t) => t.lldbIndex === null)).toBe(true);
  });

  it('joins gdb info threads and backtraces: numbers, LWPs and names', () => {
    const r = buildThreadIdentities(parsedFixture('gdb-live-O0-names.txt'));
    expect(r.host).toBe('gdb');
    expect(r.threads.map((t) => [t.tid, t.osid, t.gdbNumber, t.name])).toEqual([
      [10681, '29b9', 1, 'deadlock'], [10683, '29bb', 2, 'worker-ab'], [10684, '29bc', 3, 'worker-ba'], [10685, '29bd', 4, 'sleeper'],
    ]);
  });

  it('joins syncblk owners and dotnet-dump threads by tid (tutorial)', () => {
    const r = buildThreadIdentities([
      parsedFixture('diagnostics-hung-app-threads.txt'),
      parsedFixture('diagnostics-hung-app-syncblk.txt'),
      parsedFixture('diagnostics-hung-app-setthread-clrstack.txt'),
    ]);
    expect(r.threads.find((t) => t.osid === '1dc1d')).toMatchObject({ tid: 121885, dotnetDumpIndex: 20, threadObj: '0x7f2b542d28c0' });
    expect(r.threads.find((t) => t.osid === '1dc1e')).toMatchObject({ tid: 121886, dotnetDumpIndex: 21 });
    expect(r.warnings).toEqual([]);
  });

  it('warns when two sources give one thread different indexes', () => {
    // The article's clrthreads read as if lldb had printed it (wrong host): DBG 15 would claim
    // lldb #15, which the lldb thread list gives to tid 3192.
    const wrong = parseTranscript(fixture('article-clrthreads-bare.txt'), { host: 'lldb' });
    const r = buildThreadIdentities([wrong, parsedFixture('article-lldb-session.txt')]);
    expect(r.warnings.filter((w) => w.code === 'ConflictingIdentity').length).toBeGreaterThan(0);
  });
});
