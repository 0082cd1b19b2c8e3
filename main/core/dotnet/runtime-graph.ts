// The runtime-aware wait-for graph: CoreCLR rules (runtime-rules.ts) turned into wait-for
// edges with their evidence, on top of what the dump proves (mutex owners read from memory).
// The shape is the native graph's (shared LockGraph: nodes, edges, cycles, chains, verdict), so
// `dumpscope locks`, `dumpscope import` and the UI show both alike. An edge a rule infers but
// no memory proves is `likely-held-by` with proven: false; a cycle that closes only through such
// an edge is a *likely* deadlock, never called a deadlock.

import { type Evidence, type GraphEdge, type GraphNode, type GraphNodeKind, type LockGraph, type WaitChain, type WaitInfo } from '../../../shared/types';
import { findThreadCycles } from '../analysis/cycles';
import { RESOURCE_KIND } from '../analysis/graph';
import { type NativeStack, type RuleFrame } from './rule-frames';
import {
  entryPoint,
  findJit,
  findMonitorWait,
  findNativeLockWait,
  findPrestub,
  findSuspension,
  findTypeLoad,
  framesInModule,
  isCooperative,
  reasonWords,
  type MonitorMatch,
  type NativeLockMatch,
  type PrestubMatch,
  type SuspensionMatch,
} from './runtime-rules';
import { decodeThreadState } from './thread-state';
import { type ClrStackFrame, type SyncBlockEntry, type ThreadStateLayout } from './types';

export interface RuntimeThread {
  tid: number;
  /** The dump's 1-based index (= lldb's #N), else lldb's #N from a transcript; null when unknown. */
  index: number | null;
  /** dotnet-dump's DBG (0-based), named in labels when the index is not known. */
  dbg: number | null;
  gcMode: string | null;
  state: number | null;
  /** The clrthreads row as printed, quoted as evidence. */
  clrthreadsRow: string | null;
  native: NativeStack | null;
  managed: ClrStackFrame[] | null;
  /** The dump's own analysis of this thread's wait (owners proven from memory). */
  dumpWait: WaitInfo | null;
}

export interface MethodState {
  name: string;
  jitted: boolean | null;
  source: 'name2ee' | 'dumpmt';
}

export interface RuntimeGraphInput {
  threads: RuntimeThread[];
  syncblk: SyncBlockEntry[];
  methods: MethodState[];
  stateLayout: ThreadStateLayout;
  /** A dump backs the threads: mutex owners are read from its memory, not guessed. */
  haveDump: boolean;
  /** The dump's native graph, whose verdict is kept when no runtime rule applies. */
  nativeGraph: LockGraph | null;
}

export interface RuntimeGraphResult {
  graph: LockGraph;
  /** tid -> what the rules say the thread does, in words. */
  roles: Map<number, string>;
  /** tid -> the wait the graph was built from. */
  waits: Map<number, WaitInfo>;
  /** True when a rule added something to the dump's own analysis. */
  runtimeAware: boolean;
}

interface Classified {
  t: RuntimeThread;
  wait: WaitInfo | null;
  suspension: SuspensionMatch | null;
  lock: NativeLockMatch | null;
  prestub: PrestubMatch | null;
  monitor: MonitorMatch | null;
  jit: RuleFrame | null;
  typeLoad: RuleFrame | null;
  cooperative: boolean | null;
  /** For a mutex wait: the component (module) whose code takes the lock. */
  component: string | null;
  /** Whether the waits edge is proven (false when a monitor was picked from syncblk by elimination). */
  waitProven: boolean;
  /** Text describing what it is blocked in, for the cooperative rule. */
  blockedIn: string | null;
  /** SOS's State word has TS_GCSuspendPending: a suspension is waiting for this thread. */
  suspendPending: boolean;
}

const SYSTEM_MODULE = /^(?:libc\.so|libc-[\d.]+\.so|libpthread|ld-linux|ld-[\d.]+\.so|libstdc\+\+|libgcc_s)/;

function blank(kind: WaitInfo['kind'], summary: string, isLockWait: boolean, evidence: Evidence[]): WaitInfo {
  return { kind, summary, isLockWait, address: null, objectName: null, holderTid: null, likelyHolderTid: null, holderExited: false, timeout: false, evidence };
}

