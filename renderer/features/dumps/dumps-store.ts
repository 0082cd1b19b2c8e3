// The library of indexed dumps, the dump being looked at, and the one open job (with its
// progress from `progress` events and a way to cancel it).
import { create } from 'zustand';
import { type ApiError } from '../../../shared/errors';
import { type DumpSummary, type ProgressEvent } from '../../../shared/types';
import { api, asApiError, describeError } from '../../api';
import { formatMs } from '../../lib/format';
import { notify } from '../notices';
import { useWorkspace } from '../workspace';

export interface OpenJob {
  jobId: string;
  /** What is being opened: a path, or "the sample dump". */
  label: string;
  phase: string;
  done: number;
  total: number;
  message: string;
}

export interface OpenFailure {
  label: string;
  error: ApiError;
}

interface DumpsState {
  dumps: DumpSummary[];
  loaded: boolean;
  listError: ApiError | null;
  current: DumpSummary | null;
  selectedId: number | null;
  job: OpenJob | null;
  openError: OpenFailure | null;
  refresh(): Promise<void>;
  /** `keepView`: stay in the current view (re-symbolizing from the Modules view). */
  open(path: string, opts?: { force?: boolean; keepView?: boolean }): Promise<DumpSummary | null>;
  /**
   * Opens a dump of the library by what its file is now: one whose file is missing is shown from
   * the index (every view answers from it; nothing new can be read); any other goes through
   * openDump, which re-indexes a changed file (with progress).
   */
  openEntry(d: DumpSummary, opts?: { keepView?: boolean }): Promise<DumpSummary | null>;
  openSample(): Promise<DumpSummary | null>;
  remove(id: number): Promise<void>;
  cancel(): Promise<void>;
  select(id: number | null): void;
  clearOpenError(): void;
  onProgress(e: ProgressEvent): void;
}

let jobSeq = 0;
const newJobId = () => `ui-${Date.now().toString(36)}-${++jobSeq}`;

export const useDumps = create<DumpsState>()((set, get) => {
  /** Runs one open job: progress while it runs, the dump or a clear error after. */
  const runOpen = async (label: string, start: (jobId: string) => Promise<DumpSummary>, keepView = false): Promise<DumpSummary | null> => {
    const running = get().job;
    if (running) {
      notify(`Still opening ${running.label}: wait for it or cancel it first`, 'warning');
      return null;
    }
    const jobId = newJobId();
    set({ job: { jobId, label, phase: 'starting', done: 0, total: 0, message: 'Starting' }, openError: null });
    try {
      const dump = await start(jobId);
      set({ current: dump, selectedId: dump.id, job: null });
      if (!keepView) useWorkspace.getState().show('threads');
      void get().refresh();
      const how = dump.fromIndex ? 'answered from the index' : dump.indexStats ? `indexed in ${formatMs(dump.indexStats.elapsedMs)}` : 'indexed';
      notify(`Opened ${dump.process} (pid ${dump.pid}): ${dump.threadCount} threads, ${how}`);
      if (dump.warnings.length > 0) notify(`${dump.process}: opened with ${dump.warnings.length} warning(s); see the Dumps view`, 'warning');
      return dump;
    } catch (e) {
      const error = asApiError(e);
      set({ job: null, openError: error.code === 'Cancelled' ? null : { label, error } });
      if (error.code === 'Cancelled') notify(`Cancelled opening ${label}`);
      else useWorkspace.getState().show('dumps');
      return null;
    }
  };

  return {
    dumps: [],
    loaded: false,
    listError: null,
    current: null,
    selectedId: null,
    job: null,
    openError: null,

    async refresh() {
      try {
        const dumps = await api().call('listDumps', {});
        const cur = get().current;
        // The current dump may have been re-indexed (new id) or removed elsewhere.
        const still = cur ? (dumps.find((d) => d.id === cur.id) ?? null) : null;
        set({ dumps, loaded: true, listError: null, current: still ? { ...still, fromIndex: cur?.fromIndex ?? true } : null });
        if (get().selectedId === null && dumps.length > 0) set({ selectedId: dumps[0].id });
      } catch (e) {
        set({ loaded: true, listError: asApiError(e) });
      }
    },

    open: (path, opts = {}) => runOpen(path, (jobId) => api().call('openDump', { path, jobId, force: opts.force }), opts.keepView ?? false),

    async openEntry(d, opts = {}) {
      const entry = get().dumps.find((x) => x.id === d.id) ?? d;
      if (entry.status !== 'missing') return get().open(entry.path, { keepView: opts.keepView });
      if (get().job) {
        notify(`Still opening ${get().job?.label}: wait for it or cancel it first`, 'warning');
        return null;
      }
      const shown = { ...entry, fromIndex: true };
      set({ current: shown, selectedId: entry.id, openError: null });
      if (!opts.keepView) useWorkspace.getState().show('threads');
      notify(`${entry.path} is gone: showing ${entry.process} (pid ${entry.pid}) from the index; nothing new can be read from it`, 'warning');
      return shown;
    },

    openSample: () => runOpen('the sample dump', (jobId) => api().call('openSample', { jobId })),

    async remove(id) {
      const d = get().dumps.find((x) => x.id === id);
      try {
        await api().call('removeDump', { dumpId: id });
        if (get().current?.id === id) set({ current: null });
        if (get().selectedId === id) set({ selectedId: null });
        notify(`Removed ${d ? d.path : `dump ${id}`} from the index (the file is untouched)`);
        await get().refresh();
      } catch (e) {
        notify(`Could not remove the dump: ${describeError(asApiError(e))}`, 'error');
      }
    },

    async cancel() {
      const job = get().job;
      if (!job) return;
      try {
        await api().call('cancelJob', { jobId: job.jobId });
      } catch (e) {
        notify(`Could not cancel: ${describeError(asApiError(e))}`, 'error');
      }
    },

    select: (selectedId) => set({ selectedId }),
    clearOpenError: () => set({ openError: null }),

    onProgress(e) {
      const job = get().job;
      if (!job || job.jobId !== e.jobId) return;
      set({ job: { ...job, phase: e.phase, done: e.done, total: e.total, message: e.message } });
    },
  };
});
