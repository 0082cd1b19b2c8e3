// The graph algorithm on hand-made waits (the scenarios on real cores are in
// test/integration/locks/); here: cycle shapes, chains, wording, and speed at scale.
import { describe, expect, it } from 'vitest';
import { buildLockGraph, type GraphThread } from '../../../main/core/analysis/graph';
import { type WaitInfo } from '../../../shared/types';

function wait(partial: Partial<WaitInfo>): WaitInfo {
  return { kind: 'mutex', summary: '', isLockWait: true, address: null, objectName: null, holderTid: null, likelyHolderTid: null, holderExited: false, timeout: false, evidence: [], ...partial };
}
const mutexWait = (addr: string, name: string, holder: number | null): WaitInfo =>
  wait({ kind: 'mutex', address: addr, objectName: name, holderTid: holder, summary: `waits for mutex \`${name}\` (${addr})`, evidence: [{ kind: 'memory', text: `__owner = ${holder}` }] });
const idle = (summary: string, kind: WaitInfo['kind'] = 'sleep'): WaitInfo => wait({ kind, isLockWait: false, summary });

describe('buildLockGraph', () => {
  it('finds a two-thread cycle and words it like a person', () => {
    const g = buildLockGraph([
      { index: 1, tid: 2298, wait: wait({ kind: 'join', holderTid: 2299, summary: 'waits to join thread #2 (tid 2299)' }) },
      { index: 2, tid: 2299, wait: mutexWait('0x563a88a060c0', 'b', 2300) },
      { index: 3, tid: 2300, wait: mutexWait('0x563a88a06080', 'a', 2299) },
    ]);
    expect(g.cycles).toEqual([[2299, 2300]]);
    expect(g.verdict.deadlock).toBe(true);
    expect(g.verdict.summary).toBe(
      'Deadlock: thread #2 (tid 2299) waits for mutex `b` (0x563a88a060c0) held by thread #3 (tid 2300), which waits for mutex `a` (0x563a88a06080) held by thread #2.',
    );
    expect(g.verdict.details.join(' ')).toMatch(/Also blocked behind the deadlock: thread #1 \(tid 2298\) waits to join/);
    expect(g.edges.filter((e) => e.kind === 'held-by')).toHaveLength(2);
    expect(g.edges.find((e) => e.kind === 'joins')).toMatchObject({ from: 'thread:2298', to: 'thread:2299' });
  });

  it('finds a self-deadlock and a three-thread ring', () => {
    const self = buildLockGraph([{ index: 2, tid: 7, wait: mutexWait('0x10', 'config_lock', 7) }]);
    expect(self.cycles).toEqual([[7]]);
    expect(self.verdict.summary).toMatch(/^Deadlock: thread #2 \(tid 7\) waits for mutex `config_lock` \(0x10\) that it already holds\.$/);
    const ring = buildLockGraph([
      { index: 2, tid: 12, wait: mutexWait('0x28', 'ring1', 13) },
      { index: 3, tid: 13, wait: mutexWait('0x30', 'ring2', 14) },
      { index: 4, tid: 14, wait: mutexWait('0x20', 'ring0', 12) },
    ]);
    expect(ring.cycles).toEqual([[12, 13, 14]]);
  });

  it('calls a convoy behind a sleeping holder a convoy, not a deadlock', () => {
    const threads: GraphThread[] = [{ index: 2, tid: 100, wait: idle('sleeping in clock_nanosleep') }];
    for (let i = 0; i < 8; i++) threads.push({ index: 3 + i, tid: 101 + i, wait: mutexWait('0x40', 'queue_lock', 100) });
    const g = buildLockGraph(threads);
    expect(g.cycles).toEqual([]);
    expect(g.verdict.deadlock).toBe(false);
    expect(g.verdict.summary).toBe('No deadlock: 8 threads wait behind thread #2 (tid 100), which is not blocked by another thread (sleeping in clock_nanosleep).');
    expect(g.chains.every((c) => c.end === 'sleeping')).toBe(true);
  });

  it('names a holder that exited', () => {
    const g = buildLockGraph([{ index: 2, tid: 5, wait: { ...mutexWait('0x50', 'm', 999), holderExited: true } }]);
    expect(g.nodes.find((n) => n.id === 'thread:999')?.kind).toBe('exited-thread');
    expect(g.chains[0].end).toBe('exited');
    expect(g.verdict.summary).toMatch(/^No deadlock, but a lock was abandoned by a thread that exited: thread #2 \(tid 5\) .*tid 999 has exited, so it will never release it\.$/);
  });

  it('never invents an owner for a condition variable, and says what is possible', () => {
    const g = buildLockGraph([
      { index: 2, tid: 20, wait: wait({ kind: 'condvar', address: '0x60', objectName: 'suspended', summary: 'waits on condition variable `suspended` (0x60); a condition variable has no owner' }) },
      { index: 3, tid: 21, wait: mutexWait('0x70', 'global_lock', 20) },
    ]);
    expect(g.cycles).toEqual([]);
    expect(g.edges.filter((e) => e.from === 'condvar:0x60')).toEqual([]);
    expect(g.verdict.deadlock).toBe(false);
    expect(g.verdict.details.join('\n')).toMatch(/^Possible deadlock, not proven: thread #2 \(tid 20\) holds what thread #3 \(tid 21\) waits for/m);
  });

  it('says "no deadlock" for 1000 idle threads on condition variables, quickly', () => {
    const threads: GraphThread[] = Array.from({ length: 1000 }, (_, i) => ({
      index: i + 2,
      tid: 1000 + i,
      wait: wait({ kind: 'condvar', address: '0x80', objectName: 'c', summary: 'waits on condition variable `c`' }),
    }));
    const started = performance.now();
    const g = buildLockGraph(threads);
    expect(performance.now() - started).toBeLessThan(500);
    expect(g.verdict.summary).toBe('No deadlock: 1000 threads wait on condition variables; none is blocked by another thread.');
    expect(g.nodes.filter((n) => n.kind === 'condvar')).toHaveLength(1);
  });
});
