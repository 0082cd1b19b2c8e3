// The CoreCLR rules on real transcripts (test/fixtures/transcripts, provenance in its README).
import { describe, expect, it } from 'vitest';
import {
  findMonitorWait,
  findNativeLockWait,
  findPrestub,
  findSuspension,
  fromGdb,
  fromLldb,
  isCooperative,
  type GdbBacktraceThread,
  type LldbBacktraceThread,
  type ParsedTranscript,
} from '../../../main/core/dotnet/index';
import { commandOf, parsedFixture } from './fixtures';

/** Every lldb backtrace of a transcript; a thread printed twice (`thread select`, then `bt`) keeps its longer copy. */
function lldbThreads(t: ParsedTranscript): LldbBacktraceThread[] {
  const best = new Map<number, LldbBacktraceThread>();
  for (const c of t.commands) {
    if (c.kind !== 'lldb-backtrace' && c.kind !== 'lldb-thread-select') continue;
    for (const th of c.result.threads) if ((best.get(th.index)?.frames.length ?? -1) < th.frames.length) best.set(th.index, th);
  }
  return [...best.values()];
}

/** The threads of `thread apply all bt` (not the frame gdb prints when it loads the core). */
function gdbThreads(t: ParsedTranscript): GdbBacktraceThread[] {
  return t.commands.flatMap((c) => (c.kind === 'gdb-backtrace' ? c.result.threads : [])).filter((th) => th.number !== null);
}

describe('runtime suspension', () => {
  it('finds ThreadSuspend::SuspendRuntime under ReJitManager in the article\'s symbolized backtrace of thread #1', () => {
    const [t1] = lldbThreads(parsedFixture('article-lldb-symbols-backtrace.txt'));
    const m = findSuspension(fromLldb(t1));
    expect(m).not.toBeNull();
    expect(m!.reason).toBe('ReJIT');
    expect(m!.frame).toMatchObject({ index: 9, function: 'ThreadSuspend::SuspendRuntime', module: 'libcoreclr.so' });
    expect(m!.frames.map((f) => `#${f.index} ${f.function}`)).toEqual([
      '#9 ThreadSuspend::SuspendRuntime',
      '#10 ThreadSuspend::SuspendEE',
      '#11 ReJitManager::UpdateActiveILVersions',
      '#12 ProfToEEInterfaceImpl::RequestReJIT',
    ]);
  });

  it('cannot see it in the same thread without libcoreclr symbols (___lldb_unnamed_symbol frames)', () => {
    const [t1] = lldbThreads(parsedFixture('article-lldb-session.txt'));
    expect(t1.index).toBe(1);
    const s = fromLldb(t1);
    expect(s.frames.filter((f) => f.module === 'libcoreclr.so').every((f) => f.function === null)).toBe(true);
    expect(findSuspension(s)).toBeNull();
  });
});

describe('native lock waits from frames', () => {
  it('thread #16: __lll_lock_wait … std::lock_guard, taken in trace::CorProfiler::AssemblyLoadFinished', () => {
    const t16 = lldbThreads(parsedFixture('article-lldb-session.txt')).find((t) => t.index === 16)!;
    const m = findNativeLockWait(fromLldb(t16));
    expect(m).not.toBeNull();
    expect(m!.lockFrames.map((f) => f.function)).toEqual([
      '__lll_lock_wait',
      '__GI___pthread_mutex_lock',
      '__gthread_mutex_lock',
      'std::mutex::lock',
      'std::lock_guard<std::mutex>::lock_guard',
    ]);
    expect(m!.caller).toMatchObject({ index: 5, function: 'trace::CorProfiler::AssemblyLoadFinished', module: 'Datadog.Trace.ClrProfiler.Native.so' });
    // lldb printed no arguments here: the mutex's address is not in the text.
    expect(m!.address).toBeNull();
  });

  it('reads the mutex address and symbol from gdb\'s arguments, and the address from lldb\'s', () => {
    const gdb = gdbThreads(parsedFixture('gdb-core-O0.txt'));
    const waits = gdb.map((t) => findNativeLockWait(fromGdb(t))).filter((m) => m !== null);
    expect(waits.map((m) => [m!.symbol, m!.caller?.function])).toEqual([
      ['lock_a', 'take_second'],
      ['lock_b', 'take_second'],
    ]);
    const lldb = lldbThreads(parsedFixture('lldb-core-O0.txt'));
    const lw = lldb.map((t) => findNativeLockWait(fromLldb(t))).filter((m) => m !== null);
    expect(lw.map((m) => m!.address)).toEqual(waits.map((m) => m!.address).reverse());
    expect(lw.every((m) => m!.symbol === null)).toBe(true);
  });

  it('a thread in a condition variable or in pause() is not a mutex wait', () => {
    const gdb = gdbThreads(parsedFixture('gdb-core-O0.txt'));
    const main = gdb.find((t) => t.number === 1)!;
    expect(findNativeLockWait(fromGdb(main))).toBeNull();
  });
});

describe('prestub and monitors from clrstack', () => {
  it('a PrestubMethodFrame on top of c79\'s managed stack: Create(System.Uri) is being prepared', () => {
    const cs = commandOf(parsedFixture('article-dotnet-dump-session.txt'), 'clrstack').result.threads[0];
    expect(cs.tid).toBe(3193);
    const m = findPrestub(cs.frames, null);
    expect(m).toMatchObject({ method: 'Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create(System.Uri)', nativeFrame: null });
  });

  it('Monitor.ReliableEnter under a HelperMethodFrame_1OBJ (clrstack -all) and Monitor.Enter (setthread/clrstack)', () => {
    const all = commandOf(parsedFixture('diagnostics-hung-app-clrstack-all.txt'), 'clrstack').result.threads.filter((t) => t.frames.length > 0);
    expect(all.length).toBeGreaterThan(3);
    for (const t of all) expect(findMonitorWait(t.frames, null)?.managedFrame?.frameType).toBe('HelperMethodFrame_1OBJ');
    const one = commandOf(parsedFixture('diagnostics-hung-app-setthread-clrstack.txt'), 'clrstack').result.threads[0];
    const m = findMonitorWait(one.frames, null);
    expect(m?.managedFrame?.method).toBe('System.Threading.Monitor.Enter(System.Object)');
    expect(m?.objectAddress).toBeNull();
  });

  it('the article\'s thread c79 is not in a monitor', () => {
    const cs = commandOf(parsedFixture('article-dotnet-dump-session.txt'), 'clrstack').result.threads[0];
    expect(findMonitorWait(cs.frames, null)).toBeNull();
  });
});

describe('GC mode', () => {
  it('reads the current and the oldest clrthreads layouts', () => {
    const rows = commandOf(parsedFixture('article-dotnet-dump-session.txt'), 'clrthreads').result.rows;
    expect(rows.filter((r) => isCooperative(r.gcMode)).map((r) => r.osid)).toEqual(['c79']);
    const old = commandOf(parsedFixture('sosdocs-clrthreads-old.txt'), 'clrthreads').result.rows;
    // "PreEmptive GC: Disabled" is cooperative mode.
    expect(old.map((r) => [r.gcMode, isCooperative(r.gcMode)])).toEqual([
      ['Disabled', true],
      ['Enabled', false],
    ]);
    expect(isCooperative(null)).toBeNull();
  });
});
