// The .NET part of the API implementation (DumpscopeService delegates to it): debugger
// transcripts in the index, the merged identity table and runtime-aware graph, managed frames in
// stacks, the runtime's modules and assemblies, and the debuggers run on a dump (batch runs and
// one interactive session per dump and engine, for the UI's console).
import * as fs from 'node:fs';
import { type EngineCommandArgs, type EngineRunArgs, type ImportTranscriptArgs, type TranscriptImport } from '../../shared/api';
import {
  type DebuggerHost,
  type DotnetAnalysis,
  type DotnetInfo,
  type EngineCommandResult,
  type EngineName,
  type EngineStatus,
  type LockGraph,
  type ManagedThreadInfo,
  type ThreadIdentityRow,
  type ThreadInfo,
  type ThreadStack,
  type TranscriptInfo,
  type TranscriptText,
} from '../../shared/types';
import { analyzeDotnet, commandsOf, mergeManagedStacks, openResume, parseTranscript, transcriptWarnings, type DotnetAnalysisResult, type DumpView, type ParsedTranscript, type ResumeHandle } from '../core/dotnet';
import { EngineSession, engineStatus, runBatch, sessionSpec, type EnginePaths } from '../core/engines';
import { DumpscopeError } from '../core/errors';
import { type DumpIndex, TranscriptStore, type TranscriptRow } from '../core/index';
import { type SymbolFolderStore } from '../core/symbols';

export interface DotnetServiceDeps {
  index: DumpIndex;
  symbolFolders: SymbolFolderStore;
  /** Registers a job so cancelJob can abort it; returns the controller and a function that unregisters it. */
  job(jobId: string | undefined, prefix: string): { controller: AbortController; done(): void };
  indexChanged(dumpId: number | null): void;
  write<T>(what: string, fn: () => T): T;
  enginePaths?: EnginePaths;
}

interface Cached<T> {
  key: string;
  value: T;
}

const BATCH_TIMEOUT_MS = 120_000;
const COMMAND_TIMEOUT_MS = 60_000;

function hostOf(text: string | undefined): DebuggerHost | undefined {
  return text === 'dotnet-dump' || text === 'lldb' || text === 'gdb' || text === 'windbg' ? text : undefined;
}

export class DotnetService {
  private readonly transcripts: TranscriptStore;
  private readonly parsed = new Map<number, Cached<ParsedTranscript>>();
  private readonly analyses = new Map<number, Cached<DotnetAnalysisResult>>();
  private readonly merged = new Map<number, Cached<ThreadStack[]>>();
  private readonly sessions = new Map<string, { session: EngineSession; transcriptId: number }>();
  private readonly starting = new Map<string, Promise<{ session: EngineSession; transcriptId: number }>>();

