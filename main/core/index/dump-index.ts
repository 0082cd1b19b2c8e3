// The SQLite index of dumps: what each dump holds (summary, threads, modules, mappings, and
// what later stages derive), written in one transaction per dump so a failure or a crash
// mid-index leaves the previous state.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DotnetInfo, type DumpSummary, type LockGraph, type MappingInfo, type ModuleInfo, type ModuleSymbolStatus, type ThreadInfo, type ThreadStack } from '../../../shared/types';
import { type SearchDumpGroup, type SearchHit, type SearchHitKind, type SearchResults } from '../../../shared/types';
import { type DumpRecord } from '../analysis/analyze-dump';
import { DumpscopeError } from '../errors';
import { signalName } from '../elf';
import { migrate, MIGRATIONS, type Migration } from './migrations';
import { openSqlite, type Database } from './sqlite';

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
  symbols_key: string;
  opened_at: string;
  indexed_at: string;
}

/** A stored debugger transcript (see migration 4). */
export interface TranscriptRow {
  id: number;
  dumpId: number | null;
  dumpPath: string | null;
  name: string;
  source: string;
  mode: string;
  host: string;
  text: string;
  createdAt: string;
  updatedAt: string;
}

interface TranscriptDbRow {
  id: number;
  dump_id: number | null;
  dump_path: string | null;
  name: string;
  source: string;
  mode: string;
  host: string;
  text: string;
  created_at: string;
  updated_at: string;
}

function toTranscript(r: TranscriptDbRow): TranscriptRow {
  return { id: r.id, dumpId: r.dump_id, dumpPath: r.dump_path, name: r.name, source: r.source, mode: r.mode, host: r.host, text: r.text, createdAt: r.created_at, updatedAt: r.updated_at };
}

/** How long a write waits for another process's write lock before giving up (SQLITE_BUSY). */
export const BUSY_TIMEOUT_MS = 10_000;

/** SQLITE_BUSY and its variants: another connection holds a lock we waited for in vain. */
export function isBusyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) return true;
  return e instanceof Error && /SQLITE_BUSY|database is locked/i.test(e.message);
}

/** Why an index could not be opened, in words that say what to do. */
function openError(file: string, e: unknown): DumpscopeError {
  const msg = (e as Error).message;
  const code = (e as { code?: unknown }).code;
  if (isBusyError(e)) return new DumpscopeError('IndexBusy', `${file}: cannot open the index: another dumpscope kept it locked for more than ${BUSY_TIMEOUT_MS / 1000} s; try again`, { file });
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))) {
    // A copy cut short, a disk that failed, another program's file: nothing in it can be trusted.
    return new DumpscopeError('IndexFailed', `${file}: the index is damaged or is not a dumpscope index (${msg}): move it aside and dumpscope starts a new one, or choose another with --index`, { file });
  }
  return new DumpscopeError('IndexFailed', `${file}: cannot open the index: ${msg}`, { file });
}

