// Per-module resolution: for one module of a dump, find the code file (the file the process
// mapped, or a copy of it with the same build-id) and the best symbol file (the code file
// itself, or a separate debug file by build-id or .gnu_debuglink), recording where each came
// from, what was rejected and why, and the quality reached. Then `lookup(pc)` turns a runtime
// address into function + offset, file:line:column and the inline frames at that pc.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CoreDump, type CoreModule, type MemoryReader, type ModuleFileChoice } from '../elf';
import { buildIdPaths, DEFAULT_DEBUG_DIRS, debugLinkCandidates, inspectElf, verifyDebugCandidate, type ElfFileInfo } from './debug-files';
import { type DwarfInfo } from './dwarf-info';
import { SymbolFile } from './symbol-file';
import { type SymbolMatch } from './symbol-table';
import { DEFAULT_SCAN_LIMITS, probeFolder, stripDebugSuffix, SymbolFolderIndex, type FolderLayout, type SymbolFileIndex, type SymbolFileRecord } from './symbol-folders';

export type SymbolQuality = 'none' | 'dynsym' | 'symtab' | 'dwarf';

/** How a file was found. */
export type FoundBy =
  | 'module-path' // the path the process mapped (NT_FILE), on this machine
  | 'symbol-folder' // a user symbol folder, by build-id (any layout)
  | 'dump-folder' // the dump's own folder
  | 'debug-dir-build-id' // <debug dir>/.build-id/…
  | 'debuglink' // .gnu_debuglink next to the module, in .debug/, or under a debug dir
  | 'code-file' // the symbol file is the code file itself
  | 'memory'; // read from the dump (the vDSO)

export interface FileChoice {
  path: string;
  foundBy: FoundBy;
  /** The symbol folder, for files found in one. */
  folder?: string;
  layout?: FolderLayout;
  buildId: string | null;
  /** True when the file's build-id equals the dump's (or the CRC matched a debuglink). */
  verified: boolean;
}

export interface ModuleResolution {
  /** The module path as mapped. */
  module: string;
  name: string;
  buildId: string | null;
  /** False when the dump records no build-id for the module (memory missing): matches are by name or path only. */
  buildIdFromDump: boolean;
  codeFile: FileChoice | null;
  /** Why no code file, when codeFile is null. */
  codeFileMissing: string | null;
  symbolFile: FileChoice | null;
  symbolFileMissing: string | null;
  quality: SymbolQuality;
  /** DWARF line tables available. */
  hasLines: boolean;
  /** Every candidate considered and rejected, and other facts worth showing. */
  notes: string[];
}

export interface ResolveContext {
  /** User symbol folders: a store, an index, or a list of folder paths (scanned once). */
  folders?: SymbolFileIndex | readonly string[];
  /** The dump's folder: always searched (flat, shallow). */
  dumpDir?: string | null;
  /** Global debug directories; default ['/usr/lib/debug']. */
  debugDirs?: readonly string[];
  /** A root to prefix module paths with (a dump from another machine with its files copied). */
  sysroot?: string | null;
  /** The dump's memory, to read the vDSO's symbols. */
  memory?: MemoryReader | null;
  /** Look at the module's own path on this machine (default true). */
  useModulePaths?: boolean;
}

export interface SourceLocation {
  /** As gdb prints it. */
  file: string;
  fullPath: string;
  line: number;
  column: number;
}

export interface InlineFrame {
  /** The inlined function. */
  function: string | null;
  rawName: string | null;
  /** Where execution is inside that function (for the innermost: the pc's line). */
  file: string | null;
  fullPath: string | null;
  line: number | null;
  column: number | null;
}

