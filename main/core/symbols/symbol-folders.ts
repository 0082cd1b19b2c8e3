// User symbol folders, in the layouts people really have:
//   flat        files side by side: `dotnet-symbol -o DIR` output (libcoreclr.so.dbg), files
//               copied next to the dump, a copy of a system's /usr/lib
//   build-id    .build-id/ab/cdef….debug (debug file) and .build-id/ab/cdef… (code file)
//   symstore    <name>/elf-buildid-<id>/<name> (code) and <name>/elf-buildid-sym-<id>/_.debug
//               (debug), the key layout of Microsoft's symbol server and dotnet-symbol --cache
//   debuginfod  <build-id>/debuginfo and <build-id>/executable (debuginfod client cache)
// A scan reads only the ELF header, section/program headers and notes of each candidate file,
// bounded in depth and file count. Nothing trusts a path: a file's build-id comes from its own
// note, and a file whose build-id differs from the dump's module is never used.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DumpscopeError } from '../errors';
import { buildIdPaths, inspectElf, type ElfFileKind } from './debug-files';
import { type SqlDatabase } from './sql';

export type FolderLayout = 'flat' | 'build-id' | 'symstore' | 'debuginfod';

export interface SymbolFileRecord {
  /** The symbol folder the file was found in. */
  folder: string;
  path: string;
  buildId: string | null;
  /** The module file name this file is for, when the layout or the file name tells it. */
  name: string | null;
  layout: FolderLayout;
  kind: ElfFileKind;
  size: number;
  mtimeMs: number;
  hasSymtab: boolean;
  hasDwarf: boolean;
  hasLines: boolean;
  debugLink: string | null;
}

export interface ScanLimits {
  /** Folder levels below the symbol folder (symstore and .build-id trees need 3). */
  maxDepth: number;
  /** Files examined at most (ELF or not). */
  maxFiles: number;
  /** Directories visited at most. */
  maxDirs: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxDepth: 4, maxFiles: 50_000, maxDirs: 10_000 };

export interface FolderScan {
  folder: string;
  files: SymbolFileRecord[];
  fingerprint: string;
  /** True when a limit stopped the scan before it saw everything. */
  truncated: boolean;
  warnings: string[];
  /** Files examined (ELF or not) and files read again because they changed. */
  examined: number;
  reread: number;
}

/** Where to look up symbol files: a store, an in-memory index, or anything with these methods. */
export interface SymbolFileIndex {
  /** Folder paths, in search order. */
  folders(): string[];
  findByBuildId(buildId: string): SymbolFileRecord[];
  findByName(name: string): SymbolFileRecord[];
}

const HEX_ID = /^[0-9a-f]{8,128}$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'proc', 'sys', 'dev']);

