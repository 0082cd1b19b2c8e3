// index: the SQLite index (better-sqlite3, WAL, versioned migrations).
// Takes analysis records; produces stored dumps, threads, modules and mappings that later
// opens answer from without re-parsing. Writes are one transaction per dump.
export { DumpIndex, TranscriptStore, type IndexedDump, type TranscriptRow, type NewTranscript } from './dump-index';
export { isBusyError, BUSY_TIMEOUT_MS } from './dump-index';
export { MIGRATIONS, migrate, type Migration } from './migrations';
export { openSqlite, loadSqlite, sqliteModuleName, type Database, type Statement } from './sqlite';
export { resolveIndexPath, defaultDataDir } from './location';
