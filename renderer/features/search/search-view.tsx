// The Search view: one box that searches every frame, module and transcript of every indexed
// dump (Ctrl+Shift+F), results grouped by dump with the matching frame and its thread; Enter or
// a click opens the dump at that thread and frame.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { type SearchDumpGroup, type SearchHit } from '../../../shared/types';
import { EmptyState, ErrorMessage, Kbd, Untrusted } from '../../components/ui';
import { inertLine } from '../../lib/inert';
import { baseName, formatWhen, plural } from '../../lib/format';
import { useDumps } from '../dumps';
import { useFocusRequest, useWorkspace } from '../workspace';
import { matchingLine, splitMatches } from './highlight';
import { useSearch } from './search-store';

export function SearchView() {
  const { results, status, error, cursor } = useSearch();
  const { setCursor, open, move, openCursor } = useSearch();
  const current = useDumps((s) => s.current);
  const listRef = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    listRef.current?.querySelector('.sr-hit.cursor')?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  const onKey = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void openCursor();
    }
  };

  let k = -1;
  return (
    <div className="view-column search-view">
      <div className="toolbar">
        <span className="toolbar-note">
          Every frame, module and transcript of every indexed dump. Type in the search box above (<Kbd>Ctrl+Shift+F</Kbd>); <Kbd>↑</Kbd>
          <Kbd>↓</Kbd> pick, <Kbd>Enter</Kbd> opens the dump at that thread.
        </span>
        <span className="toolbar-count" aria-live="polite" data-testid="search-summary">
          {status === 'searching' ? 'searching…' : results && results.mode !== 'empty' ? summary(results.total, results.groups.length, results.truncated, results.mode, results.elapsedMs) : ''}
        </span>
      </div>
      {status === 'error' && error ? (
        <div className="banner-area top">
          <ErrorMessage title="The search failed" error={error} />
        </div>
      ) : null}
      {!results || results.mode === 'empty' ? (
        <EmptyState title="Search every indexed dump">
          Which dumps have a thread in <span className="mono">RequestReJIT</span>? Type any part of a function, module, source file or transcript line in the box
          above: case does not matter, and a result opens its dump at that thread. The command line does the same: <span className="mono">dumpscope search RequestReJIT</span>.
        </EmptyState>
      ) : results.total === 0 ? (
        <EmptyState title="No match">
          No frame, module or transcript of the indexed dumps contains &ldquo;
          <Untrusted text={results.query} />
          &rdquo;.
        </EmptyState>
      ) : (
        <div className="search-results" ref={listRef} tabIndex={0} onKeyDown={onKey} role="listbox" aria-label="Search results" data-testid="search-results">
          {results.groups.map((g) => (
            <div key={g.dump.id} className="sr-group" data-testid="search-group">
              <div className="sr-dump">
                <button className="sr-dump-name" onClick={() => void open(g, null)} title={`Open ${inertLine(g.dump.originalPath ?? g.dump.path)}`}>
                  <Untrusted text={g.dump.process} />
                </button>
                <span className="muted">pid {g.dump.pid}</span>
                <span className="muted">{plural(g.dump.threadCount, 'thread')}</span>
                {current?.id === g.dump.id ? <span className="badge accent">open</span> : null}
                <span className="sr-path mono faint" title={inertLine(g.dump.originalPath ?? g.dump.path)}>
                  <Untrusted text={g.dump.originalPath ?? g.dump.path} />
                </span>
                <span className="push-right muted small">
                  {plural(g.total, 'match', 'matches')} · opened {formatWhen(g.dump.openedAt)}
                </span>
              </div>
              {g.hits.map((h) => {
                k++;
                const i = k;
                return (
                  <Hit
                    key={`${h.kind}-${h.thread?.tid ?? h.module?.index ?? h.transcriptId}`}
                    g={g}
                    h={h}
                    query={results.query}
                    cursor={i === cursor}
                    onPick={() => {
                      setCursor(i);
                      void open(g, h);
                    }}
                  />
                );
              })}
              {g.hits.length < g.total ? <div className="sr-more faint">… {g.total - g.hits.length} more in this dump</div> : null}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** The search box of the top bar: typing shows the Search view; ↑/↓ and Enter act on its results. */
export function SearchBox() {
  const query = useSearch((s) => s.query);
  const { setQuery, run, move, openCursor } = useSearch();
  const ref = useRef<HTMLInputElement | null>(null);
  useFocusRequest('search', ref);
  // Search as the user types, a moment after the last key.
  useEffect(() => {
    const t = setTimeout(() => void run(query), 180);
    return () => clearTimeout(t);
  }, [query, run]);
  return (
    <label className="top-search">
      <input
        ref={ref}
        className="input mono"
        type="search"
        placeholder="Search all dumps: a function, module, file…"
        aria-label="Search all dumps"
        value={query}
        onFocus={() => {
          if (query) useWorkspace.getState().show('search');
        }}
        onChange={(e) => {
          setQuery(e.target.value);
          useWorkspace.getState().show('search');
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            move(e.key === 'ArrowDown' ? 1 : -1);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            void openCursor();
          } else if (e.key === 'Escape') setQuery('');
        }}
      />
      <Kbd>Ctrl+Shift+F</Kbd>
    </label>
  );
}

function summary(total: number, dumps: number, truncated: boolean, mode: string, ms: number): string {
  const how = mode === 'like' ? 'scanned (short query)' : 'indexed';
  return `${plural(total, 'match', 'matches')} in ${plural(dumps, 'dump')}${truncated ? ' (not all shown)' : ''} · ${how} · ${ms} ms`;
}

function Hit({ g, h, query, cursor, onPick }: { g: SearchDumpGroup; h: SearchHit; query: string; cursor: boolean; onPick(): void }) {
  const where =
    h.kind === 'frame' && h.thread ? (
      <span className="sr-where mono">
        #{h.thread.index} <span className="muted">tid {h.thread.tid} · OSID {h.thread.osid}</span>
      </span>
    ) : h.kind === 'module' ? (
      <span className="sr-where">module</span>
    ) : (
      <span className="sr-where">transcript</span>
    );
  let text: string;
  let source: string | null = null;
  if (h.frame) {
    const f = h.frame;
    text = `${f.module ? `${baseName(f.module)}\`` : ''}${f.function ?? f.pc}${f.offset ? ` + ${f.offset}` : ''}`;
    source = f.file ? `${f.file}${f.line !== null ? `:${f.line}` : ''}` : null;
  } else if (h.module) text = h.module.path;
  else text = matchingLine(h.text, query).trim();
  return (
    <div className={`sr-hit${cursor ? ' cursor' : ''}`} role="option" aria-selected={cursor} onMouseDown={onPick} title={`Open ${inertLine(g.dump.process)} at this ${h.kind}`} data-testid="search-hit">
      {where}
      <span className="sr-kind badge neutral">{h.kind === 'frame' && h.frame ? `frame #${h.frame.index}` : h.kind}</span>
      <span className="sr-text mono">
        <Marked text={text} query={query} />
        {source ? (
          <span className="sr-src">
            {' '}
            at <Marked text={source} query={query} />
          </span>
        ) : null}
      </span>
    </div>
  );
}

/** The text with the query's occurrences marked: matched on the text as the index holds it, each part shown inert. */
function Marked({ text, query }: { text: string; query: string }) {
  return (
    <bdi className="untrusted">
      {splitMatches(text, query).map((p, i) => (p.match ? <mark key={i}>{inertLine(p.text)}</mark> : <span key={i}>{inertLine(p.text)}</span>))}
    </bdi>
  );
}