/** Whether a file starts with the ELF magic and is an executable or shared object (not a core). */
function looksLikeModuleElf(filePath: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch {
    return false;
  }
  try {
    const b = Buffer.alloc(20);
    if (fs.readSync(fd, b, 0, 20, 0) < 20) return false;
    if (b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) return false;
    const type = b.readUInt16LE(16);
    return type === 2 || type === 3; // ET_EXEC, ET_DYN
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

/** The layout and module name a path inside a symbol folder implies. */
export function classifyPath(folder: string, filePath: string): { layout: FolderLayout; name: string | null } {
  const rel = path.relative(folder, filePath).split(path.sep);
  const base = rel[rel.length - 1];
  const buildIdAt = rel.lastIndexOf('.build-id');
  if (buildIdAt >= 0 && rel.length - buildIdAt === 3 && /^[0-9a-f]{2}$/.test(rel[buildIdAt + 1])) {
    let name: string | null = null;
    try {
      // Distributions make .build-id entries symlinks to the real file: its name is the module's.
      if (fs.lstatSync(filePath).isSymbolicLink()) name = stripDebugSuffix(path.basename(fs.readlinkSync(filePath)));
    } catch {
      name = null;
    }
    return { layout: 'build-id', name };
  }
  if (rel.length >= 3) {
    const key = rel[rel.length - 2];
    const top = rel[rel.length - 3];
    if (/^elf-buildid-sym-[0-9a-f]+$/.test(key)) return { layout: 'symstore', name: top };
    if (/^elf-buildid-[0-9a-f]+$/.test(key)) return { layout: 'symstore', name: top };
  }
  if (rel.length >= 2 && HEX_ID.test(rel[rel.length - 2]) && (base === 'debuginfo' || base === 'executable')) {
    return { layout: 'debuginfod', name: null };
  }
  return { layout: 'flat', name: stripDebugSuffix(base) };
}

/** `libcoreclr.so.dbg` -> `libcoreclr.so`; `foo.debug` -> `foo`. */
export function stripDebugSuffix(name: string): string {
  return name.replace(/\.(dbg|debug)$/, '');
}

interface WalkResult {
  files: string[];
  dirs: { rel: string; mtimeMs: number }[];
  truncated: boolean;
  warnings: string[];
}

function walk(folder: string, limits: ScanLimits, wantFiles: boolean): WalkResult {
  const out: WalkResult = { files: [], dirs: [], truncated: false, warnings: [] };
  const queue: { dir: string; depth: number }[] = [{ dir: folder, depth: 0 }];
  while (queue.length > 0) {
    const { dir, depth } = queue.shift() as { dir: string; depth: number };
    if (out.dirs.length >= limits.maxDirs) {
      out.truncated = true;
      out.warnings.push(`${folder}: stopped after ${limits.maxDirs} folders`);
      break;
    }
    let st: fs.Stats;
    let entries: fs.Dirent[];
    try {
      st = fs.statSync(dir);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      out.warnings.push(`${dir}: cannot read: ${(e as Error).message}`);
      continue;
    }
    out.dirs.push({ rel: path.relative(folder, dir), mtimeMs: st.mtimeMs });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      const full = path.join(dir, ent.name);
      // Follow file symlinks (.build-id trees are made of them), never directory symlinks.
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      if (ent.isSymbolicLink()) {
        try {
          const t = fs.statSync(full);
          isFile = t.isFile();
          isDir = false;
        } catch {
          continue;
        }
      }
      if (isDir) {
        if (depth < limits.maxDepth && !SKIP_DIRS.has(ent.name)) queue.push({ dir: full, depth: depth + 1 });
        else if (depth >= limits.maxDepth) out.truncated = true;
      } else if (isFile && wantFiles) {
        if (out.files.length >= limits.maxFiles) {
          if (!out.truncated) out.warnings.push(`${folder}: stopped after ${limits.maxFiles} files`);
          out.truncated = true;
          break;
        }
        out.files.push(full);
      }
    }
  }
  return out;
}

function fingerprintOf(dirs: { rel: string; mtimeMs: number }[]): string {
  const h = createHash('sha256');
  for (const d of [...dirs].sort((a, b) => (a.rel < b.rel ? -1 : 1))) h.update(`${d.rel}\0${d.mtimeMs}\n`);
  return h.digest('hex').slice(0, 32);
}

/**
 * A cheap fingerprint of a folder: the mtimes of the folder and its subfolders down to the
 * depth limit. Adding, removing or renaming a file changes its folder's mtime.
 */
export function folderFingerprint(folder: string, limits: ScanLimits = DEFAULT_SCAN_LIMITS): string {
  return fingerprintOf(walk(folder, limits, false).dirs);
}

/**
 * Scans a folder for ELF executables, shared objects and debug files. `previous` records
 * (from an earlier scan) are reused for files whose size and mtime did not change.
 */
export function scanSymbolFolder(folder: string, limits: ScanLimits = DEFAULT_SCAN_LIMITS, previous: SymbolFileRecord[] = []): FolderScan {
  const abs = path.resolve(folder);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new DumpscopeError('FileNotFound', `${abs}: no such symbol folder`, { file: abs });
  }
  if (!st.isDirectory()) throw new DumpscopeError('NotAFile', `${abs}: is not a folder`, { file: abs });
  const w = walk(abs, limits, true);
  const prev = new Map(previous.map((r) => [r.path, r]));
  const files: SymbolFileRecord[] = [];
  let reread = 0;
  for (const f of w.files) {
    let fst: fs.Stats;
    try {
      fst = fs.statSync(f);
    } catch {
      continue;
    }
    const old = prev.get(f);
    if (old && old.size === fst.size && old.mtimeMs === fst.mtimeMs) {
      files.push(old);
      continue;
    }
    if (!looksLikeModuleElf(f)) continue;
    const info = inspectElf(f);
    if (!info) continue;
    reread++;
    const { layout, name } = classifyPath(abs, f);
    files.push({
      folder: abs,
      path: f,
      buildId: info.buildId,
      name,
      layout,
      kind: info.kind,
      size: info.size,
      mtimeMs: info.mtimeMs,
      hasSymtab: info.hasSymtab,
      hasDwarf: info.hasDwarf,
      hasLines: info.hasLines,
      debugLink: info.debugLink,
    });
  }
  return { folder: abs, files, fingerprint: fingerprintOf(w.dirs), truncated: w.truncated, warnings: w.warnings, examined: w.files.length, reread };
}