function frameEv(f: RuleFrame, source: string, what: string): Evidence {
  return { kind: source === 'dump' ? 'frame' : 'transcript', frame: f.index, text: `${source === 'dump' ? '' : `${source} `}frame #${f.index} ${f.module ?? '?'}\`${f.function ?? f.pc ?? '?'}: ${what}` };
}

function managedEv(f: ClrStackFrame, what: string): Evidence {
  return { kind: 'transcript', text: `clrstack: ${f.raw.trim()} — ${what}` };
}

/** Builds the runtime-aware graph. Pure; bounded by the threads given. */
export function buildRuntimeGraph(input: RuntimeGraphInput): RuntimeGraphResult {
  const byTid = new Map(input.threads.map((t) => [t.tid, t]));
  const who = (tid: number): string => {
    const t = byTid.get(tid);
    if (t && t.index !== null) return `thread #${t.index} (tid ${tid})`;
    return t && t.dbg !== null ? `tid ${tid} (DBG ${t.dbg})` : `tid ${tid}`;
  };
  const short = (tid: number): string => {
    const t = byTid.get(tid);
    return t && t.index !== null ? `thread #${t.index}` : `tid ${tid}`;
  };

  const classified = input.threads.map((t) => classify(t, input));
  const byClass = new Map(classified.map((c) => [c.t.tid, c]));
  const suspenders = classified.filter((c) => c.suspension !== null);
  const cooperative = classified.filter((c) => c.cooperative === true);
  const gcModesKnown = classified.some((c) => c.cooperative !== null);
  let runtimeAware = suspenders.length > 0 || classified.some((c) => c.cooperative !== null || c.prestub !== null || c.monitor !== null);

  const likelyReasons = new Map<number, string>();
  // Rule: the owner of a mutex that text cannot prove is likely the thread that is inside the
  // same native component (its entry point still on the stack) and blocked on the suspension —
  // the component took its lock and then called into the runtime, which suspends.
  for (const c of classified) {
    const w = c.wait;
    if (w === null || w.kind !== 'mutex' || w.holderTid !== null || c.component === null) continue;
    const candidates = suspenders.filter((s) => s.t.tid !== c.t.tid && framesInModule(s.t.native, c.component ?? '').length > 0);
    if (candidates.length !== 1) continue;
    const s = candidates[0];
    const entry = entryPoint(s.t.native, c.component);
    const inner = framesInModule(s.t.native, c.component)[0];
    const path = entry && inner && entry !== inner ? `${entry.function} → ${inner.function}` : (entry?.function ?? '?');
    w.likelyHolderTid = s.t.tid;
    const reason = `it is inside ${c.component} (${path}) and waits for the runtime suspension, so a lock the component took before calling into the runtime is still held there`;
    const tail = input.haveDump ? `The mutex's memory does not name its owner.` : `A transcript cannot show the mutex's owner; the dump's \`__owner\` field would prove it.`;
    likelyReasons.set(c.t.tid, `${reason}. ${tail}`);
    w.evidence.push({ kind: 'rule', text: `likely holder: ${who(s.t.tid)}: ${reason}. ${tail}` });
    runtimeAware = true;
  }

  // Monitors: owners from syncblk.
  const ownerOf = new Map<string, SyncBlockEntry>();
  for (const e of input.syncblk) if (e.objectAddress !== null) ownerOf.set(e.objectAddress, e);

  // ---- nodes and edges
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const threadNode = (tid: number): string => {
    const id = `thread:${tid}`;
    if (!nodes.has(id)) {
      if (byTid.has(tid)) nodes.set(id, { id, kind: 'thread', tid, label: who(tid) });
      else nodes.set(id, { id, kind: input.haveDump ? 'exited-thread' : 'thread', tid, label: input.haveDump ? `tid ${tid} (not in the dump)` : `tid ${tid}` });
    }
    return id;
  };
  const edgeKeys = new Set<string>();
  const addEdge = (e: GraphEdge) => {
    const key = `${e.from}\n${e.to}\n${e.kind}`;
    if (edgeKeys.has(key)) return;
    edgeKeys.add(key);
    edges.push(e);
  };

  for (const c of classified) {
    const w = c.wait;
    if (w === null || !w.isLockWait) continue;
    const from = threadNode(c.t.tid);
    if (w.kind === 'join') {
      if (w.holderTid !== null) addEdge({ from, to: threadNode(w.holderTid), kind: 'joins', proven: true, evidence: w.evidence });
      continue;
    }
    const kind = RESOURCE_KIND[w.kind] ?? 'futex';
    const rid = w.kind === 'clr-suspend' ? `runtime:suspension-${c.t.tid}` : `${kind}:${w.address ?? `unknown-${c.t.tid}`}`;
    if (!nodes.has(rid)) nodes.set(rid, resourceNode(rid, kind, w));
    addEdge({ from, to: rid, kind: 'waits', proven: c.waitProven, evidence: w.evidence.filter((e) => e.kind !== 'memory' && !(e.kind === 'rule' && e.text.startsWith('likely holder'))) });
    if (w.holderTid !== null) {
      const ev = w.evidence.filter((e) => e.kind === 'memory' || (w.kind === 'clr-monitor' && e.text.startsWith('syncblk')));
      addEdge({ from: rid, to: threadNode(w.holderTid), kind: 'held-by', proven: true, evidence: ev });
    } else if (w.likelyHolderTid !== null) {
      addEdge({ from: rid, to: threadNode(w.likelyHolderTid), kind: 'likely-held-by', proven: false, evidence: w.evidence.filter((e) => e.kind === 'rule' && e.text.startsWith('likely holder')) });
    }
    if (w.kind === 'clr-suspend') {
      for (const k of cooperative) {
        if (k.t.tid === c.t.tid) continue;
        const ev: Evidence[] = [{ kind: 'rule', text: 'SuspendRuntime waits until every thread in cooperative GC mode reaches a safe point or leaves cooperative mode' }];
        if (k.t.clrthreadsRow !== null) ev.push({ kind: 'transcript', text: `clrthreads: ${k.t.clrthreadsRow.trim()} — GC Mode ${k.t.gcMode ?? '?'}` });
        const pending = suspendPendingBit(k.t.state, input.stateLayout);
        if (pending !== null) ev.push({ kind: 'transcript', text: pending });
        addEdge({ from: rid, to: threadNode(k.t.tid), kind: 'waits-for-suspension', proven: true, evidence: ev });
      }
    }
  }
  // Monitor owners whose waiters we did not see still show who holds what.
  for (const e of input.syncblk) {
    if (e.owner === null || e.owner.tid === null || e.objectAddress === null || e.waiters === 0) continue;
    const rid = `mutex:${e.objectAddress}`;
    if (!nodes.has(rid)) continue;
    addEdge({ from: rid, to: threadNode(e.owner.tid), kind: 'held-by', proven: true, evidence: [{ kind: 'transcript', text: `syncblk: ${e.raw.trim()}` }] });
  }

  const nodeList = [...nodes.values()];
  const order = (tid: number) => byTid.get(tid)?.index ?? Number.MAX_SAFE_INTEGER - 1e6 + tid;
  const cycles = findThreadCycles(nodeList.map((n) => n.id), edges.filter((e) => e.proven), order);
  const provenKeys = new Set(cycles.map((cy) => [...cy].sort((a, b) => a - b).join(',')));
  const likelyCycles = findThreadCycles(nodeList.map((n) => n.id), edges, order).filter((cy) => !provenKeys.has([...cy].sort((a, b) => a - b).join(',')));

  const roles = new Map<number, string>();
  for (const c of classified) {
    const r = roleOf(c, suspenders.length > 0, input.methods);
    if (r !== null) roles.set(c.t.tid, r);
  }
  const waits = new Map<number, WaitInfo>();
  for (const c of classified) if (c.wait !== null) waits.set(c.t.tid, c.wait);

  const chains = chainsOf(classified, byClass, new Set([...cycles, ...likelyCycles].flat()), who);
  const ctx: VerdictContext = { who, short, byClass, edges, cooperative, gcModesKnown, haveDump: input.haveDump, methods: input.methods, likelyReasons };
  const verdict =
    !runtimeAware && input.nativeGraph !== null && cycles.length === 0 && likelyCycles.length === 0
      ? { ...input.nativeGraph.verdict, likely: false }
      : verdictOf(cycles, likelyCycles, suspenders, chains, ctx, input.nativeGraph);
  return { graph: { nodes: nodeList, edges, cycles, likelyCycles, chains, verdict }, roles, waits, runtimeAware };
}

