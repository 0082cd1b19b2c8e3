// What the lock graph draws, from the wait-for graph (getLocks) and the threads: nodes with
// labels and sizes, edges with their evidence, the cycle marked. Many threads that only wait
// for one thing (1000 idle workers on one condition variable) collapse into one node ("1000
// threads") unless expanded. Labels are text from the dump made inert (lib/inert.ts) before they
// are measured and cut, so what is drawn is what was sized. Pure: unit-tested.
import { assertNever } from '../../../shared/errors';
import { type Evidence, type GraphEdgeKind, type GraphNodeKind, type LockGraph, type ThreadInfo } from '../../../shared/types';
import { inertLine } from '../../lib/inert';

export type ViewNodeKind = 'thread' | 'resource' | 'group' | 'exited';

export interface ViewNode {
  id: string;
  kind: ViewNodeKind;
  /** The resource's kind (mutex, condvar…) for resource nodes. */
  resourceKind: GraphNodeKind | null;
  label: string;
  sublabel: string | null;
  /** The label uncut (a resource's whole name), for the tooltip. */
  fullLabel: string;
  tid: number | null;
  /** Threads a group stands for, in the dump's order. */
  members: number[];
  inCycle: boolean;
  width: number;
  height: number;
}

export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  kind: GraphEdgeKind;
  proven: boolean;
  inCycle: boolean;
  evidence: Evidence[];
  /** Threads behind a group's edge. */
  count: number;
}

export interface GraphModel {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Groups drawn collapsed (their ids), for "expand all". */
  collapsed: string[];
  /** Threads of the dump that wait on nothing another thread holds (not drawn). */
  notDrawn: number;
}

