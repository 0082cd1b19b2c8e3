// Threads grouped by identical stacks (pstacks): same function, offset and module in every frame.
import { describe, expect, it } from 'vitest';
import { type StackFrame, type ThreadInfo, type ThreadStack } from '../../../shared/types';
import { groupStacks, stackKey } from '../../../renderer/features/stack/stack-groups';

const thread = (index: number, tid: number): ThreadInfo => ({ index, dbg: index - 1, tid, osid: tid.toString(16), name: null, signal: 0, signalName: null, state: 'syscall', syscall: null, registers: {}, wait: null, topFrame: null, frameCount: 3 });

function frame(index: number, fn: string | null, offset: number | null, pc = `0x${(0x1000 + index).toString(16)}`, inline = false): StackFrame {
  return { index, pc, sp: '0x7ffc0000', cfa: null, module: 'many', function: fn, rawFunction: null, offset, file: null, line: null, column: null, inline, how: index === 0 ? 'context' : 'cfi', signalFrame: false };
}

const idleStack = (tid: number): ThreadStack => ({ tid, stopReason: 'ok', stopDetail: null, frames: [frame(0, '__futex_abstimed_wait_common', 198), frame(1, 'pthread_cond_wait', 500), frame(2, 'idle', 82), frame(3, 'start_thread', 773)] });

describe('groupStacks', () => {
  it('puts threads with the same frames together, largest group first, threads in the dump order', () => {
    const threads = [thread(1, 100), ...Array.from({ length: 5 }, (_, i) => thread(i + 2, 200 + i))];
    const stacks = new Map<number, ThreadStack>([[100, { tid: 100, stopReason: 'ok', stopDetail: null, frames: [frame(0, 'pause', 50), frame(1, 'main', 211)] }]]);
    for (const t of threads.slice(1)) stacks.set(t.tid, idleStack(t.tid));
    const groups = groupStacks(threads, (tid) => stacks.get(tid));
    expect(groups.map((g) => g.threads.map((t) => t.index))).toEqual([[2, 3, 4, 5, 6], [1]]);
    expect(groups[0].frames.map((f) => f.function)).toEqual(['__futex_abstimed_wait_common', 'pthread_cond_wait', 'idle', 'start_thread']);
  });

  it('tells apart a different call site in one function, an inline frame, and an unsymbolized pc', () => {
    const a = idleStack(1).frames;
    const otherOffset = a.map((f) => (f.index === 2 ? { ...f, offset: 90 } : f));
    const inlined = [frame(0, '__futex_abstimed_wait_common', null, '0x1000', true), ...a];
    const noSymbol = a.map((f) => (f.index === 1 ? { ...f, function: null, offset: null, pc: '0x7f00' } : f));
    const keys = [a, otherOffset, inlined, noSymbol].map(stackKey);
    expect(new Set(keys).size).toBe(4);
    expect(stackKey(a)).toBe(stackKey(idleStack(2).frames));
  });

  it('keeps threads without a stack in one group of their own', () => {
    const threads = [thread(1, 1), thread(2, 2), thread(3, 3)];
    const groups = groupStacks(threads, (tid) => (tid === 1 ? idleStack(1) : null));
    expect(groups.map((g) => [g.key === '' ? 'none' : 'idle', g.threads.length])).toEqual([
      ['none', 2],
      ['idle', 1],
    ]);
  });
});
