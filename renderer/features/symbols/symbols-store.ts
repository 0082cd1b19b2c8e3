// Symbol folders (listSymbolFolders, addSymbolFolder, removeSymbolFolder) and, per dump, where
// each module's code and symbols were found (listModuleSymbols). Changing the folders re-opens
// the current dump: openDump re-symbolizes it because the folders' key changed.
import { create } from 'zustand';
import { type SymbolFolder } from '../../../shared/api';
import { type ApiError } from '../../../shared/errors';
import { type ModuleSymbolStatus } from '../../../shared/types';
import { api, asApiError, describeError } from '../../api';
import { useDumps } from '../dumps';
import { notify } from '../notices';

interface SymbolsState {
  folders: SymbolFolder[];
  foldersStatus: 'idle' | 'loading' | 'ready' | 'error';
  foldersError: ApiError | null;
  dumpId: number | null;
  status: ModuleSymbolStatus[];
  statusState: 'empty' | 'loading' | 'ready' | 'error';
  statusError: ApiError | null;
  /** A folder change is being applied (adding, scanning, re-opening). */
  busy: string | null;
  loadFolders(): Promise<void>;
  loadStatus(dumpId: number): Promise<void>;
  clearStatus(): void;
  addFolder(path: string): Promise<boolean>;
  removeFolder(path: string): Promise<void>;
}

/** Re-opens the current dump so its stacks are symbolized with the folders as they are now. */
async function resymbolize(why: string): Promise<void> {
  const cur = useDumps.getState().current;
  if (!cur) return;
  const before = useSymbols.getState().status;
  const d = await useDumps.getState().open(cur.path, { keepView: true });
  if (!d) return;
  // The app reloads every view for the re-indexed dump; wait for the symbol status to compare.
  for (let i = 0; i < 100 && !(useSymbols.getState().dumpId === d.id && useSymbols.getState().statusState === 'ready' && useSymbols.getState().status !== before); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const after = useSymbols.getState().status;
  const better = after.filter((m) => {
    const old = before.find((b) => b.path === m.path);
    return old && rank(m.quality) > rank(old.quality);
  }).length;
  notify(`${why}: ${d.process} re-symbolized${better ? `, ${better} module${better === 1 ? '' : 's'} with better symbols` : d.fromIndex ? ' (answered from the index: nothing changed for it)' : ''}`);
}

const rank = (q: ModuleSymbolStatus['quality']) => ['none', 'dynsym', 'symtab', 'dwarf'].indexOf(q);

export const useSymbols = create<SymbolsState>()((set, get) => ({
  folders: [],
  foldersStatus: 'idle',
  foldersError: null,
  dumpId: null,
  status: [],
  statusState: 'empty',
  statusError: null,
  busy: null,
  async loadFolders() {
    set({ foldersStatus: 'loading' });
    try {
      set({ folders: await api().call('listSymbolFolders', {}), foldersStatus: 'ready', foldersError: null });
    } catch (e) {
      set({ foldersStatus: 'error', foldersError: asApiError(e) });
    }
  },
  async loadStatus(dumpId) {
    if (get().dumpId === dumpId && get().statusState === 'ready') return;
    set({ dumpId, statusState: 'loading', statusError: null, status: [] });
    try {
      const status = await api().call('listModuleSymbols', { dumpId });
      if (get().dumpId === dumpId) set({ status, statusState: 'ready' });
    } catch (e) {
      if (get().dumpId === dumpId) set({ statusState: 'error', statusError: asApiError(e) });
    }
  },
  clearStatus: () => set({ dumpId: null, status: [], statusState: 'empty', statusError: null }),
  async addFolder(path) {
    set({ busy: `Scanning ${path}` });
    try {
      const f = await api().call('addSymbolFolder', { path });
      await get().loadFolders();
      notify(`Added symbol folder ${f.path} (${f.fileCount} ELF files${f.truncated ? ', scan cut short' : ''})`);
      for (const w of f.warnings.slice(0, 3)) notify(w, 'warning');
      set({ busy: 'Re-symbolizing the dump' });
      await resymbolize('Symbol folder added');
      return true;
    } catch (e) {
      notify(`Could not add ${path}: ${describeError(asApiError(e))}`, 'error');
      return false;
    } finally {
      set({ busy: null });
    }
  },
  async removeFolder(path) {
    set({ busy: `Removing ${path}` });
    try {
      await api().call('removeSymbolFolder', { path });
      await get().loadFolders();
      set({ busy: 'Re-symbolizing the dump' });
      await resymbolize('Symbol folder removed');
    } catch (e) {
      notify(`Could not remove ${path}: ${describeError(asApiError(e))}`, 'error');
    } finally {
      set({ busy: null });
    }
  },
}));
