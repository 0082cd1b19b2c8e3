// Filtering and sorting for DataTable, apart from React so they are unit-tested and cheap to
// re-run on every keystroke over thousands of rows.

/** What filtering and sorting need from a column. */
export interface ColumnData<R> {
  id: string;
  /** The cell as text: shown unless the column renders its own, and matched by the filter. */
  text(row: R): string;
  /** Sort key; the text when absent. null sorts last in either direction. */
  sortKey?(row: R): string | number | null;
}

export interface SortState {
  columnId: string;
  dir: 'asc' | 'desc';
}

/**
 * Rows whose cells (or `extra` text) contain every whitespace-separated term of `query`,
 * case-insensitively. An empty query keeps everything.
 */
export function filterRows<R>(rows: readonly R[], columns: readonly ColumnData<R>[], query: string, extra?: (row: R) => string): R[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return rows.slice();
  return rows.filter((row) => {
    const hay = columns.map((c) => c.text(row)).join('\u0001').toLowerCase() + (extra ? '\u0001' + extra(row).toLowerCase() : '');
    return terms.every((t) => hay.includes(t));
  });
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** A stable sort by one column; rows keep their order among equals. */
export function sortRows<R>(rows: readonly R[], columns: readonly ColumnData<R>[], sort: SortState | null): R[] {
  const col = sort ? columns.find((c) => c.id === sort.columnId) : undefined;
  if (!sort || !col) return rows.slice();
  const key = col.sortKey ?? col.text;
  const sign = sort.dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, k: key(row) }))
    .sort((a, b) => {
      if (a.k === null || b.k === null) return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
      const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : collator.compare(String(a.k), String(b.k));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.row);
}

/** Header click: ascending, then descending, then back to the natural order. */
export function nextSort(current: SortState | null, columnId: string): SortState | null {
  if (!current || current.columnId !== columnId) return { columnId, dir: 'asc' };
  return current.dir === 'asc' ? { columnId, dir: 'desc' } : null;
}

/** The key `delta` rows away from `current` in `keys`, clamped; the first key when none is current. */
export function moveSelection<K>(keys: readonly K[], current: K | null, delta: number): K | null {
  if (keys.length === 0) return null;
  const i = current === null ? -1 : keys.indexOf(current);
  if (i < 0) return delta < 0 ? keys[keys.length - 1] : keys[0];
  return keys[Math.max(0, Math.min(keys.length - 1, i + delta))];
}
