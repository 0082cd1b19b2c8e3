// The report's own graph layout: deterministic, no two boxes overlapping, the cycle on a circle
// in wait order, waiters behind it to its left, big graphs cut at MAX_NODES (cycles kept).
import { describe, expect, it } from 'vitest';
import { buildLockGraph } from '../../../main/core/analysis/graph';
import { cycleSequences, graphSvg, layoutGraph, MAX_NODES, type GraphLayout } from '../../../main/core/report';
import { idle, joinWait, mutexWait, wait } from '../compare/builders';

function overlaps(l: GraphLayout): string[] {
  const out: string[] = [];
  for (const [i, a] of l.nodes.entries())
    for (const b of l.nodes.slice(i + 1)) {
      const apart = a.x + a.w / 2 <= b.x - b.w / 2 || b.x + b.w / 2 <= a.x - a.w / 2 || a.y + a.h / 2 <= b.y - b.h / 2 || b.y + b.h / 2 <= a.y - a.h / 2;
      if (!apart) out.push(`${a.id} / ${b.id}`);
    }
  return out;
}

const inside = (l: GraphLayout) => l.nodes.every((n) => n.x - n.w / 2 >= 0 && n.y - n.h / 2 >= 0 && n.x + n.w / 2 <= l.width && n.y + n.h / 2 <= l.height);

describe('layoutGraph', () => {
  const lockOrder = buildLockGraph([
    { index: 1, tid: 100, wait: joinWait(101) },
    { index: 2, tid: 101, wait: mutexWait('0x5600', 'b', 102) },
    { index: 3, tid: 102, wait: mutexWait('0x5640', 'a', 101) },
  ]);

  it('puts a two-thread deadlock on a circle, clockwise in wait order, and the joiner to its left', () => {
    expect(cycleSequences(lockOrder)).toEqual([['thread:101', 'mutex:0x5600', 'thread:102', 'mutex:0x5640']]);
    const l = layoutGraph(lockOrder, [{ tid: 100, index: 1, name: 'prog' }, { tid: 101, index: 2, name: null }, { tid: 102, index: 3, name: null }]);
    const at = (id: string) => l.nodes.find((n) => n.id === id)!;
    // left, top, right, bottom
    expect(at('thread:101').x).toBeLessThan(at('mutex:0x5600').x);
    expect(at('mutex:0x5600').y).toBeLessThan(at('thread:101').y);
    expect(at('thread:102').x).toBeGreaterThan(at('mutex:0x5600').x);
    expect(at('mutex:0x5640').y).toBeGreaterThan(at('thread:102').y);
    expect(at('thread:100').x).toBeLessThan(at('thread:101').x);
    expect(at('thread:100').lines).toEqual(['Thread #1', 'tid 100 · prog']);
    expect(at('mutex:0x5600').lines).toEqual(['mutex b', '0x5600']);
    expect(overlaps(l)).toEqual([]);
    expect(inside(l)).toBe(true);
    expect(l.edges.filter((e) => e.inCycle)).toHaveLength(4);
    expect(l.edges.find((e) => e.kind === 'joins')?.inCycle).toBe(false);
  });

  it('is deterministic', () => {
    expect(graphSvg(lockOrder).svg).toBe(graphSvg(lockOrder).svg);
  });

  it('lays out a convoy in layers and cuts a big one at MAX_NODES', () => {
    const threads = [{ index: 1, tid: 1, wait: idle('sleeping') }, ...Array.from({ length: 120 }, (_, i) => ({ index: i + 2, tid: i + 2, wait: mutexWait('0x40', 'queue_lock', 1) }))];
    const l = layoutGraph(buildLockGraph(threads));
    expect(l.nodes).toHaveLength(MAX_NODES);
    expect(l.omitted).toBe(122 - MAX_NODES);
    expect(overlaps(l)).toEqual([]);
    const holder = l.nodes.find((n) => n.id === 'thread:1')!;
    const lock = l.nodes.find((n) => n.id === 'mutex:0x40')!;
    const waiter = l.nodes.find((n) => n.id === 'thread:2')!;
    expect(waiter.x).toBeLessThan(lock.x);
    expect(lock.x).toBeLessThan(holder.x);
  });

  it('keeps the cycles when cutting, draws unproven edges dashed, and a self-deadlock as two bent edges', () => {
    const threads = [
      ...Array.from({ length: 60 }, (_, i) => ({ index: i + 1, tid: 1000 + i, wait: mutexWait(`0x${(0x1000 + i * 64).toString(16)}`, `m${i}`, 2000 + i) })),
      { index: 61, tid: 7, wait: mutexWait('0x10', 'config_lock', 7) },
      { index: 62, tid: 8, wait: wait({ kind: 'mutex', address: '0x20', objectName: 'guess', likelyHolderTid: 9, summary: 'waits' }) },
      { index: 63, tid: 9, wait: idle('sleeping') },
    ];
    const g = buildLockGraph(threads);
    const l = layoutGraph(g);
    expect(l.nodes.map((n) => n.id)).toContain('thread:7');
    expect(l.edges.find((e) => e.from === 'mutex:0x10')?.inCycle).toBe(true);
    expect(overlaps(l)).toEqual([]);
    const small = graphSvg(buildLockGraph(threads.slice(61))).svg;
    expect(small).toMatch(/<path class="edge unproven" /);
    // A thread waiting for a mutex it holds: two red edges between them, bent apart.
    const self = graphSvg(buildLockGraph([threads[60]])).svg;
    expect(self.match(/<path class="edge cycle" d="M [\d.-]+ [\d.-]+ Q /g)).toHaveLength(2);
  });

  it('escapes labels and cuts long ones, the full text in a <title>', () => {
    const g = buildLockGraph([
      { index: 1, tid: 1, wait: mutexWait('0x10', '<script>alert(1)</script>'.repeat(5), 2) },
      { index: 2, tid: 2, wait: mutexWait('0x20', 'b', 1) },
    ]);
    const svg = graphSvg(g).svg;
    expect(svg).not.toContain('<script');
    expect(svg).toMatch(/<text class="t1" [^>]*>mutex &lt;script&gt;alert\(1\)&lt;\/scrip…<\/text>/);
    expect(svg).toContain(`<title>mutex ${'&lt;script&gt;alert(1)&lt;/script&gt;'.repeat(5)} — 0x10</title>`);
  });
});
