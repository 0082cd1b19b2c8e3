// The comparison rules on hand-made dumps: stuck (same pcs frame for frame), progressed (and
// where the stacks part), new, exited; persistent edges; confirmed deadlocks; the verdict's
// words; dumps of different processes; tids reused and managed ids.
import { describe, expect, it } from 'vitest';
import { compareDumps, compareProcessIdentity, divergenceOf, formatDuration, oneLine } from '../../../main/core/compare';
import { BUSY_A, BUSY_B, dump, idle, lockOrder, module, mutexWait, running, side } from './builders';

const T0 = 1_700_000_000_000;

describe('compareDumps', () => {
  it('confirms a deadlock seen twice, and shows where the busy thread moved', () => {
    const a = lockOrder(BUSY_A, { id: 1, mtimeMs: T0 });
    const b = lockOrder(BUSY_B, { id: 2, mtimeMs: T0 + 12_000, path: '/cores/core.2' });
    const c = compareDumps(a, b);
    expect(c.sameProcess.same).toBe(true);
    expect(c.interval).toEqual({ ms: 12_000, source: 'file-mtime', approximate: true, text: 'about 12 s' });
    expect(c.threads.map((t) => [t.tid, t.status])).toEqual([
      [100, 'stuck'],
      [101, 'stuck'],
      [102, 'stuck'],
      [103, 'progressed'],
    ]);
    // Same function on both sides, at another pc: the stacks part there.
    expect(c.threads[3].divergence).toEqual({ commonOuterFrames: 2, lastCommonFrame: 'prog`busy + 4', indexA: 2, indexB: 1, frameA: 'prog`spin_even + 4', frameB: 'prog`spin_even + 4' });
    expect(c.confirmedDeadlocks).toEqual([{ tids: [101, 102], resources: ['mutex:0x5600', 'mutex:0x5640'], summary: expect.stringMatching(/^threads #2 and #3 wait for each other in both dumps \(mutex `b` \(0x5600\), mutex `a` \(0x5640\)\), at the same frames\.$/) }]);
    expect(c.persistentEdges.map((e) => `${e.waiterTid} ${e.kind} ${e.resource} ${e.holderTid} ${e.inConfirmedDeadlock}`).sort()).toEqual([
      '100 joins thread:101 101 false',
      '101 waits mutex:0x5600 102 true',
      '102 waits mutex:0x5640 101 true',
    ]);
    expect(c.verdict.deadlockConfirmed).toBe(true);
    expect(c.verdict.summary).toBe(
      'Threads #2 and #3 are blocked at the same frames in both dumps, taken about 12 s apart; the deadlock between them is confirmed. Thread #1 waits behind it in both dumps. Thread #4 progressed.',
    );
    expect(c.verdict.counts).toEqual({ stuck: 3, progressed: 1, new: 0, exited: 0 });
    // The diff texts: one line per frame, innermost first, no frame numbers.
    expect(c.threads[3].framesA).toHaveLength(5);
    expect(c.threads[3].framesB[0]).toBe('0x0000000000005554 prog`spin_leaf + 4');
  });

  it('says so when no thread is stuck', () => {
    const spec = (pcs: string[]) => pcs.map((pc, i) => ({ tid: 200 + i, frames: [[pc, 'work'], ['0x5000', 'main']] as [string, string][], wait: running() }));
    const c = compareDumps(side(spec(['0x1', '0x2', '0x3', '0x4', '0x5'])), side(spec(['0x6', '0x7', '0x8', '0x9', '0xa']), { id: 2, mtimeMs: T0 + 3000 }));
    expect(c.verdict.summary).toBe('No thread is stuck: all 5 threads progressed, taken about 3 s apart.');
    expect(c.verdict.deadlockConfirmed).toBe(false);
  });

  it('tells idle threads from blocked ones, and counts threads that came and went', () => {
    const a = side([
      { tid: 1, frames: [['0x10', 'nanosleep'], ['0x20', 'main']], wait: idle('sleeping in clock_nanosleep') },
      { tid: 2, frames: [['0x30', 'work']], wait: running() },
      { tid: 3, frames: [['0x40', 'read']], wait: idle('reads fd 3', 'io') },
    ]);
    const b = side(
      [
        { tid: 1, frames: [['0x10', 'nanosleep'], ['0x20', 'main']], wait: idle('sleeping in clock_nanosleep') },
        { tid: 2, frames: [['0x34', 'work']], wait: running() },
        { tid: 4, frames: [['0x50', 'poll']], wait: idle('polls', 'io') },
      ],
      { id: 2, mtimeMs: T0 + 65_000 },
    );
    const c = compareDumps(a, b);
    expect(c.threads.map((t) => [t.tid, t.status])).toEqual([
      [1, 'stuck'],
      [2, 'progressed'],
      [3, 'exited'],
      [4, 'new'],
    ]);
    expect(c.verdict.summary).toBe(
      'No thread is blocked by another in both dumps, taken about 1 min 5 s apart: 1 thread is at the same frames (sleeping) and 1 progressed. 1 thread is new in dump B and 1 thread has exited.',
    );
    expect(c.threads[2].summary).toBe('Thread #3 (tid 3) exited: it is only in dump A (it was at prog`read + 4).');
    expect(c.threads[3].summary).toBe('Thread #3 (tid 4) is new in dump B (at prog`poll + 4).');
  });

  it('calls a convoy that did not move a persistent blocker, and says whether its holder moved', () => {
    const mk = (holderPc: string, id: number, mtimeMs: number) =>
      side(
        [
          { tid: 10, frames: [[holderPc, 'hold_and_work']], wait: running() },
          { tid: 11, frames: [['0x70', '__lll_lock_wait'], ['0x80', 'worker']], wait: mutexWait('0x900', 'queue_lock', 10) },
          { tid: 12, frames: [['0x70', '__lll_lock_wait'], ['0x84', 'worker']], wait: mutexWait('0x900', 'queue_lock', 10) },
        ],
        { id, mtimeMs },
      );
    const c = compareDumps(mk('0x60', 1, T0), mk('0x64', 2, T0 + 5000));
    expect(c.confirmedDeadlocks).toEqual([]);
    expect(c.persistentEdges.map((e) => [e.waiterTid, e.holderTid, e.waiterStuck, e.holderStuck])).toEqual([
      [11, 10, true, false],
      [12, 10, true, false],
    ]);
    expect(c.verdict.summary).toBe(
      '2 threads (#2 and #3) have waited for mutex `queue_lock` (0x900) held by thread #1 (tid 10) in both dumps, taken about 5 s apart, at the same frames; thread #1 (tid 10) progressed, so it holds the lock long, but it runs.',
    );
  });

  it('does not confirm a deadlock seen in one dump only', () => {
    const before = side([
      { tid: 1, frames: [['0x10', 'a']], wait: running() },
      { tid: 2, frames: [['0x20', 'b']], wait: running() },
    ]);
    const after = side(
      [
        { tid: 1, frames: [['0x30', '__lll_lock_wait'], ['0x10', 'a']], wait: mutexWait('0x100', 'x', 2) },
        { tid: 2, frames: [['0x30', '__lll_lock_wait'], ['0x20', 'b']], wait: mutexWait('0x200', 'y', 1) },
      ],
      { id: 2, mtimeMs: T0 + 1000 },
    );
    const c = compareDumps(before, after);
    expect(c.verdict.deadlockConfirmed).toBe(false);
    expect(c.deadlocksOnlyInB).toEqual([[1, 2]]);
    expect(c.verdict.summary).toMatch(/Dump B shows a deadlock \(threads #1 and #2\) that dump A did not: it formed between the dumps\./);
    expect(c.threads[0].divergence).toMatchObject({ commonOuterFrames: 1, indexA: null, indexB: 0 });
  });

  it('confirms a self-deadlock in its own words', () => {
    const s = (id: number) => side([{ tid: 7, frames: [['0x30', '__lll_lock_wait'], ['0x40', 'reload']], wait: mutexWait('0x10', 'config_lock', 7) }], { id, mtimeMs: T0 + id * 1000 });
    const c = compareDumps(s(1), s(2));
    expect(c.verdict.summary).toBe('Thread #1 is blocked at the same frames in both dumps, taken about 1 s apart; its deadlock on a lock it already holds is confirmed.');
  });

  it('says when the dumps are of different processes and matches no thread', () => {
    const a = lockOrder(BUSY_A, { id: 1, pid: 100 });
    const b = lockOrder(BUSY_A, { id: 2, pid: 200 });
    const c = compareDumps(a, b);
    expect(c.sameProcess).toMatchObject({ same: false, differences: ['pid 100 in A, 200 in B'] });
    expect(c.threads.every((t) => t.status === 'exited' || t.status === 'new')).toBe(true);
    expect(c.threads.find((t) => t.status === 'exited' && t.tid === 101)?.sameStackAs).toBe(101);
    expect(c.persistentEdges).toEqual([]);
    expect(c.confirmedDeadlocks).toEqual([]);
    expect(c.verdict.sameProcess).toBe(false);
    expect(c.verdict.summary).toBe(
      'Dumps A and B are of different processes (pid 100 in A, 200 in B): their threads are not matched, so none is called stuck or progressed. 4 of dump A\'s 4 threads have a stack that is the same by symbols as a thread of dump B. Both dumps show a deadlock.',
    );
  });

  it('tells a restart under the same pid by its load addresses', () => {
    const a = lockOrder(BUSY_A, { id: 1 }, [module('/lib/libc.so.6', '0x7f0000000000')]);
    const b = lockOrder(BUSY_A, { id: 2 }, [module('/lib/libc.so.6', '0x7f1000000000')]);
    const c = compareDumps(a, b);
    expect(c.sameProcess.same).toBe(false);
    expect(c.sameProcess.differences[0]).toBe('a module is loaded at other addresses, so the process was started again ("libc.so.6" at 0x7f0000000000 in A, 0x7f1000000000 in B)');
    const rebuilt = compareProcessIdentity({ dump: dump(), modules: [module('/bin/prog', '0x5000', 'aa')] }, { dump: dump(), modules: [module('/bin/prog', '0x5000', 'bb')] });
    expect(rebuilt.differences).toEqual(['a module was rebuilt ("prog": build-id aa in A, bb in B)']);
    expect(compareProcessIdentity({ dump: dump({ args: './prog --a' }) }, { dump: dump({ args: './prog --b' }) }).differences).toEqual(['command line "./prog --a" in A, "./prog --b" in B']);
  });

  it('matches by managed id: a disagreeing one means the tid was reused', () => {
    const a = side([{ tid: 5, frames: [['0x1', 'f']], wait: running(), managedId: 7 }, { tid: 6, frames: [['0x2', 'g']], wait: running(), managedId: 8 }]);
    const b = side([{ tid: 5, frames: [['0x1', 'f']], wait: running(), managedId: 9 }, { tid: 16, frames: [['0x2', 'g']], wait: running(), managedId: 8 }], { id: 2 });
    const c = compareDumps(a, b);
    expect(c.threads.map((t) => [t.tid, t.status, t.matchedBy])).toEqual([
      [5, 'exited', null],
      [16, 'stuck', 'managedId'],
      [5, 'new', null],
    ]);
  });

  it('notes a B older than A, and keeps dump text on one line', () => {
    const a = lockOrder(BUSY_A, { id: 1, mtimeMs: T0 + 4000 });
    const b = lockOrder(BUSY_B, { id: 2, mtimeMs: T0 });
    const c = compareDumps(a, b);
    expect(c.interval?.ms).toBe(-4000);
    expect(c.verdict.details.join('\n')).toMatch(/Dump B's file is older than dump A's \(by about 4 s\)/);
    const hostile = side([{ tid: 1, frames: [['0x1', 'evil\n#0 0xdead fake`frame\u001b[31m']], wait: running() }]);
    const h = compareDumps(hostile, hostile);
    expect(h.threads[0].framesA).toEqual(['0x0000000000000001 prog`evil\\n#0 0xdead fake`frame\\x1b[31m + 4']);
    expect(oneLine('a\u202eb\u2028c')).toBe('a\\u{202e}b\\u{2028}c');
  });
});

describe('divergenceOf and formatDuration', () => {
  it('finds the first differing frame from the outside', () => {
    expect(divergenceOf(['0x1', '0x2', '0x3'], ['0x9', '0x2', '0x3'])).toMatchObject({ commonOuterFrames: 2, indexA: 0, indexB: 0 });
    expect(divergenceOf(['0x1'], ['0x2'])).toMatchObject({ commonOuterFrames: 0, lastCommonFrame: null, indexA: 0, indexB: 0 });
  });
  it('words durations', () => {
    expect([850, 1499, 12_000, 59_600, 185_000, 3_600_000, 8_040_000].map(formatDuration)).toEqual(['850 ms', '1 s', '12 s', '1 min', '3 min 5 s', '1 h', '2 h 14 min']);
  });
});

