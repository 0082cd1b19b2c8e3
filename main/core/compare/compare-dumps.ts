// Two dumps, thread by thread. Pure: it takes what the API returns for each dump (summary,
// threads, stacks, lock graph, modules) and returns the comparison, so any caller — the service,
// the capture flow, a report, a test — computes the same thing.
import {
  type ComparedDump,
  type ConfirmedDeadlock,
  type DumpComparison,
  type DumpSummary,
  type LockGraph,
  type ModuleInfo,
  type PersistentEdge,
  type ThreadComparison,
  type ThreadInfo,
  type ThreadSide,
  type ThreadStack,
} from '../../../shared/types';
import { frameLine, symbolicKey } from './frame-lines';
import { intervalBetween } from './interval';
import { cycleKey, cycleResources, tripleKey, waitTriples, type WaitTriple } from './lock-edges';
import { compareProcessIdentity } from './process-identity';
import { divergenceOf, samePcs, stackPcs } from './stack-diff';
import { compareVerdict, describeResource, Namer } from './verdict';

/** A thread as the API lists it, with the managed id a .NET transcript may add. */
export interface CompareThread extends ThreadInfo {
  managedId?: number | null;
}

export interface CompareSide {
  dump: DumpSummary;
  threads: readonly CompareThread[];
  stacks: readonly ThreadStack[];
  locks: LockGraph;
  /** Lets the comparison tell a restarted process by its load addresses. */
  modules?: readonly ModuleInfo[];
  /** When the dump was taken (ms since the epoch); the file's modification time when absent. */
  capturedAtMs?: number | null;
}

function comparedDump(s: CompareSide): ComparedDump {
  const d = s.dump;
  return {
    dumpId: d.id,
    path: d.path,
    originalPath: d.originalPath ?? null,
    process: d.process,
    args: d.args,
    pid: d.pid,
    executable: d.executable,
    threadCount: d.threadCount,
    capturedAtMs: s.capturedAtMs === undefined ? d.mtimeMs : s.capturedAtMs,
  };
}

function sideOf(t: CompareThread): ThreadSide {
  return {
    index: t.index,
    dbg: t.dbg,
    tid: t.tid,
    osid: t.osid,
    name: t.name,
    managedId: t.managedId ?? null,
    state: t.state,
    waitKind: t.wait?.kind ?? null,
    waitSummary: t.wait?.summary ?? null,
    isLockWait: t.wait?.isLockWait ?? false,
    topFrame: t.topFrame,
    frameCount: t.frameCount,
  };
}

interface Pair {
  a: CompareThread | null;
  b: CompareThread | null;
  matchedBy: 'tid' | 'managedId' | null;
}

/** Same process: by tid (a managed id that disagrees means the tid was reused), then by managed id. */
function matchThreads(a: readonly CompareThread[], b: readonly CompareThread[], sameProcess: boolean): Pair[] {
  const pairs: Pair[] = [];
  const usedB = new Set<CompareThread>();
  const bByTid = new Map(b.map((t) => [t.tid, t]));
  const unmatchedA: CompareThread[] = [];
  for (const ta of a) {
    const tb = sameProcess ? bByTid.get(ta.tid) : undefined;
    const ma = ta.managedId ?? null;
    const mb = tb?.managedId ?? null;
    if (tb && !usedB.has(tb) && (ma === null || mb === null || ma === mb)) {
      usedB.add(tb);
      pairs.push({ a: ta, b: tb, matchedBy: 'tid' });
    } else unmatchedA.push(ta);
  }
  for (const ta of unmatchedA) {
    const m = ta.managedId ?? null;
    const tb = sameProcess && m !== null ? b.find((x) => !usedB.has(x) && (x.managedId ?? null) === m) : undefined;
    if (tb) {
      usedB.add(tb);
      pairs.push({ a: ta, b: tb, matchedBy: 'managedId' });
    } else pairs.push({ a: ta, b: null, matchedBy: null });
  }
  // A's order first (by A's index), then B's new threads in B's order.
  pairs.sort((x, y) => (x.a?.index ?? 0) - (y.a?.index ?? 0));
  for (const tb of b) if (!usedB.has(tb)) pairs.push({ a: null, b: tb, matchedBy: null });
  return pairs;
}

