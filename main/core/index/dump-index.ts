// The SQLite index of dumps: what each dump holds (summary, threads, modules, mappings, and
// what later stages derive), written in one transaction per dump so a failure or a crash
// mid-index leaves the previous state.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DumpSummary, type MappingInfo, type ModuleInfo, type ThreadInfo } from '../../../shared/types';
import { DumpscopeError } from '../errors';
import { signalName } from '../elf';
import { migrate, MIGRATIONS, type Migration } from './migrations';
import { openSqlite, type Database } from './sqlite';

/** What an analysis of one dump produces, ready to store. */
export interface DumpRecord {
  summary: Omit<DumpSummary, 'id' | 'openedAt' | 'indexedAt' | 'fromIndex'>;
  threads: ThreadInfo[];
  modules: ModuleInfo[];
  mappings: MappingInfo[];
  engineVersion: number;
}

interface DumpRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  fingerprint: string;
  process: string;
  args: string;
  pid: number;
  uid: number | null;
  arch: string;
  signal: number | null;
  thread_count: number;
  module_count: number;
  runtime_json: string | null;
  warnings_json: string;
  details_json: string;
  engine_version: number;
  opened_at: string;
  indexed_at: string;
}

export interface IndexedDump {
  summary: DumpSummary;
  engineVersion: number;
}

export class DumpIndex {
  readonly db: Database;

  private constructor(
    readonly file: string,
    db: Database,
  ) {
    this.db = db;
  }

