// The current dump's modules, with the table's filter, sort and selection.
import { create } from 'zustand';
import { type ApiError } from '../../../shared/errors';
import { type ModuleInfo } from '../../../shared/types';
import { api, asApiError } from '../../api';
import { type SortState } from '../../components/data-table';

interface ModulesState {
  dumpId: number | null;
  modules: ModuleInfo[];
  status: 'empty' | 'loading' | 'ready' | 'error';
  error: ApiError | null;
  filter: string;
  sort: SortState | null;
  selected: number | null;
  load(dumpId: number): Promise<void>;
  clear(): void;
  setFilter(filter: string): void;
  setSort(sort: SortState | null): void;
  select(index: number | null): void;
}

export const useModules = create<ModulesState>()((set, get) => ({
  dumpId: null,
  modules: [],
  status: 'empty',
  error: null,
  filter: '',
  sort: null,
  selected: null,
  async load(dumpId) {
    if (get().dumpId === dumpId && get().status === 'ready') return;
    set({ dumpId, status: 'loading', error: null, modules: [], selected: null });
    try {
      const modules = await api().call('listModules', { dumpId });
      if (get().dumpId === dumpId) set({ modules, status: 'ready', selected: modules[0]?.index ?? null });
    } catch (e) {
      if (get().dumpId === dumpId) set({ status: 'error', error: asApiError(e) });
    }
  },
  clear: () => set({ dumpId: null, modules: [], status: 'empty', error: null, selected: null }),
  setFilter: (filter) => set({ filter }),
  setSort: (sort) => set({ sort }),
  select: (selected) => set({ selected }),
}));
