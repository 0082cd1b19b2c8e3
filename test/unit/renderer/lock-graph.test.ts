// What the lock graph draws: the sample dump's deadlock (two threads, two mutexes, main joining
// one of them) with the cycle marked, and 1000 idle threads on one condition variable collapsed
// into one node until expanded; the layout is deterministic, finite, and keeps nodes apart.
import { describe, expect, it } from 'vitest';
import { type GraphEdge, type GraphNode, type LockGraph, type ThreadInfo } from '../../../shared/types';
import { buildGraphModel, edgeVerb } from '../../../renderer/features/lock-graph/graph-model';
import { boundsOf, layoutGraph } from '../../../renderer/features/lock-graph/graph-layout';

function thread(index: number, tid: number, topFrame: string | null = null): ThreadInfo {
  return { index, dbg: index - 1, tid, osid: tid.toString(16), name: index === 1 ? 'deadlock' : null, signal: 0, signalName: null, state: 'syscall', syscall: null, registers: {}, wait: null, topFrame, frameCount: 6 };
}

const ev = (text: string) => [{ kind: 'frame' as const, text }];

/** The sample's graph as `dumpscope locks --json` prints it (tids from resources/sample/threads.txt). */
const SAMPLE: LockGraph = {
  nodes: [
    { id: 'thread:16708', kind: 'thread', tid: 16708, label: 'thread #1 (tid 16708)' },
    { id: 'thread:16709', kind: 'thread', tid: 16709, label: 'thread #2 (tid 16709)' },
    { id: 'mutex:0x4bb360', kind: 'mutex', address: '0x4bb360', name: 'audit_lock', label: 'mutex audit_lock' },
    { id: 'thread:16710', kind: 'thread', tid: 16710, label: 'thread #3 (tid 16710)' },
    { id: 'mutex:0x4bb320', kind: 'mutex', address: '0x4bb320', name: 'accounts_lock', label: 'mutex accounts_lock' },
  ],
  edges: [
    { from: 'thread:16708', to: 'thread:16709', kind: 'joins', proven: true, evidence: ev('pthread_join') },
    { from: 'thread:16709', to: 'mutex:0x4bb360', kind: 'waits', proven: true, evidence: ev('__lll_lock_wait') },
    { from: 'mutex:0x4bb360', to: 'thread:16710', kind: 'held-by', proven: true, evidence: [{ kind: 'memory', text: '__owner (mutex+8) = 16710; __lock = 2' }] },
    { from: 'thread:16710', to: 'mutex:0x4bb320', kind: 'waits', proven: true, evidence: ev('__lll_lock_wait') },
    { from: 'mutex:0x4bb320', to: 'thread:16709', kind: 'held-by', proven: true, evidence: [{ kind: 'memory', text: '__owner (mutex+8) = 16709; __lock = 2' }] },
  ],
  cycles: [[16709, 16710]],
  chains: [],
  verdict: { deadlock: true, summary: 'Deadlock: …', details: [] },
};
const SAMPLE_THREADS = [thread(1, 16708, 'deadlock`main + 163'), thread(2, 16709, 'deadlock`transfer + 72'), thread(3, 16710, 'deadlock`audit + 72')];

function idle(n: number): { graph: LockGraph; threads: ThreadInfo[] } {
  const threads = [thread(1, 5000), ...Array.from({ length: n }, (_, i) => thread(i + 2, 5001 + i, 'many`idle + 82'))];
  const nodes: GraphNode[] = [{ id: 'condvar:0x5649fda80120', kind: 'condvar', address: '0x5649fda80120', name: 'c', label: 'condvar c' }];
  const edges: GraphEdge[] = [];
  for (const t of threads.slice(1)) {
    nodes.push({ id: `thread:${t.tid}`, kind: 'thread', tid: t.tid, label: `thread #${t.index}` });
    edges.push({ from: `thread:${t.tid}`, to: 'condvar:0x5649fda80120', kind: 'waits', proven: true, evidence: ev('pthread_cond_wait') });
  }
  return { graph: { nodes, edges, cycles: [], chains: [], verdict: { deadlock: false, summary: 'No deadlock', details: [] } }, threads };
}