function resourceNode(id: string, kind: GraphNodeKind, w: WaitInfo): GraphNode {
  const n: GraphNode = { id, kind, label: '' };
  if (w.address !== null) n.address = w.address;
  if (w.objectName !== null) n.name = w.objectName;
  if (w.kind === 'clr-suspend') n.label = w.objectName ?? 'runtime suspension';
  else if (w.kind === 'clr-monitor') n.label = w.objectName !== null ? `monitor ${w.objectName}` : `monitor ${w.address ?? '(object not known)'}`;
  else if (w.address === null && w.objectName !== null) n.label = w.objectName;
  else n.label = w.objectName !== null ? `${kind} ${w.objectName}` : `${kind} ${w.address ?? '?'}`;
  return n;
}

function suspendPendingBit(state: number | null, layout: ThreadStateLayout): string | null {
  if (state === null || (state & 0x2) === 0) return null;
  const d = decodeThreadState(state, layout);
  const f = d.flags.find((x) => x.bit === 0x2);
  if (!f || f.name !== 'TS_GCSuspendPending') return null;
  return `State ${d.hex} has TS_GCSuspendPending (0x2)${f.certain ? '' : ' in the .NET Core 2.x/3.x layout'}: the runtime has asked this thread to stop for the suspension`;
}

function classify(t: RuntimeThread, input: RuntimeGraphInput): Classified {
  const suspension = findSuspension(t.native);
  const lock = findNativeLockWait(t.native);
  const prestub = findPrestub(t.managed, t.native);
  const monitor = findMonitorWait(t.managed, t.native);
  const jit = findJit(t.native);
  const typeLoad = findTypeLoad(t.native);
  const c: Classified = {
    t,
    wait: null,
    suspension,
    lock,
    prestub,
    monitor,
    jit,
    typeLoad,
    cooperative: isCooperative(t.gcMode),
    component: null,
    waitProven: true,
    blockedIn: null,
    suspendPending: suspendPendingBit(t.state, input.stateLayout) !== null,
  };
  const src = t.native?.source ?? 'dump';
  const prestubText = prestub ? prestubWords(prestub, input.methods) : null;

  if (suspension !== null) {
    const why = reasonWords(suspension.reason);
    const w = blank('clr-suspend', `suspends the runtime${why} and waits for every thread in cooperative GC mode to reach a safe point`, true, [
      ...suspension.frames.map((f) => frameEv(f, src, f === suspension.frame ? 'the runtime suspension loop' : f === suspension.reasonFrame ? `why it suspends${why}` : 'suspension path')),
    ]);
    w.objectName = `runtime suspension${why}`;
    w.timeout = true;
    c.wait = w;
    return c;
  }

  const dw = t.dumpWait;
  if (lock !== null) {
    const caller = lock.caller;
    c.component = caller !== null && caller.module !== null && !SYSTEM_MODULE.test(caller.module) ? caller.module : null;
    const where = caller?.function ? ` in ${caller.function}` : '';
    const plumbing = lock.lockFrames.find((f) => f.function !== null && /lock_guard|unique_lock|scoped_lock/.test(f.function));
    const guard = plumbing ? ` (${plumbing.function?.replace(/::(?:lock_guard|unique_lock|scoped_lock)$/, '')})` : '';
    const named = lock.address === null ? `a native mutex${where}` : lock.symbol !== null ? `mutex \`${lock.symbol}\` (${lock.address})${where}` : `mutex at ${lock.address}${where}`;
    c.blockedIn = `waits for ${named}${guard}`;
    if (dw !== null && dw.kind === 'mutex') {
      // The dump proves the mutex and, from its __owner field, the holder.
      const w: WaitInfo = { ...dw, evidence: [...dw.evidence] };
      if (where !== '' && !w.summary.includes(where)) w.summary = w.summary.replace(/^waits for (\S+ (?:`[^`]*` \(0x[0-9a-f]+\)|at 0x[0-9a-f]+))/, `waits for $1${where}`);
      if (caller !== null) w.evidence.push(frameEv(caller, src, 'takes the lock'));
      if (prestubText !== null) w.summary += `, ${prestubText}`;
      c.wait = w;
      return c;
    }
    const w = blank('mutex', `waits for ${named}; its owner is not in the text`, true, [
      ...lock.lockFrames.map((f) => frameEv(f, src, 'taking a pthread mutex')),
      ...(caller !== null ? [frameEv(caller, src, 'takes the lock')] : []),
    ]);
    w.address = lock.address;
    w.objectName = lock.address === null ? `native mutex${where}` : lock.symbol;
    if (prestubText !== null) w.summary += ` (${prestubText})`;
    c.wait = w;
    return c;
  }

  if (monitor !== null) {
    c.wait = monitorWait(c, monitor, input.syncblk);
    c.blockedIn = 'waits to enter a monitor';
    return c;
  }

  if (dw !== null && dw.isLockWait) {
    c.wait = dw;
    c.blockedIn = dw.summary;
    return c;
  }

  if (prestub !== null) {
    const ev: Evidence[] = [];
    if (prestub.managedFrame) ev.push(managedEv(prestub.managedFrame, 'the method is being prepared by the prestub'));
    if (prestub.nativeFrame) ev.push(frameEv(prestub.nativeFrame, src, 'the prestub'));
    if (jit !== null) ev.push(frameEv(jit, src, 'the JIT is compiling'));
    c.wait = blank('clr-jit', prestubText ?? 'waits for a method to be prepared (JIT)', false, ev);
    c.blockedIn = prestubText;
    return c;
  }
  if (typeLoad !== null) {
    c.wait = blank('clr-jit', `loads a type or runs a class constructor (${typeLoad.function})`, false, [frameEv(typeLoad, src, 'type load')]);
    c.blockedIn = c.wait.summary;
    return c;
  }
  if (jit !== null) {
    c.wait = blank('clr-jit', `the JIT is compiling a method (${jit.function})`, false, [frameEv(jit, src, 'the JIT')]);
    c.blockedIn = c.wait.summary;
    return c;
  }
  c.wait = dw;
  return c;
}

function prestubWords(p: PrestubMatch, methods: readonly MethodState[]): string {
  const name = p.method;
  if (name === null) return 'in the prestub: a method is being prepared (JIT)';
  const state = jitStateOf(name, methods);
  return `waits for ${name} to be prepared (JIT)${state === null ? '' : state.jitted === false ? `; ${state.source} says it is not JITted yet` : state.jitted ? `; ${state.source} says it is JITted` : ''}`;
}

/** What name2ee / dumpmt -md said about a method (matched by its name without the argument list). */
export function jitStateOf(method: string, methods: readonly MethodState[]): MethodState | null {
  const bare = (s: string) => {
    const i = s.indexOf('(');
    return (i >= 0 ? s.slice(0, i) : s).trim();
  };
  const target = bare(method);
  return methods.find((m) => bare(m.name) === target && m.jitted !== null) ?? null;
}

function monitorWait(c: Classified, m: MonitorMatch, syncblk: readonly SyncBlockEntry[]): WaitInfo {
  const ev: Evidence[] = [];
  if (m.managedFrame) ev.push(managedEv(m.managedFrame, 'entering a monitor (C# lock)'));
  if (m.nativeFrame) ev.push(frameEv(m.nativeFrame, c.t.native?.source ?? 'dump', 'AwareLock: waiting for the monitor'));
  let entry: SyncBlockEntry | null = null;
  if (m.objectAddress !== null) entry = syncblk.find((e) => e.objectAddress === m.objectAddress) ?? null;
  else {
    // Without the object, the monitor is inferred: the only one with waiters that this thread does not own.
    const candidates = syncblk.filter((e) => e.waiters > 0 && e.owner?.tid !== c.t.tid);
    if (candidates.length === 1) {
      entry = candidates[0];
      c.waitProven = false;
      ev.push({ kind: 'rule', text: `syncblk lists one monitor with waiters that this thread does not own (${entry.objectType ?? 'object'} ${entry.objectAddress ?? '?'}): the thread probably waits for it` });
    }
  }
  const w = blank('clr-monitor', '', true, ev);
  if (entry === null) {
    w.summary = 'waits to enter a monitor; which object is not known (clrstack -a or syncblk would say)';
    return w;
  }
  w.address = entry.objectAddress;
  w.objectName = `${entry.objectType ?? 'object'} ${entry.objectAddress ?? ''}`.trim();
  ev.push({ kind: 'transcript', text: `syncblk: ${entry.raw.trim()}` });
  if (entry.owner === null) {
    w.summary = `waits to enter the monitor of ${w.objectName}, whose owner thread no longer exists (syncblk owner "none")`;
    return w;
  }
  if (entry.owner.tid !== null) w.holderTid = entry.owner.tid;
  w.summary = `waits to enter the monitor of ${w.objectName}${c.waitProven ? '' : ' (probably)'} owned by tid ${entry.owner.tid ?? '?'} (syncblk)`;
  return w;
}

function roleOf(c: Classified, suspending: boolean, methods: readonly MethodState[]): string | null {
  if (c.suspension !== null) return `suspends the runtime${reasonWords(c.suspension.reason)}`;
  const parts: string[] = [];
  if (c.cooperative === true) {
    if (c.blockedIn !== null) parts.push(suspending ? `in cooperative mode and blocked (${c.blockedIn}): it blocks the runtime suspension` : `in cooperative mode and blocked (${c.blockedIn})`);
    else parts.push(suspending ? 'in cooperative mode: the suspension waits for it' : 'in cooperative mode (running managed code)');
  } else if (c.prestub !== null) parts.push(prestubWords(c.prestub, methods));
  else if (c.monitor !== null && c.wait !== null) parts.push(c.wait.summary);
  return parts.length === 0 ? null : parts.join('; ');
}

function chainsOf(classified: Classified[], byClass: Map<number, Classified>, inCycle: Set<number>, who: (tid: number) => string): WaitChain[] {
  const chains: WaitChain[] = [];
  for (const c of classified) {
    const w = c.wait;
    if (w === null || !w.isLockWait || inCycle.has(c.t.tid) || w.kind === 'clr-suspend') continue;
    const tids = [c.t.tid];
    let cur = c;
    let end: WaitChain['end'] = 'unknown';
    for (let guard = 0; guard <= classified.length; guard++) {
      const cw = cur.wait;
      if (cw === null || !cw.isLockWait) {
        end = cw === null ? 'unknown' : cw.kind === 'sleep' ? 'sleeping' : cw.kind === 'io' || cw.kind === 'child' || cw.kind === 'signal' ? 'io' : cw.kind === 'running' ? 'running' : 'unknown';
        break;
      }
      const next = cw.holderTid ?? cw.likelyHolderTid;
      if (next === null) {
        end = 'no-owner';
        break;
      }
      const n = byClass.get(next);
      if (n === undefined) {
        tids.push(next);
        end = 'exited';
        break;
      }
      if (tids.includes(next)) break;
      tids.push(next);
      cur = n;
    }
    chains.push({ tids, end, summary: `${who(c.t.tid)} ${w.summary}` });
  }
  return chains;
}

interface VerdictContext {
  who: (tid: number) => string;
  short: (tid: number) => string;
  byClass: Map<number, Classified>;
  edges: GraphEdge[];
  cooperative: Classified[];
  gcModesKnown: boolean;
  haveDump: boolean;
  methods: readonly MethodState[];
  /** tid of a waiter -> why its lock's likely holder probably holds it. */
  likelyReasons: Map<number, string>;
}

function coopWords(n: number): string {
  return n === 1 ? 'the only thread in cooperative mode' : `one of ${n} threads in cooperative mode`;
}

/** "which waits for …" for one hop of a cycle: t waits, via its resource, for `next`. */
function hopText(tid: number, next: number, closing: boolean, ctx: VerdictContext): { text: string; likely: boolean } {
  const c = ctx.byClass.get(tid);
  const w = c?.wait ?? null;
  const nextName = closing ? ctx.short(next) : ctx.who(next);
  if (w === null) return { text: `waits for ${nextName}`, likely: false };
  switch (w.kind) {
    case 'clr-suspend':
      return { text: `suspends the runtime${reasonWords(c?.suspension?.reason ?? null)} and waits for ${nextName}, ${coopWords(ctx.cooperative.length)}`, likely: false };
    case 'join':
      return { text: `waits to join ${nextName}`, likely: false };
    default: {
      const obj = objectWords(w);
      if (w.holderTid === next) {
        const probably = c !== undefined && !c.waitProven ? ' (probably: the only other monitor with waiters in syncblk)' : '';
        return { text: `waits for ${obj}${probably} held by ${nextName}`, likely: probably !== '' };
      }
      const tail = w.kind === 'mutex' ? (ctx.haveDump ? ' (its memory does not name the owner)' : " (not provable from a transcript; the dump's `__owner` would prove it)") : ' (not proven)';
      return { text: `waits for ${obj} that ${nextName} probably holds${tail}`, likely: true };
    }
  }
}

function objectWords(w: WaitInfo): string {
  if (w.kind === 'clr-monitor') return `the monitor of ${w.objectName ?? w.address ?? 'an object'}`;
  if (w.address === null) return w.objectName !== null ? `a ${w.objectName}` : `a ${w.kind}`;
  const kind = w.kind === 'rwlock-read' || w.kind === 'rwlock-write' ? 'rwlock' : w.kind;
  return w.objectName !== null ? `${kind} \`${w.objectName}\` (${w.address})` : `${kind} at ${w.address}`;
}

function cycleText(cycle: number[], ctx: VerdictContext): string {
  const parts = cycle.map((tid, i) => {
    const next = cycle[(i + 1) % cycle.length];
    const closing = i === cycle.length - 1 && cycle.length > 1;
    const { text } = hopText(tid, next, closing, ctx);
    if (cycle.length === 1) return `${ctx.who(tid)} ${text.replace(/ held by .*$/, ' that it already holds')}`;
    return i === 0 ? `${ctx.who(tid)} ${text}` : `which ${text}`;
  });
  return parts.join(', ');
}

function verdictOf(cycles: number[][], likely: number[][], suspenders: Classified[], chains: WaitChain[], ctx: VerdictContext, native: LockGraph | null) {
  const details: string[] = [];
  for (const s of suspenders) details.push(suspensionDetail(s, ctx));
  for (const c of ctx.cooperative) {
    if (suspenders.length === 0 || suspenders.some((s) => s.t.tid === c.t.tid)) continue;
    details.push(
      c.blockedIn !== null
        ? `${capital(ctx.who(c.t.tid))} is in cooperative GC mode and blocked: it ${c.blockedIn.replace(/^waits/, 'waits')}, so it cannot reach a safe point and the suspension cannot finish.`
        : `${capital(ctx.who(c.t.tid))} is in cooperative GC mode: the suspension waits for it to reach a safe point.`,
    );
  }
  for (const c of ctx.byClass.values()) {
    if (c.prestub !== null && c.prestub.method !== null) {
      details.push(`${capital(ctx.who(c.t.tid))} has a PrestubMethodFrame on top of its managed stack: it ${prestubWords(c.prestub, ctx.methods)}.`);
    }
    const w = c.wait;
    if (w !== null && w.likelyHolderTid !== null && w.holderTid === null) {
      const why = ctx.likelyReasons.get(c.t.tid);
      details.push(`The owner of the ${w.objectName ?? 'lock'} that ${ctx.who(c.t.tid)} waits for is not proven; ${ctx.who(w.likelyHolderTid)} probably holds it${why !== undefined ? `: ${why}` : '.'}`);
    }
  }
  if (suspenders.length > 0 && !ctx.gcModesKnown) details.push("Which threads are in cooperative GC mode is not known: SOS's clrthreads output (GC Mode column) would say.");
  const unnamed = [...ctx.byClass.values()].filter((c) => c.t.native !== null && c.t.native.frames.length > 0 && c.t.native.named < c.t.native.frames.length / 2 && c.t.native.frames.some((f) => f.module === 'libcoreclr.so'));
  if (unnamed.length > 0 && suspenders.length === 0) {
    details.push(`${unnamed.length === 1 ? 'One stack has' : `${unnamed.length} stacks have`} libcoreclr.so frames without names: with libcoreclr's symbols (dotnet-symbol, or the symbol server key in dumpscope modules) the runtime rules could read them.`);
  }

  if (cycles.length > 0) {
    for (const ch of chains) details.push(`Also blocked: ${ch.summary}.`);
    const texts = cycles.map((cy) => cycleText(cy, ctx));
    const summary = cycles.length === 1 ? `Deadlock: ${texts[0]}.` : `Deadlock: ${cycles.length} cycles. ${texts.map((t, i) => `(${i + 1}) ${t}.`).join(' ')}`;
    return { deadlock: true, likely: false, summary, details };
  }
  if (likely.length > 0) {
    for (const ch of chains) details.push(`Also blocked: ${ch.summary}.`);
    const texts = likely.map((cy) => cycleText(cy, ctx));
    const summary = likely.length === 1 ? `Likely deadlock: ${texts[0]}.` : `Likely deadlock: ${likely.length} cycles. ${texts.map((t, i) => `(${i + 1}) ${t}.`).join(' ')}`;
    return { deadlock: false, likely: true, summary, details };
  }
  if (suspenders.length > 0) {
    const s = suspenders[0];
    const coop = ctx.cooperative.filter((c) => c.t.tid !== s.t.tid);
    const waitsFor = !ctx.gcModesKnown
      ? 'waits for the threads in cooperative GC mode (not known without clrthreads)'
      : coop.length === 0
        ? 'no thread is in cooperative mode any more (the suspension should finish)'
        : `waits for ${listOf(coop.map((c) => `${ctx.who(c.t.tid)}${c.blockedIn !== null ? `, which ${c.blockedIn}` : ''}`), 5, '; ')}`;
    for (const ch of chains) details.push(`${capital(ch.summary)}.`);
    return { deadlock: false, likely: false, summary: `No proven deadlock: ${ctx.who(s.t.tid)} suspends the runtime${reasonWords(s.suspension?.reason ?? null)} and ${waitsFor}.`, details };
  }
  // SOS's State word can show a suspension in progress that no stack in the text shows.
  const pending = ctx.cooperative.filter((c) => c.suspendPending);
  for (const ch of chains) details.push(`${capital(ch.summary)}.`);
  if (pending.length > 0) {
    const list = listOf(pending.map((c) => `${ctx.who(c.t.tid)}, in cooperative mode${c.blockedIn !== null ? `, which ${c.blockedIn}` : ''}`), 5, '; ');
    details.push('The thread that suspends the runtime is not in the text: a native backtrace of every thread (lldb `bt all` with libcoreclr symbols) would show ThreadSuspend::SuspendRuntime.');
    return { deadlock: false, likely: false, summary: `No proven deadlock: a runtime suspension is waiting (State TS_GCSuspendPending) for ${list}.`, details };
  }
  if (native !== null) return { deadlock: native.verdict.deadlock, likely: false, summary: native.verdict.summary, details: [...details, ...native.verdict.details] };
  const blocked = [...ctx.byClass.values()].filter((c) => c.wait !== null && c.wait.isLockWait);
  if (blocked.length === 0) return { deadlock: false, likely: false, summary: 'No deadlock found: no thread is seen blocked on a lock.', details };
  const unknown = blocked.filter((c) => c.wait !== null && c.wait.holderTid === null && c.wait.likelyHolderTid === null);
  const waits = (n: number) => (n === 1 ? '1 thread waits' : `${n} threads wait`);
  if (unknown.length === blocked.length) {
    const where = ctx.haveDump ? 'whose owners the dump does not record' : 'whose owners a transcript cannot show (a dump would: a mutex records its owner)';
    return { deadlock: false, likely: false, summary: `No proven deadlock: ${waits(blocked.length)} on locks ${where}: ${listOf(unknown.map((c) => ctx.who(c.t.tid)), 10)}.`, details };
  }
  return { deadlock: false, likely: false, summary: `No deadlock: ${waits(blocked.length)} on locks, and their owners do not wait for them in a cycle.`, details };
}

function suspensionDetail(s: Classified, ctx: VerdictContext): string {
  const m = s.suspension;
  const frames = m === null ? '' : ` (${m.frames.map((f) => `frame #${f.index} ${f.function}`).join(', ')})`;
  const coop = ctx.cooperative.filter((c) => c.t.tid !== s.t.tid);
  const list = !ctx.gcModesKnown ? 'which ones is not known without clrthreads' : coop.length === 0 ? 'none is left' : listOf(coop.map((c) => ctx.who(c.t.tid)), 20);
  return `${capital(ctx.who(s.t.tid))} suspends the runtime${reasonWords(m?.reason ?? null)}${frames} and waits for every thread in cooperative GC mode: ${list}.`;
}

/** At most `max` items in words, then how many more. */
function listOf(items: string[], max = 5, sep = ', '): string {
  return items.length <= max ? items.join(sep) : `${items.slice(0, max).join(sep)}${sep}and ${items.length - max} more`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
