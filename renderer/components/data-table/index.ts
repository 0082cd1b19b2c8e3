// data-table: a virtualized, sortable, keyboard-driven table whose columns are a list of entries.
export { DataTable, type Column, type DataTableProps } from './data-table';
export { filterRows, sortRows, nextSort, moveSelection, type ColumnData, type SortState } from './rows';
