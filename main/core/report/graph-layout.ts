// A small deterministic layout of the wait-for graph for the report's inline SVG (no DOM, no
// d3: the same graph always gives the same picture). A deadlock cycle goes on a circle —
// thread, resource, thread, resource, clockwise — and whatever else hangs off it (threads
// waiting behind the deadlock) in columns to its left; a graph without a cycle is laid out in
// layers from waiters (left) to holders (right). Big graphs are cut at MAX_NODES, cycles first.
import { type GraphEdgeKind, type GraphNode, type GraphNodeKind, type LockGraph } from '../../../shared/types';

export const MAX_NODES = 40;

export interface LayoutNode {
  id: string;
  kind: GraphNodeKind;
  /** Title and subtitle (already cut to fit; `full` holds the whole label). */
  lines: [string, string];
  full: string;
  /** Centre. */
  x: number;
  y: number;
  w: number;
  h: number;
  inCycle: boolean;
}

export interface LayoutEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  proven: boolean;
  inCycle: boolean;
  /** SVG path data. */
  d: string;
  label: string;
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  /** Nodes left out to keep the picture readable. */
  omitted: number;
}

const NODE_H = 44;
const MIN_W = 116;
const MAX_W = 236;
const COL_GAP = 90;
const ROW_GAP = 26;
const MARGIN = 24;
const TITLE_CHAR = 7.2; // px per character at 12.5px bold, a generous average
const SUB_CHAR = 6.2; // at 11px

const EDGE_LABEL: Record<GraphEdgeKind, string> = {
  waits: 'waits for',
  'held-by': 'held by',
  joins: 'joins',
  'likely-held-by': 'probably held by',
  'waits-for-suspension': 'waits for',
};

/** The width of an edge label's box in the SVG (graph-svg.ts draws it this wide). */
export function edgeLabelWidth(label: string): number {
  return Math.round(label.length * 5.9 + 8);
}

function cut(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, Math.max(1, chars - 1))}…` : text;
}

function nodeLines(n: GraphNode, threadIndex: Map<number, { index: number; name: string | null }>): [string, string] {
  if (n.kind === 'thread' && n.tid !== undefined) {
    const t = threadIndex.get(n.tid);
    const name = t?.name ? ` · ${t.name}` : '';
    return [t ? `Thread #${t.index}` : `tid ${n.tid}`, `tid ${n.tid}${name}`];
  }
  if (n.kind === 'exited-thread') return [`tid ${n.tid ?? '?'}`, 'exited: not in the dump'];
  const kind = n.kind === 'runtime' ? 'runtime' : n.kind;
  return [n.name ? `${kind} ${n.name}` : kind, n.address ?? ''];
}

/** The nodes of each cycle in wait order: thread, the resource it waits for, the thread holding it… */
export function cycleSequences(g: LockGraph): string[][] {
  const out: string[][] = [];
  for (const cycle of g.cycles) {
    const seq: string[] = [];
    for (const [i, tid] of cycle.entries()) {
      const from = `thread:${tid}`;
      const next = `thread:${cycle[(i + 1) % cycle.length]}`;
      seq.push(from);
      if (g.edges.some((e) => e.from === from && e.to === next && e.proven)) continue;
      const res = g.edges.find((e) => e.from === from && e.proven && g.edges.some((h) => h.from === e.to && h.to === next && h.proven));
      if (res) seq.push(res.to);
    }
    out.push(seq);
  }
  return out;
}