describe('the lock graph model', () => {
  it("marks the sample's cycle: both threads, both mutexes, the four edges between them; not main's join", () => {
    const m = buildGraphModel(SAMPLE, SAMPLE_THREADS, new Set());
    expect(m.nodes.filter((n) => n.inCycle).map((n) => n.id).sort()).toEqual(['mutex:0x4bb320', 'mutex:0x4bb360', 'thread:16709', 'thread:16710']);
    expect(m.edges.filter((e) => e.inCycle).map((e) => e.kind).sort()).toEqual(['held-by', 'held-by', 'waits', 'waits']);
    expect(m.edges.find((e) => e.kind === 'joins')?.inCycle).toBe(false);
    const t2 = m.nodes.find((n) => n.tid === 16709);
    expect(t2).toMatchObject({ kind: 'thread', label: '#2 · tid 16709', sublabel: 'deadlock`transfer + 72' });
    expect(m.nodes.find((n) => n.id === 'mutex:0x4bb360')).toMatchObject({ kind: 'resource', resourceKind: 'mutex', label: 'audit_lock', sublabel: '0x4bb360' });
    expect(m.collapsed).toEqual([]);
    expect(m.notDrawn).toBe(0);
  });

  it('keeps likely edges unproven and off the cycle', () => {
    const g: LockGraph = {
      ...SAMPLE,
      edges: SAMPLE.edges.map((e) => (e.from === 'mutex:0x4bb320' ? { ...e, kind: 'likely-held-by' as const, proven: false } : e)),
      cycles: [],
    };
    const m = buildGraphModel(g, SAMPLE_THREADS, new Set());
    const likely = m.edges.find((e) => e.kind === 'likely-held-by');
    expect(likely).toMatchObject({ proven: false, inCycle: false });
    expect(m.nodes.some((n) => n.inCycle)).toBe(false);
    expect(edgeVerb('likely-held-by')).toBe('likely held by');
  });

  it('collapses 1000 idle waiters of one condition variable into one node, and expands it on request', () => {
    const { graph, threads } = idle(1000);
    const m = buildGraphModel(graph, threads, new Set());
    expect(m.nodes).toHaveLength(2);
    const group = m.nodes.find((n) => n.kind === 'group');
    expect(group).toMatchObject({ label: '1000 threads', sublabel: 'waiting on condvar c' });
    expect(group?.members).toHaveLength(1000);
    expect(group?.members[0]).toBe(5001);
    expect(m.edges).toEqual([expect.objectContaining({ source: group?.id, target: 'condvar:0x5649fda80120', kind: 'waits', count: 1000 })]);
    expect(m.notDrawn).toBe(1); // main waits on nothing another thread holds
    const open = buildGraphModel(graph, threads, new Set(m.collapsed));
    expect(open.nodes).toHaveLength(1001);
    expect(open.edges).toHaveLength(1000);
  });

  it('draws a few waiters one by one', () => {
    const { graph, threads } = idle(3);
    const m = buildGraphModel(graph, threads, new Set());
    expect(m.nodes.filter((n) => n.kind === 'thread')).toHaveLength(3);
    expect(m.collapsed).toEqual([]);
  });
});

describe('the lock graph layout', () => {
  it('places every node at a finite point, the same way every time, boxes not overlapping', () => {
    for (const [graph, threads] of [
      [SAMPLE, SAMPLE_THREADS],
      [idle(1000).graph, idle(1000).threads],
      [idle(30).graph, idle(30).threads],
    ] as const) {
      const model = buildGraphModel(graph, threads, new Set(graph.nodes.length > 100 ? [] : ['group:waits:condvar:0x5649fda80120']));
      const a = layoutGraph(model);
      const b = layoutGraph(model);
      expect([...a.entries()]).toEqual([...b.entries()]);
      for (const n of model.nodes) {
        const p = a.get(n.id);
        expect(Number.isFinite(p?.x) && Number.isFinite(p?.y), n.id).toBe(true);
      }
      if (model.nodes.length <= 40) {
        for (const n of model.nodes)
          for (const o of model.nodes) {
            if (n === o) continue;
            const p = a.get(n.id)!;
            const q = a.get(o.id)!;
            const overlap = Math.abs(p.x - q.x) < (n.width + o.width) / 2 && Math.abs(p.y - q.y) < (n.height + o.height) / 2;
            expect(overlap, `${n.id} / ${o.id}`).toBe(false);
          }
      }
      const box = boundsOf(model, a);
      expect(box.x1).toBeGreaterThan(box.x0);
    }
  });
});
