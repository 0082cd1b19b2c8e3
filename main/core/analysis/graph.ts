// The wait-for graph: threads and resources as nodes; "waits", "held-by" and "joins" edges with
// their evidence. Cycles (strongly connected components over proven edges) are deadlocks;
// chains that end in a thread that is not blocked are convoys; a verdict in plain words.
import { findThreadCycles } from './cycles';
import { type Evidence, type GraphEdge, type GraphNode, type GraphNodeKind, type LockGraph, type WaitChain, type WaitInfo } from '../../../shared/types';

export interface GraphThread {
  index: number;
  tid: number;
  wait: WaitInfo;
}

/** The graph node kind of the resource a wait is on. */
export const RESOURCE_KIND: Partial<Record<WaitInfo['kind'], GraphNodeKind>> = {
  mutex: 'mutex',
  'rwlock-read': 'rwlock',
  'rwlock-write': 'rwlock',
  condvar: 'condvar',
  semaphore: 'semaphore',
  futex: 'futex',
  'clr-suspend': 'runtime',
  'clr-jit': 'runtime',
  'clr-monitor': 'mutex',
};

const threadId = (tid: number) => `thread:${tid}`;

export function buildLockGraph(threads: readonly GraphThread[]): LockGraph {
  const byTid = new Map(threads.map((t) => [t.tid, t]));
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const label = (tid: number) => {
    const t = byTid.get(tid);
    return t ? `#${t.index} (tid ${tid})` : `tid ${tid}`;
  };
  const addThread = (tid: number) => {
    const id = threadId(tid);
    if (!nodes.has(id)) {
      if (byTid.has(tid)) nodes.set(id, { id, kind: 'thread', tid, label: `thread ${label(tid)}` });
      else nodes.set(id, { id, kind: 'exited-thread', tid, label: `tid ${tid} (not in the dump)` });
    }
    return id;
  };

  for (const t of threads) {
    const w = t.wait;
    if (!w.isLockWait) continue;
    const from = addThread(t.tid);
    if (w.kind === 'join') {
      if (w.holderTid !== null) edges.push({ from, to: addThread(w.holderTid), kind: 'joins', proven: true, evidence: w.evidence });
      continue;
    }
    const kind = RESOURCE_KIND[w.kind] ?? 'futex';
    const rid = `${kind}:${w.address ?? `unknown-${t.tid}`}`;
    if (!nodes.has(rid)) {
      const n: GraphNode = { id: rid, kind, label: w.objectName ? `${kind} ${w.objectName}` : `${kind} ${w.address ?? '?'}` };
      if (w.address) n.address = w.address;
      if (w.objectName) n.name = w.objectName;
      nodes.set(rid, n);
    }
    edges.push({ from, to: rid, kind: 'waits', proven: true, evidence: w.evidence.filter((e) => e.kind !== 'memory') });
    const holderEvidence = w.evidence.filter((e) => e.kind === 'memory');
    if (w.holderTid !== null) {
      const held = { from: rid, to: addThread(w.holderTid), kind: 'held-by' as const, proven: true, evidence: holderEvidence };
      if (!edges.some((e) => e.from === held.from && e.to === held.to && e.kind === 'held-by')) edges.push(held);
    } else if (w.likelyHolderTid !== null) {
      const likely = { from: rid, to: addThread(w.likelyHolderTid), kind: 'likely-held-by' as const, proven: false, evidence: w.evidence.filter((e) => e.kind === 'rule' || e.kind === 'transcript') };
      if (!edges.some((e) => e.from === likely.from && e.to === likely.to)) edges.push(likely);
    }
  }

  const nodeList = [...nodes.values()];
  // A cycle over proven edges is a deadlock; each as its threads in wait order from the lowest index.
  const cycles = findThreadCycles(
    nodeList.map((n) => n.id),
    edges.filter((e) => e.proven),
    (tid) => byTid.get(tid)?.index ?? 0,
  );
  const inCycle = new Set(cycles.flat());
  const chains = findChains(threads, byTid, inCycle);
  return { nodes: nodeList, edges, cycles, chains, verdict: verdictOf(threads, byTid, cycles, chains, edges) };
}

function endOf(w: WaitInfo): WaitChain['end'] {
  switch (w.kind) {
    case 'running':
      return 'running';
    case 'sleep':
      return 'sleeping';
    case 'io':
    case 'child':
    case 'signal':
      return 'io';
    default:
      return 'unknown';
  }
}

