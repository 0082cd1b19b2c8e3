// The threads of the current dump, the table's filter and sort, and the selected thread: the
// one value every other view (details, later stacks and locks) reads.
import { create } from 'zustand';
import { type ApiError } from '../../../shared/errors';
import { type ThreadInfo } from '../../../shared/types';
import { api, asApiError } from '../../api';
import { type SortState } from '../../components/data-table';
import { findThread, type GoToResult } from './thread-selector';

interface ThreadsState {
  dumpId: number | null;
  threads: ThreadInfo[];
  status: 'empty' | 'loading' | 'ready' | 'error';
  error: ApiError | null;
  filter: string;
  sort: SortState | null;
  selectedTid: number | null;
  /** The last go-to's answer, shown beside the box. */
  goTo: GoToResult | null;
  /** Show groups of threads with identical stacks instead of the table (pstacks). */
  groupByStack: boolean;
  /** A thread to select once this dump's threads arrive (a search hit, a graph click before load). */
  pending: { dumpId: number; tid: number } | null;
  /** `force`: read them again (an imported transcript added what it knows). */
  load(dumpId: number, force?: boolean): Promise<void>;
  clear(): void;
  setFilter(filter: string): void;
  setSort(sort: SortState | null): void;
  select(tid: number | null): void;
  goToThread(input: string): GoToResult;
  setGroupByStack(on: boolean): void;
  /** Selects the thread now if its dump's threads are here, else when they arrive. */
  selectWhenLoaded(dumpId: number, tid: number): void;
}

export const useThreads = create<ThreadsState>()((set, get) => ({
  dumpId: null,
  threads: [],
  status: 'empty',
  error: null,
  filter: '',
  sort: null,
  selectedTid: null,
  goTo: null,
  groupByStack: localStorage.getItem('dumpscope.groupByStack') === '1',
  pending: null,

  async load(dumpId, force = false) {
    if (get().dumpId === dumpId && get().status === 'ready') {
      if (!force) return;
      // Same dump, more known about its threads: keep the selection.
      try {
        const threads = await api().call('listThreads', { dumpId });
        if (get().dumpId === dumpId) set({ threads });
      } catch (e) {
        if (get().dumpId === dumpId) set({ status: 'error', error: asApiError(e) });
      }
      return;
    }
    set({ dumpId, status: 'loading', error: null, threads: [], selectedTid: null, goTo: null });
    try {
      const threads = await api().call('listThreads', { dumpId });
      if (get().dumpId !== dumpId) return; // another dump was opened meanwhile
      // Start on the thread that took the signal, if any: for a crash, that is the one to read.
      const signalled = threads.find((t) => t.signal !== 0);
      const pending = get().pending;
      const wanted = pending && pending.dumpId === dumpId ? threads.find((t) => t.tid === pending.tid) : undefined;
      set({ threads, status: 'ready', selectedTid: (wanted ?? signalled ?? threads[0])?.tid ?? null, pending: null, ...(wanted ? { filter: '' } : {}) });
    } catch (e) {
      if (get().dumpId === dumpId) set({ status: 'error', error: asApiError(e) });
    }
  },

  clear: () => set({ dumpId: null, threads: [], status: 'empty', error: null, selectedTid: null, goTo: null }),
  setFilter: (filter) => set({ filter }),
  setSort: (sort) => set({ sort }),
  select: (selectedTid) => set({ selectedTid }),

  setGroupByStack(on) {
    localStorage.setItem('dumpscope.groupByStack', on ? '1' : '0');
    set({ groupByStack: on });
  },

  selectWhenLoaded(dumpId, tid) {
    const s = get();
    if (s.dumpId === dumpId && s.status === 'ready') {
      if (s.threads.some((t) => t.tid === tid)) set({ selectedTid: tid, filter: '' });
    } else set({ pending: { dumpId, tid } });
  },

  goToThread(input) {
    const r = findThread(get().threads, input);
    set({ goTo: r });
    if (r.ok) set({ selectedTid: r.thread.tid });
    return r;
  },
}));

/** The selected thread, for any view. */
export function useSelectedThread(): ThreadInfo | null {
  return useThreads((s) => (s.selectedTid === null ? null : (s.threads.find((t) => t.tid === s.selectedTid) ?? null)));
}
