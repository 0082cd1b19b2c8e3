// The comparison in words: what is confirmed first (deadlocks, then persistent blockers), then
// what moved, then what came and went. Threads are named as the lock verdict names them
// (`thread #2 (tid 1300)`), by their position in dump A (in B for a thread only B has).
import {
  type CompareInterval,
  type CompareVerdict,
  type ComparedDump,
  type ConfirmedDeadlock,
  type PersistentEdge,
  type ProcessIdentity,
  type ThreadCompareStatus,
  type ThreadComparison,
  type ThreadInfo,
  type WaitKind,
} from '../../../shared/types';
import { oneLine } from './frame-lines';
import { type WaitTriple } from './lock-edges';

/** Names threads in words. */
export class Namer {
  private readonly index = new Map<number, number>();

  constructor(a: readonly Pick<ThreadInfo, 'tid' | 'index'>[], b: readonly Pick<ThreadInfo, 'tid' | 'index'>[]) {
    for (const t of b) this.index.set(t.tid, t.index);
    for (const t of a) this.index.set(t.tid, t.index);
  }

  /** `thread #2 (tid 1300)`. */
  who(tid: number): string {
    const i = this.index.get(tid);
    return i === undefined ? `tid ${tid}` : `thread #${i} (tid ${tid})`;
  }

  capital(tid: number): string {
    return capital(this.who(tid));
  }

  /** `thread #2`, `threads #2 and #3`, `threads #2, #3 and #4`. */
  list(tids: readonly number[]): string {
    const names = tids.map((t) => {
      const i = this.index.get(t);
      return i === undefined ? `tid ${t}` : `#${i}`;
    });
    return `${tids.length === 1 ? 'thread' : 'threads'} ${andList(names)}`;
  }

  /** `tid 1300`, `tids 1300 and 1301`. */
  tids(tids: readonly number[]): string {
    return `${tids.length === 1 ? 'tid' : 'tids'} ${andList(tids.map(String))}`;
  }
}

export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `mutex \`b\` (0x…)`, `mutex at 0x…`; the name is untrusted text from the dump's symbols. */
export function describeResource(t: Pick<WaitTriple, 'resourceKind' | 'name' | 'address' | 'resource'>): string {
  const kind = t.resourceKind === 'runtime' ? 'the runtime' : t.resourceKind;
  if (t.name) return `${kind} \`${oneLine(t.name)}\`${t.address ? ` (${t.address})` : ''}`;
  return t.address ? `${kind} at ${t.address}` : kind;
}

const IDLE_WORDS: Partial<Record<WaitKind, string>> = {
  sleep: 'sleeping',
  io: 'waiting for I/O',
  child: 'waiting for a child process',
  signal: 'waiting for a signal',
  condvar: 'on a condition variable',
  semaphore: 'on a semaphore',
  futex: 'on a futex',
  syscall: 'in a system call',
  running: 'running at the same pc',
  unknown: 'state unknown',
};

export interface VerdictInput {
  namer: Namer;
  sameProcess: ProcessIdentity;
  interval: CompareInterval | null;
  threads: readonly ThreadComparison[];
  persistentEdges: readonly PersistentEdge[];
  confirmedDeadlocks: readonly ConfirmedDeadlock[];
  /** Cycles in both dumps that could not be confirmed, and why. */
  unconfirmedBoth: readonly { tids: number[]; why: string }[];
  deadlocksOnlyInA: readonly number[][];
  deadlocksOnlyInB: readonly number[][];
  dumpA: ComparedDump;
  dumpB: ComparedDump;
}

const MAX_DETAILS_PER_KIND = 20;

function capped(lines: string[], what: string): string[] {
  if (lines.length <= MAX_DETAILS_PER_KIND) return lines;
  return [...lines.slice(0, MAX_DETAILS_PER_KIND), `… and ${lines.length - MAX_DETAILS_PER_KIND} more ${what}.`];
}

