// The Transcript view's state: the dump's transcripts (listTranscripts; imported output, debugger
// batch runs, console sessions), the one shown (its text from getTranscript), importing one
// (importTranscript), and the console: built-in commands answered from the index, anything else
// sent to a debugger session (runEngineCommand), the lines kept for the dump.
import { create } from 'zustand';
import { type ApiError } from '../../../shared/errors';
import { type EngineName, type EngineStatus, type TranscriptInfo, type TranscriptText } from '../../../shared/types';
import { api, asApiError, describeError } from '../../api';
import { useDumps } from '../dumps';
import { useLocks } from '../locks';
import { notify } from '../notices';
import { useThreads } from '../threads';
import { isBuiltin, runBuiltin } from './console-commands';

export type TranscriptPick = 'identity' | 'console' | number;
export type ConsoleTarget = 'builtin' | EngineName;

interface TranscriptState {
  dumpId: number | null;
  transcripts: TranscriptInfo[];
  status: 'empty' | 'loading' | 'ready' | 'error';
  error: ApiError | null;
  picked: TranscriptPick;
  texts: Record<number, { status: 'loading' } | { status: 'ready'; value: TranscriptText } | { status: 'error'; error: ApiError }>;
  engines: EngineStatus[];
  /** The console's text (commands and answers), per dump. */
  consoleText: string;
  history: string[];
  target: ConsoleTarget;
  running: boolean;
  importing: boolean;
  load(dumpId: number): Promise<void>;
  clear(): void;
  pick(p: TranscriptPick): void;
  /** Picks a transcript once its dump's list is read (a search hit in another dump). */
  pickWhenLoaded(dumpId: number, id: number): void;
  pending: { dumpId: number; id: number } | null;
  importText(name: string, text: string): Promise<boolean>;
  remove(id: number): Promise<void>;
  setTarget(t: ConsoleTarget): void;
  run(line: string): Promise<void>;
  /** Imports a transcript file by path (the desktop menu's Import Transcript…). */
  importFile(path: string): Promise<boolean>;
}

const PROMPT: Record<ConsoleTarget, string> = { builtin: '>', 'dotnet-dump': '>', lldb: '(lldb)', gdb: '(gdb)' };