/** From each blocked thread outside a cycle, follow holders until the chain ends. */
function findChains(threads: readonly GraphThread[], byTid: Map<number, GraphThread>, inCycle: Set<number>): WaitChain[] {
  const chains: WaitChain[] = [];
  for (const t of threads) {
    if (!t.wait.isLockWait || inCycle.has(t.tid)) continue;
    const tids = [t.tid];
    let cur = t;
    let end: WaitChain['end'] = 'unknown';
    for (let guard = 0; guard < threads.length + 1; guard++) {
      const w = cur.wait;
      const next = w.holderTid ?? w.likelyHolderTid;
      if (!w.isLockWait) {
        end = endOf(w);
        break;
      }
      if (next === null) {
        end = 'no-owner';
        break;
      }
      if (!byTid.has(next)) {
        tids.push(next);
        end = 'exited';
        break;
      }
      if (tids.includes(next) || inCycle.has(next)) {
        tids.push(next);
        end = 'unknown';
        break;
      }
      tids.push(next);
      cur = byTid.get(next)!;
    }
    const last = byTid.get(tids[tids.length - 1]);
    chains.push({ tids, end, summary: chainSummary(tids, end, byTid, inCycle, last?.wait ?? null) });
  }
  return chains;
}

function who(tid: number, byTid: Map<number, GraphThread>): string {
  const t = byTid.get(tid);
  return t ? `thread #${t.index} (tid ${tid})` : `tid ${tid}`;
}

function chainSummary(tids: number[], end: WaitChain['end'], byTid: Map<number, GraphThread>, inCycle: Set<number>, lastWait: WaitInfo | null): string {
  const first = byTid.get(tids[0])!;
  const head = `${who(tids[0], byTid)} ${first.wait.summary.replace(/^waits/, 'waits')}`;
  if (tids.length === 1) return head;
  const last = tids[tids.length - 1];
  switch (end) {
    case 'running':
    case 'sleeping':
    case 'io':
      return `${head}; ${who(last, byTid)} is not blocked by another thread (${lastWait?.summary ?? end})`;
    case 'exited':
      return /not in the dump/.test(head) ? `${head}, so it will never be released` : `${head}; tid ${last} has exited, so it will never release it`;
    case 'no-owner':
      return `${head}; ${who(last, byTid)} ${lastWait?.summary ?? 'waits on an object with no owner'}`;
    case 'unknown':
      return inCycle.has(last) ? `${head}; ${who(last, byTid)} is part of a deadlock` : head;
  }
}