export function compareVerdict(v: VerdictInput): CompareVerdict {
  const counts: Record<ThreadCompareStatus, number> = { stuck: 0, progressed: 0, new: 0, exited: 0 };
  for (const t of v.threads) counts[t.status]++;
  const { namer } = v;
  if (!v.sameProcess.same) return differentProcesses(v, counts);

  let when = v.interval ? `, taken ${v.interval.text} apart` : '';
  /** The time between the dumps is said once, in the first sentence that needs it. */
  const takeWhen = () => {
    const w = when;
    when = '';
    return w;
  };
  const sentences: string[] = [];
  const details: string[] = [];
  const covered = new Set<number>();

  // 1. Deadlocks present in both dumps, every thread at the same frames.
  const confirmed = v.confirmedDeadlocks;
  if (confirmed.length === 1) {
    const c = confirmed[0];
    sentences.push(
      c.tids.length === 1
        ? `${capital(namer.list(c.tids))} is blocked at the same frames in both dumps${takeWhen()}; its deadlock on a lock it already holds is confirmed.`
        : `${capital(namer.list(c.tids))} are blocked at the same frames in both dumps${takeWhen()}; the deadlock between them is confirmed.`,
    );
  } else if (confirmed.length > 1) {
    sentences.push(`${confirmed.length} deadlocks are confirmed: ${andList(confirmed.map((c) => namer.list(c.tids)))} are blocked at the same frames in both dumps${takeWhen()}.`);
  }
  for (const c of confirmed) {
    c.tids.forEach((t) => covered.add(t));
    details.push(`Confirmed deadlock (${namer.tids(c.tids)}): ${c.summary}`);
  }

  // 2. Persistent blockers outside the confirmed deadlocks, grouped by the thread holding the resource.
  const blockers = v.persistentEdges.filter((e) => !e.inConfirmedDeadlock && e.waiterStuck);
  const behindDeadlock = blockers.filter((e) => confirmed.some((c) => c.tids.includes(e.holderTid)));
  if (behindDeadlock.length > 0) {
    const waiters = [...new Set(behindDeadlock.map((e) => e.waiterTid))];
    sentences.push(`${capital(namer.list(waiters))} ${waiters.length === 1 ? 'waits' : 'wait'} behind it in both dumps.`);
    waiters.forEach((t) => covered.add(t));
  }
  const byHolder = new Map<string, PersistentEdge[]>();
  for (const e of blockers) {
    if (behindDeadlock.includes(e)) continue;
    const key = `${e.holderTid}|${e.resource}`;
    byHolder.set(key, [...(byHolder.get(key) ?? []), e]);
  }
  const status = new Map(v.threads.map((t) => [t.tid, t]));
  for (const edges of byHolder.values()) {
    const e = edges[0];
    const waiters = [...new Set(edges.map((x) => x.waiterTid))];
    const what = e.kind === 'joins' ? `to join ${namer.who(e.holderTid)}` : `for ${describeResource(e)} held by ${namer.who(e.holderTid)}`;
    const subject = waiters.length === 1 ? `${capital(namer.list(waiters))} has waited` : `${waiters.length} threads (${andList(waiters.map((t) => namer.list([t]).replace(/^thread /, '')))}) have waited`;
    const holder = status.get(e.holderTid);
    let tail = '';
    if (holder?.status === 'stuck') tail = `; ${namer.who(e.holderTid)} has not moved either${holder.b?.waitSummary ? ` (${holder.b.waitSummary})` : ''}`;
    else if (holder?.status === 'progressed') tail = `; ${namer.who(e.holderTid)} progressed, so it holds the lock long, but it runs`;
    sentences.push(`${subject} ${what} in both dumps${takeWhen()}, at the same frames${tail}.`);
    waiters.forEach((t) => covered.add(t));
    if (tail) covered.add(e.holderTid);
  }

  // 3. Deadlocks seen in one dump only, or cycles in both that did not hold still.
  for (const u of v.unconfirmedBoth) {
    sentences.push(`${capital(namer.list(u.tids))} form a wait cycle in both dumps ${u.why}: the deadlock is not confirmed.`);
    u.tids.forEach((t) => covered.add(t));
  }
  for (const c of v.deadlocksOnlyInA) sentences.push(`The deadlock of dump A (${namer.list(c)}) is not in dump B: it was broken (a timeout, a cancellation?) or it was not one.`);
  for (const c of v.deadlocksOnlyInB) sentences.push(`Dump B shows a deadlock (${namer.list(c)}) that dump A did not: it formed between the dumps.`);

  // 4. Everything else that both dumps have: blocked with no known owner, idle, or moving.
  const matched = v.threads.filter((t) => t.status === 'stuck' || t.status === 'progressed');
  const rest = matched.filter((t) => !covered.has(t.tid));
  const blockedNoOwner = rest.filter((t) => t.status === 'stuck' && t.b?.isLockWait);
  const idle = rest.filter((t) => t.status === 'stuck' && !t.b?.isLockWait);
  const moved = rest.filter((t) => t.status === 'progressed');
  const anyBlocked = confirmed.length > 0 || blockers.length > 0 || blockedNoOwner.length > 0;

  if (blockedNoOwner.length > 0) {
    const tids = blockedNoOwner.map((t) => t.tid);
    sentences.push(
      `${capital(namer.list(tids))} ${tids.length === 1 ? 'is' : 'are'} blocked at the same frames in both dumps${takeWhen()} (${kindsOf(blockedNoOwner)}), with no owner known.`,
    );
  }
  if (!anyBlocked && idle.length === 0 && moved.length > 0) {
    sentences.push(moved.length === 1 ? `No thread is stuck: the only thread progressed${takeWhen()}.` : `No thread is stuck: all ${moved.length} threads progressed${takeWhen()}.`);
  } else if (!anyBlocked && matched.length > 0) {
    const idlePart = `${idle.length} ${idle.length === 1 ? 'thread is' : 'threads are'} at the same frames (${kindsOf(idle)})`;
    const movedPart = moved.length === 0 ? 'none progressed' : `${moved.length} progressed`;
    sentences.push(`No thread is blocked by another in both dumps${takeWhen()}: ${idlePart} and ${movedPart}.`);
  } else if (anyBlocked) {
    const parts: string[] = [];
    if (moved.length > 0) parts.push(moved.length <= 3 ? `${capital(namer.list(moved.map((t) => t.tid)))} progressed` : `${moved.length} other threads progressed`);
    if (idle.length > 0) parts.push(`${idle.length} other ${idle.length === 1 ? 'thread is' : 'threads are'} at the same frames (${kindsOf(idle)})`);
    if (parts.length > 0) sentences.push(`${capital(andList(parts).replace(/^[a-z]/, (c) => c))}.`);
  } else if (matched.length === 0) {
    sentences.push(`The dumps have no thread in common${takeWhen()}.`);
  }

  // 5. Threads that came and went.
  if (counts.new > 0 || counts.exited > 0) {
    const parts: string[] = [];
    if (counts.new > 0) parts.push(`${counts.new} ${counts.new === 1 ? 'thread is' : 'threads are'} new in dump B`);
    if (counts.exited > 0) parts.push(`${counts.exited} ${counts.exited === 1 ? 'thread has' : 'threads have'} exited`);
    sentences.push(`${capital(andList(parts))}.`);
  }

  details.push(...capped(v.threads.filter((t) => t.status === 'progressed').map((t) => t.summary), 'threads progressed'));
  details.push(...capped(idle.map((t) => t.summary), 'threads at the same frames'));
  details.push(...capped(v.threads.filter((t) => t.status === 'new' || t.status === 'exited').map((t) => t.summary), 'threads came or went'));
  if (v.interval && v.interval.ms < 0) {
    details.push(`Dump B's file is older than dump A's (by ${v.interval.text}): "new" and "exited" read from A to B, so give the older dump first.`);
  }
  for (const c of v.sameProcess.checks) if (/cannot be ruled out/.test(c)) details.push(`Same process? ${capital(c)}.`);
  return { sameProcess: true, deadlockConfirmed: confirmed.length > 0, summary: sentences.join(' '), details, counts };
}

