// The Threads view: filter (Ctrl+F), go to any identity (Ctrl+G), the virtualized table, and
// the selected thread's details beside it (passed in, so features do not import each other in a circle).
import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { DataTable, filterRows, sortRows } from '../../components/data-table';
import { EmptyState, ErrorMessage, FilterField, Kbd, SplitPane } from '../../components/ui';
import { inertLine } from '../../lib/inert';
import { useFocusRequest } from '../workspace';
import { useLocks, VerdictBanner } from '../locks';
import { THREAD_COLUMNS, type ThreadRow } from './thread-columns';
import { useThreads } from './threads-store';

const rowKey = (t: ThreadRow) => t.tid;
const MANAGED_COLUMNS = new Set(['managedId', 'gcMode', 'lockCount', 'role']);
// The filter also finds a thread by its registers' values and the raw syscall number.
const extraSearch = (t: ThreadRow) => (t.syscall ? `${t.syscall.nr} ${t.syscall.args.join(' ')}` : '') + ' ' + Object.values(t.registers).join(' ');

export function ThreadsView({ details, groups }: { details: ReactNode; groups?: (rows: readonly ThreadRow[]) => ReactNode }) {
  const { threads, status, error, filter, sort, selectedTid, groupByStack } = useThreads();
  const { setFilter, setSort, select, setGroupByStack } = useThreads();
  // The .NET columns only when some thread has managed identities (an imported transcript).
  const columns = useMemo(() => (threads.some((t) => t.managed != null) ? THREAD_COLUMNS : THREAD_COLUMNS.filter((c) => !MANAGED_COLUMNS.has(c.id))), [threads]);
  const rows = useMemo(() => sortRows(filterRows(threads, columns, filter, extraSearch), columns, sort), [threads, columns, filter, sort]);
  const inCycle = useLocks((s) => s.inCycle);
  const describe = useCallback(
    (tid: number) => {
      const t = threads.find((x) => x.tid === tid);
      return t ? `#${t.index} tid ${tid}` : `tid ${tid}`;
    },
    [threads],
  );
  const tableRef = useRef<HTMLDivElement | null>(null);
  const filterRef = useRef<HTMLInputElement | null>(null);
  useFocusRequest('filter', filterRef);
  useFocusRequest('table', tableRef);

  if (status === 'empty') {
    return (
      <EmptyState title="No dump open">
        Open a core dump with <Kbd>Ctrl+O</Kbd>, or pick one in the Dumps view.
      </EmptyState>
    );
  }
  if (status === 'error' && error) return <ErrorMessage title="Could not list the threads" error={error} />;

  const table = (
    <div className="view-column">
      <div className="toolbar">
        <FilterField inputRef={filterRef} tableRef={tableRef} value={filter} onChange={setFilter} placeholder="any text: futex, 3193, c79…" label="Filter threads" />
        <GoToBox onDone={() => tableRef.current?.focus()} />
        {groups ? (
          <button
            className={`button small toggle${groupByStack ? ' on' : ''}`}
            aria-pressed={groupByStack}
            onClick={() => setGroupByStack(!groupByStack)}
            title="Group threads with identical stacks, with counts, as dotnet-dump's pstacks does"
          >
            Group by stack
          </button>
        ) : null}
        <span className="toolbar-count" aria-live="polite">
          {status === 'loading' ? 'loading…' : rows.length === threads.length ? `${threads.length} threads` : `${rows.length} of ${threads.length} threads`}
          {status === 'ready' ? <StateSummary threads={threads} onPick={setFilter} /> : null}
        </span>
      </div>
      <VerdictBanner
        describe={describe}
        onPickThread={(tid) => {
          if (filter) setFilter('');
          select(tid);
          tableRef.current?.focus();
        }}
      />
      {groups && groupByStack ? (
        groups(rows)
      ) : (
      <DataTable
        label="Threads"
        testId="threads-table"
        tableRef={tableRef}
        rows={rows}
        columns={columns}
        rowKey={rowKey}
        selected={selectedTid}
        onSelect={select}
        sort={sort}
        onSort={setSort}
        rowClass={(t) => [t.signal !== 0 ? 'signalled' : '', inCycle.has(t.tid) ? 'in-cycle' : ''].join(' ')}
        empty={status === 'loading' ? 'Loading threads…' : `No thread matches "${inertLine(filter)}"`}
      />
      )}
    </div>
  );
  return <SplitPane id="threads" main={table} side={details} defaultSide={480} />;
}

/** "futex 412 · poll 3 · running 1": where the threads are, each a click-to-filter. */
function StateSummary({ threads, onPick }: { threads: readonly ThreadRow[]; onPick(filter: string): void }) {
  const counts = new Map<string, number>();
  for (const t of threads) {
    const k = t.state === 'syscall' ? (t.syscall?.name ?? 'syscall') : 'running';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
  return (
    <span className="state-summary">
      {top.map(([k, n]) => (
        <button key={k} className="summary-chip" title={`Filter: ${k}`} onClick={() => onPick(k === 'running' ? 'running' : `in ${k}`)}>
          {k} <span className="summary-n">{n}</span>
        </button>
      ))}
    </span>
  );
}

function GoToBox({ onDone }: { onDone(): void }) {
  const goToThread = useThreads((s) => s.goToThread);
  const goTo = useThreads((s) => s.goTo);
  const filter = useThreads((s) => s.filter);
  const setFilter = useThreads((s) => s.setFilter);
  const [text, setText] = useState('');
  const ref = useRef<HTMLInputElement | null>(null);
  useFocusRequest('goto', ref);

  const go = useCallback(() => {
    const r = goToThread(text);
    if (r.ok) {
      // A thread hidden by the filter cannot be shown selected: drop the filter.
      if (filter) setFilter('');
      onDone();
    }
  }, [goToThread, text, filter, setFilter, onDone]);

  return (
    <label className="field">
      <span className="field-label">Go to</span>
      <input
        ref={ref}
        className={`input narrow${goTo && !goTo.ok ? ' invalid' : ''}`}
        placeholder="3193, c79, #16, dbg:15"
        value={text}
        aria-label="Go to thread"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') go();
          if (e.key === 'Escape') onDone();
        }}
      />
      <Kbd>Ctrl+G</Kbd>
      {goTo ? (
        <span className={`goto-result ${goTo.ok ? 'ok' : 'bad'}`} role="status" data-testid="goto-result">
          {inertLine(goTo.ok ? `→ #${goTo.thread.index} by ${goTo.matched}${goTo.note ? ` (${goTo.note})` : ''}` : goTo.message)}
        </span>
      ) : null}
    </label>
  );
}

