// The index schema, as numbered migrations applied in order inside one transaction each.
// PRAGMA user_version holds the version reached. Never edit a released migration: add one.
import { symbolFolderMigration } from '../symbols/folder-schema';
import { type Database } from './sqlite';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

const coreSchema: Migration = {
  version: 1,
  name: 'dumps-threads-modules-mappings',
  up(db) {
    db.exec(`
      CREATE TABLE dumps (
        id            INTEGER PRIMARY KEY,
        path          TEXT NOT NULL UNIQUE,
        size          INTEGER NOT NULL,
        mtime_ms      REAL NOT NULL,
        fingerprint   TEXT NOT NULL,
        process       TEXT NOT NULL,
        args          TEXT NOT NULL,
        pid           INTEGER NOT NULL,
        uid           INTEGER,
        arch          TEXT NOT NULL,
        signal        INTEGER,
        thread_count  INTEGER NOT NULL,
        module_count  INTEGER NOT NULL,
        runtime_json  TEXT,
        warnings_json TEXT NOT NULL,
        details_json  TEXT NOT NULL,
        engine_version INTEGER NOT NULL,
        opened_at     TEXT NOT NULL,
        indexed_at    TEXT NOT NULL
      );
      CREATE TABLE threads (
        dump_id   INTEGER NOT NULL REFERENCES dumps(id) ON DELETE CASCADE,
        idx       INTEGER NOT NULL,
        dbg       INTEGER NOT NULL,
        tid       INTEGER NOT NULL,
        osid      TEXT NOT NULL,
        data_json TEXT NOT NULL,
        PRIMARY KEY (dump_id, idx)
      );
      CREATE INDEX threads_tid ON threads(dump_id, tid);
      CREATE TABLE modules (
        dump_id   INTEGER NOT NULL REFERENCES dumps(id) ON DELETE CASCADE,
        idx       INTEGER NOT NULL,
        path      TEXT NOT NULL,
        name      TEXT NOT NULL,
        build_id  TEXT,
        data_json TEXT NOT NULL,
        PRIMARY KEY (dump_id, idx)
      );
      CREATE INDEX modules_build_id ON modules(build_id);
      CREATE TABLE mappings (
        dump_id     INTEGER NOT NULL REFERENCES dumps(id) ON DELETE CASCADE,
        start       TEXT NOT NULL,
        end         TEXT NOT NULL,
        file_offset TEXT NOT NULL,
        path        TEXT NOT NULL
      );
      CREATE INDEX mappings_dump ON mappings(dump_id);
    `);
  },
};

const stacksSchema: Migration = {
  version: 3,
  name: 'stacks-locks-module-symbols-search',
  up(db) {
    db.exec(`
      ALTER TABLE dumps ADD COLUMN symbols_key TEXT NOT NULL DEFAULT '';
      CREATE TABLE stacks (
        dump_id     INTEGER NOT NULL REFERENCES dumps(id) ON DELETE CASCADE,
        tid         INTEGER NOT NULL,
        stop_reason TEXT NOT NULL,
        stop_detail TEXT,
        frames_json TEXT NOT NULL,
        PRIMARY KEY (dump_id, tid)
      );
      CREATE TABLE locks (
        dump_id    INTEGER PRIMARY KEY REFERENCES dumps(id) ON DELETE CASCADE,
        deadlock   INTEGER NOT NULL,
        verdict    TEXT NOT NULL,
        graph_json TEXT NOT NULL
      );
      CREATE TABLE module_symbols (
        dump_id   INTEGER NOT NULL REFERENCES dumps(id) ON DELETE CASCADE,
        path      TEXT NOT NULL,
        quality   TEXT NOT NULL,
        data_json TEXT NOT NULL
      );
      CREATE INDEX module_symbols_dump ON module_symbols(dump_id);
      -- One full-text index over frames, modules and transcripts of every dump.
      -- kind: frame | module | transcript; ref: the thread's tid, the module's index or the
      -- transcript's id. Rows are removed with their dump by DumpIndex (FTS has no foreign keys).
      -- The trigram tokenizer matches any substring of 3+ characters, case-insensitively:
      -- "RequestReJIT" finds ProfToEEInterfaceImpl::RequestReJIT.
      CREATE VIRTUAL TABLE search_fts USING fts5(text, dump_id UNINDEXED, kind UNINDEXED, ref UNINDEXED, tokenize = 'trigram');
    `);
  },
};

const dotnetSchema: Migration = {
  version: 4,
  name: 'transcripts-dotnet-info',
  up(db) {
    db.exec(`
      -- Debugger transcripts: imported text, batch runs and console sessions (main/core/dotnet,
      -- main/core/engines). A transcript belongs to a dump by path as well as by id, so that
      -- re-indexing a dump (a new dumps row) keeps its transcripts: DumpIndex.store re-attaches
      -- them. dump_id is NULL for a transcript imported on its own.
      CREATE TABLE transcripts (
        id         INTEGER PRIMARY KEY,
        dump_id    INTEGER REFERENCES dumps(id) ON DELETE SET NULL,
        dump_path  TEXT,
        name       TEXT NOT NULL,
        source     TEXT NOT NULL,
        mode       TEXT NOT NULL,
        host       TEXT NOT NULL,
        sha256     TEXT NOT NULL,
        text       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX transcripts_dump ON transcripts(dump_id);
      CREATE INDEX transcripts_path ON transcripts(dump_path);
      -- A .NET dump's runtime modules (with symbol-server keys) and managed assemblies.
      CREATE TABLE dotnet_info (
        dump_id   INTEGER PRIMARY KEY REFERENCES dumps(id) ON DELETE CASCADE,
        data_json TEXT NOT NULL
      );
    `);
  },
};

const originsSchema: Migration = {
  version: 5,
  name: 'dump-origins',
  up(db) {
    // What a dump opened from a compressed file was (core/capture's DumpOrigins), keyed by the
    // decompressed copy's path. IF NOT EXISTS: earlier builds created it outside the migrations.
    db.exec(`
      CREATE TABLE IF NOT EXISTS dump_origins (
        path          TEXT PRIMARY KEY,
        original_path TEXT NOT NULL,
        compression   TEXT NOT NULL,
        recorded_at   TEXT NOT NULL
      );
    `);
  },
};

export const MIGRATIONS: Migration[] = [coreSchema, symbolFolderMigration, stacksSchema, dotnetSchema, originsSchema];

/** Applies pending migrations; refuses an index written by a newer dumpscope. */
export function migrate(db: Database, migrations: Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((v, m) => Math.max(v, m.version), 0);
  if (current > latest) {
    throw new Error(`the index was written by a newer dumpscope (schema ${current}, this one knows ${latest})`);
  }
  // Another process may be migrating the same fresh index right now (two CLI runs, or the CLI
  // and the app): each step takes the write lock first (IMMEDIATE, waiting out the busy
  // timeout) and re-reads the version under it, so a step the other process applied is skipped
  // instead of failing with "table dumps already exists".
  const step = db.transaction((m: Migration) => {
    if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
    m.up(db);
    db.pragma(`user_version = ${m.version}`);
  });
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    step.immediate(m);
  }
  return latest;
}
