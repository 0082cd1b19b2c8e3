import { describe, it, expect } from 'vitest';
import { commandOf, parsedFixture } from './fixtures';

describe('parseLldbThreadList', () => {
  it('reads the article\'s thread list: #1 tid 3154 (dotnet, current) … #16 tid 3193 in __lll_lock_wait', () => {
    const r = commandOf(parsedFixture('article-lldb-session.txt'), 'lldb-thread-list').result;
    expect(r.processId).toBe(3154);
    expect(r.threads).toHaveLength(17);
    expect(r.threads.map((t) => t.tid)).toEqual([3154, 3156, 3157, 3158, 3159, 3160, 3161, 3162, 3163, 3164, 3165, 3166, 3167, 3191, 3192, 3193, 3194]);
    expect(r.threads[0]).toMatchObject({ index: 1, current: true, tid: 3154, name: 'dotnet', stopReason: 'signal SIGABRT', pc: '0x7f28a116e3f9' });
    expect(r.threads[0].frame).toMatchObject({ module: 'libpthread.so.0', function: '__pthread_cond_timedwait', offset: 761 });
    expect(r.threads[15]).toMatchObject({ index: 16, current: false, tid: 3193, name: null });
    expect(r.threads[15].frame).toMatchObject({ module: 'libpthread.so.0', function: '__lll_lock_wait', offset: 28 });
    expect(r.unparsed).toEqual([]);
  });

  it('reads hexadecimal tids (macOS) and names with file:line:col locations (Linux core)', () => {
    const mac = commandOf(parsedFixture('diagnostics-coredump-lldb-thread-list-macos.txt'), 'lldb-thread-list').result;
    expect(mac.processId).toBe(0);
    expect(mac.threads.map((t) => [t.index, t.tidRaw, t.tid])).toEqual([
      [1, '0x0000', 0], [2, '0x0001', 1], [3, '0x0002', 2], [4, '0x0003', 3], [5, '0x0004', 4], [6, '0x0005', 5], [7, '0x0006', 6],
    ]);
    const live = commandOf(parsedFixture('lldb-live-O2-names.txt'), 'lldb-thread-list').result;
    expect(live.threads.map((t) => [t.index, t.tid, t.name])).toEqual([
      [1, 10692, 'deadlock-o2'], [2, 10694, 'worker-ab'], [3, 10695, 'worker-ba'], [4, 10696, 'sleeper'],
    ]);
    expect(live.threads[1].frame).toMatchObject({ module: 'libc.so.6', function: '__GI___lll_lock_wait', file: 'futex-internal.h', line: 146, column: 13 });
  });
});

