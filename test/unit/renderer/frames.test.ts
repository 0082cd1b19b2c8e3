// How frames read and which pcs are return addresses (the disassembly marks the call in
// progress for those); search highlighting.
import { describe, expect, it } from 'vitest';
import { type StackFrame } from '../../../shared/types';
import { frameSearchText, frameSource, frameTitle, isReturnAddress } from '../../../renderer/lib/frames';
import { matchingLine, splitMatches } from '../../../renderer/features/search/highlight';

function frame(index: number, over: Partial<StackFrame> = {}): StackFrame {
  return { index, pc: '0x401738', sp: '0x7ffc0000', cfa: null, module: '/tmp/deadlock', function: 'transfer', rawFunction: null, offset: 72, file: 'deadlock.c', line: 24, column: null, inline: false, how: 'cfi', signalFrame: false, ...over };
}

describe('isReturnAddress', () => {
  it('is false for the innermost real frame and its inline frames, true for callers', () => {
    // #0 futex_wait [inlined] + #1 __lll_lock_wait share a pc; #2 lll_mutex_lock_optimized [inlined] + #3 pthread_mutex_lock share the next
    const frames = [frame(0, { inline: true, pc: '0x10' }), frame(1, { pc: '0x10' }), frame(2, { inline: true, pc: '0x20' }), frame(3, { pc: '0x20' }), frame(4, { pc: '0x30' })];
    expect(frames.map((_, i) => isReturnAddress(frames, i))).toEqual([false, false, true, true, true]);
  });

  it('is false after a signal: the interrupted frame\'s pc is exact', () => {
    const frames = [frame(0), frame(1, { function: '<signal handler called>' }), frame(2, { signalFrame: true }), frame(3)];
    expect(frames.map((_, i) => isReturnAddress(frames, i))).toEqual([false, true, false, true]);
  });
});

describe('frame text', () => {
  it('reads as lldb prints it', () => {
    expect(frameTitle(frame(2))).toBe('deadlock`transfer + 72');
    expect(frameTitle(frame(2, { function: null, offset: null }))).toBe('deadlock`0x401738');
    expect(frameSource(frame(2))).toBe('deadlock.c:24');
    expect(frameSource(frame(2, { file: null }))).toBeNull();
    expect(frameSearchText(frame(2))).toBe('/tmp/deadlock transfer deadlock.c:24');
  });
});

describe('splitMatches', () => {
  it('marks every case-insensitive occurrence', () => {
    expect(splitMatches('ProfToEEInterfaceImpl::RequestReJIT', 'requestrejit')).toEqual([
      { text: 'ProfToEEInterfaceImpl::', match: false },
      { text: 'RequestReJIT', match: true },
    ]);
    expect(splitMatches('deadlock`__lll_lock_wait', 'lock').filter((p) => p.match)).toHaveLength(2);
    expect(splitMatches('abc', '')).toEqual([{ text: 'abc', match: false }]);
  });

  it('shows the line of a transcript chunk that matched', () => {
    const chunk = '(lldb) thread list\n  thread #16: tid = 3193, libpthread.so.0`__lll_lock_wait + 28\n  thread #17: tid = 3194';
    expect(matchingLine(chunk, 'LLL_LOCK')).toBe('  thread #16: tid = 3193, libpthread.so.0`__lll_lock_wait + 28');
    expect(matchingLine(chunk, 'nothing')).toBe('(lldb) thread list');
  });
});
