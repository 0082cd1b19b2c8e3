// What the index remembers about a dump opened from a compressed file: the file the user opened
// and its compression, keyed by the decompressed copy's path (the `path` of the dump's row).
// Kept in its own table, created if missing, so the index's migrations need not change; the
// index owner may fold it into a numbered migration (it only ever adds this table).
import { type CompressionKind, type DumpSummary } from '../../../shared/types';
import { type Database } from '../index';
import { type PreparedDump } from './decompress-cache';

const KINDS: readonly CompressionKind[] = ['gzip', 'zstd', 'xz', 'lz4'];

interface OriginRow {
  original_path: string;
  compression: string;
}

export class DumpOrigins {
  private ready = false;

  constructor(private readonly db: Database) {}

  private ensure(): void {
    if (this.ready) return;
    this.db.exec(`CREATE TABLE IF NOT EXISTS dump_origins (
      path          TEXT PRIMARY KEY,
      original_path TEXT NOT NULL,
      compression   TEXT NOT NULL,
      recorded_at   TEXT NOT NULL
    )`);
    this.ready = true;
  }

  /** Remembers where a decompressed copy came from (nothing to remember for a plain dump). */
  record(prepared: PreparedDump): void {
    if (prepared.compression === null) return;
    this.ensure();
    this.db
      .prepare(
        `INSERT INTO dump_origins (path, original_path, compression, recorded_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET original_path = excluded.original_path, compression = excluded.compression, recorded_at = excluded.recorded_at`,
      )
      .run(prepared.path, prepared.originalPath, prepared.compression, new Date().toISOString());
  }

  lookup(dumpPath: string): { originalPath: string; compression: CompressionKind } | null {
    this.ensure();
    const row = this.db.prepare('SELECT original_path, compression FROM dump_origins WHERE path = ?').get(dumpPath) as OriginRow | undefined;
    if (!row) return null;
    const kind = KINDS.find((k) => k === row.compression);
    return kind ? { originalPath: row.original_path, compression: kind } : null;
  }

  forget(dumpPath: string): void {
    this.ensure();
    this.db.prepare('DELETE FROM dump_origins WHERE path = ?').run(dumpPath);
  }

  /** The summary with `originalPath` and `compression` filled in (null for a plain dump). */
  annotate(s: DumpSummary): DumpSummary {
    const o = this.lookup(s.path);
    return { ...s, originalPath: o?.originalPath ?? null, compression: o?.compression ?? null };
  }
}
