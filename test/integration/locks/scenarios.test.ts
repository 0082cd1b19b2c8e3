// `dumpscope locks --json` on real cores of programs whose threads end in known wait-for
// graphs. Each scenario asserts the exact edges (named by the roles the programs print), the
// cycles, the verdict and the exit code (3 only for a deadlock).
import { afterAll, describe, expect, it } from 'vitest';
import { captureCore, compile, type Captured, type RunOptions } from '../../helpers/native';
import * as P from '../../helpers/lock-programs';
import { MANY_THREADS } from '../../helpers/programs';
import { runCli, tempIndex } from '../../helpers/cli';
import { type LockGraph, type ThreadInfo } from '../../../shared/types';

interface LocksDoc extends LockGraph {
  schemaVersion: number;
}

const index = tempIndex();
const captured: Captured[] = [];
afterAll(() => captured.forEach((c) => c.remove()));

async function scenario(name: string, source: string, opts: { cxx?: boolean; run?: RunOptions } = {}) {
  const exe = compile(name, source, { cxx: opts.cxx, flags: ['-g', '-O0'] });
  const c = await captureCore(exe, { settleMs: 400, ...opts.run });
  captured.push(c);
  const r = runCli(['locks', c.core, '--json'], { index });
  expect(r.stderr).toBe('');
  const doc = JSON.parse(r.stdout) as LocksDoc;
  const threads = (JSON.parse(runCli(['threads', c.core, '--json'], { index }).stdout) as { threads: ThreadInfo[] }).threads;
  const role = new Map<number, string>();
  for (const { role: rl, tid } of c.tidLines) role.set(tid, rl);
  const nodeName = (id: string) => {
    const n = doc.nodes.find((x) => x.id === id)!;
    if (n.kind === 'thread' || n.kind === 'exited-thread') return role.get(n.tid!) ?? `tid ${n.tid}`;
    return `${n.kind} ${n.name ?? n.address}`;
  };
  const edges = doc.edges.map((e) => `${nodeName(e.from)} ${e.kind} ${nodeName(e.to)}`).sort();
  const cycles = doc.cycles.map((cy) => cy.map((tid) => role.get(tid) ?? `tid ${tid}`));
  const waitOf = (r: string) => threads.find((t) => t.tid === c.tids.get(r))!.wait!;
  return { code: r.code, doc, edges, cycles, waitOf, c };
}

