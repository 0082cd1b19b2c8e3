// The data table's filter, sort and keyboard movement, on rows shaped like threads.
import { describe, expect, it } from 'vitest';
import { filterRows, moveSelection, nextSort, sortRows, type ColumnData } from '../../../renderer/components/data-table/rows';

interface Row {
  tid: number;
  name: string | null;
  call: string;
}
const rows: Row[] = [
  { tid: 30, name: 'main', call: 'futex(0x10, FUTEX_WAIT_PRIVATE)' },
  { tid: 4, name: null, call: 'poll(0x20, 1, -1)' },
  { tid: 200, name: 'worker-10', call: 'futex(0x30, FUTEX_WAIT_BITSET)' },
  { tid: 100, name: 'worker-9', call: '' },
];
const columns: ColumnData<Row>[] = [
  { id: 'tid', text: (r) => String(r.tid), sortKey: (r) => r.tid },
  { id: 'name', text: (r) => r.name ?? '', sortKey: (r) => r.name },
  { id: 'call', text: (r) => r.call },
];

describe('filterRows', () => {
  it('keeps rows holding every term, in any column, ignoring case', () => {
    expect(filterRows(rows, columns, 'FUTEX').map((r) => r.tid)).toEqual([30, 200]);
    expect(filterRows(rows, columns, 'futex worker').map((r) => r.tid)).toEqual([200]);
    expect(filterRows(rows, columns, '  ').length).toBe(4);
    expect(filterRows(rows, columns, 'nothing')).toEqual([]);
  });

  it('searches extra text that no column shows', () => {
    expect(filterRows(rows, columns, 'rip=0xdead', (r) => (r.tid === 4 ? 'rip=0xdead' : '')).map((r) => r.tid)).toEqual([4]);
  });
});

describe('sortRows', () => {
  it('sorts numbers as numbers and names naturally, nulls last either way', () => {
    expect(sortRows(rows, columns, { columnId: 'tid', dir: 'asc' }).map((r) => r.tid)).toEqual([4, 30, 100, 200]);
    expect(sortRows(rows, columns, { columnId: 'tid', dir: 'desc' }).map((r) => r.tid)).toEqual([200, 100, 30, 4]);
    expect(sortRows(rows, columns, { columnId: 'name', dir: 'asc' }).map((r) => r.name)).toEqual(['main', 'worker-9', 'worker-10', null]);
    expect(sortRows(rows, columns, { columnId: 'name', dir: 'desc' }).map((r) => r.name)).toEqual(['worker-10', 'worker-9', 'main', null]);
  });

  it('keeps the natural order without a sort, and is stable', () => {
    expect(sortRows(rows, columns, null)).toEqual(rows);
    const same = rows.map((r) => ({ ...r, call: 'x' }));
    expect(sortRows(same, columns, { columnId: 'call', dir: 'desc' })).toEqual(same);
  });

  it('cycles ascending, descending, natural on header clicks', () => {
    let s = nextSort(null, 'tid');
    expect(s).toEqual({ columnId: 'tid', dir: 'asc' });
    s = nextSort(s, 'tid');
    expect(s).toEqual({ columnId: 'tid', dir: 'desc' });
    expect(nextSort(s, 'tid')).toBeNull();
    expect(nextSort(s, 'name')).toEqual({ columnId: 'name', dir: 'asc' });
  });
});

describe('moveSelection', () => {
  const keys = [1, 2, 3, 4];
  it('moves and clamps', () => {
    expect(moveSelection(keys, 2, 1)).toBe(3);
    expect(moveSelection(keys, 4, 1)).toBe(4);
    expect(moveSelection(keys, 1, -5)).toBe(1);
    expect(moveSelection(keys, 2, 20)).toBe(4);
  });
  it('starts at an end when nothing is selected', () => {
    expect(moveSelection(keys, null, 1)).toBe(1);
    expect(moveSelection(keys, null, -1)).toBe(4);
    expect(moveSelection([], null, 1)).toBeNull();
  });
});
