// What the index remembers about a dump opened from a compressed file: the file the user opened
// and its compression, keyed by the decompressed copy's path (the `path` of the dump's row).
// The table is created by the index's migration 5 (dump-origins).
import { type CompressionKind, type DumpSummary } from '../../../shared/types';
import { type Database } from '../index';
import { type PreparedDump } from './decompress-cache';

const KINDS: readonly CompressionKind[] = ['gzip', 'zstd', 'xz', 'lz4'];

interface OriginRow {
  original_path: string;
  compression: string;
}

export class DumpOrigins {
  constructor(private readonly db: Database) {}

  /** Remembers where a decompressed copy came from (nothing to remember for a plain dump). */
  record(prepared: PreparedDump): void {
    if (prepared.compression === null) return;
    this.db
      .prepare(
        `INSERT INTO dump_origins (path, original_path, compression, recorded_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET original_path = excluded.original_path, compression = excluded.compression, recorded_at = excluded.recorded_at`,
      )
      .run(prepared.path, prepared.originalPath, prepared.compression, new Date().toISOString());
  }

  lookup(dumpPath: string): { originalPath: string; compression: CompressionKind } | null {
    const row = this.db.prepare('SELECT original_path, compression FROM dump_origins WHERE path = ?').get(dumpPath) as OriginRow | undefined;
    if (!row) return null;
    const kind = KINDS.find((k) => k === row.compression);
    return kind ? { originalPath: row.original_path, compression: kind } : null;
  }

  forget(dumpPath: string): void {
    this.db.prepare('DELETE FROM dump_origins WHERE path = ?').run(dumpPath);
  }

  /** The summary with `originalPath` and `compression` filled in (null for a plain dump). */
  annotate(s: DumpSummary): DumpSummary {
    const o = this.lookup(s.path);
    return { ...s, originalPath: o?.originalPath ?? null, compression: o?.compression ?? null };
  }
}
