// The one implementation of shared/api.ts. Every door (IPC, HTTP, CLI) calls this.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type Api,
  type ApiEvents,
  type CaptureDumpArgs,
  type CaptureResult,
  type CoredumpListing,
  type DirectoryListing,
  type DumpRef,
  type ListDirectoryArgs,
  type ListProcessesArgs,
  type OpenDumpArgs,
  type ProcessEntry,
  type StacksArgs,
  type SymbolFolder,
} from '../../shared/api';
import { type DumpFileStatus, type DumpSummary, type LockGraph, type MappingInfo, type ModuleInfo, type ModuleSymbolStatus, type ThreadInfo, type ThreadStack } from '../../shared/types';
import { createHash } from 'node:crypto';
import { SymbolFolderStore, type SymbolFolderInfo } from '../core/symbols';
import { ENGINE_VERSION } from '../core/analysis';
import { readElfHeader, readProgramHeaders, ElfConstants, fingerprintFile } from '../core/elf';
import {
  attributeToOriginal,
  captureDumps,
  discardFailedCopy,
  DumpOrigins,
  formatBytes,
  isInCache,
  listCoredumps,
  listProcesses,
  prepareDumpFile,
  type PreparedDump,
} from '../core/capture';
import { DumpscopeError } from '../core/errors';
import { OpenDumps } from '../core/disasm';
import { type DisassembleArgs, type SearchArgs } from '../../shared/api';
import { type Disassembly, type SearchResults } from '../../shared/types';
import { BUSY_TIMEOUT_MS, DumpIndex, isBusyError } from '../core/index';
import { FileSource } from '../core/io';
import { InlineRunner, type AnalysisRunner } from './runner';
import { compareDumps as compareTwo, type CompareSide } from '../core/compare';
import { renderReport, selectTranscriptExcerpts, type ReportInput } from '../core/report';
import { type CompareDumpsArgs, type ExportReportArgs } from '../../shared/api';
import { type DumpComparison, type ExportedReport } from '../../shared/types';
import { listDirectory } from './file-browser';
import { readTranscriptFile } from '../core/dotnet';
import { DotnetService } from './dotnet-service';
import { type EnginePaths } from '../core/engines';
import { type EngineCommandArgs, type EngineRunArgs, type ImportTranscriptArgs, type ImportTranscriptFileArgs, type TranscriptImport } from '../../shared/api';
import { type DotnetAnalysis, type DotnetInfo, type EngineCommandResult, type EngineName, type EngineStatus, type TranscriptInfo, type TranscriptText } from '../../shared/types';
import { findSampleDir, unpackSample } from './sample-dump';

export type EmitFn = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => void;

export interface ServiceOptions {
  indexPath: string;
  runner?: AnalysisRunner;
  emit?: EmitFn;
  /** Where the bundled sample dump lives (resources/sample); found by walking up when absent. */
  sampleDir?: string | null;
  /** Debuggers at configured paths (else DUMPSCOPE_LLDB / DUMPSCOPE_GDB / DUMPSCOPE_DOTNET_DUMP, else PATH). */
  enginePaths?: EnginePaths;
}

let jobCounter = 0;

export class DumpscopeService implements Api {
  readonly index: DumpIndex;
  private readonly runner: AnalysisRunner;
  private readonly emit: EmitFn;
  private readonly jobs = new Map<string, AbortController>();
  private readonly sampleDir: string | null;
  /** Where compressed cores are decompressed to, and what they were (core/capture). */
  private readonly origins: DumpOrigins;
  private readonly cacheDir: string;
  /** User symbol folders, persisted in the index. */
  readonly symbolFolders: SymbolFolderStore;
  /** Dumps reopened to read their code (disassemble): the last few stay open. */
  private readonly codeViews = new OpenDumps(4);
  /** Transcripts, the .NET analysis and the debuggers' sessions (main/api/dotnet-service.ts). */
  private readonly dotnet: DotnetService;