export interface SymbolLookup {
  /** Module file name (lldb's `module` in module`function + offset). */
  module: string;
  /** The real (outermost) function's display name, demangled. */
  function: string | null;
  rawName: string | null;
  /** Every symbol name at the function's address (aliases). */
  aliases: string[];
  /**
   * The real function's name in the debug information (DW_TAG_subprogram), which gdb's
   * backtrace shows (`___pthread_mutex_lock` where the symbol table's display name is
   * `pthread_mutex_lock`); null without DWARF.
   */
  debugFunction: string | null;
  /** pc minus the function's start. */
  offset: bigint | null;
  /** Runtime address of the function's start. */
  functionAddress: bigint | null;
  /** pc minus the module's base (file offset 0's address). */
  moduleOffset: bigint;
  /** Where execution is in the real function: the pc's line, or the call site of the outermost inlined call. */
  file: string | null;
  fullPath: string | null;
  line: number | null;
  column: number | null;
  /** Inlined calls active at the pc, innermost first (gdb shows each as a frame above the real one). */
  inlined: InlineFrame[];
  /** What answered the function name. */
  source: 'symtab' | 'dynsym' | 'dwarf' | 'none';
}

export interface LookupOptions {
  /**
   * The pc is a return address (every frame but the innermost, unless it was interrupted by a
   * signal): look up pc - 1 so a call at the very end of a function is attributed to it and
   * its line, as debuggers do. The offset stays relative to pc.
   */
  returnAddress?: boolean;
}

const MAX_LOOKUP_CACHE = 100_000;
const MAX_VDSO_BYTES = 1 << 20;

/** Symbols of one module of one dump. Lookups never throw; missing pieces give nulls. */
export class ModuleSymbols {
  private readonly cache = new Map<string, SymbolLookup>();

  constructor(
    readonly module: CoreModule,
    readonly resolution: ModuleResolution,
    private readonly code: SymbolFile | null,
    private readonly sym: SymbolFile | null,
  ) {}

  /** The chosen code file (for .eh_frame and code bytes), or null. */
  get codeFilePath(): string | null {
    return this.code && this.resolution.codeFile?.foundBy !== 'memory' ? this.code.path : null;
  }

  /** The chosen symbol file (a separate debug file, or the code file itself), e.g. for .debug_frame. */
  get symbolFilePath(): string | null {
    return this.sym && this.resolution.symbolFile?.foundBy !== 'memory' ? this.sym.path : null;
  }

  get quality(): SymbolQuality {
    return this.resolution.quality;
  }

  /** Link-time address of a runtime pc in this module. */
  linkAddress(pc: bigint): bigint {
    return pc - this.module.loadBias;
  }

  /** The runtime address of a raw symbol name (any alias), or null. */
  addressOf(rawName: string): bigint | null {
    for (const t of [this.sym?.symtab, this.code?.symtab, this.code?.dynsym]) {
      const a = t?.addressOf(rawName);
      if (a !== null && a !== undefined) return a + this.module.loadBias;
    }
    return null;
  }

  /** The data object (global or static variable) at a runtime address, or null. */
  lookupData(addr: bigint): { name: string; rawName: string; start: bigint; size: bigint } | null {
    for (const f of [this.sym, this.code]) {
      const m = f?.dataSymbols?.lookup(addr - this.module.loadBias);
      if (m) return { name: m.name, rawName: m.rawName, start: m.address + this.module.loadBias, size: m.size };
    }
    return null;
  }