export function layoutGraph(g: LockGraph, threads: readonly { tid: number; index: number; name: string | null }[] = []): GraphLayout {
  const threadIndex = new Map(threads.map((t) => [t.tid, { index: t.index, name: t.name }]));
  const sequences = cycleSequences(g);
  const cycleNodes = new Set(sequences.flat());

  // Which nodes to draw: cycles first, then outwards along the edges, then the rest, up to MAX_NODES.
  const adjacency = new Map<string, string[]>();
  for (const e of g.edges) {
    adjacency.set(e.from, [...(adjacency.get(e.from) ?? []), e.to]);
    adjacency.set(e.to, [...(adjacency.get(e.to) ?? []), e.from]);
  }
  const chosen: string[] = [];
  const seen = new Set<string>();
  const queue: string[] = [...sequences.flat(), ...g.nodes.map((n) => n.id)];
  const pending: string[] = [];
  const take = (id: string) => {
    if (seen.has(id) || chosen.length >= MAX_NODES) return;
    seen.add(id);
    chosen.push(id);
    pending.push(id);
  };
  for (const id of queue) {
    take(id);
    while (pending.length > 0 && chosen.length < MAX_NODES) for (const nb of adjacency.get(pending.shift()!) ?? []) take(nb);
  }
  const chosenSet = new Set(chosen);
  const nodesById = new Map(g.nodes.map((n) => [n.id, n]));
  const edges = g.edges.filter((e) => chosenSet.has(e.from) && chosenSet.has(e.to) && nodesById.has(e.from) && nodesById.has(e.to));

  const layoutNodes = new Map<string, LayoutNode>();
  for (const id of chosen) {
    const n = nodesById.get(id);
    if (!n) continue;
    const [t, s] = nodeLines(n, threadIndex);
    const titleMax = Math.floor((MAX_W - 20) / TITLE_CHAR);
    const subMax = Math.floor((MAX_W - 20) / SUB_CHAR);
    const lines: [string, string] = [cut(t, titleMax), cut(s, subMax)];
    const w = Math.min(MAX_W, Math.max(MIN_W, Math.ceil(Math.max(lines[0].length * TITLE_CHAR, lines[1].length * SUB_CHAR) + 24)));
    layoutNodes.set(id, { id, kind: n.kind, lines, full: `${t}${s ? ` — ${s}` : ''}`, x: 0, y: 0, w, h: NODE_H, inCycle: cycleNodes.has(id) });
  }

  // Connected components, in the order their first node was chosen.
  const comp = new Map<string, number>();
  let comps = 0;
  for (const id of layoutNodes.keys()) {
    if (comp.has(id)) continue;
    const stack = [id];
    comp.set(id, comps);
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (const e of edges) {
        const w = e.from === v ? e.to : e.to === v ? e.from : null;
        if (w !== null && layoutNodes.has(w) && !comp.has(w)) {
          comp.set(w, comps);
          stack.push(w);
        }
      }
    }
    comps++;
  }

  let top = MARGIN;
  let width = 0;
  for (let c = 0; c < comps; c++) {
    const members = [...layoutNodes.values()].filter((n) => comp.get(n.id) === c);
    const seq = sequences.find((s) => s.length > 0 && comp.get(s[0]) === c && s.every((id) => layoutNodes.has(id)));
    if (seq) placeAroundCycle(members, seq, edges);
    else placeInLayers(members, edges);
    // Shift the component to the margin, below the previous one.
    const minX = Math.min(...members.map((n) => n.x - n.w / 2));
    const minY = Math.min(...members.map((n) => n.y - n.h / 2));
    for (const n of members) {
      n.x += MARGIN - minX;
      n.y += top - minY;
    }
    const maxX = Math.max(...members.map((n) => n.x + n.w / 2));
    const maxY = Math.max(...members.map((n) => n.y + n.h / 2));
    width = Math.max(width, maxX + MARGIN);
    top = maxY + ROW_GAP * 2;
  }
  const height = comps === 0 ? 0 : top - ROW_GAP * 2 + MARGIN;

  const cycleEdge = (from: string, to: string) =>
    sequences.some((s) => s.some((id, i) => id === from && s[(i + 1) % s.length] === to));
  const out: LayoutEdge[] = edges.map((e) => {
    const a = layoutNodes.get(e.from)!;
    const b = layoutNodes.get(e.to)!;
    const reverse = edges.some((o) => o.from === e.to && o.to === e.from);
    return { ...route(a, b, reverse, edgeLabelWidth(EDGE_LABEL[e.kind])), from: e.from, to: e.to, kind: e.kind, proven: e.proven, inCycle: e.proven && cycleEdge(e.from, e.to), label: EDGE_LABEL[e.kind] };
  });
  return { width: Math.ceil(width), height: Math.ceil(height), nodes: [...layoutNodes.values()], edges: out, omitted: Math.max(0, g.nodes.length - layoutNodes.size) };
}

/** The cycle on a circle starting at the left, clockwise; other nodes in columns to the left by distance. */
function placeAroundCycle(members: LayoutNode[], seq: string[], edges: readonly { from: string; to: string }[]): void {
  const byId = new Map(members.map((n) => [n.id, n]));
  const k = seq.length;
  const widest = Math.max(...seq.map((id) => byId.get(id)!.w));
  // Room for every node on the circumference, and for the widest across it.
  const r = k === 1 ? 0 : Math.max(widest + 50, (k * (widest * 0.7 + 60)) / (2 * Math.PI));
  seq.forEach((id, i) => {
    const n = byId.get(id)!;
    const angle = Math.PI + (2 * Math.PI * i) / k;
    n.x = Math.round(r * Math.cos(angle));
    // A flatter ellipse: boxes are wider than tall, and a page is wider than a screen is tall.
    n.y = Math.round(r * Math.sin(angle) * 0.7);
  });
  const onCircle = new Set(seq);
  const distance = new Map<string, number>(seq.map((id) => [id, 0]));
  let frontier = [...seq];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const v of frontier)
      for (const e of edges) {
        const w = e.from === v ? e.to : e.to === v ? e.from : null;
        if (w !== null && byId.has(w) && !distance.has(w)) {
          distance.set(w, distance.get(v)! + 1);
          next.push(w);
        }
      }
    frontier = next;
  }
  const left = Math.min(...seq.map((id) => byId.get(id)!.x - byId.get(id)!.w / 2));
  const columns = new Map<number, LayoutNode[]>();
  for (const n of members) {
    if (onCircle.has(n.id)) continue;
    const d = distance.get(n.id) ?? 1;
    columns.set(d, [...(columns.get(d) ?? []), n]);
  }
  let x = left;
  for (const d of [...columns.keys()].sort((p, q) => p - q)) {
    const col = columns.get(d)!;
    const w = Math.max(...col.map((n) => n.w));
    x -= COL_GAP + w / 2;
    stackColumn(col, x, 0);
    x -= w / 2;
  }
}