  constructor(opts: ServiceOptions) {
    this.index = DumpIndex.open(opts.indexPath);
    this.runner = opts.runner ?? new InlineRunner();
    this.emit = opts.emit ?? (() => {});
    this.sampleDir = opts.sampleDir === undefined ? findSampleDir() : opts.sampleDir;
    this.origins = new DumpOrigins(this.index.db);
    this.cacheDir = path.join(path.dirname(this.index.file), 'decompressed');
    this.symbolFolders = new SymbolFolderStore(this.index.db);
    this.dotnet = new DotnetService({
      index: this.index,
      symbolFolders: this.symbolFolders,
      enginePaths: opts.enginePaths,
      write: (what, fn) => this.write(what, fn),
      indexChanged: (dumpId) => this.emit('indexChanged', { dumpId }),
      job: (jobId, prefix) => {
        const id = jobId ?? `${prefix}-${++jobCounter}`;
        const controller = new AbortController();
        this.jobs.set(id, controller);
        return { controller, done: () => this.jobs.delete(id) };
      },
    });
  }

  /**
   * The symbol folders' current state as one key (rescanning folders that changed). A dump
   * indexed under another key is re-symbolized on its next open.
   */
  private symbolsKey(): string {
    this.write('rescan the symbol folders', () => this.symbolFolders.rescanIfChanged());
    const folders = this.symbolFolders.list();
    if (folders.length === 0) return '';
    return createHash('sha256')
      .update(JSON.stringify(folders.map((f) => [f.path, f.fingerprint])))
      .digest('hex')
      .slice(0, 16);
  }

