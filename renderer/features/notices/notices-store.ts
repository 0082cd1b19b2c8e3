// Short messages at the bottom of the window: errors that have no better home, and confirmations.
// Errors stay until dismissed; information fades after a few seconds.
import { create } from 'zustand';

export interface Notice {
  id: number;
  tone: 'info' | 'error' | 'warning';
  text: string;
  detail?: string;
}

interface NoticesState {
  notices: Notice[];
  push(n: Omit<Notice, 'id'>): number;
  dismiss(id: number): void;
}

let nextId = 1;

export const useNotices = create<NoticesState>()((set, get) => ({
  notices: [],
  push(n) {
    const id = nextId++;
    // The same text twice in a row is one notice.
    const rest = get().notices.filter((x) => x.text !== n.text);
    set({ notices: [...rest.slice(-4), { ...n, id }] });
    if (n.tone === 'info') setTimeout(() => get().dismiss(id), 4000);
    return id;
  },
  dismiss(id) {
    set({ notices: get().notices.filter((x) => x.id !== id) });
  },
}));

export const notify = (text: string, tone: Notice['tone'] = 'info', detail?: string) => useNotices.getState().push({ text, tone, detail });