/** Longest-path layers from the waiters; a column per layer, nodes in the order they came. */
function placeInLayers(members: LayoutNode[], edges: readonly { from: string; to: string }[]): void {
  const ids = new Set(members.map((n) => n.id));
  const layer = new Map(members.map((n) => [n.id, 0]));
  // Bounded relaxation: unproven edges may still form a loop, which must not run forever.
  for (let pass = 0; pass < members.length; pass++) {
    let changed = false;
    for (const e of edges) {
      if (!ids.has(e.from) || !ids.has(e.to)) continue;
      const want = layer.get(e.from)! + 1;
      if (want > layer.get(e.to)! && want < members.length) {
        layer.set(e.to, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns = new Map<number, LayoutNode[]>();
  for (const n of members) columns.set(layer.get(n.id)!, [...(columns.get(layer.get(n.id)!) ?? []), n]);
  let x = 0;
  for (const l of [...columns.keys()].sort((p, q) => p - q)) {
    const col = columns.get(l)!;
    const w = Math.max(...col.map((n) => n.w));
    stackColumn(col, x + w / 2, 0);
    x += w + COL_GAP;
  }
}

function stackColumn(col: LayoutNode[], x: number, centreY: number): void {
  const total = col.length * NODE_H + (col.length - 1) * ROW_GAP;
  col.forEach((n, i) => {
    n.x = Math.round(x);
    n.y = Math.round(centreY - total / 2 + NODE_H / 2 + i * (NODE_H + ROW_GAP));
  });
}

/** Where the segment from a's centre towards (tx, ty) leaves a's box. */
function exitPoint(a: LayoutNode, tx: number, ty: number): [number, number] {
  const dx = tx - a.x;
  const dy = ty - a.y;
  if (dx === 0 && dy === 0) return [a.x, a.y];
  const sx = dx === 0 ? Infinity : (a.w / 2 + 3) / Math.abs(dx);
  const sy = dy === 0 ? Infinity : (a.h / 2 + 3) / Math.abs(dy);
  const s = Math.min(sx, sy);
  return [a.x + dx * s, a.y + dy * s];
}

const r1 = (v: number) => Math.round(v * 10) / 10;

function route(a: LayoutNode, b: LayoutNode, curved: boolean, labelWidth: number): { d: string; labelX: number; labelY: number } {
  // Opposite edges between one pair bend apart so neither hides the other.
  const mx = (a.x + b.x) / 2;
  const my = (a.y + b.y) / 2;
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const bend = curved ? 28 : 0;
  const cx = mx + ((b.y - a.y) / len) * bend;
  const cy = my - ((b.x - a.x) / len) * bend;
  const [x1, y1] = exitPoint(a, curved ? cx : b.x, curved ? cy : b.y);
  const [x2, y2] = exitPoint(b, curved ? cx : a.x, curved ? cy : a.y);
  if (!curved) {
    // A short edge keeps its label beside it (to the left of its direction: outside a clockwise cycle), not over it.
    const seg = Math.hypot(x2 - x1, y2 - y1) || 1;
    const ux = (y2 - y1) / seg;
    const uy = -(x2 - x1) / seg;
    // Far enough that the label's box (about labelWidth x 16) clears the line.
    const aside = seg < 150 ? 6 + Math.abs(ux) * (labelWidth / 2) + Math.abs(uy) * 9 : 0;
    const nx = ux * aside;
    const ny = uy * aside;
    return { d: `M ${r1(x1)} ${r1(y1)} L ${r1(x2)} ${r1(y2)}`, labelX: r1((x1 + x2) / 2 + nx), labelY: r1((y1 + y2) / 2 + ny) };
  }
  return { d: `M ${r1(x1)} ${r1(y1)} Q ${r1(cx)} ${r1(cy)} ${r1(x2)} ${r1(y2)}`, labelX: r1((x1 + 2 * cx + x2) / 4), labelY: r1((y1 + 2 * cy + y2) / 4) };
}
