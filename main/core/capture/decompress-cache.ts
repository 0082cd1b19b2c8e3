// Opening a compressed core: it is decompressed once into a cache folder next to the index,
// named by the compressed file's size, mtime and content fingerprint, so a second open reuses
// the copy. The copy is written as `<name>.<pid>.<random>.partial` and renamed when complete:
// a half-written cache file never looks usable, and is removed when decompression fails.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CompressionKind } from '../../../shared/types';
import { DumpscopeError, isDumpscopeError } from '../errors';
import { detectCompression } from './compression';
import { decompressFile, formatBytes, type DecompressProgress } from './decompress';

export interface PreparedDump {
  /** The file to analyse: the dump itself, or its decompressed copy. */
  path: string;
  /** What the user opened. */
  originalPath: string;
  compression: CompressionKind | null;
  /** True when the decompressed copy was already in the cache. */
  reused: boolean;
}

export interface PrepareOptions {
  cacheDir: string;
  onProgress?: (p: DecompressProgress & { file: string; kind: CompressionKind }) => void;
  signal?: AbortSignal;
  /** Free space to leave on the cache's file system. */
  reserveBytes?: number;
  /** For tests: the file system's free bytes. */
  statfs?: (dir: string) => { bavail: number; bsize: number };
}

const FINGERPRINT_CHUNK = 64 * 1024;
/** Partial copies older than this are from a crashed run (a live one keeps writing). */
const STALE_PARTIAL_MS = 6 * 60 * 60 * 1000;

/** size + mtime + the first and last 64 KiB: changes whenever the compressed file does. */
export function cacheKey(file: string, kind: CompressionKind): string {
  const st = fs.statSync(file);
  const h = createHash('sha256');
  h.update(`${kind};${st.size};${st.mtimeMs};`);
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(FINGERPRINT_CHUNK, st.size));
    fs.readSync(fd, head, 0, head.length, 0);
    h.update(head);
    if (st.size > FINGERPRINT_CHUNK) {
      const tailLen = Math.min(FINGERPRINT_CHUNK, st.size - FINGERPRINT_CHUNK);
      const tail = Buffer.alloc(tailLen);
      fs.readSync(fd, tail, 0, tailLen, st.size - tailLen);
      h.update(tail);
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex').slice(0, 32);
}

/** Where the decompressed copy of `file` lives (whether or not it exists yet). */
export function cachePathFor(file: string, kind: CompressionKind, cacheDir: string): string {
  const base = path
    .basename(file)
    .replace(/\.(zst|zstd|gz|gzip|xz|lz4)$/i, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 80);
  return path.join(cacheDir, `${base}.${cacheKey(file, kind)}.core`);
}

/** True for a path inside the cache folder (a decompressed copy). */
export function isInCache(file: string, cacheDir: string): boolean {
  const rel = path.relative(cacheDir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Returns the file to analyse for `file`: itself when it is not compressed, else its
 * decompressed copy in `cacheDir` (made now, or found from an earlier open).
 */
export async function prepareDumpFile(file: string, opts: PrepareOptions): Promise<PreparedDump> {
  const kind = detectCompression(file);
  if (kind === null) return { path: file, originalPath: file, compression: null, reused: false };
  const target = cachePathFor(file, kind, opts.cacheDir);
  if (fs.existsSync(target)) {
    return { path: target, originalPath: file, compression: kind, reused: true };
  }
  try {
    fs.mkdirSync(opts.cacheDir, { recursive: true });
  } catch (e) {
    throw new DumpscopeError('PermissionDenied', `${file}: cannot create the cache folder ${opts.cacheDir} for its decompressed copy: ${(e as Error).message}`, {
      file,
    });
  }
  removeStalePartials(opts.cacheDir);
  const partial = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  const statfs = opts.statfs ?? ((d: string) => fs.statfsSync(d));
  let maxOutputBytes = Number.MAX_SAFE_INTEGER;
  try {
    const s = statfs(opts.cacheDir);
    maxOutputBytes = Math.max(0, s.bavail * s.bsize - (opts.reserveBytes ?? 64 * 1024 * 1024));
  } catch {
    // no statfs (unusual file system): ENOSPC while writing still gives a clear error
  }
  try {
    await decompressFile(file, partial, kind, {
      signal: opts.signal,
      maxOutputBytes,
      onProgress: (p) => opts.onProgress?.({ ...p, file, kind }),
    });
    fs.renameSync(partial, target);
  } catch (e) {
    fs.rmSync(partial, { force: true });
    if (isDumpscopeError(e)) throw e;
    throw new DumpscopeError('ReadFailed', `${file}: cannot decompress into ${opts.cacheDir}: ${(e as Error).message}`, { file });
  }
  return { path: target, originalPath: file, compression: kind, reused: false };
}

/** Removes partial copies left by a run that was killed (bounded: one folder listing). */
function removeStalePartials(cacheDir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(cacheDir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names.slice(0, 10_000)) {
    if (!name.endsWith('.partial')) continue;
    const p = path.join(cacheDir, name);
    try {
      if (now - fs.statSync(p).mtimeMs > STALE_PARTIAL_MS) fs.rmSync(p, { force: true });
    } catch {
      // raced with its owner or another cleaner: nothing to do
    }
  }
}

/**
 * Rewrites an error about the decompressed copy so it names what the user opened, e.g.
 * "core.zst (decompressed): not a core dump" rather than a path in the cache.
 */
export function attributeToOriginal(e: unknown, prepared: PreparedDump): unknown {
  if (prepared.compression === null || !isDumpscopeError(e)) return e;
  const label = `${prepared.originalPath} (${prepared.compression}-decompressed)`;
  if (!e.message.includes(prepared.path)) return e;
  const err = new DumpscopeError(e.code, e.message.split(prepared.path).join(label), { ...e.details, file: prepared.originalPath });
  return err;
}

/** Failures that say nothing about the decompressed copy itself: keep it for the next try. */
const TRANSIENT = new Set(['Cancelled', 'IndexBusy', 'IndexFailed', 'Timeout']);

/**
 * Removes the decompressed copy when opening it failed because of what it holds (not a core,
 * truncated inside…): a copy that can never open should not fill the cache.
 */
export function discardFailedCopy(e: unknown, prepared: PreparedDump): void {
  if (prepared.compression === null || prepared.path === prepared.originalPath) return;
  if (isDumpscopeError(e) && TRANSIENT.has(e.code)) return;
  fs.rmSync(prepared.path, { force: true });
}

export { formatBytes };
