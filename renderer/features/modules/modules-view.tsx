// The Modules view: every mapped module with its build-id and where that build-id came from.
import { useMemo, useRef } from 'react';
import { type ModuleInfo } from '../../../shared/types';
import { DataTable, filterRows, sortRows } from '../../components/data-table';
import { EmptyState, ErrorMessage, Kbd } from '../../components/ui';
import { useFocusRequest } from '../workspace';
import { MODULE_COLUMNS } from './module-columns';
import { useModules } from './modules-store';

const rowKey = (m: ModuleInfo) => m.index;

export function ModulesView() {
  const { modules, status, error, filter, sort, selected, setFilter, setSort, select } = useModules();
  const rows = useMemo(() => sortRows(filterRows(modules, MODULE_COLUMNS, filter), MODULE_COLUMNS, sort), [modules, filter, sort]);
  const filterRef = useRef<HTMLInputElement | null>(null);
  const tableRef = useRef<HTMLDivElement | null>(null);
  useFocusRequest('filter', filterRef);
  useFocusRequest('table', tableRef);

  if (status === 'empty') return <EmptyState title="No dump open">Open a core dump to see its modules.</EmptyState>;
  if (status === 'error' && error) return <ErrorMessage title="Could not list the modules" error={error} />;
  const fromMemory = modules.filter((m) => m.buildIdSource === 'memory').length;
  const fromFile = modules.filter((m) => m.buildIdSource === 'file').length;
  const none = modules.length - fromMemory - fromFile;

  return (
    <div className="view-column">
      <div className="toolbar">
        <label className="field">
          <span className="field-label">Filter</span>
          <input
            ref={filterRef}
            className="input"
            type="search"
            placeholder="name, path, build-id…"
            value={filter}
            aria-label="Filter modules"
            onChange={(e) => setFilter(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setFilter('');
              if (e.key === 'ArrowDown' || e.key === 'Enter') {
                e.preventDefault();
                tableRef.current?.focus();
              }
            }}
          />
          <Kbd>Ctrl+F</Kbd>
        </label>
        <span className="toolbar-count">
          {rows.length === modules.length ? `${modules.length} modules` : `${rows.length} of ${modules.length} modules`}
          {' · '}build-id from dump memory {fromMemory}, from file {fromFile}, none {none}
        </span>
      </div>
      <DataTable
        label="Modules"
        testId="modules-table"
        tableRef={tableRef}
        rows={rows}
        columns={MODULE_COLUMNS}
        rowKey={rowKey}
        selected={selected}
        onSelect={select}
        sort={sort}
        onSort={setSort}
        empty={status === 'loading' ? 'Loading modules…' : `No module matches "${filter}"`}
      />
    </div>
  );
}