function kindsOf(threads: readonly ThreadComparison[]): string {
  const n = new Map<string, number>();
  for (const t of threads) {
    const w = (t.b?.waitKind ? IDLE_WORDS[t.b.waitKind] : undefined) ?? (t.b?.isLockWait ? (t.b.waitKind ?? 'blocked') : 'no wait known');
    n.set(w, (n.get(w) ?? 0) + 1);
  }
  return [...n].map(([w, k]) => (threads.length === 1 ? w : `${k} ${w}`)).join(', ');
}

function differentProcesses(v: VerdictInput, counts: Record<ThreadCompareStatus, number>): CompareVerdict {
  const { dumpA: a, dumpB: b } = v;
  const why = v.sameProcess.differences;
  const sentences = [
    `Dumps A and B are of different processes (${why[0]}${why.length > 1 ? `, and ${why.length - 1} more difference${why.length > 2 ? 's' : ''}` : ''}): their threads are not matched, so none is called stuck or progressed.`,
  ];
  const similar = v.threads.filter((t) => t.status === 'exited' && t.sameStackAs !== null).length;
  if (similar > 0) sentences.push(`${similar} of dump A's ${a.threadCount} threads ${similar === 1 ? 'has' : 'have'} a stack that is the same by symbols as a thread of dump B.`);
  const da = v.deadlocksOnlyInA.length;
  const db = v.deadlocksOnlyInB.length;
  if (da > 0 && db > 0) sentences.push('Both dumps show a deadlock.');
  else if (da > 0) sentences.push('Dump A shows a deadlock; dump B does not.');
  else if (db > 0) sentences.push('Dump B shows a deadlock; dump A does not.');
  const details = [
    ...why.map((d) => `Different: ${d}.`),
    `A: ${oneLine(a.process)} (pid ${a.pid}), ${a.threadCount} threads; B: ${oneLine(b.process)} (pid ${b.pid}), ${b.threadCount} threads.`,
    ...capped(
      v.threads.filter((t) => t.sameStackAs !== null && t.status === 'exited').map((t) => t.summary),
      'threads with a stack the same by symbols',
    ),
  ];
  return { sameProcess: false, deadlockConfirmed: false, summary: sentences.join(' '), details, counts };
}
