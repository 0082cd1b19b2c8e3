// Search across every indexed dump (the search method): the query, the results grouped by dump,
// and opening a hit — the dump, then its thread and frame, in the Stack view.
import { create } from 'zustand';
import { type ApiError } from '../../../shared/errors';
import { type SearchDumpGroup, type SearchHit, type SearchResults } from '../../../shared/types';
import { api, asApiError } from '../../api';
import { useDumps } from '../dumps';
import { notify } from '../notices';
import { useStacks } from '../stack';
import { useThreads } from '../threads';
import { useTranscripts } from '../transcript';
import { useWorkspace } from '../workspace';

interface SearchState {
  query: string;
  results: SearchResults | null;
  status: 'idle' | 'searching' | 'ready' | 'error';
  error: ApiError | null;
  /** Index of the highlighted hit in the flattened list. */
  cursor: number;
  setQuery(q: string): void;
  run(q?: string): Promise<void>;
  setCursor(i: number): void;
  /** Moves the highlighted hit by `delta` (↑/↓). */
  move(delta: number): void;
  /** Opens the highlighted hit. */
  openCursor(): Promise<void>;
  open(group: SearchDumpGroup, hit: SearchHit | null): Promise<void>;
}

/** Every hit in display order, with its dump. */
export function flatHits(r: SearchResults | null): { g: SearchDumpGroup; h: SearchHit }[] {
  return r ? r.groups.flatMap((g) => g.hits.map((h) => ({ g, h }))) : [];
}

let seq = 0;

export const useSearch = create<SearchState>()((set, get) => ({
  query: '',
  results: null,
  status: 'idle',
  error: null,
  cursor: 0,
  setQuery: (query) => set({ query }),
  async run(q = get().query) {
    const my = ++seq;
    if (!q.trim()) {
      set({ results: null, status: 'idle', error: null, cursor: 0 });
      return;
    }
    set({ status: 'searching', error: null });
    try {
      const results = await api().call('search', { query: q, limit: 300, perDump: 60 });
      if (my === seq) set({ results, status: 'ready', cursor: 0 });
    } catch (e) {
      if (my === seq) set({ status: 'error', error: asApiError(e) });
    }
  },
  setCursor: (cursor) => set({ cursor }),
  move(delta) {
    const n = flatHits(get().results).length;
    if (n > 0) set({ cursor: Math.max(0, Math.min(n - 1, get().cursor + delta)) });
  },
  async openCursor() {
    const x = flatHits(get().results)[get().cursor];
    if (x) await get().open(x.g, x.h);
  },
  async open(group, hit) {
    const dumps = useDumps.getState();
    let dumpId = group.dump.id;
    if (dumps.current?.id !== dumpId) {
      // The library's entry knows whether the file is still there (a missing one is shown from the index).
      const entry = dumps.dumps.find((d) => d.id === dumpId);
      const opened = entry ? await dumps.openEntry(entry) : await dumps.open(group.dump.path);
      if (!opened) return; // the open failed: the Dumps view says why
      dumpId = opened.id;
    }
    const ws = useWorkspace.getState();
    if (hit?.kind === 'frame' && hit.thread) {
      useThreads.getState().selectWhenLoaded(dumpId, hit.thread.tid);
      if (hit.frame) useStacks.getState().selectFrame(dumpId, hit.thread.tid, hit.frame.index);
      ws.show('stack');
    } else if (hit?.kind === 'module') {
      ws.show('modules');
    } else if (hit?.kind === 'transcript') {
      if (hit.transcriptId !== null) useTranscripts.getState().pickWhenLoaded(dumpId, Number(hit.transcriptId));
      ws.show('transcript');
    } else {
      ws.show('threads');
    }
    if (dumpId !== group.dump.id) notify(`${group.dump.process} was indexed again (new symbols?): its search rows are refreshed`, 'info');
  },
}));
