import { describe, it, expect } from 'vitest';
import { commandOf, parsedFixture } from './fixtures';

describe('parseGdbInfoThreads', () => {
  it('reads libthread_db target ids and the current marker', () => {
    const r = commandOf(parsedFixture('gdb-core-O0.txt'), 'gdb-info-threads').result;
    expect(r.threads.map((t) => [t.number, t.current, t.tid, t.pthread, t.name])).toEqual([
      [1, true, 10681, '0x7f5bd9fbe740', null],
      [2, false, 10683, '0x7f5bd9fbd6c0', null],
      [3, false, 10684, '0x7f5bd97bc6c0', null],
      [4, false, 10685, '0x7f5bd8fbb6c0', null],
    ]);
    expect(r.threads[1].frame).toMatchObject({ function: 'futex_wait', args: 'private=0, expected=2, futex_word=0x558cb5371100 <lock_b>', file: '../sysdeps/nptl/futex-internal.h', line: 146, pc: null });
    expect(r.threads[3].frame).toMatchObject({ pc: '0x7f5bda094df2', function: '__libc_pause', args: '' });
    expect(r.unparsed).toEqual([]);
  });

  it('reads "LWP n" without libthread_db', () => {
    const r = commandOf(parsedFixture('gdb-core-O0-no-libthread-db.txt'), 'gdb-info-threads').result;
    expect(r.threads.map((t) => [t.number, t.targetId, t.tid, t.pthread])).toEqual([
      [1, 'LWP 10681', 10681, null], [2, 'LWP 10683', 10683, null], [3, 'LWP 10684', 10684, null], [4, 'LWP 10685', 10685, null],
    ]);
  });

  it('reads the thread name column (live attach)', () => {
    const r = commandOf(parsedFixture('gdb-live-O0-names.txt'), 'gdb-info-threads').result;
    expect(r.threads.map((t) => [t.tid, t.name])).toEqual([[10681, 'deadlock'], [10683, 'worker-ab'], [10684, 'worker-ba'], [10685, 'sleeper']]);
  });

  it('joins rows wrapped at 80 columns (interactive, CRLF)', () => {
    const r = commandOf(parsedFixture('gdb-interactive-pager-crlf.txt'), 'gdb-info-threads').result;
    expect(r.threads).toHaveLength(4);
    expect(r.threads[0].frame).toMatchObject({
      function: '__futex_abstimed_wait_common64',
      args: 'private=128, cancel=true, abstime=0x0, op=265, expected=10683, futex_word=0x7f5bd9fbd990',
      file: './nptl/futex-internal.c',
      line: 57,
    });
    expect(r.threads[3].frame).toMatchObject({ pc: '0x7f5bda094df2', function: '__libc_pause', file: '../sysdeps/unix/sysv/linux/pause.c', line: 29 });
  });
});

