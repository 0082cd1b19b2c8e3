// The Dumps view: the library of indexed dumps (open, re-open from the index, re-index,
// remove), the open job's progress, and a clear message when a dump cannot be opened.
import { useMemo, useRef, useState } from 'react';
import { type DumpSummary } from '../../../shared/types';
import { DataTable, sortRows, type SortState } from '../../components/data-table';
import { EmptyState, ErrorMessage, Kbd, SplitPane } from '../../components/ui';
import { useWorkspace, useFocusRequest } from '../workspace';
import { dumpColumns } from './dump-columns';
import { DumpDetails } from './dump-details';
import { useDumps } from './dumps-store';
import { JobProgress } from './job-progress';

const rowKey = (d: DumpSummary) => d.id;

export function DumpsView() {
  const { dumps, loaded, listError, current, selectedId, job, openError } = useDumps();
  const { open, openEntry, openSample, remove, select, clearOpenError } = useDumps();
  const [sort, setSort] = useState<SortState | null>(null);
  const columns = useMemo(() => dumpColumns(current?.id ?? null), [current?.id]);
  const rows = useMemo(() => sortRows(dumps, columns, sort), [dumps, columns, sort]);
  const selected = dumps.find((d) => d.id === selectedId) ?? null;
  const tableRef = useRef<HTMLDivElement | null>(null);
  useFocusRequest('table', tableRef);
  const openDialog = () => useWorkspace.getState().setOpenDialog(true);

  // A changed file is read again even when it is the dump on screen; a missing one is shown from the index.
  const activate = (d: DumpSummary) => {
    if (current?.id === d.id && d.status !== 'changed') useWorkspace.getState().show('threads');
    else void openEntry(d);
  };

  const banner = (
    <>
      {job ? <JobProgress /> : null}
      {openError ? (
        <ErrorMessage title={`Could not open ${openError.label}`} error={openError.error} onDismiss={clearOpenError}>
          <div className="message-actions">
            <button className="button small" onClick={openDialog}>
              Open another…
            </button>
          </div>
        </ErrorMessage>
      ) : null}
      {listError ? <ErrorMessage title="Could not read the index" error={listError} /> : null}
    </>
  );

  const toolbar = (
    <div className="toolbar">
      <button className="button primary" onClick={openDialog}>
        Open… <Kbd>Ctrl+O</Kbd>
      </button>
      <button className="button" onClick={() => void openSample()} title="A small static program whose two threads deadlock on two mutexes">
        Open the sample dump
      </button>
      <span className="toolbar-count">{loaded ? `${dumps.length} dumps in the index` : 'reading the index…'}</span>
    </div>
  );

  if (loaded && dumps.length === 0) {
    return (
      <div className="view-column">
        <div className="banner-area top">{banner}</div>
        <EmptyState title="No dumps yet">
          <p>
            Open a Linux core dump (from <span className="mono">gcore</span>, <span className="mono">dotnet-dump collect</span> or the kernel) with{' '}
            <Kbd>Ctrl+O</Kbd>
            {` or drop it on the window. dumpscope reads it without a debugger and keeps what it found in its index, so opening it again is instant.`}
          </p>
          <p>New here? The sample dump is a two-thread lock-order deadlock: every view has something to show.</p>
          <div className="button-row center">
            <button className="button primary" onClick={openDialog}>
              Open a dump…
            </button>
            <button className="button" onClick={() => void openSample()}>
              Open the sample dump
            </button>
          </div>
        </EmptyState>
      </div>
    );
  }

  const table = (
    <div className="view-column">
      {toolbar}
      <div className="banner-area">{banner}</div>
      <div
        className="table-wrap"
        onKeyDown={(e) => {
          if (e.key === 'Delete' && selected) {
            e.preventDefault();
            void remove(selected.id);
          }
        }}
      >
        <DataTable
          label="Dumps"
          testId="dumps-table"
          tableRef={tableRef}
          rows={rows}
          columns={columns}
          rowKey={rowKey}
          selected={selectedId}
          onSelect={select}
          onActivate={activate}
          sort={sort}
          onSort={setSort}
          empty="Reading the index…"
        />
      </div>
    </div>
  );
  const details = selected ? (
    <DumpDetails
      dump={selected}
      isCurrent={current?.id === selected.id}
      onOpen={() => activate(selected)}
      onReindex={() => void open(selected.path, { force: true })}
      onRemove={() => void remove(selected.id)}
    />
  ) : (
    <EmptyState title="No dump selected" />
  );
  return <SplitPane id="dumps" main={table} side={details} defaultSide={400} />;
}