  /**
   * A write to the index. Another process (a second CLI, the app) may hold the write lock: past
   * the busy timeout that is a clear IndexBusy error, never an internal one.
   */
  private write<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (!isBusyError(e)) throw e;
      throw new DumpscopeError('IndexBusy', `${this.index.file}: could not ${what}: the index is busy (another dumpscope kept it locked for more than ${BUSY_TIMEOUT_MS / 1000} s); try again`, {
        file: this.index.file,
      });
    }
  }

  async close(): Promise<void> {
    for (const c of this.jobs.values()) c.abort();
    await this.dotnet.close();
    await this.runner.close?.();
    this.codeViews.close();
    this.index.close();
  }

  async openDump(args: OpenDumpArgs): Promise<DumpSummary> {
    const jobId = args.jobId ?? `open-${++jobCounter}`;
    // One controller for the whole job, registered before the first await, so a cancel that
    // arrives at any point (decompressing, analysing) reaches it.
    const controller = new AbortController();
    this.jobs.set(jobId, controller);
    try {
      // A compressed core (.zst from systemd-coredump, .gz, .xz, .lz4) is decompressed once into
      // a cache next to the index; the index remembers the file the user opened.
      const prepared = await this.prepareDump(path.resolve(args.path), jobId, controller);
      try {
        const summary = await this.openIndexed({ ...args, path: prepared.path, jobId }, controller);
        this.write(`record where ${prepared.path} came from`, () => this.origins.record(prepared));
        return this.origins.annotate(summary);
      } catch (e) {
        discardFailedCopy(e, prepared);
        throw attributeToOriginal(e, prepared);
      }
    } finally {
      if (this.jobs.get(jobId) === controller) this.jobs.delete(jobId);
    }
  }

  private async prepareDump(file: string, jobId: string, controller: AbortController): Promise<PreparedDump> {
    return await prepareDumpFile(file, {
      cacheDir: this.cacheDir,
      signal: controller.signal,
      onProgress: (p) =>
        this.emit('progress', {
          jobId,
          phase: 'decompress',
          done: p.read,
          total: p.total,
          message: `Decompressing ${path.basename(p.file)} (${p.kind}): ${formatBytes(p.written)} written`,
        }),
    });
  }

  private async openIndexed(args: OpenDumpArgs, controller: AbortController): Promise<DumpSummary> {
    const dumpPath = path.resolve(args.path);
    const jobId = args.jobId ?? `open-${++jobCounter}`;
    const existing = this.index.findByPath(dumpPath);
    const symbolsKey = this.symbolsKey();
    if (existing && !args.force && existing.engineVersion === ENGINE_VERSION && existing.symbolsKey === symbolsKey && isUnchanged(dumpPath, existing.summary)) {
      this.index.touch(existing.summary.id);
      return { ...this.index.get(existing.summary.id), fromIndex: true, status: 'ok' };
    }
    if (controller.signal.aborted) throw new DumpscopeError('Cancelled', `${dumpPath}: cancelled`, { file: dumpPath });
    const record = await this.runner.analyze({ path: dumpPath, partial: args.partial ?? false, indexPath: this.index.file, symbolsKey }, (phase, done, total, message) =>
      this.emit('progress', { jobId, phase, done, total, message }), controller.signal);
    if (controller.signal.aborted) throw new DumpscopeError('Cancelled', `${dumpPath}: cancelled`, { file: dumpPath });
    this.emit('progress', { jobId, phase: 'indexing', done: 0, total: 1, message: 'Writing the index' });
    const id = this.index.store(record);
    this.emit('progress', { jobId, phase: 'done', done: 1, total: 1, message: 'Indexed' });
    this.emit('indexChanged', { dumpId: id });
    return { ...this.index.get(id), fromIndex: false, status: 'ok' };
  }

  async listDumps(_args: Record<string, never> = {}): Promise<DumpSummary[]> {
    return this.index.list().map((s) => this.origins.annotate({ ...s, status: fileStatus(s) }));
  }

  async removeDump(args: DumpRef): Promise<{ removed: boolean }> {
    let cached: DumpSummary | null = null;
    try {
      cached = this.index.get(args.dumpId);
    } catch {
      // unknown id: remove() answers false below
    }
    const removed = this.write(`remove dump ${args.dumpId}`, () => this.index.remove(args.dumpId));
    this.codeViews.forget(`${args.dumpId}:`);
    if (removed && cached && isInCache(cached.path, this.cacheDir)) {
      // the decompressed copy is ours, not the user's file: remove it with its row
      this.origins.forget(cached.path);
      fs.rmSync(cached.path, { force: true });
    }
    if (removed) this.emit('indexChanged', { dumpId: null });
    return { removed };
  }

  async listThreads(args: DumpRef): Promise<ThreadInfo[]> {
    return this.dotnet.threadsOf(args.dumpId, this.index.threads(args.dumpId));
  }

  async listModules(args: DumpRef): Promise<ModuleInfo[]> {
    return this.index.modules(args.dumpId);
  }

  async listMappings(args: DumpRef): Promise<MappingInfo[]> {
    return this.index.mappings(args.dumpId);
  }

  async cancelJob(args: { jobId: string }): Promise<{ cancelled: boolean }> {
    const c = this.jobs.get(args.jobId);
    if (!c) return { cancelled: false };
    c.abort();
    return { cancelled: true };
  }

  async listDirectory(args: ListDirectoryArgs): Promise<DirectoryListing> {
    return listDirectory(args);
  }

  async openSample(args: { jobId?: string }): Promise<DumpSummary> {
    const core = unpackSample(this.sampleDir, path.dirname(this.index.file));
    return this.openDump({ path: core, jobId: args.jobId });
  }

  async listProcesses(args: ListProcessesArgs): Promise<ProcessEntry[]> {
    return listProcesses(args);
  }

  async captureDump(args: CaptureDumpArgs): Promise<CaptureResult> {
    const jobId = args.jobId ?? `capture-${++jobCounter}`;
    const controller = new AbortController();
    this.jobs.set(jobId, controller);
    try {
      const outDir = path.resolve(args.outDir ?? path.join(path.dirname(this.index.file), 'captures'));
      return await captureDumps(
        { pid: args.pid, outDir, type: args.type, twice: args.twice, intervalMs: args.intervalMs },
        {
          signal: controller.signal,
          progress: (p) => this.emit('progress', { jobId, ...p }),
          // each dump is indexed as soon as it is written, under its own job id
          open: async (dumpPath, n) => {
            const openJob = `${jobId}:index-${n}`;
            const cancel = () => void this.cancelJob({ jobId: openJob });
            controller.signal.addEventListener('abort', cancel);
            try {
              return await this.openDump({ path: dumpPath, jobId: openJob });
            } finally {
              controller.signal.removeEventListener('abort', cancel);
            }
          },
          // the two dumps of --twice, compared (issue 7)
          compare: (a, b) => this.compareDumps({ dumpA: a.id, dumpB: b.id }),
        },
      );
    } finally {
      this.jobs.delete(jobId);
    }
  }

  async listCoredumps(_args: Record<string, never> = {}): Promise<CoredumpListing> {
    return listCoredumps();
  }

  async getStacks(args: StacksArgs): Promise<ThreadStack[]> {
    const stacks = this.index.stacks(args.dumpId, args.tid);
    if (args.tid !== undefined && stacks.length === 0) {
      throw new DumpscopeError('UnknownThread', `dump ${args.dumpId} has no thread with tid ${args.tid}`, { where: 'getStacks' });
    }
    // Managed frames from clrstack transcripts merged in by stack pointer (native stacks otherwise).
    return this.dotnet.stacksOf(args.dumpId, stacks, args.tid);
  }

  async getLocks(args: DumpRef): Promise<LockGraph> {
    // The runtime-aware graph when .NET rules or transcripts add to the native one.
    return this.dotnet.locksOf(args.dumpId, this.index.locks(args.dumpId));
  }

  async importTranscript(args: ImportTranscriptArgs): Promise<TranscriptImport> {
    return this.dotnet.importTranscript(args);
  }

  async listTranscripts(args: { dumpId?: number }): Promise<TranscriptInfo[]> {
    return this.dotnet.listTranscripts(args);
  }

  async getTranscript(args: { transcriptId: number }): Promise<TranscriptText> {
    return this.dotnet.getTranscript(args);
  }

  async removeTranscript(args: { transcriptId: number }): Promise<{ removed: boolean }> {
    return this.dotnet.removeTranscript(args);
  }

  async importTranscriptFile(args: ImportTranscriptFileArgs): Promise<TranscriptImport> {
    const file = path.resolve(args.path);
    const text = readTranscriptFile(file);
    return this.importTranscript({ text, name: path.basename(file), dumpId: args.dumpId, host: args.host });
  }

  async recordConsole(args: { dumpId: number; command: string; output: string }): Promise<{ transcriptId: number }> {
    return this.dotnet.recordConsole(args);
  }

  async analyzeTranscripts(args: { transcriptIds: number[]; dumpId?: number }): Promise<DotnetAnalysis> {
    return this.dotnet.analyzeTranscripts(args);
  }

  async getDotnetAnalysis(args: DumpRef): Promise<DotnetAnalysis> {
    return this.dotnet.getDotnetAnalysis(args);
  }

  async getDotnetInfo(args: DumpRef): Promise<DotnetInfo> {
    return this.dotnet.getDotnetInfo(args);
  }

  async listEngines(args: Record<string, never> = {}): Promise<EngineStatus[]> {
    return this.dotnet.listEngines(args);
  }

  async runEngineBatch(args: EngineRunArgs): Promise<TranscriptImport> {
    return this.dotnet.runEngineBatch(args);
  }

  async runEngineCommand(args: EngineCommandArgs): Promise<EngineCommandResult> {
    return this.dotnet.runEngineCommand(args);
  }

  async closeEngineSession(args: { dumpId: number; engine: EngineName }): Promise<{ closed: boolean }> {
    return this.dotnet.closeEngineSession(args);
  }

  async listModuleSymbols(args: DumpRef): Promise<ModuleSymbolStatus[]> {
    return this.index.moduleSymbols(args.dumpId);
  }

  async compareDumps(args: CompareDumpsArgs): Promise<DumpComparison> {
    sameDumpRefused(args.dumpA, args.dumpB);
    return compareTwo(await this.compareSide(args.dumpA), await this.compareSide(args.dumpB));
  }

  /** One dump as core/compare and reports take it: what the API shows (managed identities, merged stacks, the runtime-aware graph). */
  private async compareSide(dumpId: number): Promise<CompareSide> {
    const dump = this.origins.annotate(this.index.get(dumpId));
    return {
      dump,
      threads: await this.listThreads({ dumpId }),
      stacks: await this.getStacks({ dumpId }),
      locks: await this.getLocks({ dumpId }),
      modules: this.index.modules(dumpId),
      capturedAtMs: capturedAt(dump),
    };
  }

  async exportReport(args: ExportReportArgs): Promise<ExportedReport> {
    const side = await this.compareSide(args.dumpId);
    let comparison: DumpComparison | null = null;
    if (args.compareWith !== undefined) {
      sameDumpRefused(args.dumpId, args.compareWith);
      const other = await this.compareSide(args.compareWith);
      // The older dump is A, so "new" and "exited" read forwards in time.
      const [a, b] = (other.capturedAtMs ?? Infinity) < (side.capturedAtMs ?? Infinity) ? [other, side] : [side, other];
      comparison = compareTwo(a, b);
    }
    const input: ReportInput = {
      dump: side.dump,
      threads: side.threads,
      stacks: side.stacks,
      locks: side.locks,
      modules: this.index.moduleSymbols(args.dumpId),
      comparison,
      // The transcript blocks that support the verdict: syncblk, and stacks and identity tables
      // that mention the threads in the verdict's cycles and chains.
      transcripts: selectTranscriptExcerpts(
        // The built-in console's answers are our own output, not evidence: only debugger text.
        await Promise.all(
          (await this.listTranscripts({ dumpId: args.dumpId })).filter((t) => t.source !== 'console').map((t) => this.getTranscript({ transcriptId: t.id })),
        ),
        involvedThreads(side.threads, side.locks),
      ),
      generatedAt: new Date().toISOString(),
      generator: `dumpscope (analysis engine ${ENGINE_VERSION})`,
    };
    return renderReport(input, args.format);
  }

  async listSymbolFolders(_args: Record<string, never> = {}): Promise<SymbolFolder[]> {
    return this.symbolFolders.list().map(folderOf);
  }

  async addSymbolFolder(args: { path: string }): Promise<SymbolFolder> {
    const dir = path.resolve(args.path);
    let st: fs.Stats;
    try {
      st = fs.statSync(dir);
    } catch {
      throw new DumpscopeError('FileNotFound', `${dir}: no such folder`, { file: dir });
    }
    if (!st.isDirectory()) throw new DumpscopeError('NotAFile', `${dir}: is not a folder`, { file: dir });
    return folderOf(this.write(`add the symbol folder ${dir}`, () => this.symbolFolders.add(dir)));
  }

  async removeSymbolFolder(args: { path: string }): Promise<{ removed: boolean }> {
    return { removed: this.write('remove a symbol folder', () => this.symbolFolders.remove(path.resolve(args.path))) };
  }

  async disassemble(args: DisassembleArgs): Promise<Disassembly> {
    const dump = this.index.get(args.dumpId);
    // A dump re-indexed in place (re-symbolized) may keep its id: the time it was indexed names
    // the symbols it was read with.
    const view = this.codeViews.view({
      key: `${dump.id}:${dump.indexedAt}`,
      path: dump.path,
      folders: this.symbolFolders,
      allowTruncated: true,
      expect: { size: dump.size, mtimeMs: dump.mtimeMs },
    });
    return view.disassemble({ pc: BigInt(args.pc), before: args.before ?? 8, after: args.after ?? 8, syntax: args.syntax ?? 'att', returnAddress: args.returnAddress ?? false });
  }

  async search(args: SearchArgs): Promise<SearchResults> {
    const started = performance.now();
    const r = this.index.search(args.query, { limit: args.limit ?? 200, perDump: args.perDump ?? 50, kinds: args.kinds });
    const dumps = new Map((await this.listDumps({})).map((d) => [d.id, d]));
    for (const g of r.groups) g.dump.originalPath = dumps.get(g.dump.id)?.originalPath ?? null;
    return { ...r, elapsedMs: Math.round(performance.now() - started) };
  }
}

