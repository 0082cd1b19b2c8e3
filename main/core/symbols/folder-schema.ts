// The index schema for user symbol folders, as one migration for core/index's migration list.
// A folder row holds the scan's fingerprint (directory mtimes); a file row holds what a quick
// look at one ELF file told: build-id, kind, symbols present. Lookups go by build-id or name.
import { type SqlDatabase } from './sql';

export interface SymbolFolderMigration {
  version: number;
  name: string;
  up(db: SqlDatabase): void;
}

export const symbolFolderMigration: SymbolFolderMigration = {
  version: 2,
  name: 'symbol-folders',
  up(db) {
    db.exec(`
      CREATE TABLE symbol_folders (
        id            INTEGER PRIMARY KEY,
        path          TEXT NOT NULL UNIQUE,
        added_at      TEXT NOT NULL,
        scanned_at    TEXT,
        fingerprint   TEXT,
        file_count    INTEGER NOT NULL DEFAULT 0,
        truncated     INTEGER NOT NULL DEFAULT 0,
        warnings_json TEXT NOT NULL DEFAULT '[]'
      );
      CREATE TABLE symbol_files (
        folder_id   INTEGER NOT NULL REFERENCES symbol_folders(id) ON DELETE CASCADE,
        path        TEXT NOT NULL,
        build_id    TEXT,
        name        TEXT,
        layout      TEXT NOT NULL,
        kind        TEXT NOT NULL,
        size        INTEGER NOT NULL,
        mtime_ms    REAL NOT NULL,
        has_symtab  INTEGER NOT NULL,
        has_dwarf   INTEGER NOT NULL,
        has_lines   INTEGER NOT NULL,
        debug_link  TEXT,
        PRIMARY KEY (folder_id, path)
      );
      CREATE INDEX symbol_files_build_id ON symbol_files(build_id);
      CREATE INDEX symbol_files_name ON symbol_files(name);
    `);
  },
};
