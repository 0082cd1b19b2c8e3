// Turns a core file into the record the index stores: summary, threads (identities, signal,
// registers, system call, what each waits on), stacks, modules with their symbol status,
// mappings, and the wait-for graph with its verdict.
import { type DotnetInfo, type LockGraph, type MappingInfo, type ModuleInfo, type ModuleSymbolStatus, type ThreadInfo, type ThreadStack } from '../../../shared/types';
import { CoreDump, ElfConstants, fingerprintFile, type CoreOpenOptions, type CoreThread } from '../elf';
import { type SymbolFileIndex } from '../symbols';
import { syscallText } from './syscall-decode';
import { detectRuntime } from './runtime';
import { describeDotnet } from '../dotnet/dotnet-info';
import { analyzeStacks, apiFrame, frameText, type AnalyzedFrame } from './stacks';
import { classifyWait, type WaitEnv } from './waits';
import { buildLockGraph } from './graph';
import { makeAddressNamer } from './address-names';
import { detectGlibcVersion, hasModernRwlocks } from './glibc-version';
import { type DumpSummary } from '../../../shared/types';

/** Bump when what the analysis stores changes, so older index entries are re-indexed. */
// 3: .NET dumps store their runtime modules (symbol-server keys) and managed assemblies.
export const ENGINE_VERSION = 3;

export type ProgressFn = (phase: string, done: number, total: number, message: string) => void;

export interface AnalyzeOptions extends CoreOpenOptions {
  onProgress?: ProgressFn;
  /** Checked between phases and threads; throw from it to cancel. */
  checkCancelled?: () => void;
  /** User symbol folders: a persisted store, or plain folder paths. */
  symbolFolders?: SymbolFileIndex | readonly string[];
  /** Global debug directories (default /usr/lib/debug). */
  debugDirs?: readonly string[];
  /** Identifies the symbol folders' state the stacks were made with (stored with the dump). */
  symbolsKey?: string;
}

/** What an analysis of one dump produces, ready to store. */
export interface DumpRecord {
  summary: Omit<DumpSummary, 'id' | 'openedAt' | 'indexedAt' | 'fromIndex'>;
  threads: ThreadInfo[];
  stacks: ThreadStack[];
  modules: ModuleInfo[];
  moduleSymbols: ModuleSymbolStatus[];
  mappings: MappingInfo[];
  locks: LockGraph;
  engineVersion: number;
  symbolsKey: string;
  /** For a .NET dump: runtime modules with their symbol-server keys, managed assemblies. */
  dotnet?: DotnetInfo | null;
}

export const hex = (v: bigint): string => `0x${v.toString(16)}`;

// Modules and functions that are plumbing, not where the user's code waits: the C and C++
// runtimes, including the libstdc++ inline functions compiled into the user's own binary.
const SYSTEM_MODULE = /^(libc\.so|libc-[\d.]+\.so|libpthread|ld-linux|ld-[\d.]+\.so|libstdc\+\+|libgcc_s|\[vdso\])/;
const SYSTEM_FUNCTION = /^(?:[\w:<>, *&]+ )?(std::|__gnu_cxx::|__gthread_|__cxxabiv1::)/;
// Names C reserves for the implementation (`__lll_lock_wait`, `_IO_…`), and glibc's own sources:
// what identifies C-library frames in a static executable, where the module name cannot.
const RESERVED_NAME = /^_[_A-Z]/;
const GLIBC_SOURCE = /^(\.\.?\/)?(nptl|sysdeps|csu|stdlib|posix|io|misc|malloc|libio|string|elf|signal|time|socket)\//;
const GLIBC_ENTRY = /^(start_thread|clone3?|pthread_[a-z_]+|sem_[a-z_]+)$/;

export function analyzeDump(dumpPath: string, opts: AnalyzeOptions = {}): DumpRecord {
  const progress = opts.onProgress ?? (() => {});
  progress('reading', 0, 0, `Reading ${dumpPath}`);
  const started = performance.now();
  const core = CoreDump.open(dumpPath, opts);
  try {
    opts.checkCancelled?.();
    const record = recordOf(core, opts);
    record.summary.indexStats = { bytesRead: core.bytesRead, elapsedMs: Math.round(performance.now() - started) };
    return record;
  } finally {
    core.close();
  }
}

