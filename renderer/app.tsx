// The window: top bar (current dump, open job), view tabs, the active view, status bar; global
// shortcuts, events from the API and commands from the desktop shell are wired here once.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { type AppCommand } from '../shared/bridge';
import { assertNever } from '../shared/errors';
import { api, type ConnectionState } from './api';
import { Kbd, Untrusted } from './components/ui';
import { DumpStatusBadge, DumpsView, JobProgress, OpenDialog, useDumps } from './features/dumps';
import { CompareView, useCompare } from './features/compare';
import { useDisasm } from './features/disasm';
import { LockGraphView } from './features/lock-graph';
import { useLocks } from './features/locks';
import { ModulesView, useModules } from './features/modules';
import { ExportMenu, useReport } from './features/report';
import { SearchBox, SearchView } from './features/search';
import { StackGroupsView, StackTab, useSelectedFrame, useStacks } from './features/stack';
import { NoticesView, notify } from './features/notices';
import { useSymbols } from './features/symbols';
import { ThreadDetails } from './features/thread-details';
import { ThreadsView, useSelectedThread, useThreads } from './features/threads';
import { TranscriptView, useTranscripts } from './features/transcript';
import { useWorkspace, VIEW_LABEL, VIEW_ORDER, type ViewId } from './features/workspace';
import { baseName } from './lib/format';
import { inertLine } from './lib/inert';

function focusFilter() {
  const ws = useWorkspace.getState();
  if (ws.view !== 'threads' && ws.view !== 'modules') ws.show('threads');
  ws.requestFocus('filter');
}

function goToThread() {
  const ws = useWorkspace.getState();
  ws.show('threads');
  ws.requestFocus('goto');
}

function focusSearch() {
  useWorkspace.getState().requestFocus('search');
}

function addSymbolFolder(path: string) {
  useWorkspace.getState().show('modules');
  void useSymbols.getState().addFolder(path);
}

function onAppCommand(c: AppCommand) {
  switch (c.command) {
    case 'openDump':
      void useDumps.getState().open(c.path);
      return;
    case 'focusFilter':
      return focusFilter();
    case 'goToThread':
      return goToThread();
    case 'addSymbolFolder':
      return addSymbolFolder(c.path);
    case 'importTranscript':
      // A sandboxed window cannot read a path: the API reads the file the menu picked.
      useWorkspace.getState().show('transcript');
      void useTranscripts.getState().importFile(c.path);
      return;
    case 'compareWith':
      void useCompare.getState().compareWithPath(c.path);
      return;
    case 'exportReport':
      void useReport.getState().export('html');
      return;
    default:
      assertNever(c, 'app command');
  }
}

export function App() {
  const view = useWorkspace((s) => s.view);
  const openDialog = useWorkspace((s) => s.openDialog);
  const current = useDumps((s) => s.current);
  const [connection, setConnection] = useState<ConnectionState>(api().connection());
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const c = api();
    const offs = [
      c.on('progress', (e) => useDumps.getState().onProgress(e)),
      c.on('indexChanged', () => void useDumps.getState().refresh()),
      c.on('appCommand', onAppCommand),
      c.onConnection((s) => {
        setConnection(s);
        // Events were missed while disconnected: read the index again.
        if (s === 'connected') void useDumps.getState().refresh();
      }),
    ];
    void useDumps.getState().refresh();
    return () => offs.forEach((off) => off());
  }, []);

  // The window's title names the dump (the desktop shell shows it in the title bar): inert, as
  // everything from a dump is, since no element can isolate it there.
  const title = current ? `${inertLine(current.process)} (pid ${current.pid}) — dumpscope` : 'dumpscope';
  useEffect(() => {
    document.title = title;
  }, [title]);

  // A dump re-indexed in place (re-symbolized after a symbol folder change) keeps its id: the
  // time it was indexed tells it apart, and everything read from the old one is dropped.
  const dumpKey = current ? `${current.id}@${current.indexedAt}` : null;
  const lastKey = useRef<string | null>(null);
  useEffect(() => {
    const reindexed = current !== null && lastKey.current !== null && lastKey.current !== dumpKey && lastKey.current.startsWith(`${current.id}@`);
    lastKey.current = dumpKey;
    if (!current || reindexed) {
      const keep = useThreads.getState().selectedTid;
      useThreads.getState().clear();
      useModules.getState().clear();
      useLocks.getState().clear();
      useStacks.getState().clear();
      useDisasm.getState().clear();
      useSymbols.getState().clearStatus();
      useTranscripts.getState().clear();
      if (current && keep !== null) useThreads.getState().selectWhenLoaded(current.id, keep);
    }
    if (current) {
      void useThreads.getState().load(current.id);
      void useModules.getState().load(current.id);
      void useLocks.getState().load(current.id);
      void useSymbols.getState().loadStatus(current.id);
      void useTranscripts.getState().load(current.id);
    }
  }, [dumpKey]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ws = useWorkspace.getState();
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const k = e.key.toLowerCase();
      if (ws.openDialog && k !== 'o') return;
      if (k === 'o') {
        e.preventDefault();
        ws.setOpenDialog(true);
      } else if (k === 'f' && e.shiftKey) {
        e.preventDefault();
        focusSearch();
      } else if (k === 'f') {
        e.preventDefault();
        focusFilter();
      } else if (k === 'g') {
        e.preventDefault();
        goToThread();
      } else if (/^[1-8]$/.test(k) && !e.shiftKey) {
        e.preventDefault();
        const v = VIEW_ORDER[Number(k) - 1];
        ws.show(v);
        ws.requestFocus(v === 'stack' ? 'frames' : v === 'search' ? 'search' : 'table');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    const path = api().pathForFile(file);
    if (path) void useDumps.getState().open(path);
    else notify(`A browser does not tell a page where ${file.name} lives: type its path or pick it in the file browser (Ctrl+O)`, 'warning');
  };

  return (
    <div
      className="app"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.relatedTarget === null) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <TopBar connection={connection} />
      <Tabs view={view} />
      <main className="view" role="tabpanel" aria-label={VIEW_LABEL[view]}>
        {view === 'dumps' ? <DumpsView /> : null}
        {view === 'threads' ? <ThreadsView details={<ThreadDetails />} groups={(rows) => <StackGroupsView threads={rows} />} /> : null}
        {view === 'stack' ? <StackTab /> : null}
        {view === 'locks' ? <LockGraphView /> : null}
        {view === 'modules' ? <ModulesView /> : null}
        {view === 'transcript' ? <TranscriptView /> : null}
        {view === 'search' ? <SearchView /> : null}
        {view === 'compare' ? <CompareView /> : null}
      </main>
      <StatusBar connection={connection} />
      {openDialog ? <OpenDialog /> : null}
      <NoticesView />
      {dragging ? <div className="drop-overlay">Drop a core dump to open it</div> : null}
    </div>
  );
}

