// Cycles of a wait-for graph: strongly connected components (iterative Tarjan, so thousands of
// threads never overflow the stack), each reported as its threads in wait order.
import { type GraphEdge } from '../../../shared/types';

const THREAD = 'thread:';

/** Components with a cycle over the given edges, each as tids in wait order, starting from `first`'s choice. */
export function findThreadCycles(nodeIds: readonly string[], edges: readonly GraphEdge[], order: (tid: number) => number): number[][] {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    let list = out.get(e.from);
    if (!list) out.set(e.from, (list = []));
    list.push(e.to);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  for (const root of nodeIds) {
    if (index.has(root)) continue;
    const work: { v: string; i: number }[] = [{ v: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const succ = out.get(top.v) ?? [];
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v) ?? 0, index.get(w) ?? 0));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent) ?? 0, low.get(top.v) ?? 0));
      }
      if (low.get(top.v) === index.get(top.v)) {
        const comp: string[] = [];
        let w: string | undefined;
        do {
          w = stack.pop();
          if (w === undefined) break;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.v);
        const selfLoop = comp.length === 1 && (out.get(comp[0]) ?? []).includes(comp[0]);
        if (comp.length > 1 || selfLoop) sccs.push(comp);
      }
    }
  }
  const cycles: number[][] = [];
  for (const comp of sccs) {
    const set = new Set(comp);
    const tids = comp.filter((id) => id.startsWith(THREAD)).map((id) => Number(id.slice(THREAD.length)));
    if (tids.length === 0) continue;
    tids.sort((a, b) => order(a) - order(b));
    const seq: number[] = [];
    let cur = `${THREAD}${tids[0]}`;
    for (let guard = 0; guard <= comp.length && !seq.includes(Number(cur.slice(THREAD.length))); guard++) {
      seq.push(Number(cur.slice(THREAD.length)));
      // Follow edges that stay in the component to the next thread node.
      let next = cur;
      for (let hop = 0; hop < comp.length; hop++) {
        const succ = (out.get(next) ?? []).find((s) => set.has(s));
        if (succ === undefined) break;
        next = succ;
        if (next.startsWith(THREAD)) break;
      }
      if (!next.startsWith(THREAD) || next === cur) break;
      cur = next;
    }
    cycles.push(seq);
  }
  return cycles;
}