export function recordOf(core: CoreDump, opts: AnalyzeOptions = {}): DumpRecord {
  const progress = opts.onProgress ?? (() => {});
  const check = opts.checkCancelled ?? (() => {});
  const noteSpans = core.programHeaders.filter((p) => p.type === ElfConstants.PT_NOTE).map((p) => ({ offset: p.offset, size: p.filesz }));
  const fingerprint = fingerprintFile(core.source, noteSpans);
  const proc = core.process;
  const pid = proc?.pid ?? core.threads[0].tid;
  const total = core.threads.length;

  progress('stacks', 0, total, `Unwinding ${total} threads`);
  const sa = analyzeStacks(core, {
    symbolFolders: opts.symbolFolders,
    debugDirs: opts.debugDirs,
    checkCancelled: check,
    onThread: (done) => progress('stacks', done, total, `Unwinding and symbolizing threads`),
  });
  try {
    check();
    progress('waits', 0, total, 'Working out what each thread waits on');
    const glibc = detectGlibcVersion(core);
    const indexOfTid = new Map(core.threads.map((t) => [t.tid, t.index]));
    const namer = makeAddressNamer({
      memory: core.memory,
      modules: core.modules,
      threads: core.threads.map((t) => ({ index: t.index, tid: t.tid, rsp: t.registers.rsp })),
      dataSymbol: (addr) => sa.symbols.lookupData(addr),
    });
    const env: WaitEnv = { memory: core.memory, modernLayouts: hasModernRwlocks(glibc), indexOfTid, nameAddress: namer };
    const framesOf = new Map(sa.stacks.map((s) => [s.tid, s.frames]));
    const threads = core.threads.map((t) => threadInfo(t, pid, proc?.name ?? null, framesOf.get(t.tid) ?? [], env));
    const locks = buildLockGraph(threads.map((t) => ({ index: t.index, tid: t.tid, wait: t.wait! })));
    check();
    const modules: ModuleInfo[] = core.modules.map((m, i) => ({
      index: i,
      path: m.path,
      name: m.name,
      kind: m.kind,
      start: hex(m.start),
      end: hex(m.end),
      base: hex(m.base),
      loadBias: hex(m.loadBias),
      buildId: m.buildId,
      buildIdSource: m.buildIdSource,
      deleted: m.deleted,
    }));
    const mappings: MappingInfo[] = core.mappings.map((m) => ({ start: hex(m.start), end: hex(m.end), fileOffset: hex(m.fileOffset), path: m.path }));
    const stacks: ThreadStack[] = sa.stacks.map((s) => ({ tid: s.tid, frames: s.frames.map(apiFrame), stopReason: s.stopReason, stopDetail: s.stopDetail }));
    // The process's signal: the kernel writes the thread that took the fatal signal first, with
    // pr_cursig set. gcore leaves pr_cursig 0 (its NT_SIGINFO is only the debugger's SIGSTOP).
    const first = core.threads[0];
    const signal = first.signal !== 0 ? first.signal : null;
    const warnings = [...core.warnings];
    const shared = sharedTids(core.threads);
    if (shared.length > 0) {
      warnings.push(
        `${shared.length} thread(s) have the tid of an earlier thread (${shared.slice(0, 3).map((s) => `#${s.index} and #${s.first}: tid ${s.tid}`).join('; ')}${shared.length > 3 ? '; …' : ''}), which no real process has: a corrupt core? A tid selects the first of them`,
      );
    }
    const runtime = detectRuntime(core.modules);
    // (An NT_FILE that was there but unusable has said why in the core's own warnings.)
    if (core.mappings.length === 0 && !core.notes.byType[`CORE:0x${ElfConstants.NT_FILE.toString(16)}`]) {
      warnings.push('the core has no NT_FILE note: modules and their build-ids are unknown');
    }
    return {
      summary: {
        path: core.path,
        size: core.size,
        mtimeMs: core.mtimeMs,
        fingerprint,
        process: proc?.name ?? '',
        args: proc?.args ?? '',
        pid,
        uid: proc ? proc.uid : null,
        arch: 'x86_64',
        signal,
        signalName: signal === null ? null : first.signalName,
        threadCount: threads.length,
        moduleCount: modules.length,
        runtime,
        executable: core.executable?.path ?? null,
        notes: { total: core.notes.total, unknown: core.notes.unknown },
        glibc: glibc?.version ?? null,
        incompleteStacks: stacks.filter((s) => s.stopReason !== 'ok').length,
        indexStats: null,
        warnings,
      },
      threads,
      stacks,
      modules,
      moduleSymbols: sa.moduleStatus(),
      mappings,
      locks,
      engineVersion: ENGINE_VERSION,
      symbolsKey: opts.symbolsKey ?? '',
      dotnet: runtime ? describeDotnet(core, runtime) : null,
    };
  } finally {
    sa.close();
  }
}

/** Threads whose tid an earlier thread already has, with that earlier thread's index. */
function sharedTids(threads: readonly CoreThread[]): { index: number; first: number; tid: number }[] {
  const firstOf = new Map<number, number>();
  const out: { index: number; first: number; tid: number }[] = [];
  for (const t of threads) {
    const first = firstOf.get(t.tid);
    if (first === undefined) firstOf.set(t.tid, t.index);
    else out.push({ index: t.index, first, tid: t.tid });
  }
  return out;
}

function threadInfo(t: CoreThread, pid: number, processName: string | null, frames: AnalyzedFrame[], env: WaitEnv): ThreadInfo {
  const registers: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.registers)) registers[k] = hex(v);
  const isSystem = (f: AnalyzedFrame) =>
    f.module === null ||
    SYSTEM_MODULE.test(f.module) ||
    (f.function !== null && (SYSTEM_FUNCTION.test(f.function) || RESERVED_NAME.test(f.function) || GLIBC_ENTRY.test(f.function))) ||
    (f.file !== null && GLIBC_SOURCE.test(f.file));
  const top = frames.find((f) => !f.inline && !isSystem(f)) ?? null;
  const wait = classifyWait(
    {
      index: t.index,
      tid: t.tid,
      syscall: t.syscall,
      frames: frames.map((f) => ({ index: f.index, pc: f.pcValue, function: f.function, module: f.module, names: f.names })),
    },
    env,
  );
  return {
    index: t.index,
    dbg: t.dbg,
    tid: t.tid,
    osid: t.tid.toString(16),
    name: t.tid === pid ? processName : null,
    signal: t.signal,
    signalName: t.signalName,
    state: t.syscall ? 'syscall' : 'running',
    syscall: t.syscall ? { nr: t.syscall.nr, name: t.syscall.name, args: t.syscall.args.map(hex), text: syscallText(t.syscall.name, t.syscall.args) } : null,
    registers,
    wait,
    topFrame: top ? frameText(top) : null,
    frameCount: frames.length,
  };
}
