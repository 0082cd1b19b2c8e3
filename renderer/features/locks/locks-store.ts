// The current dump's wait-for graph (getLocks): its verdict, cycles and chains. Threads' own
// waits come with listThreads (ThreadInfo.wait); this adds what only the whole graph knows.
import { create } from 'zustand';
import { type ApiError } from '../../../shared/errors';
import { type LockGraph } from '../../../shared/types';
import { api, asApiError } from '../../api';

interface LocksState {
  dumpId: number | null;
  graph: LockGraph | null;
  status: 'empty' | 'loading' | 'ready' | 'error';
  error: ApiError | null;
  /** Tids that are part of a proven cycle. */
  inCycle: ReadonlySet<number>;
  load(dumpId: number, force?: boolean): Promise<void>;
  clear(): void;
}

const NONE: ReadonlySet<number> = new Set();

export const useLocks = create<LocksState>()((set, get) => ({
  dumpId: null,
  graph: null,
  status: 'empty',
  error: null,
  inCycle: NONE,
  async load(dumpId, force = false) {
    if (get().dumpId === dumpId && get().status === 'ready' && !force) return;
    set({ dumpId, status: 'loading', error: null, graph: null, inCycle: NONE });
    try {
      const graph = await api().call('getLocks', { dumpId });
      if (get().dumpId === dumpId) set({ graph, status: 'ready', inCycle: new Set(graph.cycles.flat()) });
    } catch (e) {
      if (get().dumpId === dumpId) set({ status: 'error', error: asApiError(e) });
    }
  },
  clear: () => set({ dumpId: null, graph: null, status: 'empty', error: null, inCycle: NONE }),
}));