/**
 * Paths a build-id (and module name) map to in a folder's known layouts, without a scan:
 * debug files first, then code files. Only existing files are returned.
 */
export function probeFolder(folder: string, buildId: string, name: string | null): { path: string; layout: FolderLayout }[] {
  const out: { path: string; layout: FolderLayout }[] = [];
  const id = buildId.toLowerCase();
  if (!HEX_ID.test(id)) return out;
  const b = buildIdPaths(folder, id);
  const candidates: { path: string; layout: FolderLayout }[] = [
    { path: b.debug, layout: 'build-id' },
    { path: path.join(folder, id, 'debuginfo'), layout: 'debuginfod' },
  ];
  if (name) {
    candidates.push({ path: path.join(folder, name, `elf-buildid-sym-${id}`, '_.debug'), layout: 'symstore' });
    candidates.push({ path: path.join(folder, name.toLowerCase(), `elf-buildid-sym-${id}`, '_.debug'), layout: 'symstore' });
  }
  candidates.push({ path: b.code, layout: 'build-id' }, { path: path.join(folder, id, 'executable'), layout: 'debuginfod' });
  if (name) {
    candidates.push({ path: path.join(folder, name, `elf-buildid-${id}`, name), layout: 'symstore' });
    candidates.push({ path: path.join(folder, name.toLowerCase(), `elf-buildid-${id}`, name.toLowerCase()), layout: 'symstore' });
  }
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.path)) continue;
    seen.add(c.path);
    try {
      if (fs.statSync(c.path).isFile()) out.push(c);
    } catch {
      /* absent */
    }
  }
  return out;
}

/** An in-memory index over a plain list of folders, each scanned once (and again when its fingerprint changes). */
export class SymbolFolderIndex implements SymbolFileIndex {
  private readonly scans = new Map<string, FolderScan>();
  readonly warnings: string[] = [];

  constructor(
    folderList: readonly string[],
    private readonly limits: ScanLimits = DEFAULT_SCAN_LIMITS,
  ) {
    for (const f of folderList) {
      const abs = path.resolve(f);
      if (this.scans.has(abs)) continue;
      try {
        const s = scanSymbolFolder(abs, limits);
        this.scans.set(abs, s);
        this.warnings.push(...s.warnings);
      } catch (e) {
        this.warnings.push((e as Error).message);
      }
    }
  }

  folders(): string[] {
    return [...this.scans.keys()];
  }

  /** Rescans folders whose fingerprint changed; returns the ones rescanned. */
  refresh(): string[] {
    const changed: string[] = [];
    for (const [folder, old] of this.scans) {
      let fp: string;
      try {
        fp = folderFingerprint(folder, this.limits);
      } catch {
        continue;
      }
      if (fp === old.fingerprint) continue;
      try {
        this.scans.set(folder, scanSymbolFolder(folder, this.limits, old.files));
        changed.push(folder);
      } catch (e) {
        this.warnings.push((e as Error).message);
      }
    }
    return changed;
  }

  findByBuildId(buildId: string): SymbolFileRecord[] {
    const id = buildId.toLowerCase();
    const out: SymbolFileRecord[] = [];
    for (const s of this.scans.values()) for (const r of s.files) if (r.buildId === id) out.push(r);
    return out;
  }

