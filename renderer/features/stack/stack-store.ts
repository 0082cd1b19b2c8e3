// Stacks by thread, fetched when a thread is first shown (getStacks with its tid) or all at once
// (grouping threads by stack), kept for the dump: moving up and down the table re-shows them
// without a round trip. Also the selected frame of each thread, shared by the details pane and
// the Stack view (the disassembly follows it).
import { create } from 'zustand';
import { type ApiError } from '../../../shared/errors';
import { type ThreadStack } from '../../../shared/types';
import { api, asApiError } from '../../api';

export type StackEntry = { status: 'loading' } | { status: 'ready'; stack: ThreadStack | null } | { status: 'error'; error: ApiError };

interface StackState {
  dumpId: number | null;
  byTid: Record<number, StackEntry>;
  /** Every thread's stack, for grouping: loaded once per dump on demand. */
  all: { status: 'idle' | 'loading' | 'ready' | 'error'; error: ApiError | null };
  /** The selected frame per `${dumpId}:${tid}`: index into the stack's frames. */
  selectedFrame: Record<string, number>;
  load(dumpId: number, tid: number): void;
  loadAll(dumpId: number): void;
  selectFrame(dumpId: number, tid: number, index: number): void;
  clear(): void;
}

export const frameKey = (dumpId: number, tid: number) => `${dumpId}:${tid}`;

export const useStacks = create<StackState>()((set, get) => {
  const forDump = (dumpId: number) => {
    if (get().dumpId !== dumpId) set({ dumpId, byTid: {}, all: { status: 'idle', error: null } });
  };
  return {
    dumpId: null,
    byTid: {},
    all: { status: 'idle', error: null },
    selectedFrame: {},
    load(dumpId, tid) {
      forDump(dumpId);
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
    loadAll(dumpId) {
      forDump(dumpId);
      if (get().all.status === 'loading' || get().all.status === 'ready') return;
      set({ all: { status: 'loading', error: null } });
      api()
        .call('getStacks', { dumpId })
        .then(
          (stacks) => {
            if (get().dumpId !== dumpId) return;
            const byTid: Record<number, StackEntry> = { ...get().byTid };
            for (const s of stacks) byTid[s.tid] = { status: 'ready', stack: s };
            set({ byTid, all: { status: 'ready', error: null } });
          },
          (e: unknown) => {
            if (get().dumpId !== dumpId) return;
            set({ all: { status: 'error', error: asApiError(e) } });
          },
        );
    },
    selectFrame(dumpId, tid, index) {
      set({ selectedFrame: { ...get().selectedFrame, [frameKey(dumpId, tid)]: index } });
    },
    clear: () => set({ dumpId: null, byTid: {}, all: { status: 'idle', error: null } }),
  };
});

/** The selected frame of a thread (0, the innermost, until one is picked). */
export function useSelectedFrame(dumpId: number | null, tid: number | null): number {
  return useStacks((s) => (dumpId === null || tid === null ? 0 : (s.selectedFrame[frameKey(dumpId, tid)] ?? 0)));
}