/** A dump compared with itself would call every thread stuck: refuse it. */
function sameDumpRefused(a: number, b: number): void {
  if (a === b) throw new DumpscopeError('BadRequest', `compare: both sides are dump ${a}; compare two dumps taken at different times`, { where: 'compare' });
}

/**
 * When a dump was taken: its file's modification time (gcore and the runtimes write no time
 * note). For a compressed core, the time of the file the user opened — the decompressed copy
 * is as old as its decompression.
 */
function capturedAt(d: DumpSummary): number | null {
  if (!d.originalPath) return d.mtimeMs;
  try {
    return fs.statSync(d.originalPath).mtimeMs;
  } catch {
    return null;
  }
}

/** The threads a verdict is about: those in cycles (proven or likely) and in wait chains. */
function involvedThreads(threads: readonly ThreadInfo[], locks: LockGraph): { tid: number; osid: string; index: number }[] {
  const tids = new Set<number>([...locks.cycles.flat(), ...locks.chains.flatMap((c) => c.tids), ...(locks.likelyCycles ?? []).flat()]);
  return threads.filter((t) => tids.has(t.tid)).map((t) => ({ tid: t.tid, osid: t.osid, index: t.index }));
}

function folderOf(f: SymbolFolderInfo): SymbolFolder {
  return { path: f.path, addedAt: f.addedAt, scannedAt: f.scannedAt, fileCount: f.fileCount, truncated: f.truncated, warnings: f.warnings };
}