  constructor(private readonly deps: DotnetServiceDeps) {
    this.transcripts = new TranscriptStore(deps.index);
  }

  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.session.close()));
  }

  // ---- transcripts

  private parse(row: TranscriptRow): ParsedTranscript {
    const key = `${row.updatedAt}:${row.text.length}:${row.host}`;
    const c = this.parsed.get(row.id);
    if (c && c.key === key) return c.value;
    const value = parseTranscript(row.text, { host: hostOf(row.host) });
    this.parsed.set(row.id, { key, value });
    return value;
  }

  private info(row: TranscriptRow): TranscriptInfo {
    const p = this.parse(row);
    return {
      id: row.id,
      dumpId: row.dumpId,
      name: row.name,
      host: p.host === 'unknown' ? (hostOf(row.host) ?? 'unknown') : p.host,
      source: row.source === 'lldb' || row.source === 'gdb' || row.source === 'dotnet-dump' || row.source === 'console' ? row.source : 'import',
      mode: row.mode === 'batch' || row.mode === 'session' ? row.mode : 'text',
      commands: commandsOf(p),
      lineCount: p.lineCount,
      bytes: Buffer.byteLength(row.text),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      warnings: transcriptWarnings(p),
    };
  }

  async importTranscript(args: ImportTranscriptArgs): Promise<TranscriptImport> {
    if (args.text.trim() === '') throw new DumpscopeError('BadTranscript', `${args.name}: the transcript is empty`, { where: args.name });
    if (args.dumpId !== undefined) this.deps.index.get(args.dumpId);
    const parsed = parseTranscript(args.text, { host: args.host });
    const host = args.host ?? parsed.host;
    const { id } = this.deps.write('store the transcript', () =>
      this.transcripts.add({ dumpId: args.dumpId ?? null, name: args.name, source: 'import', mode: 'text', host, text: args.text }),
    );
    this.deps.indexChanged(args.dumpId ?? null);
    const row = this.transcripts.get(id);
    const transcript = this.info(row);
    if (args.dumpId !== undefined) return { transcript, ...this.analysis(args.dumpId) };
    const r = analyzeDotnet([this.parse(row)], null);
    return { transcript, transcripts: [transcript], threads: r.threads, locks: r.locks };
  }

  async listTranscripts(args: { dumpId?: number }): Promise<TranscriptInfo[]> {
    if (args.dumpId !== undefined) this.deps.index.get(args.dumpId);
    return this.transcripts.list(args.dumpId).map((r) => this.info(r));
  }

  async getTranscript(args: { transcriptId: number }): Promise<TranscriptText> {
    const row = this.transcripts.get(args.transcriptId);
    return { ...this.info(row), text: row.text };
  }

  async analyzeTranscripts(args: { transcriptIds: number[]; dumpId?: number }): Promise<DotnetAnalysis> {
    const rows = [...new Set(args.transcriptIds)].map((id) => this.transcripts.get(id));
    let dump: DumpView | null = null;
    if (args.dumpId !== undefined) {
      const summary = this.deps.index.get(args.dumpId);
      dump = { threads: this.deps.index.threads(args.dumpId), stacks: this.deps.index.stacks(args.dumpId), locks: this.deps.index.locks(args.dumpId), runtimeVersion: summary.runtime?.version ?? null };
    }
    const r = analyzeDotnet(
      rows.map((t) => this.parse(t)),
      dump,
    );
    return { transcripts: rows.map((t) => this.info(t)), threads: r.threads, locks: r.locks };
  }

  /**
   * Appends a command of the built-in console and its answer to the dump's console transcript
   * (created on first use), so the session persists in the index and is searchable.
   */
  async recordConsole(args: { dumpId: number; command: string; output: string }): Promise<{ transcriptId: number }> {
    this.deps.index.get(args.dumpId);
    const entry = `> ${args.command}\n${args.output.endsWith('\n') || args.output === '' ? args.output : `${args.output}\n`}`;
    const existing = this.transcripts.list(args.dumpId).find((t) => t.source === 'console' && t.mode === 'session');
    const transcriptId = this.deps.write('store the console session', () => {
      if (existing) {
        this.transcripts.update(existing.id, existing.text + entry, existing.host);
        return existing.id;
      }
      return this.transcripts.add({ dumpId: args.dumpId, name: 'dumpscope console', source: 'console', mode: 'session', host: 'unknown', text: entry }).id;
    });
    this.parsed.delete(transcriptId);
    this.deps.indexChanged(args.dumpId);
    return { transcriptId };
  }

  async removeTranscript(args: { transcriptId: number }): Promise<{ removed: boolean }> {
    let dumpId: number | null;
    try {
      dumpId = this.transcripts.get(args.transcriptId).dumpId;
    } catch {
      return { removed: false };
    }
    const removed = this.deps.write('remove the transcript', () => this.transcripts.remove(args.transcriptId));
    this.parsed.delete(args.transcriptId);
    if (removed) this.deps.indexChanged(dumpId);
    return { removed };
  }

  // ---- analysis

  /** What the analysis of a dump depends on: when it was indexed, and its transcripts' contents. */
  private stamp(dumpId: number): string {
    return `${this.deps.index.get(dumpId).indexedAt}|${this.transcripts.stamps(dumpId).join(',')}`;
  }

  private result(dumpId: number): DotnetAnalysisResult {
    const key = this.stamp(dumpId);
    const c = this.analyses.get(dumpId);
    if (c && c.key === key) return c.value;
    const summary = this.deps.index.get(dumpId);
    // The built-in console's answers come from this analysis: never evidence for it.
    const rows = this.transcripts.list(dumpId).filter((t) => t.source !== 'console');
    const r = analyzeDotnet(
      rows.map((t) => this.parse(t)),
      { threads: this.deps.index.threads(dumpId), stacks: this.deps.index.stacks(dumpId), locks: this.deps.index.locks(dumpId), runtimeVersion: summary.runtime?.version ?? null },
    );
    this.analyses.set(dumpId, { key, value: r });
    return r;
  }

  private analysis(dumpId: number): DotnetAnalysis {
    const r = this.result(dumpId);
    return { transcripts: this.transcripts.list(dumpId).map((t) => this.info(t)), threads: r.threads, locks: r.locks };
  }

  async getDotnetAnalysis(args: { dumpId: number }): Promise<DotnetAnalysis> {
    return this.analysis(args.dumpId);
  }

  /** Whether the .NET layer has anything to add to a dump's stored analysis. */
  private relevant(dumpId: number): boolean {
    return this.deps.index.get(dumpId).runtime !== null || this.transcripts.stamps(dumpId).length > 0;
  }

  /** The dump's threads, with what transcripts and runtime rules say about each. */
  threadsOf(dumpId: number, threads: ThreadInfo[]): ThreadInfo[] {
    if (!this.relevant(dumpId)) return threads;
    const r = this.result(dumpId);
    const rows = new Map(r.threads.threads.map((t) => [t.tid, t]));
    return threads.map((t) => {
      const row = rows.get(t.tid);
      const managed = row ? managedOf(row) : null;
      const name = t.name ?? row?.name ?? null;
      return managed === null && name === t.name ? t : { ...t, name, managed };
    });
  }

  /** The runtime-aware graph when a rule or a transcript adds to the dump's own. */
  locksOf(dumpId: number, native: LockGraph): LockGraph {
    if (!this.relevant(dumpId)) return native;
    const r = this.result(dumpId);
    return r.runtimeAware ? r.locks : native;
  }

  /** Native stacks with the managed frames of clrstack transcripts merged in. */
  stacksOf(dumpId: number, stacks: ThreadStack[], tid?: number): ThreadStack[] {
    if (this.transcripts.stamps(dumpId).length === 0) return stacks;
    const r = this.result(dumpId);
    if (r.managedStacks.length === 0) return stacks;
    const summary = this.deps.index.get(dumpId);
    const key = this.stamp(dumpId);
    let all: ThreadStack[];
    const c = this.merged.get(dumpId);
    if (c && c.key === key) all = c.value;
    else {
      let handle: ResumeHandle | null = null;
      let failed = false;
      const resume = (ip: bigint, sp: bigint) => {
        if (handle === null && !failed) {
          try {
            handle = openResume(summary.path, { symbolFolders: this.deps.symbolFolders });
          } catch {
            failed = true; // the dump moved or changed: the transcript's frames still continue the stack
          }
        }
        return handle === null ? null : (handle as ResumeHandle).resume(ip, sp);
      };
      try {
        all = mergeManagedStacks(this.deps.index.stacks(dumpId), r.managedStacks, { resume });
      } finally {
        (handle as ResumeHandle | null)?.close();
      }
      this.merged.set(dumpId, { key, value: all });
    }
    if (tid === undefined) return all;
    return all.filter((s) => s.tid === tid);
  }

  async getDotnetInfo(args: { dumpId: number }): Promise<DotnetInfo> {
    const summary = this.deps.index.get(args.dumpId);
    const stored = this.transcripts.dotnetInfo(args.dumpId);
    if (stored !== null) return stored;
    return {
      runtime: summary.runtime,
      runtimeModules: [],
      assemblies: [],
      warnings: [summary.runtime === null ? 'not a .NET dump: libcoreclr.so is not among its modules' : 'indexed before dumpscope read .NET runtimes: open it again with --force (openDump force) to list its assemblies'],
    };
  }

  // ---- debuggers

  async listEngines(_args: Record<string, never> = {}): Promise<EngineStatus[]> {
    return engineStatus(this.deps.enginePaths);
  }

  private dumpFile(dumpId: number): { path: string; executable: string | null; dotnet: boolean } {
    const s = this.deps.index.get(dumpId);
    if (!fs.existsSync(s.path)) throw new DumpscopeError('DumpMissing', `${s.path}: the dump is no longer there`, { file: s.path });
    return { path: s.path, executable: s.executable, dotnet: s.runtime !== null };
  }

  async runEngineBatch(args: EngineRunArgs): Promise<TranscriptImport> {
    const dump = this.dumpFile(args.dumpId);
    const job = this.deps.job(args.jobId, 'engine');
    try {
      const r = await runBatch({
        engine: args.engine,
        dump: dump.path,
        executable: dump.executable,
        dotnet: dump.dotnet,
        paths: this.deps.enginePaths,
        timeoutMs: args.timeoutMs ?? BATCH_TIMEOUT_MS,
        signal: job.controller.signal,
      });
      const { id } = this.deps.write('store the transcript', () =>
        this.transcripts.add({ dumpId: args.dumpId, name: `${args.engine}: ${r.commands.join(', ')}`, source: args.engine, mode: 'batch', host: r.host, text: r.text }),
      );
      this.deps.indexChanged(args.dumpId);
      return { transcript: this.info(this.transcripts.get(id)), ...this.analysis(args.dumpId) };
    } finally {
      job.done();
    }
  }

  private async session(dumpId: number, engine: EngineName, signal: AbortSignal): Promise<{ session: EngineSession; transcriptId: number }> {
    const key = `${dumpId}:${engine}`;
    const live = this.sessions.get(key);
    if (live && live.session.alive) return live;
    if (live) this.sessions.delete(key);
    const pending = this.starting.get(key);
    if (pending) return pending;
    const dump = this.dumpFile(dumpId);
    const start = (async () => {
      const session = await EngineSession.start(sessionSpec({ engine, dump: dump.path, executable: dump.executable, paths: this.deps.enginePaths }), { timeoutMs: BATCH_TIMEOUT_MS, signal });
      const { id } = this.deps.write('store the session transcript', () =>
        this.transcripts.add({ dumpId, name: `${engine} console`, source: engine, mode: 'session', host: engine, text: session.transcript() }),
      );
      const s = { session, transcriptId: id };
      this.sessions.set(key, s);
      return s;
    })();
    this.starting.set(key, start);
    try {
      return await start;
    } finally {
      this.starting.delete(key);
    }
  }

  async runEngineCommand(args: EngineCommandArgs): Promise<EngineCommandResult> {
    const job = this.deps.job(args.jobId, 'engine-command');
    let s: { session: EngineSession; transcriptId: number } | null = null;
    try {
      s = await this.session(args.dumpId, args.engine, job.controller.signal);
      const out = await s.session.run(args.command, { timeoutMs: args.timeoutMs ?? COMMAND_TIMEOUT_MS, signal: job.controller.signal });
      return { engine: args.engine, dumpId: args.dumpId, command: out.command, output: out.output, durationMs: out.durationMs, transcriptId: s.transcriptId };
    } finally {
      job.done();
      if (s !== null) {
        const { session, transcriptId } = s;
        this.deps.write('store the session transcript', () => this.transcripts.update(transcriptId, session.transcript(), args.engine));
        if (!session.alive) this.sessions.delete(`${args.dumpId}:${args.engine}`);
        this.deps.indexChanged(args.dumpId);
      }
    }
  }

  async closeEngineSession(args: { dumpId: number; engine: EngineName }): Promise<{ closed: boolean }> {
    const key = `${args.dumpId}:${args.engine}`;
    const s = this.sessions.get(key);
    if (!s) return { closed: false };
    this.sessions.delete(key);
    await s.session.close();
    this.deps.write('store the session transcript', () => this.transcripts.update(s.transcriptId, s.session.transcript(), args.engine));
    return { closed: true };
  }
}

function managedOf(row: ThreadIdentityRow): ManagedThreadInfo | null {
  const known =
    row.managedId !== null || row.gcMode !== null || row.runtimeRole !== null || row.roles.length > 0 || row.state !== null || row.exception !== null || row.threadObj !== null;
  if (!known) return null;
  return {
    managedId: row.managedId,
    gcMode: row.gcMode,
    lockCount: row.lockCount,
    apartment: row.apartment,
    roles: row.roles,
    exception: row.exception,
    state: row.state,
    stateWords: row.stateWords,
    threadObj: row.threadObj,
    runtimeRole: row.runtimeRole,
  };
}