export function compareDumps(a: CompareSide, b: CompareSide): DumpComparison {
  const sameProcess = compareProcessIdentity({ dump: a.dump, modules: a.modules }, { dump: b.dump, modules: b.modules });
  const dumpA = comparedDump(a);
  const dumpB = comparedDump(b);
  const interval = intervalBetween(dumpA.capturedAtMs, dumpB.capturedAtMs);
  const stacksA = new Map(a.stacks.map((s) => [s.tid, s]));
  const stacksB = new Map(b.stacks.map((s) => [s.tid, s]));
  const namer = new Namer(a.threads, b.threads);
  const pairs = matchThreads(a.threads, b.threads, sameProcess.same);

  // Different processes: a stack the same by symbols is worth pointing at (the same hang again).
  const symbolic = (s: ThreadStack | undefined) => (s && s.frames.length > 0 ? s.frames.map(symbolicKey).join('\n') : null);
  const bySymbolsB = new Map<string, number>();
  const bySymbolsA = new Map<string, number>();
  if (!sameProcess.same) {
    for (const t of b.threads) {
      const k = symbolic(stacksB.get(t.tid));
      if (k !== null && !bySymbolsB.has(k)) bySymbolsB.set(k, t.tid);
    }
    for (const t of a.threads) {
      const k = symbolic(stacksA.get(t.tid));
      if (k !== null && !bySymbolsA.has(k)) bySymbolsA.set(k, t.tid);
    }
  }

  const threads: ThreadComparison[] = pairs.map((p) => {
    const sa = p.a ? stacksA.get(p.a.tid) : undefined;
    const sb = p.b ? stacksB.get(p.b.tid) : undefined;
    const framesA = sa ? sa.frames.map(frameLine) : [];
    const framesB = sb ? sb.frames.map(frameLine) : [];
    const tid = p.b?.tid ?? p.a!.tid;
    const base = { tid, matchedBy: p.matchedBy, a: p.a ? sideOf(p.a) : null, b: p.b ? sideOf(p.b) : null, framesA, framesB };
    if (p.a && p.b) {
      const pcsA = stackPcs(sa?.frames, p.a.registers.rip);
      const pcsB = stackPcs(sb?.frames, p.b.registers.rip);
      if (samePcs(pcsA, pcsB)) {
        const w = p.b.wait;
        const where = w ? `: ${w.summary}` : '';
        const summary = `${namer.capital(p.a.tid)} is ${w?.isLockWait ? 'blocked' : 'at the same frames'}${w?.isLockWait ? ' at the same frames' : ''} in both dumps${where}.`;
        return { ...base, status: 'stuck' as const, divergence: null, sameStackAs: null, summary };
      }
      const divergence = divergenceOf(pcsA, pcsB, sa?.frames ?? [], sb?.frames ?? []);
      return { ...base, status: 'progressed' as const, divergence, sameStackAs: null, summary: `${namer.capital(p.a.tid)} progressed: ${divergenceWords(divergence)}.` };
    }
    if (p.a) {
      const other = sameProcess.same ? null : (bySymbolsB.get(symbolic(sa) ?? '\0') ?? null);
      const top = p.a.topFrame ? ` (it was at ${p.a.topFrame})` : '';
      const summary = sameProcess.same ? `${namer.capital(p.a.tid)} exited: it is only in dump A${top}.` : `${namer.capital(p.a.tid)} is only in dump A${other !== null ? `; thread tid ${other} of dump B has the same stack by symbols` : ''}.`;
      return { ...base, status: 'exited' as const, divergence: null, sameStackAs: other, summary };
    }
    const tb = p.b!;
    const other = sameProcess.same ? null : (bySymbolsA.get(symbolic(sb) ?? '\0') ?? null);
    const top = tb.topFrame ? ` (at ${tb.topFrame})` : '';
    const summary = sameProcess.same ? `${namer.capital(tb.tid)} is new in dump B${top}.` : `${namer.capital(tb.tid)} is only in dump B${other !== null ? `; thread tid ${other} of dump A has the same stack by symbols` : ''}.`;
    return { ...base, status: 'new' as const, divergence: null, sameStackAs: other, summary };
  });

  const status = new Map(threads.map((t) => [t.tid, t.status]));
  const stuck = (tid: number) => status.get(tid) === 'stuck';

  // Edges and cycles are only comparable within one process: addresses and tids mean nothing across two.
  const triplesA = waitTriples(a.locks);
  const triplesB = waitTriples(b.locks);
  const persistent: { ta: WaitTriple; tb: WaitTriple }[] = [];
  if (sameProcess.same) {
    const inA = new Map(triplesA.map((t) => [tripleKey(t), t]));
    for (const tb of triplesB) {
      const ta = inA.get(tripleKey(tb));
      if (ta) persistent.push({ ta, tb });
    }
  }
  const cyclesA = new Map(a.locks.cycles.map((c) => [cycleKey(c), c]));
  const cyclesB = new Map(b.locks.cycles.map((c) => [cycleKey(c), c]));
  const confirmedDeadlocks: ConfirmedDeadlock[] = [];
  const unconfirmedBoth: { tids: number[]; why: string }[] = [];
  if (sameProcess.same) {
    for (const [key, cycle] of cyclesB) {
      if (!cyclesA.has(key)) continue;
      const ra = cycleResources(cycle, triplesA);
      const rb = cycleResources(cycle, triplesB);
      const sameResources = rb.every((t, i) => t !== null && ra[i] !== null && t.resource === ra[i]!.resource);
      const moved = cycle.filter((tid) => !stuck(tid));
      if (sameResources && moved.length === 0) {
        const res = rb.map((t) => t!.resource);
        confirmedDeadlocks.push({ tids: [...cycle], resources: res, summary: `${namer.list(cycle)} wait for each other in both dumps (${rb.map((t) => describeResource(t!)).join(', ')}), at the same frames.` });
      } else {
        unconfirmedBoth.push({
          tids: [...cycle],
          why: !sameResources ? 'through other resources' : `but ${namer.list(moved)} ${moved.length === 1 ? 'is' : 'are'} not at the same frames`,
        });
      }
    }
  }
  const inConfirmed = new Set(confirmedDeadlocks.flatMap((c) => c.tids));
  const persistentEdges: PersistentEdge[] = persistent.map(({ ta, tb }) => {
    const inCycle = inConfirmed.has(tb.waiterTid) && inConfirmed.has(tb.holderTid);
    const what = tb.kind === 'joins' ? `waits to join ${namer.who(tb.holderTid)}` : `waits for ${describeResource(tb)} held by ${namer.who(tb.holderTid)}`;
    return {
      waiterTid: tb.waiterTid,
      resource: tb.resource,
      resourceKind: tb.resourceKind,
      address: tb.address,
      name: tb.name,
      holderTid: tb.holderTid,
      kind: tb.kind,
      proven: ta.proven && tb.proven,
      waiterStuck: stuck(tb.waiterTid),
      holderStuck: stuck(tb.holderTid),
      inConfirmedDeadlock: inCycle,
      summary: `${namer.capital(tb.waiterTid)} ${what} in both dumps${ta.proven && tb.proven ? '' : ' (holder not proven)'}.`,
    };
  });
  const deadlocksOnlyInA = sameProcess.same ? [...cyclesA].filter(([k]) => !cyclesB.has(k)).map(([, c]) => c) : a.locks.cycles;
  const deadlocksOnlyInB = sameProcess.same ? [...cyclesB].filter(([k]) => !cyclesA.has(k)).map(([, c]) => c) : b.locks.cycles;

  const verdict = compareVerdict({
    namer,
    sameProcess,
    interval,
    threads,
    persistentEdges,
    confirmedDeadlocks,
    unconfirmedBoth,
    deadlocksOnlyInA,
    deadlocksOnlyInB,
    dumpA,
    dumpB,
  });
  return { dumpA, dumpB, sameProcess, interval, threads, persistentEdges, confirmedDeadlocks, deadlocksOnlyInA, deadlocksOnlyInB, verdict };
}

function divergenceWords(d: ReturnType<typeof divergenceOf>): string {
  const parts: string[] = [];
  if (d.commonOuterFrames > 0) parts.push(`its stacks share ${d.commonOuterFrames} outer frame${d.commonOuterFrames === 1 ? '' : 's'} (down to ${d.lastCommonFrame})`);
  else parts.push('its stacks share no frame');
  const side = (label: string, name: string | null, index: number | null) => (name === null ? `${label} ends there` : `${label} is at ${name} (frame #${index})`);
  parts.push(`then ${side('A', d.frameA, d.indexA)}, ${side('B', d.frameB, d.indexB)}`);
  return parts.join('; ');
}