function TopBar({ connection }: { connection: ConnectionState }) {
  const current = useDumps((s) => s.current);
  const job = useDumps((s) => s.job);
  return (
    <header className="topbar">
      <span className="brand">dumpscope</span>
      {current ? (
        <span className="current-dump" title={inertLine(current.path)}>
          <span className="current-name">
            <Untrusted text={current.process} />
          </span>
          <span className="muted">pid {current.pid}</span>
          <span className="muted">{current.threadCount} threads</span>
          {current.signalName ? <span className="badge danger">{current.signalName}</span> : null}
          {current.runtime ? <span className="badge accent">.NET {inertLine(current.runtime.version ?? '')}</span> : <span className="badge neutral">native</span>}
          {current.warnings.length ? <span className="badge warning">{current.warnings.length} warnings</span> : null}
          <DumpStatusBadge status={current.status} />
          <span className="current-path mono faint">
            <Untrusted text={current.path} />
          </span>
        </span>
      ) : (
        <span className="current-dump faint">no dump open</span>
      )}
      <span className="topbar-right">
        {job ? <JobProgress compact /> : null}
        <SearchBox />
        <ExportMenu />
        <button className="button small" onClick={() => useWorkspace.getState().setOpenDialog(true)} title="Open a dump (Ctrl+O)">
          Open… <Kbd>Ctrl+O</Kbd>
        </button>
      </span>
      {connection === 'disconnected' ? <div className="conn-banner">Lost the connection to dumpscope serve (stopped?): reconnecting…</div> : null}
      {connection === 'unauthorized' ? (
        <div className="conn-banner">This page&apos;s access token is no longer valid (was the server restarted?): open the URL dumpscope serve printed.</div>
      ) : null}
    </header>
  );
}

function Tabs({ view }: { view: ViewId }) {
  const threads = useThreads((s) => s.threads.length);
  const modules = useModules((s) => s.modules.length);
  const dumps = useDumps((s) => s.dumps.length);
  const cycles = useLocks((s) => s.graph?.cycles.length ?? 0);
  const transcripts = useTranscripts((s) => s.transcripts.length);
  const counts: Record<ViewId, number | null> = { dumps, threads: threads || null, stack: null, locks: null, modules: modules || null, transcript: transcripts || null, search: null, compare: null };
  return (
    <nav className="tabs" role="tablist" aria-label="Views">
      {VIEW_ORDER.map((v, i) => (
        <button
          key={v}
          role="tab"
          aria-selected={view === v}
          className={`tab${view === v ? ' active' : ''}`}
          title={`${VIEW_LABEL[v]} (Ctrl+${i + 1})`}
          onClick={() => useWorkspace.getState().show(v)}
        >
          {VIEW_LABEL[v]}
          {counts[v] !== null ? <span className="tab-count">{counts[v]}</span> : null}
          {v === 'locks' && cycles > 0 ? (
            <span className="tab-count danger" title="Deadlock cycles">
              {cycles === 1 ? 'deadlock' : `${cycles} deadlocks`}
            </span>
          ) : null}
        </button>
      ))}
    </nav>
  );
}

function StatusBar({ connection }: { connection: ConnectionState }) {
  const current = useDumps((s) => s.current);
  const t = useSelectedThread();
  const dumpId = useThreads((s) => s.dumpId);
  const frame = useSelectedFrame(dumpId, t?.tid ?? null);
  const kind = api().kind;
  return (
    <footer className="statusbar">
      <span className="status-item">{current ? <Untrusted text={baseName(current.path)} /> : 'no dump'}</span>
      {t ? (
        <span className="status-item mono" data-testid="status-thread">
          thread #{t.index} · DBG {t.dbg} · tid {t.tid} · OSID {t.osid} · frame #{frame}
        </span>
      ) : null}
      <span className="status-hints">
        <Kbd>Ctrl+O</Kbd> open <Kbd>Ctrl+F</Kbd> filter <Kbd>Ctrl+G</Kbd> go to thread <Kbd>Ctrl+Shift+F</Kbd> search <Kbd>↑↓</Kbd> move <Kbd>Ctrl+1…8</Kbd> views
      </span>
      <span className={`status-item conn ${connection}`}>{kind === 'ipc' ? 'desktop' : `browser mode · ${connection}`}</span>
    </footer>
  );
}
