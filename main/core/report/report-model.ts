// What a report says, decided once for all three formats: the headline, which threads are
// involved (their stacks shown in full), the evidence chain in the order a reader follows it,
// the thread table and the stacks. Renderers only lay this out and escape it.
import {
  type DumpComparison,
  type DumpSummary,
  type Evidence,
  type GraphEdge,
  type LockGraph,
  type ModuleSymbolStatus,
  type StackFrame,
  type ThreadCompareStatus,
  type ThreadInfo,
  type ThreadStack,
} from '../../../shared/types';
import { frameName } from '../compare';

/** A passage of a debugger transcript that supports the verdict (when transcripts are attached). */
export interface TranscriptExcerpt {
  /** The transcript's file name or title. */
  source: string;
  /** The command whose output this is (`clrstack`, `syncblk`…). */
  command: string;
  /** The output lines, as the debugger printed them. */
  text: string;
  /** Why it is quoted: which claim it supports. */
  why: string;
}

export interface ReportInput {
  dump: DumpSummary;
  threads: readonly ThreadInfo[];
  stacks: readonly ThreadStack[];
  locks: LockGraph;
  modules: readonly ModuleSymbolStatus[];
  /** The comparison with a second dump, when one was given. */
  comparison?: DumpComparison | null;
  transcripts?: readonly TranscriptExcerpt[];
  /** ISO 8601; passed in so a report is reproducible. */
  generatedAt: string;
  /** "dumpscope 0.1.0 (analysis engine 2)". */
  generator: string;
}

export type Severity = 'deadlock' | 'blocked' | 'ok';

export interface EvidenceStep {
  from: string;
  verb: string;
  to: string;
  proven: boolean;
  inCycle: boolean;
  evidence: Evidence[];
}

export interface ThreadRow {
  thread: ThreadInfo;
  involved: boolean;
  /** Its status in the comparison, when there is one. */
  compareStatus: ThreadCompareStatus | null;
  state: string;
  waitsOn: string;
  topFrame: string;
}

export interface StackView {
  row: ThreadRow;
  stack: ThreadStack | null;
  /** Frames as `module\`function + offset` with their locations. */
  frames: { frame: StackFrame; name: string; location: string }[];
}

export interface ReportModel {
  input: ReportInput;
  severity: Severity;
  title: string;
  /** Tids in the cycles. */
  cycleTids: Set<number>;
  /** Tids whose stacks are shown in full: in the wait-for graph, stuck on a lock in both dumps, or the crashing thread. */
  involved: Set<number>;
  evidence: EvidenceStep[];
  rows: ThreadRow[];
  stacks: StackView[];
}

const CRASH_SIGNALS = new Set([4, 5, 6, 7, 8, 11, 31]); // SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGSEGV SIGSYS

const VERB: Record<GraphEdge['kind'], string> = {
  waits: 'waits for',
  'held-by': 'is held by',
  joins: 'waits to join',
  'likely-held-by': 'is probably held by',
  'waits-for-suspension': 'waits for',
};

export function buildReportModel(input: ReportInput): ReportModel {
  const { locks, comparison } = input;
  const cycleTids = new Set(locks.cycles.flat());
  const involved = new Set<number>(cycleTids);
  for (const n of locks.nodes) if (n.kind === 'thread' && n.tid !== undefined) involved.add(n.tid);
  for (const t of input.threads) {
    if (t.wait?.isLockWait) involved.add(t.tid);
    if (CRASH_SIGNALS.has(t.signal)) involved.add(t.tid);
  }
  if (comparison) for (const e of comparison.persistentEdges) [e.waiterTid, e.holderTid].forEach((t) => involved.add(t));
  const compareStatus = new Map<number, ThreadCompareStatus>();
  if (comparison) {
    // The report's dump may be either side of the comparison.
    const isA = comparison.dumpA.dumpId === input.dump.id;
    for (const t of comparison.threads) {
      const side = isA ? t.a : t.b;
      if (side) compareStatus.set(side.tid, t.status);
    }
  }

  const confirmed = comparison?.verdict.deadlockConfirmed ?? false;
  const severity: Severity = locks.verdict.deadlock || confirmed ? 'deadlock' : input.threads.some((t) => t.wait?.isLockWait) ? 'blocked' : 'ok';
  const what = severity === 'deadlock' ? (confirmed ? 'Confirmed deadlock' : 'Deadlock') : severity === 'blocked' ? 'Blocked threads' : 'Thread report';
  const title = `${what} in ${input.dump.process} (pid ${input.dump.pid})`;

  const rows: ThreadRow[] = input.threads.map((t) => ({
    thread: t,
    involved: involved.has(t.tid),
    compareStatus: compareStatus.get(t.tid) ?? null,
    state: t.state === 'syscall' ? `in ${t.syscall?.name ?? 'a system call'}` : 'running',
    waitsOn: t.wait?.summary ?? t.syscall?.text ?? '',
    topFrame: t.topFrame ?? '',
  }));
  const byTid = new Map(input.stacks.map((s) => [s.tid, s]));
  // Involved threads first (in cycle order, then by index), then the others by index.
  const order = (r: ThreadRow) => (cycleTids.has(r.thread.tid) ? 0 : r.involved ? 1 : 2);
  const stacks: StackView[] = [...rows]
    .sort((x, y) => order(x) - order(y) || x.thread.index - y.thread.index)
    .map((row) => {
      const stack = byTid.get(row.thread.tid) ?? null;
      return {
        row,
        stack,
        frames: (stack?.frames ?? []).map((f) => ({ frame: f, name: frameName(f), location: f.file ? `${f.file}${f.line !== null ? `:${f.line}` : ''}` : '' })),
      };
    });
  return { input, severity, title, cycleTids, involved, evidence: evidenceChain(locks), rows, stacks };
}

/** The graph's edges as steps: each cycle's edges in wait order first, then every other edge. */
export function evidenceChain(g: LockGraph): EvidenceStep[] {
  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  const cycleNodes = new Set<string>();
  const ordered: GraphEdge[] = [];
  const taken = new Set<GraphEdge>();
  for (const cycle of g.cycles) {
    for (const [i, tid] of cycle.entries()) {
      const next = `thread:${cycle[(i + 1) % cycle.length]}`;
      const from = `thread:${tid}`;
      const direct = g.edges.find((e) => e.from === from && e.to === next && e.proven);
      const wait = direct ?? g.edges.find((e) => e.from === from && e.proven && g.edges.some((h) => h.from === e.to && h.to === next && h.proven));
      if (!wait) continue;
      const hold = direct ? undefined : g.edges.find((h) => h.from === wait.to && h.to === next && h.proven);
      for (const e of [wait, hold]) {
        if (e && !taken.has(e)) {
          ordered.push(e);
          taken.add(e);
          cycleNodes.add(e.from);
          cycleNodes.add(e.to);
        }
      }
    }
  }
  for (const e of g.edges) if (!taken.has(e)) ordered.push(e);
  return ordered.map((e) => ({
    from: label.get(e.from) ?? e.from,
    verb: VERB[e.kind],
    to: label.get(e.to) ?? e.to,
    proven: e.proven,
    inCycle: taken.has(e),
    evidence: e.evidence,
  }));
}