describe('parseGdbBacktrace', () => {
  it('reads thread apply all bt: headers, frames with and without address, the signal frame', () => {
    const r = commandOf(parsedFixture('gdb-core-O0.txt'), 'gdb-backtrace', 1).result;
    expect(r.threads.map((t) => [t.number, t.tid, t.frames.length])).toEqual([[4, 10685, 9], [3, 10684, 9], [2, 10683, 9], [1, 10681, 5]]);
    const sleeper = r.threads[0];
    expect(sleeper.frames[1]).toMatchObject({ pc: '0x558cb536e31a', function: 'on_usr1', args: 'sig=10', file: 'deadlock.c', line: 38 });
    expect(sleeper.frames[2]).toMatchObject({ signalHandler: true, pc: null, inlined: false });
    const ab = r.threads[2];
    expect(ab.frames.map((f) => [f.index, f.pc, f.function, f.inlined])).toEqual([
      [0, null, 'futex_wait', true],
      [1, null, '__GI___lll_lock_wait', false],
      [2, '0x7f5bda04d482', 'lll_mutex_lock_optimized', true],
      [3, null, '___pthread_mutex_lock', false],
      [4, '0x558cb536e241', 'take_second', false],
      [5, '0x558cb536e27b', 'grab', false],
      [6, '0x558cb536e2bd', 'worker_ab', false],
      [7, '0x7f5bda04a1f5', 'start_thread', false],
      [8, '0x7f5bda0ca8ec', 'clone3', false],
    ]);
    expect(r.unparsed).toEqual([]);
  });

  it('marks the frame gdb printed under an address-less caller as inlined (gcc -O2)', () => {
    const r = commandOf(parsedFixture('gdb-core-O2.txt'), 'gdb-backtrace', 1).result;
    const ab = r.threads.find((t) => t.number === 2);
    expect(ab?.frames.slice(4, 7).map((f) => [f.index, f.pc, f.function, f.inlined])).toEqual([
      [4, '0x55636b6b2335', 'take_second', false],
      [5, '0x55636b6b237c', 'grab', true],
      [6, null, 'worker_ab', false],
    ]);
  });

  it('reads ?? () and "from <library>" frames (stripped binary, no libc debug info)', () => {
    const r = commandOf(parsedFixture('gdb-core-stripped.txt'), 'gdb-backtrace', 1).result;
    const ab = r.threads.find((t) => t.number === 2);
    expect(ab?.frames.slice(0, 3).map((f) => [f.pc, f.function, f.unknownFunction, f.library])).toEqual([
      ['0x7f5bda04712b', null, true, '/lib/x86_64-linux-gnu/libc.so.6'],
      ['0x7f5bda04d482', 'pthread_mutex_lock', false, '/lib/x86_64-linux-gnu/libc.so.6'],
      ['0x558cb536e241', null, true, null],
    ]);
  });

  it('reads thread names in the headers (live attach)', () => {
    const r = commandOf(parsedFixture('gdb-live-O0-names.txt'), 'gdb-backtrace').result;
    expect(r.threads.map((t) => [t.number, t.tid, t.name])).toEqual([[4, 10685, 'sleeper'], [3, 10684, 'worker-ba'], [2, 10683, 'worker-ab'], [1, 10681, 'deadlock']]);
    expect(r.unparsed).toEqual(['[Inferior 1 (process 10681) detached]']);
  });

  it('reads across pager prompts (one answered with c) without losing frames', () => {
    const r = commandOf(parsedFixture('gdb-interactive-pager-crlf.txt'), 'gdb-backtrace', 1).result;
    expect(r.threads.map((t) => [t.number, t.frames.length])).toEqual([[4, 9], [3, 9], [2, 9], [1, 5]]);
    expect(r.threads[2].frames[4]).toMatchObject({ function: 'take_second', line: 13 });
  });

  it('joins wrapped arguments and "at" lines, and reads "Backtrace stopped"', () => {
    const r = commandOf(parsedFixture('issue-crashcatcher-8-gdb-bt-wrapped.txt'), 'gdb-backtrace').result;
    const t = r.threads[0];
    expect(t.number).toBeNull();
    expect(t.frames.map((f) => [f.index, f.pc, f.function, f.args, f.file, f.line])).toEqual([
      [0, null, 'app_event_callback', 'chan=0x2000f048 <channel_pool>, ctx=0x20014300 <os_thread_def_stack_MyTestThread+4420>', '../../services/mytest.cpp', 1567],
      [1, '0xc0393e8', 'test_callback', 'Chan=0x20012e70 <app_device>, Info=0x20014300 <os_thread_def_stack_MyTestThread+4420>', '../../services/test_api.cpp', 831],
    ]);
    expect(t.stopped).toBe('previous frame identical to this frame (corrupt stack?)');
  });

  it('reads coloured, wrapped output of bt after thread 2 (ANSI stripped)', () => {
    const t = parsedFixture('gdb-interactive-ansi.txt');
    const sw = commandOf(t, 'gdb-backtrace', 1).result.threads[0];
    expect([sw.number, sw.tid, sw.frames.length]).toEqual([2, 10683, 1]);
    const bt = commandOf(t, 'gdb-backtrace', 2).result.threads[0];
    expect(bt.frames.map((f) => [f.function, f.line])).toEqual([
      ['futex_wait', 146], ['__GI___lll_lock_wait', 49], ['lll_mutex_lock_optimized', 48], ['___pthread_mutex_lock', 93],
      ['take_second', 13], ['grab', 19], ['worker_ab', 25], ['start_thread', 442], ['clone3', 81],
    ]);
    expect(bt.frames[5].args).toBe('first=0x558cb53710c0 <lock_a>, second=0x558cb5371100 <lock_b>');
  });

  it('reads an inline frame in a bare bt (bugurtos issue)', () => {
    const t = commandOf(parsedFixture('issue-bugurtos-43-gdb-bt-inline.txt'), 'gdb-backtrace').result.threads[0];
    expect(t.frames.map((f) => [f.function, f.inlined])).toEqual([
      ['sys_mutex_lock.constprop.0', false],
      ['tcpip_timeouts_mbox_fetch', true],
      ['tcpip_thread', false],
      ['bgrt_syscall', false],
    ]);
    expect(t.stopped).toBe('previous frame identical to this frame (corrupt stack?)');
  });
});
