// Which view is showing, which dialog is open, and focus requests from keyboard shortcuts and
// the desktop menu (a view focuses its input when the request counter changes).
import { create } from 'zustand';

export type ViewId = 'dumps' | 'threads' | 'modules' | 'transcript';
export const VIEW_ORDER: readonly ViewId[] = ['dumps', 'threads', 'modules', 'transcript'];

export type FocusTarget = 'filter' | 'goto' | 'table';

interface WorkspaceState {
  view: ViewId;
  openDialog: boolean;
  focus: { target: FocusTarget; seq: number; at: number } | null;
  show(view: ViewId): void;
  setOpenDialog(open: boolean): void;
  requestFocus(target: FocusTarget): void;
}

export const useWorkspace = create<WorkspaceState>()((set, get) => ({
  view: 'dumps',
  openDialog: false,
  focus: null,
  show: (view) => set({ view }),
  setOpenDialog: (openDialog) => set({ openDialog }),
  requestFocus: (target) => set({ focus: { target, seq: (get().focus?.seq ?? 0) + 1, at: Date.now() } }),
}));
