// The Modules view: every mapped module with its build-id, where its code and symbols were found,
// their quality and what was rejected; beside it the selected module in full and the symbol
// folders (adding or removing one re-symbolizes the dump).
import { useMemo, useRef } from 'react';
import { DataTable, filterRows, sortRows } from '../../components/data-table';
import { EmptyState, ErrorMessage, FilterField, SplitPane, Untrusted } from '../../components/ui';
import { inertLine } from '../../lib/inert';
import { SymbolFoldersPanel, useSymbols } from '../symbols';
import { useFocusRequest } from '../workspace';
import { CODE_SOURCE, mergeSymbols, MODULE_COLUMNS, QUALITY, SYMBOL_SOURCE, type ModuleRow } from './module-columns';
import { useModules } from './modules-store';

const rowKey = (m: ModuleRow) => m.index;

export function ModulesView() {
  const { modules, status, error, filter, sort, selected, setFilter, setSort, select } = useModules();
  const symbolStatus = useSymbols((s) => s.status);
  const merged = useMemo(() => mergeSymbols(modules, symbolStatus), [modules, symbolStatus]);
  const rows = useMemo(() => sortRows(filterRows(merged, MODULE_COLUMNS, filter), MODULE_COLUMNS, sort), [merged, filter, sort]);
  const filterRef = useRef<HTMLInputElement | null>(null);
  const tableRef = useRef<HTMLDivElement | null>(null);
  useFocusRequest('filter', filterRef);
  useFocusRequest('table', tableRef);

  if (status === 'empty') {
    return (
      <SplitPane
        id="modules"
        main={<EmptyState title="No dump open">Open a core dump to see its modules; symbol folders can be added already.</EmptyState>}
        side={
          <div className="details">
            <SymbolFoldersPanel />
          </div>
        }
        defaultSide={420}
      />
    );
  }
  if (status === 'error' && error) return <ErrorMessage title="Could not list the modules" error={error} />;
  const counts = { dwarf: 0, symtab: 0, dynsym: 0, none: 0 };
  for (const m of merged) if (m.symbols) counts[m.symbols.quality]++;
  const current = merged.find((m) => m.index === selected) ?? null;

  const table = (
    <div className="view-column">
      <div className="toolbar">
        <FilterField inputRef={filterRef} tableRef={tableRef} value={filter} onChange={setFilter} placeholder="name, path, build-id, dwarf…" label="Filter modules" />
        <span className="toolbar-count">
          {rows.length === modules.length ? `${modules.length} modules` : `${rows.length} of ${modules.length} modules`}
          {' · '}symbols: dwarf {counts.dwarf}, symtab {counts.symtab}, dynsym {counts.dynsym}, none {counts.none}
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
        rowClass={(m) => (m.symbols?.quality === 'none' ? 'no-symbols' : undefined)}
        empty={status === 'loading' ? 'Loading modules…' : `No module matches "${inertLine(filter)}"`}
      />
    </div>
  );
  const side = (
    <div className="details" data-testid="module-details">
      {current ? <ModuleDetails m={current} /> : null}
      <SymbolFoldersPanel />
    </div>
  );
  return <SplitPane id="modules" main={table} side={side} defaultSide={440} />;
}

function ModuleDetails({ m }: { m: ModuleRow }) {
  const s = m.symbols;
  return (
    <section className="details-section first">
      <div className="details-title">
        <span className="details-heading">
          <Untrusted text={m.name} />
        </span>
        {s ? (
          <span className={`badge ${QUALITY[s.quality].tone}`} title={QUALITY[s.quality].title}>
            {s.quality}
          </span>
        ) : null}
        <span className="muted">{inertLine(m.kind)}</span>
      </div>
      <dl className="kv">
        <dt>Path</dt>
        <dd className="mono wrap">
          <Untrusted text={m.path} />
        </dd>
        <dt>Build-id</dt>
        <dd className="mono wrap">
          {m.buildId ? <Untrusted text={m.buildId} /> : <span className="faint">none found</span>}
          {m.buildIdSource ? <span className="faint"> (from {m.buildIdSource === 'memory' ? 'dump memory' : 'the file on disk, unverified'})</span> : null}
        </dd>
        <dt>Range</dt>
        <dd className="mono">
          {m.start} – {m.end} <span className="faint">bias {m.loadBias}</span>
        </dd>
        <dt>Code</dt>
        <dd className="mono wrap">
          {s?.codeFile ? <Untrusted text={s.codeFile} /> : <span className="faint">not found</span>}
          {s?.codeSource ? <span className="faint"> · via {CODE_SOURCE[s.codeSource]}</span> : null}
        </dd>
        <dt>Symbols</dt>
        <dd className="mono wrap">
          {s?.symbolFile ? <Untrusted text={s.symbolFile} /> : <span className="faint">not found</span>}
          {s?.symbolSource ? <span className="faint"> · via {SYMBOL_SOURCE[s.symbolSource]}</span> : null}
        </dd>
      </dl>
      {s && s.notes.length > 0 ? (
        <ul className="module-notes" data-testid="module-notes">
          {s.notes.map((n, i) => (
            <li key={i}>
              <Untrusted text={n} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