  findByName(name: string): SymbolFileRecord[] {
    const out: SymbolFileRecord[] = [];
    for (const s of this.scans.values()) for (const r of s.files) if (r.name === name) out.push(r);
    return out;
  }
}

export interface SymbolFolderInfo {
  id: number;
  path: string;
  addedAt: string;
  scannedAt: string | null;
  fingerprint: string | null;
  fileCount: number;
  truncated: boolean;
  warnings: string[];
}

interface FolderRow {
  id: number;
  path: string;
  added_at: string;
  scanned_at: string | null;
  fingerprint: string | null;
  file_count: number;
  truncated: number;
  warnings_json: string;
}

interface FileRow {
  folder: string;
  path: string;
  build_id: string | null;
  name: string | null;
  layout: string;
  kind: string;
  size: number;
  mtime_ms: number;
  has_symtab: number;
  has_dwarf: number;
  has_lines: number;
  debug_link: string | null;
}

const LAYOUTS: readonly FolderLayout[] = ['flat', 'build-id', 'symstore', 'debuginfod'];
const KINDS: readonly ElfFileKind[] = ['executable', 'shared', 'debug-only'];

function recordOf(r: FileRow): SymbolFileRecord {
  return {
    folder: r.folder,
    path: r.path,
    buildId: r.build_id,
    name: r.name,
    layout: (LAYOUTS as readonly string[]).includes(r.layout) ? (r.layout as FolderLayout) : 'flat',
    kind: (KINDS as readonly string[]).includes(r.kind) ? (r.kind as ElfFileKind) : 'debug-only',
    size: r.size,
    mtimeMs: r.mtime_ms,
    hasSymtab: r.has_symtab !== 0,
    hasDwarf: r.has_dwarf !== 0,
    hasLines: r.has_lines !== 0,
    debugLink: r.debug_link,
  };
}

function folderOf(r: FolderRow): SymbolFolderInfo {
  let warnings: string[] = [];
  try {
    const w: unknown = JSON.parse(r.warnings_json);
    if (Array.isArray(w)) warnings = w.filter((x): x is string => typeof x === 'string');
  } catch {
    warnings = [];
  }
  return {
    id: r.id,
    path: r.path,
    addedAt: r.added_at,
    scannedAt: r.scanned_at,
    fingerprint: r.fingerprint,
    fileCount: r.file_count,
    truncated: r.truncated !== 0,
    warnings,
  };
}

const FILE_COLUMNS = `f.path AS folder, s.path, s.build_id, s.name, s.layout, s.kind, s.size, s.mtime_ms, s.has_symtab, s.has_dwarf, s.has_lines, s.debug_link`;

/**
 * User symbol folders persisted in the index (tables from `symbolFolderMigration`): scanned
 * once when added, rescanned only when their fingerprint changes.
 */
