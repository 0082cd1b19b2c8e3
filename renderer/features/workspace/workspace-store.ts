// Which view is showing, which dialog is open, and focus requests from keyboard shortcuts and
// the desktop menu (a view focuses its input when the request counter changes).
import { create } from 'zustand';

export type ViewId = 'dumps' | 'threads' | 'stack' | 'locks' | 'modules' | 'transcript' | 'search' | 'compare';
/** Tab order; Ctrl+1… follows it. */
export const VIEW_ORDER: readonly ViewId[] = ['dumps', 'threads', 'stack', 'locks', 'modules', 'transcript', 'search', 'compare'];
export const VIEW_LABEL: Record<ViewId, string> = {
  dumps: 'Dumps',
  threads: 'Threads',
  stack: 'Stack',
  locks: 'Lock graph',
  modules: 'Modules',
  transcript: 'Transcript',
  search: 'Search',
  compare: 'Compare',
};

export type FocusTarget = 'filter' | 'goto' | 'table' | 'search' | 'frames' | 'console';

interface WorkspaceState {
  view: ViewId;
  openDialog: boolean;
  focus: { target: FocusTarget; seq: number; at: number; taken: boolean } | null;
  show(view: ViewId): void;
  setOpenDialog(open: boolean): void;
  requestFocus(target: FocusTarget): void;
  /** Marks request `seq` as served. */
  takeFocus(seq: number): void;
}

export const useWorkspace = create<WorkspaceState>()((set, get) => ({
  view: 'dumps',
  openDialog: false,
  focus: null,
  show: (view) => set({ view }),
  setOpenDialog: (openDialog) => set({ openDialog }),
  requestFocus: (target) => set({ focus: { target, seq: (get().focus?.seq ?? 0) + 1, at: Date.now(), taken: false } }),
  takeFocus: (seq) => {
    const f = get().focus;
    if (f && f.seq === seq) set({ focus: { ...f, taken: true } });
  },
}));
