// Ctrl+O: a path box (Enter opens a file or enters a folder), the file browser, the recent
// dumps from the index, and the sample. The desktop shell's native dialog sends paths instead.
import { useEffect, useRef, useState } from 'react';
import { type DirectoryEntry } from '../../../shared/api';
import { type DumpSummary } from '../../../shared/types';
import { Kbd, Untrusted } from '../../components/ui';
import { inertLine } from '../../lib/inert';
import { baseName, dirName, formatWhen } from '../../lib/format';
import { useWorkspace } from '../workspace';
import { DumpStatusBadge } from './dump-status';
import { useDumps } from './dumps-store';
import { FileBrowser, useDirectory } from './file-browser';

export function OpenDialog() {
  const close = () => useWorkspace.getState().setOpenDialog(false);
  const dumps = useDumps((s) => s.dumps);
  const open = useDumps((s) => s.open);
  const openSample = useDumps((s) => s.openSample);
  const openLibraryEntry = useDumps((s) => s.openEntry);
  const openEntry = (d: DumpSummary) => {
    close();
    void openLibraryEntry(d);
  };
  const [showHidden, setShowHidden] = useState(false);
  const initialFolder = dumps[0] ? dirName(dumps[0].path) : undefined;
  const dir = useDirectory(localStorage.getItem('dumpscope.lastFolder') ?? initialFolder, showHidden);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement | null>(null);
  const listRef = useRef<HTMLDivElement | null>(null);

  useEffect(() => inputRef.current?.focus(), []);

  // Typing an absolute path walks the browser along: its folder is listed, its last part selected.
  const typedFolder = text.startsWith('/') ? (text.endsWith('/') ? text.replace(/\/+$/, '') || '/' : dirName(text)) : null;
  const typedName = text.startsWith('/') && !text.endsWith('/') ? baseName(text) : undefined;
  useEffect(() => {
    if (!typedFolder || typedFolder === dir.listing?.path) return;
    const t = setTimeout(() => void dir.load(typedFolder, true), 150);
    return () => clearTimeout(t);
    // Keyed on the typed folder alone: dir.load orders its answers by its own counter.
  }, [typedFolder]);

  const openPath = (p: string) => {
    close();
    void open(p);
  };

  const expand = (p: string) => (p === '~' || p.startsWith('~/') ? (dir.listing?.home ?? '~') + p.slice(1) : p);

  /** A folder: show it; a file: open it. Asking the server tells which. */
  const submit = async () => {
    const p = expand(text.trim());
    if (!p) return;
    setMessage(null);
    const base = dir.listing?.path;
    const full = p.startsWith('/') || !base ? p : `${base}/${p}`;
    const entered = await dir.load(full);
    if (entered) {
      setText('');
      return;
    }
    openPath(full);
  };

  const pick = (e: DirectoryEntry) => {
    if (e.kind === 'dir') void dir.load(e.path);
    else if (e.kind === 'file') openPath(e.path);
    else setMessage(`${inertLine(e.name)} is not a regular file`);
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="modal open-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Open a dump"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            close();
          }
        }}
      >
        <div className="modal-title">
          Open a dump
          <span className="push-right faint small">
            <Kbd>Enter</Kbd> open or enter folder · <Kbd>↓</Kbd> browse · <Kbd>Esc</Kbd> close
          </span>
        </div>
        <div className="open-row">
          <input
            ref={inputRef}
            className="input grow mono"
            placeholder="/path/to/core, a folder, or a name in the folder below"
            aria-label="Dump path"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void submit();
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                listRef.current?.focus();
              }
            }}
          />
          <button className="button primary" onClick={() => void submit()}>
            Open
          </button>
        </div>
        {message ? <div className="fb-error">{message}</div> : null}
        <div className="open-panes">
          <div className="open-pane">
            <div className="pane-head">
              <span>Files on this machine</span>
              <label className="check push-right">
                <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> hidden
              </label>
              {dir.listing ? (
                <button className="button small" onClick={() => void dir.load(dir.listing?.home)}>
                  Home
                </button>
              ) : null}
            </div>
            <FileBrowser listing={dir.listing} error={dir.error} loading={dir.loading} onNavigate={(p) => void dir.load(p)} onPick={pick} listRef={listRef} highlight={typedName} />
          </div>
          <div className="open-pane recent">
            <div className="pane-head">Recent dumps</div>
            <div className="recent-list">
              {dumps.length === 0 ? <div className="fb-empty">None yet</div> : null}
              {dumps.slice(0, 12).map((d) => (
                <button key={d.id} className="recent-item" onClick={() => openEntry(d)} title={inertLine(d.path)}>
                  <span className="recent-name">
                    <Untrusted text={d.process} />
                    <DumpStatusBadge status={d.status} />
                  </span>
                  <span className="recent-meta">
                    {d.threadCount} threads · {formatWhen(d.openedAt)}
                  </span>
                  <span className="recent-path mono">
                    <Untrusted text={d.path} />
                  </span>
                </button>
              ))}
            </div>
            <div className="pane-foot">
              <button
                className="button"
                onClick={() => {
                  close();
                  void openSample();
                }}
              >
                Open the sample dump
              </button>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
