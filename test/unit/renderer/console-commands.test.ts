// The transcript console's built-in commands, with the article's identities: DBG 15 = lldb #16 =
// tid 3193 = OSID c79. `setthread 15` is dotnet-dump's DBG; `setthread -t 3193` its OS thread id.
import { describe, expect, it } from 'vitest';
import { type StackFrame, type ThreadInfo, type ThreadStack } from '../../../shared/types';
import { clrthreadsText, isBuiltin, runBuiltin, threadsText, type ConsoleContext } from '../../../renderer/features/transcript/console-commands';
import { threadLinkAt, threadLinks } from '../../../renderer/features/transcript/thread-links';

function thread(index: number, tid: number, over: Partial<ThreadInfo> = {}): ThreadInfo {
  return { index, dbg: index - 1, tid, osid: tid.toString(16), name: null, signal: 0, signalName: null, state: 'syscall', syscall: null, registers: {}, wait: null, topFrame: null, frameCount: 2, ...over };
}

const threads = [thread(1, 3154), ...Array.from({ length: 14 }, (_, i) => thread(i + 2, 3156 + i)), thread(16, 3193, { wait: { kind: 'mutex', summary: 'waits for mutex `global_lock`', isLockWait: true, address: '0x10', objectName: 'global_lock', holderTid: 3154, likelyHolderTid: null, holderExited: false, timeout: false, evidence: [] } })];

const frame = (index: number, fn: string, over: Partial<StackFrame> = {}): StackFrame => ({ index, pc: `0x7f28a117129${index}`, sp: '0x7ffc', cfa: null, module: 'libpthread.so.0', function: fn, rawFunction: null, offset: 28, file: null, line: null, column: null, inline: false, how: index === 0 ? 'context' : 'cfi', signalFrame: false, ...over });

function ctx(selectedTid: number | null = null): ConsoleContext {
  return {
    threads,
    selectedTid,
    locks: null,
    getStack: async (tid): Promise<ThreadStack> => ({ tid, stopReason: 'ok', stopDetail: null, frames: [frame(0, '__lll_lock_wait'), frame(1, 'pthread_mutex_lock', { how: 'scan' })] }),
  };
}

describe('setthread', () => {
  it('reads a bare number as dotnet-dump does: the DBG', async () => {
    const r = await runBuiltin('setthread 15', ctx());
    expect(r.select).toBe(3193);
    expect(r.output).toBe("thread #16 (DBG 15, tid 3193, OSID c79) selected, by DBG 15 (dotnet-dump numbering; lldb's is #16)");
  });

  it('takes -t with the OS thread id, decimal or hex', async () => {
    expect((await runBuiltin('setthread -t 3193', ctx())).select).toBe(3193);
    expect((await runBuiltin('setthread -t 0xc79', ctx())).select).toBe(3193);
    const bad = await runBuiltin('setthread -t 9999', ctx());
    expect(bad).toMatchObject({ error: true, output: 'no thread with tid 9999' });
    expect(bad.select).toBeUndefined();
  });

  it('takes the go-to box forms too: #16, 0xc79, tid:3193', async () => {
    for (const s of ['#16', '0xc79', 'tid:3193', 'c79']) expect((await runBuiltin(`setthread ${s}`, ctx())).select, s).toBe(3193);
  });
});

describe('the other built-ins', () => {
  it('bt prints the selected thread as lldb does, saying which frames are guesses', async () => {
    const r = await runBuiltin('bt', ctx(3193));
    expect(r.output.split('\n')).toEqual([
      '* thread #16, tid = 3193, OSID c79, DBG 15: waits for mutex `global_lock`',
      '    frame #0: 0x7f28a1171290     libpthread.so.0`__lll_lock_wait + 28',
      '    frame #1: 0x7f28a1171291     libpthread.so.0`pthread_mutex_lock + 28  [stack scan: a guess]',
    ]);
    expect((await runBuiltin('bt', ctx())).error).toBe(true);
    expect((await runBuiltin('bt #1', ctx())).output).toMatch(/^ {2}thread #1, tid = 3154/);
  });

  it('threads marks the selected thread; clrthreads says where SOS data comes from', () => {
    const text = threadsText(threads, 3193);
    expect(text.split('\n')[0]).toMatch(/^\s+#\s+DBG\s+TID\s+OSID\s+STATE\s+WAITS ON$/);
    expect(text).toMatch(/\n\* +#16 +dbg:15 +3193 +0xc79 /);
    expect(clrthreadsText(threads)).toMatch(/^clrthreads: nothing known about managed threads/);
    const managed = threads.map((t) => (t.tid === 3193 ? { ...t, managed: { managedId: 6, gcMode: 'Cooperative', lockCount: 0, apartment: 'Ukn', roles: ['Threadpool Worker'], exception: null, state: '0x1021222', stateWords: [], threadObj: '0x559ea2e8b990', runtimeRole: null } } : t));
    expect(clrthreadsText(managed).split('\n').slice(2)).toEqual([
      'DBG ID OSID        ThreadOBJ   State GC Mode     Lock Count Apt Exception',
      ' 15  6  c79 0000559EA2E8B990 1021222 Cooperative          0 Ukn (Threadpool Worker)',
    ]);
  });

  it('tells built-ins from commands for a debugger', () => {
    expect(['threads', 'bt all', 'setthread -t 1', 'locks', 'help', 'clrthreads'].every(isBuiltin)).toBe(true);
    expect(['clrstack', 'thread list', 'info threads', 'syncblk'].some(isBuiltin)).toBe(false);
  });
});

describe('thread links in transcript text', () => {
  it('finds the identities each debugger prints, not frame numbers', () => {
    const sel = (line: string) => threadLinks(line).map((l) => l.selector);
    expect(sel('  thread #16: tid = 3193, 0x00007f28a117129c libpthread.so.0`__lll_lock_wait + 28')).toEqual(['#16', 'tid:3193']);
    expect(sel('* 1    Thread 0x7f28a11ee740 (LWP 3154) __futex_abstimed_wait_common64')).toEqual(['tid:3154']);
    expect(sel('OS Thread Id: 0xc79 (15)')).toEqual(['0xc79']);
    expect(sel('#0  __lll_lock_wait (futex=0x5614166720a0) at lowlevellock.c:49')).toEqual([]);
    expect(sel('    frame #3: 0x00007f289ca462b8 Datadog.Trace.ClrProfiler.Native.so`std::mutex::lock() + 24')).toEqual([]);
    expect(sel('  #16  dbg:15  3193  0xc79')).toEqual(['dbg:15']);
    expect(sel('thread = 0x0000 tid = 0x1b27')).toEqual([`tid:${0x1b27}`]);
    const line = 'waits for mutex `b` held by thread #3 (tid 5551)';
    expect(threadLinkAt(line, line.indexOf('5551') + 1)?.selector).toBe('tid:5551');
    expect(threadLinkAt(line, 3)).toBeNull();
  });
});
