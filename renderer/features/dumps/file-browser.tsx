// Browser mode has no native file dialog: this lists folders of the machine running the API
// (listDirectory) and marks files whose header says they are cores.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { type DirectoryEntry, type DirectoryListing } from '../../../shared/api';
import { type ApiError } from '../../../shared/errors';
import { api, asApiError } from '../../api';
import { Untrusted, UntrustedLines } from '../../components/ui';
import { formatBytes, formatWhen } from '../../lib/format';
import { inertLine } from '../../lib/inert';

export interface FileBrowserProps {
  listing: DirectoryListing | null;
  error: ApiError | null;
  loading: boolean;
  onNavigate(path: string): void;
  onPick(entry: DirectoryEntry): void;
  listRef?: React.RefObject<HTMLDivElement | null>;
  /** Select the first entry whose name starts with this (typing a path follows along). */
  highlight?: string;
}

/** Loads folders for the browser; remembers the last one for next time. */
export function useDirectory(initial: string | undefined, showHidden: boolean) {
  const [listing, setListing] = useState<DirectoryListing | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  /** `quiet`: a failure keeps the current listing and shows nothing (used while typing). */
  const load = async (path: string | undefined, quiet = false): Promise<boolean> => {
    const my = ++seq.current;
    setLoading(true);
    try {
      const l = await api().call('listDirectory', { path, showHidden });
      if (my !== seq.current) return true;
      setListing(l);
      setError(null);
      localStorage.setItem('dumpscope.lastFolder', l.path);
      return true;
    } catch (e) {
      if (my === seq.current && !quiet) setError(asApiError(e));
      return false;
    } finally {
      if (my === seq.current) setLoading(false);
    }
  };
  useEffect(() => {
    void load(listing?.path ?? initial ?? localStorage.getItem('dumpscope.lastFolder') ?? undefined);
    // Reload only when hidden files are toggled; navigation calls load itself.
  }, [showHidden]);
  return { listing, error, loading, load };
}

const KIND_LABEL: Record<string, string> = { core: 'core', elf: 'ELF', compressed: 'compressed' };

export function FileBrowser({ listing, error, loading, onNavigate, onPick, listRef, highlight }: FileBrowserProps) {
  const [sel, setSel] = useState(0);
  const entries = listing?.entries ?? [];
  useEffect(() => {
    const list = listing?.entries ?? [];
    setSel(Math.max(0, highlight ? list.findIndex((e) => e.name.startsWith(highlight)) : -1));
  }, [listing, highlight]);
  useEffect(() => {
    listRef?.current?.querySelector(`[data-i="${sel}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [sel, listRef]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowDown') setSel((i) => Math.min(entries.length - 1, i + 1));
    else if (e.key === 'ArrowUp') setSel((i) => Math.max(0, i - 1));
    else if (e.key === 'Home') setSel(0);
    else if (e.key === 'End') setSel(entries.length - 1);
    else if (e.key === 'Enter' && entries[sel]) onPick(entries[sel]);
    else if (e.key === 'Backspace' && listing?.parent) onNavigate(listing.parent);
    else return;
    e.preventDefault();
  };

  return (
    <div className="file-browser">
      <div className="fb-path mono" title={listing ? inertLine(listing.path) : undefined}>
        {listing ? <Breadcrumbs path={listing.path} onNavigate={onNavigate} /> : loading ? 'loading…' : ''}
      </div>
      {error ? (
        <div className="fb-error">
          <UntrustedLines text={error.message} />
        </div>
      ) : null}
      <div className="fb-list" ref={listRef} tabIndex={0} role="listbox" aria-label="Files" onKeyDown={onKeyDown}>
        {listing?.parent ? (
          <div className="fb-row dir" onDoubleClick={() => onNavigate(listing.parent as string)} onClick={() => onNavigate(listing.parent as string)}>
            <span className="fb-icon">↰</span>
            <span className="fb-name">..</span>
          </div>
        ) : null}
        {entries.map((e, i) => (
          <div
            key={e.path}
            data-i={i}
            role="option"
            aria-selected={i === sel}
            className={`fb-row ${e.kind}${i === sel ? ' selected' : ''}${e.looksLike === 'core' ? ' core' : ''}`}
            onClick={() => setSel(i)}
            onDoubleClick={() => onPick(e)}
            title={inertLine(e.path)}
          >
            <span className="fb-icon" aria-hidden="true">
              {e.kind === 'dir' ? '▸' : e.looksLike === 'core' ? '◆' : '·'}
            </span>
            <span className="fb-name">
              <Untrusted text={e.name} />
              {e.kind === 'dir' ? '/' : ''}
            </span>
            {e.looksLike ? <span className={`badge ${e.looksLike === 'core' ? 'accent' : 'neutral'}`}>{KIND_LABEL[e.looksLike]}</span> : <span />}
            <span className="fb-size">{e.kind === 'file' ? formatBytes(e.size) : ''}</span>
            <span className="fb-date">{e.mtimeMs ? formatWhen(new Date(e.mtimeMs).toISOString()) : ''}</span>
          </div>
        ))}
        {listing && entries.length === 0 ? <div className="fb-empty">Empty folder</div> : null}
        {listing?.truncated ? <div className="fb-empty">Only the first {entries.length} entries are listed: type the path instead.</div> : null}
      </div>
    </div>
  );
}

function Breadcrumbs({ path, onNavigate }: { path: string; onNavigate(p: string): void }) {
  const parts = path.split('/').filter(Boolean);
  return (
    <>
      <button className="crumb" onClick={() => onNavigate('/')}>
        /
      </button>
      {parts.map((p, i) => {
        const full = '/' + parts.slice(0, i + 1).join('/');
        return (
          <span key={full}>
            <button className="crumb" onClick={() => onNavigate(full)}>
              <Untrusted text={p} />
            </button>
            {i < parts.length - 1 ? <span className="crumb-sep">/</span> : null}
          </span>
        );
      })}
    </>
  );
}
