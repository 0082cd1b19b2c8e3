// A dense, virtualized, keyboard-driven table. Columns are data (one entry per column), rows
// arrive already filtered and sorted (see rows.ts), and only the rows in view are in the DOM,
// so thousands of threads scroll smoothly.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode, type Ref } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { inertLine } from '../../lib/inert';
import { moveSelection, nextSort, type ColumnData, type SortState } from './rows';
import './data-table.css';

export interface Column<R> extends ColumnData<R> {
  header: string;
  /** Header tooltip: what the column means and where its value comes from. */
  title?: string;
  /** Width in px; a growing column takes at least this and shares what is left. */
  width: number;
  grow?: boolean;
  align?: 'left' | 'right';
  mono?: boolean;
  /**
   * A custom cell; text from the dump in it goes through <Untrusted>. The default cell shows
   * `text` inert (lib/inert.ts), the cell itself isolated (data-table.css).
   */
  render?(row: R): ReactNode;
  cellClass?(row: R): string | undefined;
}

export interface DataTableProps<R, K extends string | number> {
  label: string;
  rows: readonly R[];
  columns: readonly Column<R>[];
  rowKey(row: R): K;
  selected: NoInfer<K> | null;
  onSelect(key: NoInfer<K>): void;
  /** Enter or double-click. */
  onActivate?(row: R): void;
  sort: SortState | null;
  onSort(next: SortState | null): void;
  /** False for rows whose order is the meaning (a stack's frames): headers do not sort. */
  sortable?: boolean;
  rowHeight?: number;
  rowClass?(row: R): string | undefined;
  empty?: ReactNode;
  tableRef?: Ref<HTMLDivElement>;
  testId?: string;
}

export function DataTable<R, K extends string | number>(props: DataTableProps<R, K>) {
  const { rows, columns, rowKey, selected, onSelect, onActivate, sort, onSort, rowHeight = 22, sortable = true } = props;
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const [widths, startResize, resetWidth] = useColumnWidths(props.label);
  const width = useCallback((c: Column<R>) => widths[c.id] ?? c.width, [widths]);
  const template = useMemo(() => columns.map((c) => (c.grow ? `minmax(${width(c)}px, 1fr)` : `${width(c)}px`)).join(' '), [columns, width]);
  const minWidth = useMemo(() => columns.reduce((w, c) => w + width(c), 0), [columns, width]);
  const keys = useMemo(() => rows.map(rowKey), [rows, rowKey]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 16,
  });

  const selectedIndex = selected === null ? -1 : keys.indexOf(selected);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const pageRows = () => Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? rowHeight * 10) - rowHeight) / rowHeight) - 1);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const deltas: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: pageRows(), PageUp: -pageRows(), Home: -Infinity, End: Infinity };
    const d = deltas[e.key];
    if (d !== undefined) {
      e.preventDefault();
      const next = Number.isFinite(d) ? moveSelection(keys, selected, d) : d < 0 ? keys[0] : keys[keys.length - 1];
      if (next !== null && next !== undefined) onSelect(next);
    } else if (e.key === 'Enter' && selectedIndex >= 0 && onActivate) {
      e.preventDefault();
      onActivate(rows[selectedIndex]);
    }
  };

  const setRefs = (el: HTMLDivElement | null) => {
    scrollRef.current = el;
    const r = props.tableRef;
    if (typeof r === 'function') r(el);
    else if (r) r.current = el;
  };

  return (
    <div
      className="dt"
      ref={setRefs}
      role="grid"
      aria-label={props.label}
      aria-rowcount={rows.length + 1}
      aria-activedescendant={selectedIndex >= 0 ? `${props.testId ?? 'dt'}-row-${String(selected)}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid={props.testId}
    >
      <div className="dt-header" role="row" style={{ gridTemplateColumns: template, minWidth }}>
        {columns.map((c) => {
          const dir = sort?.columnId === c.id ? sort.dir : null;
          return (
            <div
              key={c.id}
              role="columnheader"
              aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
              className={`dt-th${c.align === 'right' ? ' right' : ''}${dir ? ' sorted' : ''}${sortable ? '' : ' fixed'}`}
              title={sortable ? (c.title ? `${c.title}\nClick to sort.` : 'Click to sort.') : c.title}
              onClick={sortable ? () => onSort(nextSort(sort, c.id)) : undefined}
            >
              <span className="dt-th-label">{c.header}</span>
              <span className="dt-sort" aria-hidden="true">
                {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}
              </span>
              <span
                className="dt-resize"
                title="Drag to resize; double-click to reset"
                onClick={(e) => e.stopPropagation()}
                onPointerDown={(e) => startResize(e, c.id, width(c))}
                onDoubleClick={(e) => {
                  e.stopPropagation();
                  resetWidth(c.id);
                }}
              />
            </div>
          );
        })}
      </div>
      {rows.length === 0 ? (
        <div className="dt-empty">{props.empty ?? 'Nothing to show'}</div>
      ) : (
        <div className="dt-body" style={{ height: virtualizer.getTotalSize(), minWidth }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = rows[v.index];
            const key = keys[v.index];
            const isSel = key === selected;
            return (
              <div
                key={String(key)}
                id={`${props.testId ?? 'dt'}-row-${String(key)}`}
                role="row"
                aria-selected={isSel}
                aria-rowindex={v.index + 2}
                className={`dt-row${v.index % 2 ? ' odd' : ''}${isSel ? ' selected' : ''} ${props.rowClass?.(row) ?? ''}`}
                style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${v.start}px)` }}
                onMouseDown={() => onSelect(key)}
                onDoubleClick={() => onActivate?.(row)}
              >
                {columns.map((c) => {
                  const text = c.text(row);
                  return (
                    <div
                      key={c.id}
                      role="gridcell"
                      data-col={c.id}
                      className={`dt-td${c.align === 'right' ? ' right' : ''}${c.mono ? ' mono' : ''} ${c.cellClass?.(row) ?? ''}`}
                      title={inertLine(text)}
                    >
                      {c.render ? c.render(row) : inertLine(text)}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

/** Column widths the user dragged, per table, remembered across sessions. */
function useColumnWidths(table: string) {
  const key = `dumpscope.columns.${table}`;
  const [widths, setWidths] = useState<Record<string, number>>(() => {
    try {
      return JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, number>;
    } catch {
      return {};
    }
  });
  const save = useCallback(
    (next: Record<string, number>) => {
      setWidths(next);
      localStorage.setItem(key, JSON.stringify(next));
    },
    [key],
  );
  const start = useCallback(
    (e: PointerEvent<HTMLSpanElement>, id: string, from: number) => {
      e.preventDefault();
      e.stopPropagation();
      const x0 = e.clientX;
      let latest = widths;
      const move = (ev: globalThis.PointerEvent) => {
        latest = { ...latest, [id]: Math.max(28, Math.round(from + ev.clientX - x0)) };
        setWidths(latest);
      };
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
        save(latest);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    },
    [widths, save],
  );
  const reset = useCallback(
    (id: string) => {
      const next = { ...widths };
      delete next[id];
      save(next);
    },
    [widths, save],
  );
  return [widths, start, reset] as const;
}
