// Stacks by thread, fetched when a thread is first shown (getStacks with its tid) and kept for
// the dump: moving up and down the table re-shows them without a round trip.
import { create } from 'zustand';
import { type ApiError } from '../../../shared/errors';
import { type ThreadStack } from '../../../shared/types';
import { api, asApiError } from '../../api';

type Entry = { status: 'loading' } | { status: 'ready'; stack: ThreadStack | null } | { status: 'error'; error: ApiError };

interface StackState {
  dumpId: number | null;
  byTid: Record<number, Entry>;
  load(dumpId: number, tid: number): void;
  clear(): void;
}

export const useStacks = create<StackState>()((set, get) => ({
  dumpId: null,
  byTid: {},
  load(dumpId, tid) {
    if (get().dumpId !== dumpId) set({ dumpId, byTid: {} });
    if (get().byTid[tid]) return;
    set({ byTid: { ...get().byTid, [tid]: { status: 'loading' } } });
    api()
      .call('getStacks', { dumpId, tid })
      .then(
        (stacks) => {
          if (get().dumpId !== dumpId) return;
          set({ byTid: { ...get().byTid, [tid]: { status: 'ready', stack: stacks.find((s) => s.tid === tid) ?? null } } });
        },
        (e: unknown) => {
          if (get().dumpId !== dumpId) return;
          set({ byTid: { ...get().byTid, [tid]: { status: 'error', error: asApiError(e) } } });
        },
      );
  },
  clear: () => set({ dumpId: null, byTid: {} }),
}));