  /** Opens (creating) the index file and brings its schema up to date. */
  static open(file: string, migrations: Migration[] = MIGRATIONS): DumpIndex {
    let db: Database;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      db = openSqlite(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 10000');
    } catch (e) {
      throw new DumpscopeError('IndexFailed', `${file}: cannot open the index: ${(e as Error).message}`, { file });
    }
    try {
      migrate(db, migrations);
    } catch (e) {
      db.close();
      throw new DumpscopeError('IndexFailed', `${file}: ${(e as Error).message}`, { file });
    }
    return new DumpIndex(file, db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  findByPath(dumpPath: string): IndexedDump | null {
    const row = this.db.prepare('SELECT * FROM dumps WHERE path = ?').get(dumpPath) as DumpRow | undefined;
    return row ? { summary: toSummary(row), engineVersion: row.engine_version } : null;
  }

  get(dumpId: number): DumpSummary {
    const row = this.db.prepare('SELECT * FROM dumps WHERE id = ?').get(dumpId) as DumpRow | undefined;
    if (!row) throw new DumpscopeError('UnknownDump', `no dump with id ${dumpId} in the index`, { where: 'index' });
    return toSummary(row);
  }

  list(): DumpSummary[] {
    return (this.db.prepare('SELECT * FROM dumps ORDER BY opened_at DESC, id DESC').all() as DumpRow[]).map(toSummary);
  }

  touch(dumpId: number): void {
    this.db.prepare('UPDATE dumps SET opened_at = ? WHERE id = ?').run(new Date().toISOString(), dumpId);
  }

  remove(dumpId: number): boolean {
    return this.db.prepare('DELETE FROM dumps WHERE id = ?').run(dumpId).changes > 0;
  }

  /**
   * Stores a dump's record, replacing any previous one for the same path, in one transaction.
   * `extra` runs inside the same transaction (later stages store their tables there).
   */
  store(record: DumpRecord, extra?: (dumpId: number) => void): number {
    const now = new Date().toISOString();
    const s = record.summary;
    const tx = this.db.transaction((): number => {
      this.db.prepare('DELETE FROM dumps WHERE path = ?').run(s.path);
      const info = this.db
        .prepare(
          `INSERT INTO dumps (path, size, mtime_ms, fingerprint, process, args, pid, uid, arch, signal, thread_count, module_count,
             runtime_json, warnings_json, details_json, engine_version, opened_at, indexed_at)
           VALUES (@path, @size, @mtimeMs, @fingerprint, @process, @args, @pid, @uid, @arch, @signal, @threadCount, @moduleCount,
             @runtime, @warnings, @details, @engineVersion, @now, @now)`,
        )
        .run({
          path: s.path,
          size: s.size,
          mtimeMs: s.mtimeMs,
          fingerprint: s.fingerprint,
          process: s.process,
          args: s.args,
          pid: s.pid,
          uid: s.uid,
          arch: s.arch,
          signal: s.signal,
          threadCount: s.threadCount,
          moduleCount: s.moduleCount,
          runtime: s.runtime ? JSON.stringify(s.runtime) : null,
          warnings: JSON.stringify(s.warnings),
          details: JSON.stringify({ executable: s.executable, notes: s.notes, indexStats: s.indexStats }),
          engineVersion: record.engineVersion,
          now,
        });
      const dumpId = Number(info.lastInsertRowid);
      const insThread = this.db.prepare('INSERT INTO threads (dump_id, idx, dbg, tid, osid, data_json) VALUES (?, ?, ?, ?, ?, ?)');
      for (const t of record.threads) insThread.run(dumpId, t.index, t.dbg, t.tid, t.osid, JSON.stringify(t));
      const insModule = this.db.prepare('INSERT INTO modules (dump_id, idx, path, name, build_id, data_json) VALUES (?, ?, ?, ?, ?, ?)');
      for (const m of record.modules) insModule.run(dumpId, m.index, m.path, m.name, m.buildId, JSON.stringify(m));
      const insMapping = this.db.prepare('INSERT INTO mappings (dump_id, start, end, file_offset, path) VALUES (?, ?, ?, ?, ?)');
      for (const m of record.mappings) insMapping.run(dumpId, m.start, m.end, m.fileOffset, m.path);
      extra?.(dumpId);
      return dumpId;
    });
    try {
      return tx.immediate();
    } catch (e) {
      if (e instanceof DumpscopeError) throw e;
      const msg = (e as Error).message;
      const code = /SQLITE_BUSY|database is locked/i.test(msg) ? 'IndexBusy' : 'IndexFailed';
      throw new DumpscopeError(code, `${this.file}: could not store ${s.path} in the index: ${msg}`, { file: this.file });
    }
  }

  threads(dumpId: number): ThreadInfo[] {
    this.get(dumpId);
    return (this.db.prepare('SELECT data_json FROM threads WHERE dump_id = ? ORDER BY idx').all(dumpId) as { data_json: string }[]).map(
      (r) => JSON.parse(r.data_json) as ThreadInfo,
    );
  }

  modules(dumpId: number): ModuleInfo[] {
    this.get(dumpId);
    return (this.db.prepare('SELECT data_json FROM modules WHERE dump_id = ? ORDER BY idx').all(dumpId) as { data_json: string }[]).map(
      (r) => JSON.parse(r.data_json) as ModuleInfo,
    );
  }

  mappings(dumpId: number): MappingInfo[] {
    this.get(dumpId);
    return (
      this.db.prepare('SELECT start, end, file_offset, path FROM mappings WHERE dump_id = ? ORDER BY rowid').all(dumpId) as {
        start: string;
        end: string;
        file_offset: string;
        path: string;
      }[]
    ).map((r) => ({ start: r.start, end: r.end, fileOffset: r.file_offset, path: r.path }));
  }
}

function toSummary(row: DumpRow): DumpSummary {
  const details = JSON.parse(row.details_json) as Pick<DumpSummary, 'executable' | 'notes' | 'indexStats'>;
  return {
    executable: details.executable,
    notes: details.notes,
    indexStats: details.indexStats ?? null,
    id: row.id,
    path: row.path,
    size: row.size,
    mtimeMs: row.mtime_ms,
    fingerprint: row.fingerprint,
    process: row.process,
    args: row.args,
    pid: row.pid,
    uid: row.uid,
    arch: 'x86_64',
    signal: row.signal,
    signalName: row.signal === null ? null : signalName(row.signal),
    threadCount: row.thread_count,
    moduleCount: row.module_count,
    runtime: row.runtime_json ? (JSON.parse(row.runtime_json) as DumpSummary['runtime']) : null,
    warnings: JSON.parse(row.warnings_json) as string[],
    openedAt: row.opened_at,
    indexedAt: row.indexed_at,
    fromIndex: true,
  };
}