function verdictOf(threads: readonly GraphThread[], byTid: Map<number, GraphThread>, cycles: number[][], chains: WaitChain[], edges: GraphEdge[]) {
  const details: string[] = [];
  const cycleText = (cycle: number[]) => {
    const parts = cycle.map((tid, i) => {
      const t = byTid.get(tid)!;
      const w = t.wait;
      const nextTid = cycle[(i + 1) % cycle.length];
      if (w.kind === 'join') return `${who(tid, byTid)} waits to join ${i === cycle.length - 1 && cycle.length > 1 ? `thread #${byTid.get(nextTid)?.index}` : who(nextTid, byTid)}`;
      const obj = describeObject(w);
      const holder = i === cycle.length - 1 && cycle.length > 1 ? `thread #${byTid.get(nextTid)?.index}` : who(nextTid, byTid);
      if (cycle.length === 1) return `${who(tid, byTid)} waits for ${obj} that it already holds`;
      return `${who(tid, byTid)} waits for ${obj} held by ${holder}`;
    });
    return parts.map((p, i) => (i === 0 ? p : `which ${p.replace(/^thread #\d+ \(tid \d+\) /, '')}`)).join(', ');
  };
  if (cycles.length > 0) {
    const texts = cycles.map(cycleText);
    for (const c of chains) if (c.tids.some((tid) => cycles.some((cy) => cy.includes(tid)))) details.push(`Also blocked behind the deadlock: ${c.summary}.`);
    for (const c of chains) if (!c.tids.some((tid) => cycles.some((cy) => cy.includes(tid)))) details.push(`${capital(c.summary)}.`);
    const summary = cycles.length === 1 ? `Deadlock: ${texts[0]}.` : `Deadlock: ${cycles.length} cycles. ${texts.map((t, i) => `(${i + 1}) ${t}.`).join(' ')}`;
    return { deadlock: true, summary, details };
  }
  const blocked = threads.filter((t) => t.wait.isLockWait);
  if (blocked.length === 0) {
    return { deadlock: false, summary: `No deadlock: no thread is blocked on a lock (${threads.length} thread${threads.length === 1 ? '' : 's'}).`, details };
  }
  // Convoys: chains grouped by the thread at their end.
  const byEnd = new Map<number, WaitChain[]>();
  for (const c of chains) {
    if (c.tids.length < 2) continue;
    const last = c.tids[c.tids.length - 1];
    (byEnd.get(last) ?? byEnd.set(last, []).get(last)!).push(c);
  }
  const sentences: string[] = [];
  let suspicion = false;
  for (const [holder, cs] of byEnd) {
    const waiting = new Set(cs.map((c) => c.tids[0]));
    const h = byTid.get(holder);
    const end = cs[0].end;
    if (waiting.size === 1) {
      sentences.push(cs[0].summary);
    } else if (end === 'exited') {
      sentences.push(`${threadsWait(waiting.size)} for locks held by tid ${holder}, which has exited`);
    } else if (end === 'no-owner') {
      sentences.push(`${threadsWait(waiting.size)} behind ${who(holder, byTid)}, which ${h?.wait.summary ?? 'waits on an object with no owner'}`);
    } else {
      sentences.push(`${threadsWait(waiting.size)} behind ${who(holder, byTid)}, which is not blocked by another thread (${h?.wait.summary ?? end})`);
    }
    // An unproven suspicion worth saying: a thread holds what others wait for while it waits on
    // an object with no owner — if one of those waiters is the one that would wake it, they deadlock.
    if (h && end === 'no-owner') {
      suspicion = true;
      const waiters = [...waiting].map((tid) => who(tid, byTid));
      details.push(
        `Possible deadlock, not proven: ${who(holder, byTid)} holds what ${waiters.join(' and ')} ${waiters.length === 1 ? 'waits' : 'wait'} for, while it ${h.wait.summary}. If the thread that would wake it is among those waiters, they deadlock.`,
      );
    }
  }
  // Threads blocked on objects with no owner that no chain above already describes.
  const described = new Set<number>();
  for (const [holder, cs] of byEnd) {
    described.add(holder);
    for (const c of cs) c.tids.forEach((t) => described.add(t));
  }
  const noOwner = blocked.filter((t) => !described.has(t.tid) && t.wait.holderTid === null && t.wait.likelyHolderTid === null && t.wait.kind !== 'join');
  const byKind = new Map<string, number>();
  for (const t of noOwner) byKind.set(t.wait.kind, (byKind.get(t.wait.kind) ?? 0) + 1);
  const kindWords: Record<string, string> = {
    condvar: 'condition variables',
    semaphore: 'semaphores',
    futex: 'futexes with no known owner',
    mutex: 'mutexes whose holder is unknown',
    'rwlock-read': 'rwlocks held by readers',
    'rwlock-write': 'rwlocks held by readers',
  };
  const ownerless = [...byKind].map(([k, n]) => `${threadsWait(n)} on ${kindWords[k] ?? k}`);
  for (const c of chains) details.push(`${capital(c.summary)}.`);
  const parts = [...sentences, ...ownerless];
  const tail = byEnd.size === 0 ? '; none is blocked by another thread' : '';
  void edges;
  const abandoned = chains.some((c) => c.end === 'exited');
  const prefix = suspicion ? 'No proven deadlock' : abandoned ? 'No deadlock, but a lock was abandoned by a thread that exited' : 'No deadlock';
  return { deadlock: false, summary: `${prefix}: ${parts.join('; ')}${tail}.`, details };
}

/** "1 thread waits" / "3 threads wait". */
function threadsWait(n: number): string {
  return n === 1 ? '1 thread waits' : `${n} threads wait`;
}

function describeObject(w: WaitInfo): string {
  const kind = w.kind === 'rwlock-read' || w.kind === 'rwlock-write' ? 'rwlock' : w.kind === 'clr-monitor' ? 'monitor' : w.kind;
  return w.objectName ? `${kind} \`${w.objectName}\` (${w.address})` : `${kind} at ${w.address ?? '?'}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export type { Evidence };