/**
 * True when the file on disk is the one indexed: same size and mtime, and the same fingerprint
 * (headers and notes), so a file rewritten in place is caught. Reads a few KiB.
 */
function isUnchanged(dumpPath: string, s: DumpSummary): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(dumpPath);
  } catch {
    return false; // let the analysis report the missing file
  }
  if (st.size !== s.size || st.mtimeMs !== s.mtimeMs) return false;
  return fingerprintOf(dumpPath) === s.fingerprint;
}

/**
 * Whether an indexed dump's file is still the one indexed, cheaply enough to ask for every row
 * of a listing: a stat, and the fingerprint (a few hundred KiB) only when size or mtime differ
 * (a copy or a `touch` keeps the contents, so it is still `ok`).
 */
export function fileStatus(s: Pick<DumpSummary, 'path' | 'size' | 'mtimeMs' | 'fingerprint'>): DumpFileStatus {
  let st: fs.Stats;
  try {
    st = fs.statSync(s.path);
  } catch {
    return 'missing';
  }
  if (!st.isFile()) return 'missing';
  if (st.size === s.size && st.mtimeMs === s.mtimeMs) return 'ok';
  return st.size === s.size && fingerprintOf(s.path) === s.fingerprint ? 'ok' : 'changed';
}

/** The fingerprint the analysis stores (headers, notes, last 64 KiB), or null when unreadable. */
function fingerprintOf(dumpPath: string): string | null {
  let src: FileSource | null = null;
  try {
    src = FileSource.open(dumpPath);
    const h = readElfHeader(src, { expectCore: true });
    const notes = readProgramHeaders(src, h)
      .filter((p) => p.type === ElfConstants.PT_NOTE)
      .map((p) => ({ offset: p.offset, size: p.filesz }));
    return fingerprintFile(src, notes);
  } catch {
    return null;
  } finally {
    src?.close();
  }
}