describe('parseLldbBacktrace', () => {
  it('reads the article\'s thread #1 backtrace with unnamed libcoreclr symbols and the [...] cut', () => {
    const r = commandOf(parsedFixture('article-lldb-session.txt'), 'lldb-backtrace', 0).result;
    expect(r.threads).toHaveLength(1);
    const t = r.threads[0];
    expect(t).toMatchObject({ index: 1, current: true, name: 'dotnet', stopReason: 'signal SIGABRT', truncated: true });
    expect(t.frames).toHaveLength(13);
    expect(t.frames[0]).toMatchObject({ index: 0, current: true, pc: '0x7f28a116e3f9', module: 'libpthread.so.0', function: '__pthread_cond_timedwait', offset: 761 });
    expect(t.frames[1]).toMatchObject({ module: 'libcoreclr.so', symbol: '___lldb_unnamed_symbol14084$$libcoreclr.so', unnamedSymbol: true, offset: 299 });
    expect(t.frames[10]).toMatchObject({
      module: 'Datadog.Trace.ClrProfiler.Native.so',
      function: 'trace::CorProfiler::CallTarget_RequestRejitForModule',
      offset: 4563,
      unnamedSymbol: false,
    });
  });

  it('reads thread #16 waiting in __lll_lock_wait under std::mutex::lock (article)', () => {
    const r = commandOf(parsedFixture('article-lldb-session.txt'), 'lldb-backtrace', 1).result;
    const t = r.threads[0];
    expect([t.index, t.current, t.name, t.truncated]).toEqual([16, true, null, true]);
    expect(t.frames.map((f) => f.function)).toEqual([
      '__lll_lock_wait',
      '__GI___pthread_mutex_lock',
      '__gthread_mutex_lock',
      'std::mutex::lock',
      'std::lock_guard<std::mutex>::lock_guard',
      'trace::CorProfiler::AssemblyLoadFinished',
      '___lldb_unnamed_symbol4024$$libcoreclr.so',
      '___lldb_unnamed_symbol6779$$libcoreclr.so',
    ]);
  });

  it('reads thread select: the header, frame #0 and the disassembly with the -> marker', () => {
    const r = commandOf(parsedFixture('article-lldb-session.txt'), 'lldb-thread-select').result;
    expect(r.threads.map((t) => [t.index, t.current, t.frames.length])).toEqual([[16, true, 1]]);
    expect(r.disassembly).toEqual([
      { current: true, address: '0x7f28a117129c', offset: 28, text: 'movl   %edx, %eax' },
      { current: false, address: '0x7f28a117129e', offset: 30, text: 'xchgl  %eax, (%rdi)' },
      { current: false, address: '0x7f28a11712a0', offset: 32, text: 'testl  %eax, %eax' },
      { current: false, address: '0x7f28a11712a2', offset: 34, text: 'jne    0x7f28a1171295            ; <+21>' },
    ]);
    expect(r.unparsed).toEqual([]);
  });

  it('reads symbolized frames: [inlined], at file:line, arguments (article, with libcoreclr symbols)', () => {
    const t = commandOf(parsedFixture('article-lldb-symbols-backtrace.txt'), 'lldb-backtrace').result.threads[0];
    expect(t.frames).toHaveLength(16);
    expect(t.frames[1]).toMatchObject({ function: 'CorUnix::CPalSynchronizationManager::ThreadNativeWait', file: 'synchmanager.cpp', line: 484, column: null, offset: null });
    expect(t.frames[5]).toMatchObject({ inlined: true, function: 'CLREventWaitHelper2', file: 'synch.cpp', line: 377 });
    expect(t.frames[7]).toMatchObject({ inlined: false, function: 'CLREventBase::WaitEx', line: 404 });
    expect(t.frames[9]).toMatchObject({ function: 'ThreadSuspend::SuspendRuntime', file: 'threadsuspend.cpp', line: 4187 });
    expect(t.frames[12]).toMatchObject({ function: 'ProfToEEInterfaceImpl::RequestReJIT', line: 8741 });
  });

  it('reads bt all on a Linux core (four threads, the signal frame __restore_rt)', () => {
    const r = commandOf(parsedFixture('lldb-core-O0.txt'), 'lldb-backtrace', 0).result;
    expect(r.threads.map((t) => [t.index, t.current, t.name, t.frames.length])).toEqual([
      [1, true, 'deadlock', 7], [2, false, null, 9], [3, false, null, 9], [4, false, null, 9],
    ]);
    expect(r.threads[1].frames[4]).toMatchObject({ module: 'deadlock', function: 'take_second', file: 'deadlock.c', line: 13, column: 5 });
    expect(r.threads[3].frames[2]).toMatchObject({ module: 'libc.so.6', function: '__restore_rt', file: null });
    expect(r.threads[0].frames[6]).toMatchObject({ function: '_start', offset: 33 });
  });

  it('keeps the full copy when lldb prints the selected thread\'s one-frame status next to its backtrace', () => {
    const r = commandOf(parsedFixture('lldb-core-O0.txt'), 'lldb-backtrace', 1).result;
    expect(r.threads.map((t) => [t.index, t.frames.length])).toEqual([[2, 9]]);
    expect(r.warnings.map((w) => w.code)).toEqual(['DuplicateThread']);
  });

  it('reads [inlined] and [artificial] frames (gcc -O2, live attach)', () => {
    const r = commandOf(parsedFixture('lldb-live-O2-names.txt'), 'lldb-backtrace', 1).result;
    const main = r.threads[0];
    expect(main.frames[3]).toMatchObject({ function: '___pthread_join', artificial: true, file: 'pthread_join.c', line: 24, column: 10 });
    const ab = r.threads[1];
    expect(ab.name).toBe('worker-ab');
    expect(ab.frames[4]).toMatchObject({ inlined: true, function: 'grab', symbol: 'worker_ab [inlined] grab(second=<unavailable>, first=<unavailable>)', line: 19 });
  });

  it('reads JIT frames that lldb shows as bare addresses', () => {
    const r = commandOf(parsedFixture('issue-coreclr-25676-lldb-bt-jit.txt'), 'lldb-backtrace').result;
    const frames = r.threads[0].frames;
    expect(frames.map((f) => f.index)).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
    expect(frames.slice(2, 6).map((f) => [f.pc, f.module, f.function])).toEqual([
      ['0x7f8987cad040', null, null], ['0x7f898890346a', null, null], ['0x7f89889017ed', null, null], ['0x7f89889016ea', null, null],
    ]);
    expect(frames[6]).toMatchObject({ module: 'libcoreclr.so', function: 'CallDescrWorkerInternal', offset: 124 });
    expect(frames[12]).toMatchObject({ module: 'libhostpolicy.so', unnamedSymbol: true, offset: 125 });
    expect(r.warnings.map((w) => w.code)).toEqual(['MissingHeader']);
  });

  it('reads the older bt header that looks like a thread-list row (tid, name, stop reason)', () => {
    const r = commandOf(parsedFixture('issue-coreclr-5037-lldb-clrstack-bt.txt'), 'lldb-backtrace', 0).result;
    expect(r.threads.map((t) => [t.index, t.current, t.tid, t.name, t.stopReason, t.frames.length])).toEqual([[1, true, 6347, 'corerun', 'breakpoint 3.1', 3]]);
    expect(r.threads[0].frames[0]).toMatchObject({ current: true, pc: '0xb008253c', module: null });
    expect(r.threads[0].frames[2]).toMatchObject({ module: 'libcoreclr.so', function: 'GetCurrentSP_End', offset: 70, file: 'asmhelpers.S', line: 459 });
    expect(r.unparsed).toEqual([]);
  });
});
