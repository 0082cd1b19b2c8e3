// Comparing the current dump with another of the same process (compareDumps): which threads are
// stuck, progressed, new or exited, the blockers found in both, a confirmed deadlock. The older
// dump (by its file's time) is A.
import { create } from 'zustand';
import { type ApiError } from '../../../shared/errors';
import { type DumpComparison, type DumpSummary } from '../../../shared/types';
import { api, asApiError } from '../../api';
import { useDumps } from '../dumps';
import { useWorkspace } from '../workspace';

interface CompareState {
  /** The dump the current one is compared with. */
  otherId: number | null;
  forDumpId: number | null;
  comparison: DumpComparison | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ApiError | null;
  /** The compared thread shown in the diff (its tid). */
  selectedTid: number | null;
  compareWith(otherId: number): Promise<void>;
  /** The desktop shell's "Compare with…": index the file (without leaving the current dump), then compare. */
  compareWithPath(path: string): Promise<void>;
  select(tid: number | null): void;
  clear(): void;
}

export const useCompare = create<CompareState>()((set, get) => ({
  otherId: null,
  forDumpId: null,
  comparison: null,
  status: 'idle',
  error: null,
  selectedTid: null,
  async compareWith(otherId) {
    const cur = useDumps.getState().current;
    if (!cur) return;
    const other = useDumps.getState().dumps.find((d) => d.id === otherId);
    // A is the older dump, so "new" and "exited" read forwards in time.
    const [a, b] = other && other.mtimeMs < cur.mtimeMs ? [otherId, cur.id] : [cur.id, otherId];
    set({ otherId, forDumpId: cur.id, status: 'loading', error: null, comparison: null, selectedTid: null });
    try {
      const comparison = await api().call('compareDumps', { dumpA: a, dumpB: b });
      if (get().otherId !== otherId || get().forDumpId !== cur.id) return;
      const first = comparison.threads.find((t) => t.status === 'stuck' && t.a?.isLockWait) ?? comparison.threads[0];
      set({ comparison, status: 'ready', selectedTid: first?.tid ?? null });
    } catch (e) {
      if (get().otherId === otherId) set({ status: 'error', error: asApiError(e) });
    }
  },
  async compareWithPath(path) {
    useWorkspace.getState().show('compare');
    set({ status: 'loading', error: null, comparison: null });
    let d: DumpSummary;
    try {
      d = await api().call('openDump', { path });
    } catch (e) {
      set({ status: 'error', error: asApiError(e) });
      return;
    }
    await useDumps.getState().refresh();
    await get().compareWith(d.id);
  },
  select: (selectedTid) => set({ selectedTid }),
  clear: () => set({ otherId: null, forDumpId: null, comparison: null, status: 'idle', error: null, selectedTid: null }),
}));