export class SymbolFolderStore implements SymbolFileIndex {
  constructor(
    private readonly db: SqlDatabase,
    private readonly limits: ScanLimits = DEFAULT_SCAN_LIMITS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds a folder (an absolute path is stored) and scans it; re-adding rescans if changed. */
  add(folder: string): SymbolFolderInfo {
    const abs = path.resolve(folder);
    const scan = scanSymbolFolder(abs, this.limits);
    const existing = this.row(abs);
    if (existing) {
      if (existing.fingerprint !== scan.fingerprint) this.save(existing.id, scan);
    } else {
      this.db.transaction(() => {
        const r = this.db.prepare(`INSERT INTO symbol_folders (path, added_at) VALUES (?, ?)`).run(abs, this.now().toISOString());
        this.write(Number(r.lastInsertRowid), scan);
      })();
    }
    return folderOf(this.row(abs) as FolderRow);
  }

  /** Removes a folder and its files; false when it was not there. */
  remove(folder: string): boolean {
    const r = this.row(path.resolve(folder));
    if (!r) return false;
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM symbol_files WHERE folder_id = ?`).run(r.id);
      this.db.prepare(`DELETE FROM symbol_folders WHERE id = ?`).run(r.id);
    })();
    return true;
  }

  list(): SymbolFolderInfo[] {
    return (this.db.prepare(`SELECT * FROM symbol_folders ORDER BY id`).all() as FolderRow[]).map(folderOf);
  }

  folders(): string[] {
    return this.list().map((f) => f.path);
  }

  /**
   * Rescans each folder (or just `folder`) whose fingerprint changed, reusing records of files
   * whose size and mtime did not. A folder that disappeared keeps its records and a warning.
   */
  rescanIfChanged(folder?: string): { folder: string; rescanned: boolean; fileCount: number; reread: number; warning?: string }[] {
    const rows = folder === undefined ? (this.db.prepare(`SELECT * FROM symbol_folders ORDER BY id`).all() as FolderRow[]) : [this.row(path.resolve(folder))].filter((r): r is FolderRow => r !== undefined);
    const out: { folder: string; rescanned: boolean; fileCount: number; reread: number; warning?: string }[] = [];
    for (const r of rows) {
      let fp: string;
      try {
        if (!fs.statSync(r.path).isDirectory()) throw new Error('not a folder');
        fp = folderFingerprint(r.path, this.limits);
      } catch (e) {
        out.push({ folder: r.path, rescanned: false, fileCount: r.file_count, reread: 0, warning: `${r.path}: cannot read the folder: ${(e as Error).message}` });
        continue;
      }
      if (fp === r.fingerprint) {
        out.push({ folder: r.path, rescanned: false, fileCount: r.file_count, reread: 0 });
        continue;
      }
      const previous = this.filesOf(r.id);
      const scan = scanSymbolFolder(r.path, this.limits, previous);
      this.save(r.id, scan);
      out.push({ folder: r.path, rescanned: true, fileCount: scan.files.length, reread: scan.reread });
    }
    return out;
  }

  findByBuildId(buildId: string): SymbolFileRecord[] {
    return (
      this.db.prepare(`SELECT ${FILE_COLUMNS} FROM symbol_files s JOIN symbol_folders f ON f.id = s.folder_id WHERE s.build_id = ? ORDER BY f.id, s.path`).all(buildId.toLowerCase()) as FileRow[]
    ).map(recordOf);
  }

  findByName(name: string): SymbolFileRecord[] {
    return (
      this.db
        .prepare(`SELECT ${FILE_COLUMNS} FROM symbol_files s JOIN symbol_folders f ON f.id = s.folder_id WHERE s.name = ? ORDER BY f.id, s.path`)
        .all(name) as FileRow[]
    ).map(recordOf);
  }

  private row(abs: string): FolderRow | undefined {
    return this.db.prepare(`SELECT * FROM symbol_folders WHERE path = ?`).get(abs) as FolderRow | undefined;
  }

  private filesOf(folderId: number): SymbolFileRecord[] {
    return (
      this.db.prepare(`SELECT ${FILE_COLUMNS} FROM symbol_files s JOIN symbol_folders f ON f.id = s.folder_id WHERE s.folder_id = ?`).all(folderId) as FileRow[]
    ).map(recordOf);
  }

  private save(id: number, scan: FolderScan): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM symbol_files WHERE folder_id = ?`).run(id);
      this.write(id, scan);
    })();
  }

  private write(id: number, scan: FolderScan): void {
    const ins = this.db.prepare(
      `INSERT OR REPLACE INTO symbol_files (folder_id, path, build_id, name, layout, kind, size, mtime_ms, has_symtab, has_dwarf, has_lines, debug_link)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const f of scan.files) {
      ins.run(id, f.path, f.buildId, f.name, f.layout, f.kind, f.size, f.mtimeMs, f.hasSymtab ? 1 : 0, f.hasDwarf ? 1 : 0, f.hasLines ? 1 : 0, f.debugLink);
    }
    this.db
      .prepare(`UPDATE symbol_folders SET scanned_at = ?, fingerprint = ?, file_count = ?, truncated = ?, warnings_json = ? WHERE id = ?`)
      .run(this.now().toISOString(), scan.fingerprint, scan.files.length, scan.truncated ? 1 : 0, JSON.stringify(scan.warnings.slice(0, 50)), id);
  }
}
