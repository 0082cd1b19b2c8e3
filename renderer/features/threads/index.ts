// threads: the current dump's threads, the table, the go-to box, and the selected thread.
export { useThreads, useSelectedThread } from './threads-store';
export { ThreadsView } from './threads-view';
export { THREAD_COLUMNS, type ThreadRow } from './thread-columns';
export { findThread, parseThreadSelector, type GoToResult, type ThreadSelector } from './thread-selector';