  lookup(pc: bigint, opts: LookupOptions = {}): SymbolLookup {
    const key = opts.returnAddress ? `r${pc}` : `${pc}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let out: SymbolLookup;
    try {
      out = this.compute(pc, opts.returnAddress === true);
    } catch (e) {
      // A bug or an unforeseen corruption: degrade to module + offset, with a note.
      if (this.resolution.notes.length < 200) this.resolution.notes.push(`lookup of 0x${pc.toString(16)} failed: ${(e as Error).message}`);
      out = this.bare(pc);
    }
    if (this.cache.size >= MAX_LOOKUP_CACHE) this.cache.clear();
    this.cache.set(key, out);
    return out;
  }

  private bare(pc: bigint): SymbolLookup {
    return {
      module: this.module.name,
      function: null,
      rawName: null,
      aliases: [],
      debugFunction: null,
      offset: null,
      functionAddress: null,
      moduleOffset: pc - this.module.base,
      file: null,
      fullPath: null,
      line: null,
      column: null,
      inlined: [],
      source: 'none',
    };
  }

  private compute(pc: bigint, returnAddress: boolean): SymbolLookup {
    const out = this.bare(pc);
    const bias = this.module.loadBias;
    const link = pc - bias - (returnAddress ? 1n : 0n);
    if (link < 0n || link > BigInt(Number.MAX_SAFE_INTEGER)) return out;
    const addr = Number(link);

    let match: SymbolMatch | null = null;
    for (const t of [this.sym?.symtab, this.code?.symtab, this.code?.dynsym]) {
      if (!t) continue;
      match = t.lookup(link);
      if (match) break;
    }
    if (match) {
      out.function = match.name;
      out.rawName = match.rawName;
      out.aliases = match.aliases;
      out.functionAddress = match.address + bias;
      out.offset = pc - out.functionAddress;
      out.source = match.table;
    }

    const dwarf: DwarfInfo | null = this.sym?.dwarf ?? null;
    if (!dwarf) return out;
    const table = dwarf.lineTableFor(addr);
    const row = table?.lookup(addr) ?? null;
    const loc = (t: typeof table, file: number, line: number, column: number): SourceLocation | null => {
      const f = t?.fileName(file) ?? null;
      return f ? { file: f.name, fullPath: f.fullPath, line, column } : null;
    };
    let here: SourceLocation | null = row ? loc(table, row.file, row.line, row.column) : null;

    const scopes = dwarf.scopesAt(addr);
    if (scopes && scopes.scopes.length > 0) {
      const chain = scopes.scopes;
      const outer = chain[0];
      out.debugFunction = outer.name;
      if (!match && outer.name) {
        out.function = outer.name;
        out.rawName = outer.linkageName ?? outer.name;
        out.aliases = [out.rawName];
        out.functionAddress = BigInt(outer.lowPc) + bias;
        out.offset = pc - out.functionAddress;
        out.source = 'dwarf';
      }
      // Inline frames, innermost first: each is at `here`, and its call site is where the
      // next one out is.
      const unitTable = scopes.callFiles;
      for (let k = chain.length - 1; k >= 1; k--) {
        const s = chain[k];
        out.inlined.push({
          function: s.name,
          rawName: s.linkageName ?? s.name,
          file: here?.file ?? null,
          fullPath: here?.fullPath ?? null,
          line: here?.line ?? null,
          column: here?.column ?? null,
        });
        here = s.call ? loc(unitTable, s.call.file, s.call.line, s.call.column) : null;
      }
    }
    if (here) {
      out.file = here.file;
      out.fullPath = here.fullPath;
      out.line = here.line;
      out.column = here.column;
    }
    return out;
  }
}

/** `module`function + offset` as lldb prints a frame, with ` at file:line` when known. */
export function formatLookup(l: SymbolLookup): string {
  const fn = l.function === null ? `${l.module} + 0x${l.moduleOffset.toString(16)}` : `${l.module}\`${l.function}${l.offset ? ` + ${l.offset}` : ''}`;
  return l.file ? `${fn} at ${l.file}:${l.line}` : fn;
}

interface Candidate {
  file: SymbolFile;
  choice: FileChoice;
}

const dumpDirIndexes = new Map<string, SymbolFolderIndex>();

/** The dump folder's index: shallow and small, scanned once and refreshed when it changes. */
function dumpDirIndex(dir: string): SymbolFolderIndex {
  const abs = path.resolve(dir);
  let idx = dumpDirIndexes.get(abs);
  if (idx) idx.refresh();
  else {
    idx = new SymbolFolderIndex([abs], { ...DEFAULT_SCAN_LIMITS, maxDepth: 1, maxFiles: 5000, maxDirs: 200 });
    dumpDirIndexes.set(abs, idx);
  }
  return idx;
}

const folderListIndexes = new Map<string, SymbolFolderIndex>();

/** The index for the context's folders: a list is scanned once per process and refreshed when a folder changes. */
function folderIndex(ctx: ResolveContext): SymbolFileIndex | null {
  const f = ctx.folders;
  if (!f) return null;
  if (!Array.isArray(f)) return f as SymbolFileIndex;
  const list = (f as readonly string[]).map((x) => path.resolve(x));
  if (list.length === 0) return null;
  const key = list.join('\0');
  let idx = folderListIndexes.get(key);
  if (idx) idx.refresh();
  else {
    idx = new SymbolFolderIndex(list);
    if (folderListIndexes.size > 64) folderListIndexes.clear();
    folderListIndexes.set(key, idx);
  }
  return idx;
}

function qualityOf(info: ElfFileInfo): SymbolQuality {
  if (info.hasDwarf || info.hasLines) return 'dwarf';
  if (info.hasSymtab) return 'symtab';
  if (info.hasDynsym) return 'dynsym';
  return 'none';
}

const QUALITY_RANK: Record<SymbolQuality, number> = { none: 0, dynsym: 1, symtab: 2, dwarf: 3 };

function short(id: string): string {
  return id.length > 12 ? `${id.slice(0, 12)}…` : id;
}

/**
 * Resolves one module: finds its code file and best symbol file and returns its symbols.
 * Never throws: whatever is missing is recorded in `resolution`.
 */
export function resolveModule(mod: CoreModule, ctx: ResolveContext = {}, shared?: { folders: SymbolFileIndex | null; dump: SymbolFileIndex | null }): ModuleSymbols {
  const notes: string[] = [];
  const debugDirs = ctx.debugDirs ?? DEFAULT_DEBUG_DIRS;
  const folders = shared ? shared.folders : folderIndex(ctx);
  const dumpIdx = shared ? shared.dump : ctx.dumpDir ? dumpDirIndex(ctx.dumpDir) : null;
  const buildIdFromDump = mod.buildId !== null && mod.buildIdSource === 'memory';
  const wantId = mod.buildId;
  const cleanPath = mod.deleted ? mod.path.slice(0, -' (deleted)'.length) : mod.path;
  const res: ModuleResolution = {
    module: mod.path,
    name: mod.name,
    buildId: mod.buildId,
    buildIdFromDump,
    codeFile: null,
    codeFileMissing: null,
    symbolFile: null,
    symbolFileMissing: null,
    quality: 'none',
    hasLines: false,
    notes,
  };
  if (!mod.isElf) {
    res.codeFileMissing = `${mod.path} is not an ELF module`;
    res.symbolFileMissing = res.codeFileMissing;
    return new ModuleSymbols(mod, res, null, null);
  }
  if (mod.buildId && mod.buildIdSource === 'file') {
    notes.push(`the dump does not hold ${mod.name}'s build-id (its first page was not dumped); the build-id ${short(mod.buildId)} was read from ${cleanPath} on this machine, so matches are unverified`);
  } else if (!mod.buildId) {
    notes.push(`the dump records no build-id for ${mod.name}: files are matched by name and path only (unverified)`);
  }

  const tried = new Set<string>();
  const open = (p: string): SymbolFile | null => {
    const f = SymbolFile.open(p);
    if ('error' in f) {
      notes.push(f.error);
      return null;
    }
    return f;
  };
  /** Accepts a file whose build-id matches (or, with no build-id to compare, by name). */
  const consider = (p: string, foundBy: FoundBy, extra: { folder?: string; layout?: FolderLayout } = {}): Candidate | null => {
    const key = `${foundBy}\0${p}`;
    if (tried.has(key)) return null;
    tried.add(key);
    const f = open(p);
    if (!f) return null;
    if (wantId && f.info.buildId && f.info.buildId !== wantId) {
      const where = extra.folder ? ` in ${extra.folder}` : '';
      notes.push(`found ${path.basename(p)}${where} (${p}) but its build-id ${short(f.info.buildId)} differs from the dump's ${short(wantId)}; not used`);
      return null;
    }
    if (wantId && !f.info.buildId) {
      notes.push(`${p} has no build-id to compare with the dump's ${short(wantId)}; not used`);
      return null;
    }
    const verified = wantId !== null && f.info.buildId === wantId && buildIdFromDump;
    return { file: f, choice: { path: p, foundBy, ...extra, buildId: f.info.buildId, verified } };
  };

  // ---- the code file
  let code: Candidate | null = null;
  if (mod.kind === 'vdso') {
    const mem = ctx.memory;
    const size = mod.end - mod.start;
    if (mem && size > 0n && size <= BigInt(MAX_VDSO_BYTES)) {
      const buf = mem.read(mod.start, Number(size));
      const f = buf ? SymbolFile.fromBuffer('[vdso]', buf) : null;
      if (f) code = { file: f, choice: { path: '[vdso]', foundBy: 'memory', buildId: f.info.buildId, verified: true } };
    }
    if (!code) res.codeFileMissing = ctx.memory ? 'the vDSO image is not in the dump' : 'the vDSO is read from the dump, and no dump memory was given';
  } else {
    if (ctx.useModulePaths !== false) {
      const onDisk = ctx.sysroot ? path.join(ctx.sysroot, cleanPath) : cleanPath;
      if (mod.deleted) notes.push(`${cleanPath} was deleted while the process ran; looking for a copy with the same build-id`);
      if (!mod.deleted || ctx.sysroot) {
        if (fs.existsSync(onDisk)) code = consider(onDisk, 'module-path');
        else notes.push(`${onDisk}: not on this machine`);
      }
    }
    if (!code && wantId) code = findByBuildId(wantId, 'code');
    if (!code && !wantId) code = findByName(mod.name, 'code');
    if (!code) res.codeFileMissing = wantId ? `no file with build-id ${wantId} for ${mod.name} (searched the module path${folders ? ', symbol folders' : ''}${dumpIdx ? ', the dump folder' : ''} and ${debugDirs.join(', ')})` : `no file for ${mod.name}`;
  }
  res.codeFile = code?.choice ?? null;

  function findByBuildId(id: string, want: 'code' | 'debug'): Candidate | null {
    const okKind = (r: { kind: string; hasSymtab: boolean; hasDwarf: boolean }) => (want === 'code' ? r.kind !== 'debug-only' : r.hasSymtab || r.hasDwarf);
    // User folders first (they are what the user pointed us to), then the dump's folder, then system dirs.
    for (const [idx, foundBy] of [
      [folders, 'symbol-folder'],
      [dumpIdx, 'dump-folder'],
    ] as const) {
      if (!idx) continue;
      for (const r of idx.findByBuildId(id)) {
        if (!okKind(r)) continue;
        const c = consider(r.path, foundBy, { folder: r.folder, layout: r.layout });
        if (c) return c;
      }
      for (const folder of idx.folders()) {
        for (const p of probeFolder(folder, id, mod.name)) {
          const info = inspectElf(p.path);
          if (!info || !okKind(info)) continue;
          const c = consider(p.path, foundBy, { folder, layout: p.layout });
          if (c) return c;
        }
      }
    }
    for (const d of debugDirs) {
      const b = buildIdPaths(d, id);
      const p = want === 'code' ? b.code : b.debug;
      if (!fs.existsSync(p)) continue;
      const info = inspectElf(p);
      if (!info || !okKind(info)) continue;
      const c = consider(p, 'debug-dir-build-id', { folder: d, layout: 'build-id' });
      if (c) return c;
    }
    return null;
  }

  function findByName(name: string, want: 'code' | 'debug'): Candidate | null {
    for (const [idx, foundBy] of [
      [folders, 'symbol-folder'],
      [dumpIdx, 'dump-folder'],
    ] as const) {
      if (!idx) continue;
      for (const r of idx.findByName(name)) {
        if (want === 'code' ? r.kind === 'debug-only' : !r.hasSymtab && !r.hasDwarf) continue;
        const c = consider(r.path, foundBy, { folder: r.folder, layout: r.layout });
        if (c) {
          notes.push(`${r.path} matched ${name} by name only`);
          return c;
        }
      }
    }
    return null;
  }

  // ---- the symbol file: the best of the code file and separate debug files
  const pick: { best: Candidate | null; quality: SymbolQuality } = { best: null, quality: 'none' };
  const offer = (c: Candidate | null) => {
    if (!c) return;
    const q = qualityOf(c.file.info);
    if (QUALITY_RANK[q] > QUALITY_RANK[pick.quality]) {
      pick.best = c;
      pick.quality = q;
    }
  };
  if (code && (code.file.info.hasSymtab || code.file.info.hasDwarf)) {
    offer({ file: code.file, choice: { ...code.choice, foundBy: code.choice.foundBy === 'memory' ? 'memory' : 'code-file' } });
  }
  if (pick.quality !== 'dwarf' && wantId && mod.kind !== 'vdso') offer(findByBuildId(wantId, 'debug'));
  if (pick.quality !== 'dwarf' && code && code.choice.foundBy !== 'memory') {
    const link = code.file.debugLink();
    if (link) offer(findByDebugLink(code.choice.path, link.name, link.crc));
  }
  if (pick.quality !== 'dwarf' && !wantId && mod.kind !== 'vdso') offer(findByName(mod.name, 'debug'));

  function findByDebugLink(codePath: string, linkName: string, crc: number): Candidate | null {
    const paths = debugLinkCandidates(codePath, linkName, debugDirs);
    const found: { p: string; foundBy: FoundBy; folder?: string; layout?: FolderLayout }[] = paths.map((p) => ({ p, foundBy: 'debuglink' }));
    for (const [idx, foundBy] of [
      [folders, 'symbol-folder'],
      [dumpIdx, 'dump-folder'],
    ] as const) {
      if (!idx) continue;
      for (const r of idx.findByName(stripDebugSuffix(linkName))) if (path.basename(r.path) === linkName) found.push({ p: r.path, foundBy, folder: r.folder, layout: r.layout });
    }
    for (const f of found) {
      if (!fs.existsSync(f.p)) continue;
      const v = verifyDebugCandidate(f.p, { buildId: wantId, crc, modulePath: codePath });
      if (!v.ok) {
        notes.push(`.gnu_debuglink candidate rejected: ${v.reason}`);
        continue;
      }
      const c = consider(f.p, f.foundBy, { folder: f.folder, layout: f.layout });
      if (c) {
        c.choice.verified = true;
        return c;
      }
    }
    return null;
  }

  const chosen = pick.best;
  let bestQuality = pick.quality;
  if (code && code.file.info.hasDynsym && QUALITY_RANK[bestQuality] < QUALITY_RANK.dynsym) bestQuality = 'dynsym';
  res.symbolFile = chosen?.choice ?? null;
  res.quality = bestQuality;
  res.hasLines = chosen?.file.info.hasLines ?? false;
  if (!chosen) {
    res.symbolFileMissing =
      bestQuality === 'dynsym'
        ? `no .symtab or DWARF for ${mod.name}: only its exported (.dynsym) names are known${wantId ? `; a debug file with build-id ${wantId} would give more` : ''}`
        : `no symbols for ${mod.name}${wantId ? ` (no debug file with build-id ${wantId})` : ''}`;
  } else if (bestQuality !== 'dwarf') {
    notes.push(`no DWARF for ${mod.name}: no file:line${wantId ? `; a debug file with build-id ${short(wantId)} would give it` : ''}`);
  }
  // A dwz supplementary file holds names shared by several debug files.
  const dwarf = chosen?.file.dwarf ?? null;
  if (dwarf && !dwarf.alt) {
    const alt = chosen?.file.debugAltLink ?? null;
    if (alt) {
      // Where dwz and distributions put it: the recorded path (relative to the debug file),
      // then by build-id under the debug dirs (/usr/lib/debug/.build-id/xx/….debug).
      const altPaths = [path.resolve(path.dirname(chosen?.choice.path ?? '/'), alt.path), ...debugDirs.map((d) => buildIdPaths(d, alt.buildId).debug)];
      for (const p of altPaths) {
        const f = fs.existsSync(p) ? SymbolFile.open(p, { supplementary: true }) : null;
        if (f && !('error' in f) && f.info.buildId === alt.buildId && f.dwarf) {
          dwarf.alt = f.dwarf;
          break;
        }
      }
      if (!dwarf.alt) notes.push(`the dwz supplementary file ${alt.path} (build-id ${short(alt.buildId)}) was not found: some inline function names are missing`);
    }
  }
  return new ModuleSymbols(mod, res, code?.file ?? null, chosen?.file ?? code?.file ?? null);
}

/**
 * Symbols for all modules of a dump, resolved lazily (a module is resolved when a pc first
 * lands in it) with folder indexes shared between modules.
 */
export class DumpSymbols {
  private readonly resolved = new Map<CoreModule, ModuleSymbols>();
  private readonly starts: bigint[];
  private readonly sorted: CoreModule[];
  private readonly shared: { folders: SymbolFileIndex | null; dump: SymbolFileIndex | null };

  constructor(
    modules: readonly CoreModule[],
    private readonly ctx: ResolveContext = {},
  ) {
    this.sorted = [...modules].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    this.starts = this.sorted.map((m) => m.start);
    this.shared = { folders: folderIndex(ctx), dump: ctx.dumpDir ? dumpDirIndex(ctx.dumpDir) : null };
  }

  /** Symbols for an open dump: its modules, its folder (always searched) and its memory (the vDSO). */
  static forCore(core: CoreDump, ctx: Omit<ResolveContext, 'dumpDir' | 'memory'> = {}): DumpSymbols {
    return new DumpSymbols(core.modules, { ...ctx, dumpDir: path.dirname(core.path), memory: core.memory });
  }

  /**
   * For elf's attachModuleFiles: the file whose bytes are the module's — a code file whose
   * build-id matched the dump's, or, when the dump records none, the mapped path itself.
   */
  chooseCodeFile(mod: CoreModule): ModuleFileChoice | null {
    const c = this.forModule(mod).resolution.codeFile;
    if (!c || c.foundBy === 'memory') return null;
    return c.verified || c.foundBy === 'module-path' ? { path: c.path } : null;
  }

  /** The module whose mapped range holds an address. */
  moduleAt(pc: bigint): CoreModule | null {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] <= pc) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 4; i--) {
      const m = this.sorted[i];
      if (pc >= m.start && pc < m.end) return m;
    }
    return null;
  }

  /** The module's symbols, resolved on first use. */
  forModule(mod: CoreModule): ModuleSymbols {
    let s = this.resolved.get(mod);
    if (!s) {
      s = resolveModule(mod, this.ctx, this.shared);
      this.resolved.set(mod, s);
    }
    return s;
  }

  /** Symbolizes a runtime pc; null when no module maps it. */
  lookup(pc: bigint, opts: LookupOptions = {}): SymbolLookup | null {
    const m = this.moduleAt(pc);
    return m ? this.forModule(m).lookup(pc, opts) : null;
  }

  /** The data object at an address in any module's mapped range, or null. */
  lookupData(addr: bigint): { name: string; rawName: string; start: bigint; size: bigint } | null {
    const m = this.moduleAt(addr);
    return m && m.kind !== 'file' ? this.forModule(m).lookupData(addr) : null;
  }

  /** Resolutions of the modules resolved so far. */
  resolutions(): ModuleResolution[] {
    return [...this.resolved.values()].map((s) => s.resolution);
  }
}

export type { SymbolFileRecord };
