// The go-to box accepts every name a thread has (DESIGN.md, "Thread identity"). The identities
// below are the article's: DBG 15 (dotnet-dump) = lldb #16 = tid 3193 = OSID c79.
import { describe, expect, it } from 'vitest';
import { type ThreadInfo } from '../../../shared/types';
import { findThread, parseThreadSelector } from '../../../renderer/features/threads/thread-selector';

function thread(index: number, tid: number): ThreadInfo {
  return { index, dbg: index - 1, tid, osid: tid.toString(16), name: null, signal: 0, signalName: null, state: 'running', syscall: null, registers: {}, wait: null, topFrame: null, frameCount: 0 };
}

// #16 is tid 3193 (0xc79); #2's tid 4096 is also how 0x1000 reads in decimal... and #3's tid
// 0x3193 = 12691 makes "3193" ambiguous between a tid and an OSID.
const threads = [thread(1, 3154), thread(2, 4096), thread(3, 0x3193), ...Array.from({ length: 12 }, (_, i) => thread(i + 4, 3170 + i)), thread(16, 3193)];

describe('parseThreadSelector', () => {
  it.each([
    ['3193', { kind: 'number', text: '3193' }],
    ['c79', { kind: 'osid', value: 3193 }],
    ['0xc79', { kind: 'osid', value: 3193 }],
    ['0XC79', { kind: 'osid', value: 3193 }],
    ['osid:c79', { kind: 'osid', value: 3193 }],
    ['#16', { kind: 'index', value: 16 }],
    ['dbg:15', { kind: 'dbg', value: 15 }],
    ['dbg 15', { kind: 'dbg', value: 15 }],
    ['tid:3193', { kind: 'tid', value: 3193 }],
    ['LWP 3193', { kind: 'tid', value: 3193 }],
    [' #16 ', { kind: 'index', value: 16 }],
  ])('%s', (input, expected) => {
    expect(parseThreadSelector(input)).toEqual(expected);
  });

  it('refuses what names no thread', () => {
    for (const s of ['', '  ', 'thread', '#', 'dbg:', '0x', 'c79z', '#-1']) expect(parseThreadSelector(s), s).toBeNull();
  });
});

describe('findThread', () => {
  it('finds the article thread by each of its names', () => {
    for (const name of ['c79', '0xc79', '#16', 'dbg:15', 'tid:3193']) {
      const r = findThread(threads, name);
      expect(r.ok && r.thread.tid, name).toBe(3193);
    }
  });

  it('reads a bare number as a tid first and says what else it could be', () => {
    const r = findThread(threads, '3193');
    expect(r.ok && r.thread.index).toBe(16);
    expect(r.ok && r.note).toContain('#3');
  });

  it('falls back to a hex OSID made of digits only, and says so', () => {
    const r = findThread(threads, '1000');
    expect(r.ok && r.thread.tid).toBe(4096);
    expect(r.ok && r.matched).toBe('OSID 1000');
  });

  it('explains a miss', () => {
    const r = findThread(threads, '#99');
    expect(r).toEqual({ ok: false, message: 'no thread #99 (threads are #1…#16)' });
    expect(findThread(threads, 'dbg:40')).toMatchObject({ ok: false });
    expect(findThread(threads, 'nonsense!')).toMatchObject({ ok: false });
  });
});
