// The gdb comparison helper on real gdb output (test/fixtures/unwind, see its README): threads by
// LWP, frames, inline groups folded into physical frames, tail-call frames recognised, and the
// matcher's counts when our frames agree, go missing, or run past gdb's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithGdb, parseGdbBacktraces, physicalFrames, type OurThread } from '../../helpers/gdb-compare';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'unwind');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const ours = (name: string): OurThread[] =>
  (JSON.parse(read(name)) as { tid: number; pcs: string[] }[]).map((t) => ({ tid: t.tid, frames: t.pcs.map((pc) => ({ pc: BigInt(pc) })) }));

describe('parseGdbBacktraces', () => {
  it('reads threads by LWP, frames, addresses, names, signal frames and frame kinds', () => {
    const threads = parseGdbBacktraces(read('gdb-bt-signals.txt'));
    expect(threads.map((t) => t.num)).toEqual([4, 3, 2, 1]);
    const t4 = threads[0];
    expect(t4.frames.map((f) => f.level)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(t4.frames[0]).toMatchObject({ pc: null, func: 'futex_wait', kind: 'inline' });
    expect(t4.frames[2]).toMatchObject({ pc: 0x7fd2f912e482n, func: 'lll_mutex_lock_optimized', location: 'at ./nptl/pthread_mutex_lock.c:48' });
    expect(t4.frames[5]).toMatchObject({ signalHandler: true, func: null, kind: 'sigtramp' });
    expect(t4.frames[10].func).toBe('clone3');
    expect(threads[3].frames.at(-1)?.func).toBe('_start');
  });

  it('keeps C++ names whole: templates, lambdas, parameter lists', () => {
    const threads = parseGdbBacktraces(read('gdb-bt-cxx-mutex.txt'));
    const names = threads.flatMap((t) => t.frames.map((f) => f.func));
    expect(names).toContain('shop::ledger::Transfer<long>::lock_second');
    expect(names).toContain('std::lock_guard<std::mutex>::lock_guard');
    expect(names).toContain(
      'std::condition_variable::wait<shop::ledger::Mailbox<int>::take()::{lambda()#1}>(std::unique_lock<std::mutex>&, shop::ledger::Mailbox<int>::take()::{lambda()#1})',
    );
    expect(names).toContain(null); // "?? () from libstdc++"
  });
});

describe('physicalFrames', () => {
  it("folds inline groups; with gdb's frame kinds, drops tail-call frames; without, infers the same groups", () => {
    for (const file of ['gdb-bt-signals.txt', 'gdb-bt-cxx-mutex.txt']) {
      for (const t of parseGdbBacktraces(read(file))) {
        const withKinds = physicalFrames(t.frames);
        const textOnly = physicalFrames(t.frames.map((f) => ({ ...f, kind: null })));
        const tail = t.frames.filter((f) => f.kind === 'tailcall').length;
        expect(withKinds.tailCallFrames).toBe(tail);
        expect(textOnly.physical.length).toBe(withKinds.physical.length + tail);
        if (tail === 0) expect(textOnly.physical).toEqual(withKinds.physical);
      }
    }
    const t4 = parseGdbBacktraces(read('gdb-bt-signals.txt'))[0];
    const { physical } = physicalFrames(t4.frames);
    // #0-#1 (futex_wait inlined into __lll_lock_wait), #2-#3, #4, <signal handler called>, ...
    expect(physical.map((p) => p.levels)).toEqual([[0, 1], [2, 3], [4], [5], [6], [7], [8], [9], [10]]);
    expect(physical[3].signalHandler).toBe(true);
  });
});

describe('compareWithGdb', () => {
  it('counts every printed address of a physical frame, and ours agree on both fixtures', () => {
    for (const [gdb, mine] of [
      ['gdb-bt-signals.txt', 'ours-signals.json'],
      ['gdb-bt-cxx-mutex.txt', 'ours-cxx-mutex.json'],
    ]) {
      const r = compareWithGdb(ours(mine), read(gdb));
      expect(r.missingThreads).toEqual([]);
      expect(r.framesCompared).toBeGreaterThan(20);
      expect(r.pcMatches).toBe(r.framesCompared);
      expect(r.tailCallFrames).toBeGreaterThan(0);
    }
  });

  it('a dropped frame shifts the rest; extra frames and missing threads count against us', () => {
    const mine = ours('ours-signals.json');
    const t = mine[0];
    const dropped = [{ ...t, frames: [t.frames[0], ...t.frames.slice(2)] }, ...mine.slice(1)];
    const r1 = compareWithGdb(dropped, read('gdb-bt-signals.txt'));
    const c1 = r1.perThread.find((x) => x.tid === t.tid);
    expect(c1?.firstMismatch?.index).toBe(1);
    expect(c1?.matches).toBeLessThan(c1?.compared ?? 0);

    const extra = [{ ...t, frames: [...t.frames, { pc: 0x1234n }] }, ...mine.slice(1)];
    const c2 = compareWithGdb(extra, read('gdb-bt-signals.txt')).perThread.find((x) => x.tid === t.tid);
    expect(c2?.extraFrames).toBe(1);
    expect(c2?.compared).toBe((c2?.matches ?? 0) + 1);

    const r3 = compareWithGdb(mine.slice(1), read('gdb-bt-signals.txt'));
    expect(r3.missingThreads).toEqual([t.tid]);
    expect(r3.pcMatches).toBeLessThan(r3.framesCompared);
  });
});