export interface IndexedDump {
  summary: DumpSummary;
  engineVersion: number;
  symbolsKey: string;
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
    let db: Database | null = null;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      db = openSqlite(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      migrate(db, migrations);
      return new DumpIndex(file, db);
    } catch (e) {
      db?.close();
      throw openError(file, e);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  findByPath(dumpPath: string): IndexedDump | null {
    const row = this.db.prepare('SELECT * FROM dumps WHERE path = ?').get(dumpPath) as DumpRow | undefined;
    return row ? { summary: toSummary(row), engineVersion: row.engine_version, symbolsKey: row.symbols_key } : null;
  }

  get(dumpId: number): DumpSummary {
    const row = this.db.prepare('SELECT * FROM dumps WHERE id = ?').get(dumpId) as DumpRow | undefined;
    if (!row) throw new DumpscopeError('UnknownDump', `no dump with id ${dumpId} in the index`, { where: 'index' });
    return toSummary(row);
  }

  list(): DumpSummary[] {
    return (this.db.prepare('SELECT * FROM dumps ORDER BY opened_at DESC, id DESC').all() as DumpRow[]).map(toSummary);
  }

  /**
   * Records that a dump was opened (it orders the recent list). Best effort: when another
   * process holds the index's write lock past the busy timeout, an open answered from the index
   * must not fail for want of this one write.
   */
  touch(dumpId: number): void {
    try {
      this.db.prepare('UPDATE dumps SET opened_at = ? WHERE id = ?').run(new Date().toISOString(), dumpId);
    } catch (e) {
      if (!isBusyError(e)) throw e;
    }
  }

  remove(dumpId: number): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM search_fts WHERE dump_id = ?').run(dumpId);
      this.db.prepare('DELETE FROM transcripts WHERE dump_id = ?').run(dumpId);
      return this.db.prepare('DELETE FROM dumps WHERE id = ?').run(dumpId).changes > 0;
    })();
  }

  /**
   * Stores a dump's record, replacing any previous one for the same path, in one transaction.
   * `extra` runs inside the same transaction (later stages store their tables there).
   */
  store(record: DumpRecord, extra?: (dumpId: number) => void): number {
    const now = new Date().toISOString();
    const s = record.summary;
    const tx = this.db.transaction((): number => {
      const old = this.db.prepare('SELECT id FROM dumps WHERE path = ?').get(s.path) as { id: number } | undefined;
      if (old) this.db.prepare('DELETE FROM search_fts WHERE dump_id = ?').run(old.id);
      this.db.prepare('DELETE FROM dumps WHERE path = ?').run(s.path);
      // A re-indexed dump keeps its id: windows, transcripts and jobs that hold it stay valid.
      const info = this.db
        .prepare(
          `INSERT INTO dumps (id, path, size, mtime_ms, fingerprint, process, args, pid, uid, arch, signal, thread_count, module_count,
             runtime_json, warnings_json, details_json, engine_version, symbols_key, opened_at, indexed_at)
           VALUES (@id, @path, @size, @mtimeMs, @fingerprint, @process, @args, @pid, @uid, @arch, @signal, @threadCount, @moduleCount,
             @runtime, @warnings, @details, @engineVersion, @symbolsKey, @now, @now)`,
        )
        .run({
          id: old?.id ?? null,
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
          details: JSON.stringify({ executable: s.executable, notes: s.notes, indexStats: s.indexStats, glibc: s.glibc, incompleteStacks: s.incompleteStacks }),
          engineVersion: record.engineVersion,
          symbolsKey: record.symbolsKey,
          now,
        });
      const dumpId = Number(info.lastInsertRowid);
      const insThread = this.db.prepare('INSERT INTO threads (dump_id, idx, dbg, tid, osid, data_json) VALUES (?, ?, ?, ?, ?, ?)');
      for (const t of record.threads) insThread.run(dumpId, t.index, t.dbg, t.tid, t.osid, JSON.stringify(t));
      const insModule = this.db.prepare('INSERT INTO modules (dump_id, idx, path, name, build_id, data_json) VALUES (?, ?, ?, ?, ?, ?)');
      for (const m of record.modules) insModule.run(dumpId, m.index, m.path, m.name, m.buildId, JSON.stringify(m));
      const insMapping = this.db.prepare('INSERT INTO mappings (dump_id, start, end, file_offset, path) VALUES (?, ?, ?, ?, ?)');
      for (const m of record.mappings) insMapping.run(dumpId, m.start, m.end, m.fileOffset, m.path);
      // Stacks are looked up by tid. A corrupt core can give two threads one tid: the first
      // thread's stack is kept (the analysis warns), rather than failing the whole store.
      const insStack = this.db.prepare('INSERT OR IGNORE INTO stacks (dump_id, tid, stop_reason, stop_detail, frames_json) VALUES (?, ?, ?, ?, ?)');
      const insSearch = this.db.prepare('INSERT INTO search_fts (text, dump_id, kind, ref) VALUES (?, ?, ?, ?)');
      for (const st of record.stacks) {
        insStack.run(dumpId, st.tid, st.stopReason, st.stopDetail, JSON.stringify(st.frames));
        // One search row per distinct frame text of the thread.
        const seen = new Set<string>();
        for (const f of st.frames) {
          const text = frameSearchText(f);
          if (text && !seen.has(text)) {
            seen.add(text);
            insSearch.run(text, dumpId, 'frame', String(st.tid));
          }
        }
      }
      for (const m of record.modules) insSearch.run([m.path, m.buildId].filter(Boolean).join(' '), dumpId, 'module', String(m.index));
      const insSym = this.db.prepare('INSERT INTO module_symbols (dump_id, path, quality, data_json) VALUES (?, ?, ?, ?)');
      for (const m of record.moduleSymbols) insSym.run(dumpId, m.path, m.quality, JSON.stringify(m));
      this.db
        .prepare('INSERT INTO locks (dump_id, deadlock, verdict, graph_json) VALUES (?, ?, ?, ?)')
        .run(dumpId, record.locks.verdict.deadlock ? 1 : 0, record.locks.verdict.summary, JSON.stringify(record.locks));
      if (record.dotnet) this.db.prepare('INSERT INTO dotnet_info (dump_id, data_json) VALUES (?, ?)').run(dumpId, JSON.stringify(record.dotnet));
      // Transcripts of this dump survive its re-indexing: attach them (and their search rows) to the new row.
      this.db.prepare('UPDATE transcripts SET dump_id = ? WHERE dump_path = ?').run(dumpId, s.path);
      for (const t of this.db.prepare('SELECT id, text FROM transcripts WHERE dump_id = ?').all(dumpId) as { id: number; text: string }[]) {
        indexTranscriptText(this.db, t.id, dumpId, t.text);
      }
      extra?.(dumpId);
      return dumpId;
    });
    try {
      return tx.immediate();
    } catch (e) {
      if (e instanceof DumpscopeError) throw e;
      const msg = (e as Error).message;
      if (isBusyError(e)) {
        throw new DumpscopeError('IndexBusy', `${this.file}: could not store ${s.path}: the index is busy (another dumpscope kept it locked for more than ${BUSY_TIMEOUT_MS / 1000} s); try again`, {
          file: this.file,
        });
      }
      throw new DumpscopeError('IndexFailed', `${this.file}: could not store ${s.path} in the index: ${msg}`, { file: this.file });
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

  stacks(dumpId: number, tid?: number): ThreadStack[] {
    this.get(dumpId);
    const rows = (
      tid === undefined
        ? this.db.prepare('SELECT s.tid, s.stop_reason, s.stop_detail, s.frames_json FROM stacks s JOIN threads t ON t.dump_id = s.dump_id AND t.tid = s.tid WHERE s.dump_id = ? ORDER BY t.idx').all(dumpId)
        : this.db.prepare('SELECT tid, stop_reason, stop_detail, frames_json FROM stacks WHERE dump_id = ? AND tid = ?').all(dumpId, tid)
    ) as { tid: number; stop_reason: ThreadStack['stopReason']; stop_detail: string | null; frames_json: string }[];
    return rows.map((r) => ({ tid: r.tid, stopReason: r.stop_reason, stopDetail: r.stop_detail, frames: JSON.parse(r.frames_json) as ThreadStack['frames'] }));
  }

  locks(dumpId: number): LockGraph {
    this.get(dumpId);
    const row = this.db.prepare('SELECT graph_json FROM locks WHERE dump_id = ?').get(dumpId) as { graph_json: string } | undefined;
    if (!row) throw new DumpscopeError('UnknownDump', `dump ${dumpId} has no lock analysis in the index`, { where: 'index' });
    return JSON.parse(row.graph_json) as LockGraph;
  }

  moduleSymbols(dumpId: number): ModuleSymbolStatus[] {
    this.get(dumpId);
    return (this.db.prepare('SELECT data_json FROM module_symbols WHERE dump_id = ? ORDER BY rowid').all(dumpId) as { data_json: string }[]).map(
      (r) => JSON.parse(r.data_json) as ModuleSymbolStatus,
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

  /**
   * Frames, modules and transcripts of every dump whose text contains `query`, case-insensitively.
   * Three characters or more go through the trigram index, the query quoted as one FTS5 string
   * (so `"`, `*`, `NEAR(` are plain text); shorter ones scan with LIKE. A thread counts once
   * however many of its frames match; each dump keeps at most `perDump` hits, all at most `limit`.
   */
  search(query: string, opts: { limit: number; perDump: number; kinds?: readonly SearchHitKind[] }): Omit<SearchResults, 'elapsedMs'> {
    // eslint-disable-next-line no-control-regex
    const q = query.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
    if (!q) return { query, mode: 'empty', groups: [], total: 0, truncated: false };
    const mode = [...q].length >= 3 ? 'fts' : 'like';
    const cond = mode === 'fts' ? 'search_fts MATCH @q' : "text LIKE @q ESCAPE '\\'";
    const kinds = (opts.kinds ?? []).filter((k) => k === 'frame' || k === 'module' || k === 'transcript');
    const kindCond = kinds.length > 0 ? ` AND kind IN (${kinds.map((k) => `'${k}'`).join(', ')})` : '';
    const rows = this.db
      .prepare(
        `WITH m AS (SELECT dump_id, kind, ref, MIN(rowid) AS rid FROM search_fts WHERE ${cond}${kindCond} GROUP BY dump_id, kind, ref),
         r AS (SELECT m.*, ROW_NUMBER() OVER (PARTITION BY dump_id ORDER BY kind, CAST(ref AS INTEGER)) AS rn, COUNT(*) OVER (PARTITION BY dump_id) AS n FROM m)
         SELECT r.dump_id AS dumpId, r.kind AS kind, r.ref AS ref, r.n AS n, f.text AS text FROM r JOIN search_fts f ON f.rowid = r.rid WHERE r.rn <= @perDump`,
      )
      .all({ q: mode === 'fts' ? `"${q.replace(/"/g, '""')}"` : `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, perDump: opts.perDump }) as {
      dumpId: number;
      kind: SearchHitKind;
      ref: string;
      n: number;
      text: string;
    }[];
    const needle = q.toLowerCase();
    const groups = new Map<number, SearchDumpGroup>();
    const byDump = new Map<number, typeof rows>();
    for (const r of rows) (byDump.get(r.dumpId) ?? byDump.set(r.dumpId, []).get(r.dumpId)!).push(r);
    let shown = 0;
    let total = 0;
    const threadQ = this.db.prepare('SELECT idx, dbg, osid FROM threads WHERE dump_id = ? AND tid = ?');
    const moduleQ = this.db.prepare('SELECT name, path FROM modules WHERE dump_id = ? AND idx = ?');
    for (const d of this.list()) {
      const hits = byDump.get(d.id);
      if (!hits) continue;
      total += hits[0].n;
      const group: SearchDumpGroup = {
        dump: { id: d.id, path: d.path, originalPath: null, process: d.process, pid: d.pid, threadCount: d.threadCount, openedAt: d.openedAt },
        total: hits[0].n,
        hits: [],
      };
      const out: SearchHit[] = [];
      for (const h of hits) {
        if (shown >= opts.limit) break;
        const hit: SearchHit = { kind: h.kind, text: h.text, thread: null, frame: null, module: null, transcriptId: null };
        if (h.kind === 'frame') {
          const tid = Number(h.ref);
          const t = threadQ.get(d.id, tid) as { idx: number; dbg: number; osid: string } | undefined;
          if (t) hit.thread = { tid, index: t.idx, dbg: t.dbg, osid: t.osid };
          const frame = this.stacks(d.id, tid)[0]?.frames.find((f) => frameSearchText(f).toLowerCase().includes(needle));
          if (frame) hit.frame = { index: frame.index, pc: frame.pc, module: frame.module, function: frame.function, offset: frame.offset, file: frame.file, line: frame.line, inline: frame.inline };
        } else if (h.kind === 'module') {
          const m = moduleQ.get(d.id, Number(h.ref)) as { name: string; path: string } | undefined;
          if (m) hit.module = { index: Number(h.ref), name: m.name, path: m.path };
        } else {
          hit.transcriptId = h.ref;
        }
        out.push(hit);
        shown++;
      }
      // Threads in the dump's order
      out.sort((a, b) => (a.kind === b.kind ? (a.thread?.index ?? a.module?.index ?? 0) - (b.thread?.index ?? b.module?.index ?? 0) : a.kind < b.kind ? -1 : 1));
      group.hits = out;
      groups.set(d.id, group);
    }
    return { query, mode, groups: [...groups.values()].filter((g) => g.hits.length > 0 || g.total > 0), total, truncated: shown < total };
  }
}

/** The text a frame is indexed under in search_fts (what `store` writes). */
export function frameSearchText(f: { module: string | null; function: string | null; file: string | null; line: number | null }): string {
  return [f.module, f.function, f.file ? `${f.file}:${f.line ?? ''}` : null].filter(Boolean).join(' ');
}

/** Lines per search row of a transcript: a hit shows this much text around the match. */
const TRANSCRIPT_SEARCH_LINES = 40;

/** (Re)writes a transcript's search_fts rows (kind 'transcript', ref = its id), in chunks of lines. */
function indexTranscriptText(db: Database, id: number, dumpId: number | null, text: string): void {
  db.prepare("DELETE FROM search_fts WHERE kind = 'transcript' AND ref = ?").run(String(id));
  const ins = db.prepare('INSERT INTO search_fts (text, dump_id, kind, ref) VALUES (?, ?, ?, ?)');
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += TRANSCRIPT_SEARCH_LINES) {
    const chunk = lines.slice(i, i + TRANSCRIPT_SEARCH_LINES).join('\n');
    if (chunk.trim() !== '') ins.run(chunk, dumpId, 'transcript', String(id));
  }
}

export interface NewTranscript {
  dumpId: number | null;
  name: string;
  /** 'import' or the engine that produced it. */
  source: string;
  mode: 'text' | 'batch' | 'session';
  host: string;
  text: string;
}

/** Transcript storage (migration 4); a transcript is also a row of search_fts (kind 'transcript'). */
export class TranscriptStore {
  constructor(private readonly index: DumpIndex) {}

  private get db(): Database {
    return this.index.db;
  }

  /** Stores a transcript; the same text imported again for the same dump returns the stored one. */
  add(t: NewTranscript): { id: number; created: boolean } {
    const sha = createHash('sha256').update(t.text).digest('hex');
    const dumpPath = t.dumpId === null ? null : this.index.get(t.dumpId).path;
    const tx = this.db.transaction((): { id: number; created: boolean } => {
      if (t.mode !== 'session') {
        const same = this.db.prepare('SELECT id FROM transcripts WHERE dump_id IS ? AND sha256 = ? AND mode = ?').get(t.dumpId, sha, t.mode) as { id: number } | undefined;
        if (same) return { id: same.id, created: false };
      }
      const now = new Date().toISOString();
      const info = this.db
        .prepare('INSERT INTO transcripts (dump_id, dump_path, name, source, mode, host, sha256, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(t.dumpId, dumpPath, t.name, t.source, t.mode, t.host, sha, t.text, now, now);
      const id = Number(info.lastInsertRowid);
      indexTranscriptText(this.db, id, t.dumpId, t.text);
      return { id, created: true };
    });
    return tx.immediate();
  }

  /** Replaces a transcript's text (a console session that grew). */
  update(id: number, text: string, host: string): void {
    const sha = createHash('sha256').update(text).digest('hex');
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT dump_id FROM transcripts WHERE id = ?').get(id) as { dump_id: number | null } | undefined;
      if (!row) throw new DumpscopeError('BadRequest', `no transcript with id ${id} in the index`, { where: 'index' });
      this.db.prepare('UPDATE transcripts SET text = ?, sha256 = ?, host = ?, updated_at = ? WHERE id = ?').run(text, sha, host, new Date().toISOString(), id);
      indexTranscriptText(this.db, id, row.dump_id, text);
    }).immediate();
  }

  get(id: number): TranscriptRow {
    const r = this.db.prepare('SELECT * FROM transcripts WHERE id = ?').get(id) as TranscriptDbRow | undefined;
    if (!r) throw new DumpscopeError('BadRequest', `no transcript with id ${id} in the index`, { where: 'index' });
    return toTranscript(r);
  }

  /** A dump's transcripts in the order they were added; every transcript when dumpId is undefined. */
  list(dumpId?: number): TranscriptRow[] {
    const rows = (
      dumpId === undefined ? this.db.prepare('SELECT * FROM transcripts ORDER BY id').all() : this.db.prepare('SELECT * FROM transcripts WHERE dump_id = ? ORDER BY id').all(dumpId)
    ) as TranscriptDbRow[];
    return rows.map(toTranscript);
  }

  /** A dump's transcripts as `id:sha256` stamps, without their text: what changed, cheaply. */
  stamps(dumpId: number): string[] {
    return (this.db.prepare('SELECT id, sha256 FROM transcripts WHERE dump_id = ? ORDER BY id').all(dumpId) as { id: number; sha256: string }[]).map((r) => `${r.id}:${r.sha256}`);
  }

  remove(id: number): boolean {
    return this.db.transaction(() => {
      this.db.prepare("DELETE FROM search_fts WHERE kind = 'transcript' AND ref = ?").run(String(id));
      return this.db.prepare('DELETE FROM transcripts WHERE id = ?').run(id).changes > 0;
    })();
  }

  /** A .NET dump's runtime modules and assemblies, or null (not .NET, or indexed before migration 4). */
  dotnetInfo(dumpId: number): DotnetInfo | null {
    this.index.get(dumpId);
    const r = this.db.prepare('SELECT data_json FROM dotnet_info WHERE dump_id = ?').get(dumpId) as { data_json: string } | undefined;
    return r ? (JSON.parse(r.data_json) as DotnetInfo) : null;
  }
}

function toSummary(row: DumpRow): DumpSummary {
  const details = JSON.parse(row.details_json) as Partial<Pick<DumpSummary, 'executable' | 'notes' | 'indexStats' | 'glibc' | 'incompleteStacks'>>;
  return {
    executable: details.executable ?? null,
    notes: details.notes ?? { total: 0, unknown: 0 },
    indexStats: details.indexStats ?? null,
    glibc: details.glibc ?? null,
    incompleteStacks: details.incompleteStacks ?? 0,
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