export const DEFAULT_COLLAPSE_AT = 5;
const CHAR_W = 7.2;
/** Text from the dump, inert and cut to `n` characters. */
const clip = (s: string, n: number) => {
  const t = inertLine(s);
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

function sizeOf(label: string, sublabel: string | null): { width: number; height: number } {
  const chars = Math.max(label.length, sublabel ? Math.min(sublabel.length, 40) : 0);
  return { width: Math.round(Math.max(110, Math.min(300, chars * CHAR_W + 26))), height: sublabel ? 42 : 28 };
}

export function buildGraphModel(graph: LockGraph, threads: readonly ThreadInfo[], expanded: ReadonlySet<string>, collapseAt = DEFAULT_COLLAPSE_AT): GraphModel {
  const byTid = new Map(threads.map((t) => [t.tid, t]));
  const cycleTids = new Set(graph.cycles.flat());
  const out = new Map<string, typeof graph.edges>();
  const inc = new Map<string, typeof graph.edges>();
  for (const e of graph.edges) {
    (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e);
    (inc.get(e.to) ?? inc.set(e.to, []).get(e.to)!).push(e);
  }
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  const threadInCycle = (id: string) => {
    const n = nodeById.get(id);
    return n?.tid !== undefined && (n.kind === 'thread' || n.kind === 'exited-thread') && cycleTids.has(n.tid);
  };
  // A resource is on a cycle when a thread of the cycle waits for it and it is held by one.
  const inCycle = new Set<string>();
  for (const n of graph.nodes) {
    if ((n.kind === 'thread' || n.kind === 'exited-thread') && n.tid !== undefined && cycleTids.has(n.tid)) inCycle.add(n.id);
  }
  for (const n of graph.nodes) {
    if (n.kind === 'thread' || n.kind === 'exited-thread') continue;
    const waited = (inc.get(n.id) ?? []).some((e) => e.proven && threadInCycle(e.from));
    const held = (out.get(n.id) ?? []).some((e) => e.proven && threadInCycle(e.to));
    if (waited && held) inCycle.add(n.id);
  }

  // Threads that only wait (one edge out, none in, not on a cycle), by what they wait for.
  const leaves = new Map<string, string[]>();
  for (const n of graph.nodes) {
    if (n.kind !== 'thread' || inCycle.has(n.id)) continue;
    const o = out.get(n.id) ?? [];
    if (o.length !== 1 || (inc.get(n.id) ?? []).length > 0) continue;
    const key = `group:${o[0].kind}:${o[0].to}`;
    (leaves.get(key) ?? leaves.set(key, []).get(key)!).push(n.id);
  }
  const groupOf = new Map<string, string>();
  const collapsed: string[] = [];
  for (const [key, ids] of leaves) {
    if (ids.length < collapseAt) continue;
    collapsed.push(key);
    if (expanded.has(key)) continue;
    for (const id of ids) groupOf.set(id, key);
  }

  const nodes: ViewNode[] = [];
  const groupNodes = new Map<string, ViewNode>();
  for (const n of graph.nodes) {
    const g = groupOf.get(n.id);
    if (g) {
      let gn = groupNodes.get(g);
      if (!gn) {
        const target = nodeById.get((out.get(n.id) ?? [])[0]?.to ?? '');
        const sub = `waiting on ${target ? clip(target.label, 34) : 'one object'}`;
        gn = { id: g, kind: 'group', resourceKind: null, label: '', sublabel: sub, fullLabel: '', tid: null, members: [], inCycle: false, width: 0, height: 0 };
        groupNodes.set(g, gn);
        nodes.push(gn);
      }
      if (n.tid !== undefined) gn.members.push(n.tid);
      continue;
    }
    if (n.kind === 'thread' && n.tid !== undefined) {
      const t = byTid.get(n.tid);
      const label = t ? `#${t.index} · tid ${n.tid}` : `tid ${n.tid}`;
      const sublabel = t ? clip(t.name ?? t.topFrame ?? t.wait?.summary ?? '', 40) || null : null;
      nodes.push({ id: n.id, kind: 'thread', resourceKind: null, label, sublabel, fullLabel: label, tid: n.tid, members: [], inCycle: inCycle.has(n.id), ...sizeOf(label, sublabel) });
    } else if (n.kind === 'exited-thread') {
      const label = `tid ${n.tid ?? '?'}`;
      nodes.push({ id: n.id, kind: 'exited', resourceKind: null, label, sublabel: 'not in the dump (exited)', fullLabel: label, tid: n.tid ?? null, members: [], inCycle: inCycle.has(n.id), ...sizeOf(label, 'not in the dump (exited)') });
    } else {
      // The kind is drawn above the node: the label is the object's name, or its address.
      const label = n.name ? clip(n.name, 34) : inertLine(n.address ?? '?');
      const sublabel = n.name && n.address ? inertLine(n.address) : null;
      nodes.push({ id: n.id, kind: 'resource', resourceKind: n.kind, label, sublabel, fullLabel: n.name ? inertLine(n.name) : label, tid: null, members: [], inCycle: inCycle.has(n.id), ...sizeOf(label, sublabel) });
    }
  }
  for (const g of groupNodes.values()) {
    const order = (tid: number) => byTid.get(tid)?.index ?? 0;
    g.members.sort((a, b) => order(a) - order(b));
    g.label = `${g.members.length} threads`;
    g.fullLabel = g.label;
    Object.assign(g, sizeOf(g.label, g.sublabel));
  }

  const edges: ViewEdge[] = [];
  const groupEdges = new Map<string, ViewEdge>();
  for (const e of graph.edges) {
    const source = groupOf.get(e.from) ?? e.from;
    const target = groupOf.get(e.to) ?? e.to;
    const cyc = e.proven && inCycle.has(e.from) && inCycle.has(e.to);
    if (source !== e.from || target !== e.to) {
      const id = `${source}>${target}>${e.kind}`;
      const ge = groupEdges.get(id);
      if (ge) ge.count++;
      else {
        const x: ViewEdge = { id, source, target, kind: e.kind, proven: e.proven, inCycle: false, evidence: e.evidence, count: 1 };
        groupEdges.set(id, x);
        edges.push(x);
      }
      continue;
    }
    edges.push({ id: `${e.from}>${e.to}>${e.kind}`, source, target, kind: e.kind, proven: e.proven, inCycle: cyc, evidence: e.evidence, count: 1 });
  }
  const drawn = new Set(graph.nodes.filter((n) => n.kind === 'thread').map((n) => n.tid));
  return { nodes, edges, collapsed, notDrawn: threads.filter((t) => !drawn.has(t.tid)).length };
}

/** How an edge reads, from its source to its target. */
export function edgeVerb(kind: GraphEdgeKind): string {
  switch (kind) {
    case 'waits':
      return 'waits for';
    case 'held-by':
      return 'held by';
    case 'likely-held-by':
      return 'likely held by';
    case 'joins':
      return 'joins';
    case 'waits-for-suspension':
      return 'waits for suspension of';
    default:
      return assertNever(kind, 'edge kind');
  }
}