export const useTranscripts = create<TranscriptState>()((set, get) => {
  const append = (text: string) => set({ consoleText: get().consoleText + text + (text.endsWith('\n') ? '' : '\n') });
  const loadText = (id: number) => {
    if (get().texts[id]) return;
    set({ texts: { ...get().texts, [id]: { status: 'loading' } } });
    api()
      .call('getTranscript', { transcriptId: id })
      .then(
        (value) => set({ texts: { ...get().texts, [id]: { status: 'ready', value } } }),
        (e: unknown) => set({ texts: { ...get().texts, [id]: { status: 'error', error: asApiError(e) } } }),
      );
  };
  return {
    dumpId: null,
    transcripts: [],
    status: 'empty',
    error: null,
    picked: 'identity',
    texts: {},
    engines: [],
    consoleText: '',
    history: [],
    target: 'builtin',
    running: false,
    importing: false,
    pending: null,

    async load(dumpId) {
      if (get().dumpId !== dumpId) set({ dumpId, transcripts: [], texts: {}, picked: 'identity', consoleText: '', status: 'loading', error: null });
      try {
        const [transcripts, engines] = await Promise.all([api().call('listTranscripts', { dumpId }), get().engines.length ? Promise.resolve(get().engines) : api().call('listEngines', {})]);
        if (get().dumpId !== dumpId) return;
        set({ transcripts, engines, status: 'ready' });
        const p = get().pending;
        if (p && p.dumpId === dumpId) {
          set({ pending: null });
          if (transcripts.some((t) => t.id === p.id)) get().pick(p.id);
        }
      } catch (e) {
        if (get().dumpId === dumpId) set({ status: 'error', error: asApiError(e) });
      }
    },
    clear: () => set({ dumpId: null, transcripts: [], texts: {}, picked: 'identity', consoleText: '', status: 'empty', error: null }),

    pickWhenLoaded(dumpId, id) {
      if (get().dumpId === dumpId && get().status === 'ready') get().pick(id);
      else set({ pending: { dumpId, id } });
    },

    pick(p) {
      set({ picked: p });
      if (typeof p === 'number') loadText(p);
    },

    async importText(name, text) {
      const dumpId = get().dumpId;
      if (dumpId === null) return false;
      set({ importing: true });
      try {
        const r = await api().call('importTranscript', { name, text, dumpId });
        await get().load(dumpId);
        set({ texts: { ...get().texts, [r.transcript.id]: { status: 'ready', value: { ...r.transcript, text } } } });
        get().pick(r.transcript.id);
        const kinds = [...new Set(r.transcript.commands.map((c) => c.kind).filter((k) => k !== 'unknown'))];
        notify(`Imported ${name}: ${r.transcript.host} output, ${r.transcript.commands.length} command block(s)${kinds.length ? ` (${kinds.slice(0, 4).join(', ')})` : ''}`);
        for (const w of r.transcript.warnings.slice(0, 2)) notify(w, 'warning');
        // What the transcript says about the threads (managed ids, roles) and the runtime-aware graph.
        void useThreads.getState().load(dumpId, true);
        void useLocks.getState().load(dumpId, true);
        return true;
      } catch (e) {
        notify(`Could not import ${name}: ${describeError(asApiError(e))}`, 'error');
        return false;
      } finally {
        set({ importing: false });
      }
    },

    async importFile(filePath) {
      // The dump on screen, even if this view has not loaded it yet (the menu can come first).
      const dumpId = useDumps.getState().current?.id ?? get().dumpId;
      if (dumpId === null) {
        notify('Open a dump first: a transcript is attached to a dump', 'warning');
        return false;
      }
      set({ importing: true });
      try {
        if (get().dumpId !== dumpId) await get().load(dumpId);
        const r = await api().call('importTranscriptFile', { path: filePath, dumpId });
        await get().load(dumpId);
        get().pick(r.transcript.id);
        notify(`Imported ${r.transcript.name}: ${r.transcript.host} output, ${r.transcript.commands.length} command block(s)`);
        for (const w of r.transcript.warnings.slice(0, 2)) notify(w, 'warning');
        void useThreads.getState().load(dumpId, true);
        void useLocks.getState().load(dumpId, true);
        return true;
      } catch (e) {
        notify(`Could not import ${filePath}: ${describeError(asApiError(e))}`, 'error');
        return false;
      } finally {
        set({ importing: false });
      }
    },

    async remove(id) {
      try {
        await api().call('removeTranscript', { transcriptId: id });
        if (get().picked === id) set({ picked: 'identity' });
        const dumpId = get().dumpId;
        if (dumpId !== null) await get().load(dumpId);
      } catch (e) {
        notify(`Could not remove the transcript: ${describeError(asApiError(e))}`, 'error');
      }
    },

    setTarget: (target) => set({ target }),

    async run(line) {
      const cmd = line.trim();
      const dumpId = get().dumpId;
      if (!cmd || dumpId === null || get().running) return;
      set({ history: [...get().history.filter((h) => h !== cmd), cmd].slice(-200), running: true, picked: 'console' });
      const target = isBuiltin(cmd) ? 'builtin' : get().target;
      append(`${PROMPT[target]} ${cmd}`);
      try {
        if (target === 'builtin') {
          const threads = useThreads.getState();
          const ans = await runBuiltin(cmd, {
            threads: threads.threads,
            selectedTid: threads.selectedTid,
            locks: useLocks.getState().graph,
            getStack: async (tid) => (await api().call('getStacks', { dumpId, tid })).find((s) => s.tid === tid) ?? null,
          });
          append(ans.output);
          if (ans.select !== undefined) useThreads.getState().select(ans.select);
          // The session persists in the index (and is searchable) like a debugger's.
          void api()
            .call('recordConsole', { dumpId, command: cmd, output: ans.output })
            .then(
              (r) => {
                const { [r.transcriptId]: _old, ...rest } = get().texts;
                set({ texts: rest });
                if (get().dumpId === dumpId) void get().load(dumpId);
              },
              (e: unknown) => notify(`The console could not be saved: ${describeError(asApiError(e))}`, 'warning'),
            );
        } else {
          const eng = get().engines.find((e) => e.engine === target);
          if (!eng?.available) {
            append(`${target} is not installed here: ${eng?.installHint ?? 'install it'}`);
          } else {
            const r = await api().call('runEngineCommand', { dumpId, engine: target, command: cmd });
            append(r.output);
            // The session's transcript grew: list it (and its text) afresh.
            const { [r.transcriptId]: _old, ...rest } = get().texts;
            set({ texts: rest });
            void get().load(dumpId);
          }
        }
      } catch (e) {
        const err = asApiError(e);
        append(`error: ${describeError(err)}`);
      } finally {
        append('');
        set({ running: false });
      }
    },
  };
});
