// The Transcript view: the dump's identity table, its debugger transcripts (imported output, batch
// runs, console sessions) in the Monaco editor with the transcript grammar, and a console whose
// built-in commands answer from the index (threads, bt, setthread, locks, clrthreads, help) and
// whose other commands go to a debugger session. A thread identity in any text (tid = 3193,
// LWP 3193, OS Thread Id: 0xc79, thread #16) is a link that selects the thread.
import { lazy, Suspense, useMemo, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { findThread } from '../../../shared/thread-selector';
import { EmptyState, ErrorMessage, Kbd, SplitPane, Untrusted, UntrustedLines } from '../../components/ui';
import { inertLine } from '../../lib/inert';
import { formatBytes, formatWhen } from '../../lib/format';
import { useDumps } from '../dumps';
import { notify } from '../notices';
import { useThreads } from '../threads';
import { useFocusRequest } from '../workspace';
import { identityTable } from './identity-table';
import { threadLinkAt, threadLinks } from './thread-links';
import { useTranscripts, type ConsoleTarget } from './transcript-store';

const MonacoView = lazy(() => import('../../components/monaco/monaco-view').then((m) => ({ default: m.MonacoView })));

/** The most a transcript file may be: the API takes 32 MiB of text. */
const MAX_IMPORT = 32 * 1024 * 1024;

export function TranscriptView() {
  const dump = useDumps((s) => s.current);
  const threads = useThreads((s) => s.threads);
  const threadStatus = useThreads((s) => s.status);
  const { transcripts, status, error, picked, texts, consoleText, importing } = useTranscripts();
  const { pick, remove, importText } = useTranscripts();
  const fileRef = useRef<HTMLInputElement | null>(null);
  const [pasting, setPasting] = useState(false);
  const identity = useMemo(() => (dump && threadStatus === 'ready' ? identityTable(dump, threads) : ''), [dump, threads, threadStatus]);

  const onLink = useMemo(
    () => (line: string, column: number) => {
      const l = threadLinkAt(line, column);
      if (!l) return;
      const r = findThread(useThreads.getState().threads, l.selector);
      if (r.ok) {
        useThreads.getState().select(r.thread.tid);
        notify(`Selected thread #${r.thread.index} (tid ${r.thread.tid}, OSID ${r.thread.osid}) by ${r.matched}`);
      } else notify(r.message, 'warning');
    },
    [],
  );

  if (!dump) return <EmptyState title="No dump open">Open a dump to see its identity table, attach debugger transcripts and use the console.</EmptyState>;

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    if (f.size > MAX_IMPORT) {
      notify(`${f.name} is ${formatBytes(f.size)}: transcripts of at most 32 MiB are imported`, 'error');
      return;
    }
    await importText(f.name, await f.text());
  };

  let main;
  if (picked === 'console') main = <ConsolePane onLink={onLink} text={consoleText} />;
  else if (picked === 'identity') {
    main = identity ? <Editor value={identity} label="Identity table" onLink={onLink} /> : <div className="loading-line">Loading threads…</div>;
  } else {
    const t = texts[picked];
    if (!t || t.status === 'loading') main = <div className="loading-line">Loading the transcript…</div>;
    else if (t.status === 'error') main = <ErrorMessage title="Could not read the transcript" error={t.error} />;
    else main = <Editor value={t.value.text} label={`Transcript ${t.value.name}`} onLink={onLink} />;
  }

  const list = (
    <div className="view-column transcript-list">
      <div className="pane-head">
        Transcripts
        <span className="push-right button-row">
          <button className="button small" onClick={() => fileRef.current?.click()} disabled={importing} title="Attach a saved dotnet-dump/SOS, lldb or gdb session to this dump">
            Import…
          </button>
          <button className="button small" onClick={() => setPasting(true)} disabled={importing}>
            Paste…
          </button>
        </span>
        <input ref={fileRef} type="file" className="hidden-input" aria-label="Transcript file" onChange={(e) => void onFile(e)} />
      </div>
      <div className="tl-items" role="listbox" aria-label="Transcripts">
        <Item active={picked === 'identity'} onPick={() => pick('identity')} title="Identity table" meta="#index · DBG · tid · OSID of every thread, from the index" />
        <Item active={picked === 'console'} onPick={() => pick('console')} title="Console" meta="threads, bt, setthread, locks, clrthreads, help; other commands go to a debugger" />
        {status === 'error' && error ? (
          <div className="fb-error">
            <UntrustedLines text={error.message} />
          </div>
        ) : null}
        {transcripts.map((t) => (
          <Item
            key={t.id}
            active={picked === t.id}
            onPick={() => pick(t.id)}
            title={t.name}
            badge={t.host}
            meta={`${t.source === 'import' ? 'imported' : t.mode === 'session' ? `${t.source} session` : `${t.source} run`} · ${t.commands.length} commands · ${t.lineCount} lines · ${formatWhen(t.updatedAt)}`}
            onRemove={() => void remove(t.id)}
          />
        ))}
        {status === 'ready' && transcripts.length === 0 ? <div className="tl-empty faint">No transcript yet: import a saved debugger session, or run commands in the console.</div> : null}
      </div>
    </div>
  );
  return (
    <>
      <SplitPane id="transcripts" sideFirst side={list} main={<div className="view-column">{main}</div>} defaultSide={300} minSide={220} minMain={420} />
      {pasting ? (
        <PasteDialog
          onCancel={() => setPasting(false)}
          onImport={async (name, text) => {
            if (await importText(name, text)) setPasting(false);
          }}
        />
      ) : null}
    </>
  );
}

