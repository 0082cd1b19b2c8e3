// Symbol folders: where dumpscope looks for executables, libraries and debug files besides the
// dump's own folder and /usr/lib/debug (by build-id: `.build-id/ab/cdef….debug`, or by name).
// Add one by path or with the file browser (browser mode has no native dialog), remove one;
// either re-symbolizes the open dump.
import { useEffect, useRef, useState } from 'react';
import { type DirectoryEntry } from '../../../shared/api';
import { Kbd, Untrusted, UntrustedLines } from '../../components/ui';
import { inert, inertLine } from '../../lib/inert';
import { formatWhen } from '../../lib/format';
import { FileBrowser, useDirectory } from '../dumps';
import { useSymbols } from './symbols-store';

export function SymbolFoldersPanel() {
  const { folders, foldersStatus, foldersError, busy, loadFolders, addFolder, removeFolder } = useSymbols();
  const [text, setText] = useState('');
  const [picking, setPicking] = useState(false);
  useEffect(() => {
    if (foldersStatus === 'idle') void loadFolders();
  }, [foldersStatus, loadFolders]);

  const add = async (p: string) => {
    const path = p.trim();
    if (!path) return;
    if (await addFolder(path)) setText('');
  };

  return (
    <section className="details-section" data-testid="symbol-folders">
      <h3 className="section-title">
        Symbol folders
        <span className="section-hint">by build-id and name</span>
      </h3>
      {foldersError ? (
        <div className="fb-error">
          <UntrustedLines text={foldersError.message} />
        </div>
      ) : null}
      <ul className="folder-list">
        {folders.length === 0 && foldersStatus === 'ready' ? <li className="faint">None yet: only the dump&apos;s folder and /usr/lib/debug are searched.</li> : null}
        {folders.map((f) => (
          <li key={f.path} className="folder-item">
            <span className="folder-path mono" title={inertLine(f.path)}>
              <Untrusted text={f.path} />
            </span>
            <span className="faint small">
              {f.fileCount} ELF files{f.truncated ? ' (scan cut short)' : ''} · {f.scannedAt ? `scanned ${formatWhen(f.scannedAt)}` : 'not scanned'}
            </span>
            {f.warnings.length ? (
              <span className="badge warning" title={inert(f.warnings.map(inertLine).join('\n'))}>
                {f.warnings.length} warnings
              </span>
            ) : null}
            <button className="button small push-right" disabled={busy !== null} onClick={() => void removeFolder(f.path)} aria-label={`Remove ${inertLine(f.path)}`}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="open-row compact">
        <input
          className="input grow mono"
          placeholder="/path/to/symbols"
          aria-label="Symbol folder path"
          value={text}
          disabled={busy !== null}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void add(text);
          }}
        />
        <button className="button" disabled={busy !== null} onClick={() => setPicking(true)}>
          Browse…
        </button>
        <button className="button primary" disabled={busy !== null || !text.trim()} onClick={() => void add(text)}>
          Add
        </button>
      </div>
      {busy ? (
        <div className="busy-line" role="status">
          <span className="spinner" aria-hidden="true" /> <Untrusted text={busy} />…
        </div>
      ) : null}
      {picking ? (
        <FolderPicker
          initial={text.trim() || undefined}
          onCancel={() => setPicking(false)}
          onChoose={(p) => {
            setPicking(false);
            void add(p);
          }}
        />
      ) : null}
    </section>
  );
}

/** A folder chooser over listDirectory: enter folders, then "Use this folder". */
function FolderPicker({ initial, onChoose, onCancel }: { initial?: string; onChoose(path: string): void; onCancel(): void }) {
  const [showHidden, setShowHidden] = useState(true);
  const dir = useDirectory(initial, showHidden);
  const listRef = useRef<HTMLDivElement | null>(null);
  useEffect(() => listRef.current?.focus(), []);
  const pick = (e: DirectoryEntry) => {
    if (e.kind === 'dir') void dir.load(e.path);
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        className="modal open-dialog folder-picker"
        role="dialog"
        aria-modal="true"
        aria-label="Choose a symbol folder"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
          }
        }}
      >
        <div className="modal-title">
          Choose a symbol folder
          <span className="push-right faint small">
            <Kbd>Enter</Kbd> enter folder · <Kbd>Backspace</Kbd> up · <Kbd>Esc</Kbd> close
          </span>
        </div>
        <div className="pane-head">
          <span>Folders on this machine</span>
          <label className="check push-right">
            <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> hidden (.build-id, .debug)
          </label>
        </div>
        <FileBrowser listing={dir.listing} error={dir.error} loading={dir.loading} onNavigate={(p) => void dir.load(p)} onPick={pick} listRef={listRef} />
        <div className="pane-foot button-row">
          <span className="mono faint folder-choice">
            <Untrusted text={dir.listing?.path} />
          </span>
          <span className="push-right button-row">
            <button className="button" onClick={onCancel}>
              Cancel
            </button>
            <button className="button primary" disabled={!dir.listing} onClick={() => dir.listing && onChoose(dir.listing.path)}>
              Use this folder
            </button>
          </span>
        </div>
      </div>
    </div>
  );
}
