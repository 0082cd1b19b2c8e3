// Wait-for edges as (waiter, resource, holder) triples, so the edges of two dumps can be matched:
// the same waiter tid waiting on the same resource address held by the same holder tid. A join
// is a triple whose resource is the joined thread itself.
import { type GraphNode, type GraphNodeKind, type LockGraph } from '../../../shared/types';

export interface WaitTriple {
  waiterTid: number;
  resource: string;
  resourceKind: GraphNodeKind;
  address: string | null;
  name: string | null;
  holderTid: number;
  kind: 'waits' | 'joins';
  proven: boolean;
}

const tidOf = (id: string): number | null => (id.startsWith('thread:') ? Number(id.slice('thread:'.length)) : null);

export function tripleKey(t: Pick<WaitTriple, 'waiterTid' | 'resource' | 'holderTid'>): string {
  return `${t.waiterTid}|${t.resource}|${t.holderTid}`;
}

/** Every waiter -> resource -> holder path of length two (and every join) in a lock graph. */
export function waitTriples(g: LockGraph): WaitTriple[] {
  const nodes = new Map<string, GraphNode>(g.nodes.map((n) => [n.id, n]));
  const holders = new Map<string, { tid: number; proven: boolean }[]>();
  for (const e of g.edges) {
    if (e.kind !== 'held-by' && e.kind !== 'likely-held-by') continue;
    const tid = tidOf(e.to);
    if (tid === null) continue;
    const list = holders.get(e.from) ?? [];
    list.push({ tid, proven: e.proven && e.kind === 'held-by' });
    holders.set(e.from, list);
  }
  const out: WaitTriple[] = [];
  for (const e of g.edges) {
    const waiter = tidOf(e.from);
    if (waiter === null) continue;
    if (e.kind === 'joins') {
      const joined = tidOf(e.to);
      if (joined === null) continue;
      out.push({ waiterTid: waiter, resource: e.to, resourceKind: nodes.get(e.to)?.kind ?? 'thread', address: null, name: null, holderTid: joined, kind: 'joins', proven: e.proven });
    } else if (e.kind === 'waits' || e.kind === 'waits-for-suspension') {
      const n = nodes.get(e.to);
      for (const h of holders.get(e.to) ?? []) {
        out.push({
          waiterTid: waiter,
          resource: e.to,
          resourceKind: n?.kind ?? 'futex',
          address: n?.address ?? null,
          name: n?.name ?? null,
          holderTid: h.tid,
          kind: 'waits',
          proven: e.proven && h.proven,
        });
      }
    }
  }
  return out;
}

/** A cycle rotated to start at its smallest tid, as a key: cycles found from different starts match. */
export function cycleKey(tids: readonly number[]): string {
  if (tids.length === 0) return '';
  let start = 0;
  for (let i = 1; i < tids.length; i++) if (tids[i] < tids[start]) start = i;
  return [...tids.slice(start), ...tids.slice(0, start)].join(',');
}

/** The resources a cycle runs through: for each thread, what it waits on that the next one holds. */
export function cycleResources(cycle: readonly number[], triples: readonly WaitTriple[]): (WaitTriple | null)[] {
  return cycle.map((tid, i) => {
    const next = cycle[(i + 1) % cycle.length];
    return triples.find((t) => t.waiterTid === tid && t.holderTid === next) ?? null;
  });
}