function Item({ active, onPick, title, meta, badge, onRemove }: { active: boolean; onPick(): void; title: string; meta: string; badge?: string; onRemove?(): void }) {
  return (
    <div className={`tl-item${active ? ' active' : ''}`} role="option" aria-selected={active} onClick={onPick} data-testid="transcript-item">
      <span className="tl-title">
        <Untrusted text={title} />
        {badge ? (
          <span className="badge neutral">
            <Untrusted text={badge} />
          </span>
        ) : null}
      </span>
      {onRemove ? (
        <button
          className="icon-button tl-remove"
          aria-label={`Remove ${inertLine(title)}`}
          title="Remove this transcript from the index"
          onClick={(e) => {
            e.stopPropagation();
            onRemove();
          }}
        >
          ×
        </button>
      ) : null}
      <span className="tl-meta">
        <Untrusted text={meta} />
      </span>
    </div>
  );
}

function Editor({ value, label, onLink, followEnd }: { value: string; label: string; onLink(line: string, column: number): void; followEnd?: boolean }) {
  return (
    <div className="editor-area">
      <Suspense fallback={<div className="loading-line">Loading the editor…</div>}>
        <MonacoView value={value} label={label} links={threadLinks} onClickText={onLink} followEnd={followEnd} />
      </Suspense>
    </div>
  );
}

const TARGETS: { id: ConsoleTarget; label: string }[] = [
  { id: 'builtin', label: 'built-in only' },
  { id: 'dotnet-dump', label: 'dotnet-dump' },
  { id: 'lldb', label: 'lldb' },
  { id: 'gdb', label: 'gdb' },
];

function ConsolePane({ text, onLink }: { text: string; onLink(line: string, column: number): void }) {
  const { history, target, running, engines, setTarget, run } = useTranscripts();
  const [line, setLine] = useState('');
  const [back, setBack] = useState(-1);
  const inputRef = useRef<HTMLInputElement | null>(null);
  useFocusRequest('console', inputRef);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      const l = line;
      setLine('');
      setBack(-1);
      void run(l);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const next = e.key === 'ArrowUp' ? Math.min(history.length - 1, back + 1) : Math.max(-1, back - 1);
      setBack(next);
      setLine(next < 0 ? '' : (history[history.length - 1 - next] ?? ''));
    }
  };
  const shown = text || '# The console answers from the index: type help.\n';
  return (
    <div className="view-column console">
      <Editor value={shown} label="Console" onLink={onLink} followEnd />
      <div className="console-input">
        <span className="console-prompt mono">{target === 'lldb' ? '(lldb)' : target === 'gdb' ? '(gdb)' : '>'}</span>
        <input
          ref={inputRef}
          className="input grow mono"
          aria-label="Console command"
          placeholder="threads · bt · setthread -t 3193 · locks · help"
          value={line}
          disabled={running}
          onChange={(e) => setLine(e.target.value)}
          onKeyDown={onKey}
        />
        <label className="field">
          <span className="field-label">Other commands to</span>
          <select className="input narrow" value={target} aria-label="Debugger for other commands" onChange={(e) => setTarget(e.target.value as ConsoleTarget)}>
            {TARGETS.map((t) => {
              const eng = engines.find((x) => x.engine === t.id);
              return (
                <option key={t.id} value={t.id} disabled={t.id !== 'builtin' && !eng?.available}>
                  {t.label}
                  {t.id !== 'builtin' && !eng?.available ? ' (not installed)' : ''}
                </option>
              );
            })}
          </select>
        </label>
        {running ? <span className="spinner" aria-label="Running" /> : <Kbd>Enter</Kbd>}
      </div>
    </div>
  );
}

function PasteDialog({ onImport, onCancel }: { onImport(name: string, text: string): Promise<void>; onCancel(): void }) {
  const [name, setName] = useState('pasted transcript');
  const [text, setText] = useState('');
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="modal paste-dialog" role="dialog" aria-modal="true" aria-label="Paste a transcript" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <div className="modal-title">Paste a debugger transcript</div>
        <div className="open-row">
          <input className="input grow" aria-label="Transcript name" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <textarea
          className="paste-area mono"
          aria-label="Transcript text"
          placeholder="(lldb) thread list … · > clrthreads … · (gdb) thread apply all bt …"
          value={text}
          autoFocus
          onChange={(e) => setText(e.target.value)}
        />
        <div className="pane-foot button-row">
          <span className="faint small">dotnet-dump / SOS, lldb and gdb output; prompts tell which one printed it.</span>
          <span className="push-right button-row">
            <button className="button" onClick={onCancel}>
              Cancel
            </button>
            <button className="button primary" disabled={!text.trim() || !name.trim()} onClick={() => void onImport(name.trim(), text)}>
              Import
            </button>
          </span>
        </div>
      </div>
    </div>
  );
}