describe('wait-for graphs of real deadlocks', () => {
  it('two threads taking two mutexes in opposite orders', async () => {
    const s = await scenario('lockorder', P.LOCK_ORDER_DEADLOCK);
    expect(s.code).toBe(3);
    expect(s.edges).toEqual(['first waits mutex b', 'main joins first', 'mutex a held-by first', 'mutex b held-by second', 'second waits mutex a'].sort());
    expect(s.cycles).toEqual([['first', 'second']]);
    expect(s.doc.verdict.summary).toMatch(
      /^Deadlock: thread #2 \(tid \d+\) waits for mutex `b` \(0x[0-9a-f]+\) held by thread #3 \(tid \d+\), which waits for mutex `a` \(0x[0-9a-f]+\) held by thread #2\.$/,
    );
    // Each edge carries its evidence: the system call, the frame, the memory read.
    const held = s.doc.edges.find((e) => e.kind === 'held-by')!;
    expect(held.evidence[0].text).toMatch(/^__owner \(mutex\+8\) = \d+; __lock = 2$/);
    const waits = s.doc.edges.find((e) => e.kind === 'waits')!;
    expect(waits.evidence.map((e) => e.kind)).toEqual(['register', 'frame']);
    expect(waits.evidence[1].text).toMatch(/__lll_lock_wait/);
  });

  it('a three-thread cycle', async () => {
    const s = await scenario('three', P.THREE_CYCLE);
    expect(s.code).toBe(3);
    expect(s.cycles).toEqual([['ring0', 'ring1', 'ring2']]);
    expect(s.edges).toEqual(
      ['main joins ring0', 'ring0 waits mutex ring1', 'mutex ring1 held-by ring1', 'ring1 waits mutex ring2', 'mutex ring2 held-by ring2', 'ring2 waits mutex ring0', 'mutex ring0 held-by ring0'].sort(),
    );
  });

  it('a C++ deadlock through std::lock_guard<std::mutex>', async () => {
    const s = await scenario('cxxdl', P.CXX_DEADLOCK, { cxx: true });
    expect(s.code).toBe(3);
    expect(s.edges).toEqual(
      ['main joins transfer', 'transfer waits mutex bank::audit_mutex', 'mutex bank::audit_mutex held-by audit', 'audit waits mutex bank::accounts_mutex', 'mutex bank::accounts_mutex held-by transfer'].sort(),
    );
    expect(s.doc.verdict.summary).toContain('`bank::audit_mutex`');
  });

  it('a thread joining a thread stuck on a mutex the joiner holds', async () => {
    const s = await scenario('joindl', P.JOIN_DEADLOCK);
    expect(s.code).toBe(3);
    expect(s.edges).toEqual(['main joins worker', 'worker waits mutex state_lock', 'mutex state_lock held-by main'].sort());
    expect(s.doc.verdict.summary).toMatch(/^Deadlock: thread #1 \(tid \d+\) waits to join thread #2 \(tid \d+\), which waits for mutex `state_lock` \(0x[0-9a-f]+\) held by thread #1\.$/);
  });

  it('a thread locking a normal mutex twice', async () => {
    const s = await scenario('selfdl', P.SELF_DEADLOCK);
    expect(s.code).toBe(3);
    expect(s.cycles).toEqual([['reload']]);
    expect(s.doc.verdict.summary).toMatch(/waits for mutex `config_lock` \(0x[0-9a-f]+\) that it already holds\.$/);
  });
});

describe('waits that are not deadlocks', () => {
  it('an rwlock held by a writer, with readers and a writer waiting', async () => {
    const s = await scenario('rww', P.RWLOCK_WRITER);
    expect(s.code).toBe(0);
    expect(s.edges).toEqual(['reader waits rwlock table_lock', 'reader waits rwlock table_lock', 'writer waits rwlock table_lock', 'rwlock table_lock held-by holder'].sort());
    expect(s.waitOf('writer').kind).toBe('rwlock-write');
    expect(s.waitOf('reader').kind).toBe('rwlock-read');
    expect(s.doc.verdict.summary).toMatch(/^No deadlock: 3 threads wait behind thread #2 \(tid \d+\), which is not blocked by another thread \(sleeping in clock_nanosleep\)\.$/);
  });

  it('an rwlock held by readers: no owner is invented', async () => {
    const s = await scenario('rwr', P.RWLOCK_READERS);
    expect(s.edges).toEqual(['writer waits rwlock cache_lock']);
    expect(s.waitOf('writer').summary).toMatch(/held by 2 readers/);
  });

  it('a recursive mutex held twice', async () => {
    const s = await scenario('rec', P.RECURSIVE_HELD_TWICE);
    expect(s.edges).toEqual(['waiter waits mutex registry_lock', 'mutex registry_lock held-by owner'].sort());
    expect(s.waitOf('waiter').summary).toMatch(/^waits for recursive mutex `registry_lock` \(0x[0-9a-f]+\) held by thread #2 \(tid \d+\), locked 2 times$/);
  });

  it('priority-inheritance and robust mutexes (owner in the lock word)', async () => {
    const s = await scenario('pirob', P.PI_AND_ROBUST);
    expect(s.edges).toEqual(['pi_waiter waits mutex pi_lock', 'mutex pi_lock held-by pi_owner', 'robust_waiter waits mutex robust_lock', 'mutex robust_lock held-by robust_owner'].sort());
    expect(s.waitOf('pi_waiter').summary).toMatch(/^waits for priority-inheritance mutex `pi_lock`/);
    expect(s.waitOf('robust_waiter').summary).toMatch(/^waits for robust mutex `robust_lock`/);
    const robustHeld = s.doc.edges.find((e) => e.kind === 'held-by' && e.from.includes(s.waitOf('robust_waiter').address!))!;
    expect(robustHeld.evidence[0].text).toMatch(/__lock \(mutex\+0\) = 0x8[0-9a-f]+: owner tid \d+, waiters/);
  });

  it('a convoy behind a sleeping holder', async () => {
    const s = await scenario('convoy', P.CONVOY, { run: { args: ['8'] } });
    expect(s.code).toBe(0);
    expect(s.cycles).toEqual([]);
    expect(s.edges.filter((e) => e === 'waiter waits mutex queue_lock')).toHaveLength(8);
    expect(s.edges).toContain('mutex queue_lock held-by holder');
    expect(s.doc.verdict.summary).toMatch(/^No deadlock: 8 threads wait behind thread #2 \(tid \d+\), which is not blocked by another thread \(sleeping in clock_nanosleep\)\.$/);
    expect(s.doc.chains.filter((c) => c.end === 'sleeping')).toHaveLength(8);
  });

  it('1000 idle threads on a condition variable', async () => {
    const s = await scenario('many', MANY_THREADS, { run: { args: ['1000'], stackKb: 128, timeoutMs: 120_000, settleMs: 1000 } });
    expect(s.code).toBe(0);
    expect(s.doc.verdict).toMatchObject({ deadlock: false, summary: 'No deadlock: 1000 threads wait on condition variables; none is blocked by another thread.' });
    expect(s.doc.nodes.filter((n) => n.kind === 'condvar')).toHaveLength(1);
    expect(s.doc.edges.filter((e) => e.kind === 'held-by')).toEqual([]);
  });

  it('the article\'s shape: a holder waiting on a timed condition variable', async () => {
    const s = await scenario('article', P.ARTICLE_SHAPE, { cxx: true });
    expect(s.code).toBe(0);
    expect(s.cycles).toEqual([]);
    expect(s.edges).toEqual(['A waits condvar profiler::suspended', 'B waits mutex profiler::global_lock', 'mutex profiler::global_lock held-by A', 'main joins A'].sort());
    expect(s.waitOf('A')).toMatchObject({ kind: 'condvar', timeout: true, holderTid: null, likelyHolderTid: null });
    expect(s.doc.verdict.deadlock).toBe(false);
    expect(s.doc.verdict.summary).toMatch(/^No proven deadlock: /);
    expect(s.doc.verdict.details.join('\n')).toMatch(/Possible deadlock, not proven: thread #2 \(tid \d+\) holds what .*thread #3 \(tid \d+\)/);
  });

  it('names locks with no symbol by where they lie: the heap, a thread\'s stack', async () => {
    const s = await scenario('heapstack', P.HEAP_AND_STACK_LOCKS);
    expect(s.waitOf('heap_waiter')).toMatchObject({ kind: 'mutex', objectName: 'heap', holderTid: s.c.tids.get('heap_owner') });
    const stackOwnerIndex = s.c.tidLines.findIndex((l) => l.role === 'stack_owner');
    expect(stackOwnerIndex).toBeGreaterThan(0);
    const w = s.waitOf('stack_waiter');
    expect(w).toMatchObject({ kind: 'mutex', holderTid: s.c.tids.get('stack_owner') });
    expect(w.objectName).toMatch(/^stack of thread #\d+$/);
    const ownerThreadIndex = Number(/#(\d+)/.exec(w.summary.split('held by ')[1])![1]);
    expect(w.objectName).toBe(`stack of thread #${ownerThreadIndex}`);
  });

  it('sleep, I/O, a child process and a semaphore are labelled, not lock waits on owners', async () => {
    const s = await scenario('nonlock', P.NON_LOCK_WAITS);
    expect(s.waitOf('sleeper')).toMatchObject({ kind: 'sleep', isLockWait: false });
    expect(s.waitOf('reader')).toMatchObject({ kind: 'io', isLockWait: false });
    expect(s.waitOf('child_waiter')).toMatchObject({ kind: 'child', isLockWait: false });
    expect(s.waitOf('child_waiter').summary).toMatch(/^waiting for child process \d+ in wait4$/);
    expect(s.waitOf('main')).toMatchObject({ kind: 'signal', isLockWait: false });
    expect(s.waitOf('sem_waiter')).toMatchObject({ kind: 'semaphore', holderTid: null, objectName: 'jobs' });
    expect(s.edges).toEqual(['sem_waiter waits semaphore jobs']);
    expect(s.code).toBe(0);
  });
});
