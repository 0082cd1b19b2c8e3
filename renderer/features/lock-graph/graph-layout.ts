// Positions for the lock graph: d3-force (links, repulsion, collision by node size), run to rest
// synchronously from a deterministic start, so the same graph always looks the same. Cycles
// start on a circle in their wait order, which the forces keep as a readable loop; everything
// else starts on an outer ring. Pure (no DOM): unit-tested.
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3';
import { type GraphModel } from './graph-model';

export interface Point {
  x: number;
  y: number;
}

interface SimNode extends SimulationNodeDatum {
  id: string;
  r: number;
}

/** A fixed pseudo-random source (d3 jiggles coincident nodes): same input, same picture. */
function lcg(seed = 1): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

export function layoutGraph(model: GraphModel, ticksWanted?: number): Map<string, Point> {
  const n = model.nodes.length;
  // Big expanded graphs settle in fewer steps (each costs n log n): the UI must stay responsive.
  const ticks = ticksWanted ?? (n > 1500 ? 120 : n > 400 ? 200 : 320);
  const cycle = model.nodes.filter((x) => x.inCycle);
  const rest = model.nodes.filter((x) => !x.inCycle);
  const sim: SimNode[] = [];
  const cycleR = Math.max(90, cycle.length * 46);
  // Walk the cycle in edge order so the loop is drawn as a loop.
  const order: string[] = [];
  if (cycle.length > 0) {
    const inCycle = new Set(cycle.map((c) => c.id));
    let cur = cycle[0].id;
    for (let guard = 0; guard < cycle.length && !order.includes(cur); guard++) {
      order.push(cur);
      const next = model.edges.find((e) => e.source === cur && e.inCycle && inCycle.has(e.target));
      if (!next) break;
      cur = next.target;
    }
    for (const c of cycle) if (!order.includes(c.id)) order.push(c.id);
  }
  order.forEach((id, i) => {
    const a = (2 * Math.PI * i) / order.length - Math.PI / 2;
    const node = model.nodes.find((x) => x.id === id)!;
    sim.push({ id, r: radius(node.width, node.height), x: Math.cos(a) * cycleR, y: Math.sin(a) * cycleR });
  });
  const outerR = cycleR + 160 + Math.sqrt(rest.length) * 40;
  rest.forEach((node, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, rest.length) + 0.3;
    sim.push({ id: node.id, r: radius(node.width, node.height), x: Math.cos(a) * outerR, y: Math.sin(a) * outerR * 0.7 });
  });
  const ids = new Set(sim.map((s) => s.id));
  const links: SimulationLinkDatum<SimNode>[] = model.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ source: e.source, target: e.target }));
  const simulation = forceSimulation<SimNode>(sim)
    .randomSource(lcg(n + 7))
    .force(
      'link',
      forceLink<SimNode, SimulationLinkDatum<SimNode>>(links)
        .id((d) => d.id)
        .distance((l) => (l.source as SimNode).r + (l.target as SimNode).r + 130)
        .strength(0.6),
    )
    .force('charge', forceManyBody<SimNode>().strength(n > 300 ? -120 : -700))
    .force('collide', forceCollide<SimNode>((d) => d.r + 12).iterations(2))
    .force('x', forceX<SimNode>(0).strength(0.04))
    .force('y', forceY<SimNode>(0).strength(0.06))
    .stop();
  for (let i = 0; i < ticks; i++) simulation.tick();
  return new Map(sim.map((s) => [s.id, { x: s.x ?? 0, y: s.y ?? 0 }]));
}

/** A circle that holds a w×h box about as much as collisions need (boxes are wider than tall). */
function radius(w: number, h: number): number {
  return Math.max(w * 0.45, h);
}

/** The box all nodes fit in. */
export function boundsOf(model: GraphModel, pos: Map<string, Point>): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of model.nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    x0 = Math.min(x0, p.x - n.width / 2);
    x1 = Math.max(x1, p.x + n.width / 2);
    y0 = Math.min(y0, p.y - n.height / 2);
    y1 = Math.max(y1, p.y + n.height / 2);
  }
  return Number.isFinite(x0) ? { x0, y0, x1, y1 } : { x0: -100, y0: -100, x1: 100, y1: 100 };
}
