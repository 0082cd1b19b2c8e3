// Turns a core file into the record the index stores: summary, threads (identities, signal,
// registers, system call), modules and mappings. Later stages (stacks, waits) extend it.
import { type MappingInfo, type ModuleInfo, type ThreadInfo } from '../../../shared/types';
import { CoreDump, ElfConstants, type CoreOpenOptions, type CoreThread } from '../elf';
import { fingerprintFile, type DumpRecord } from '../index';
import { syscallText } from './syscall-decode';
import { detectRuntime } from './runtime';

/** Bump when what the analysis stores changes, so older index entries are re-indexed. */
export const ENGINE_VERSION = 1;

export type ProgressFn = (phase: string, done: number, total: number, message: string) => void;

export interface AnalyzeOptions extends CoreOpenOptions {
  onProgress?: ProgressFn;
  /** Checked between phases and threads; throw from it to cancel. */
  checkCancelled?: () => void;
}

export const hex = (v: bigint): string => `0x${v.toString(16)}`;

export function analyzeDump(dumpPath: string, opts: AnalyzeOptions = {}): DumpRecord {
  const progress = opts.onProgress ?? (() => {});
  const check = opts.checkCancelled ?? (() => {});
  progress('reading', 0, 0, `Reading ${dumpPath}`);
  const started = performance.now();
  const core = CoreDump.open(dumpPath, opts);
  try {
    check();
    const record = recordOf(core, progress, check);
    record.summary.indexStats = { bytesRead: core.bytesRead, elapsedMs: Math.round(performance.now() - started) };
    return record;
  } finally {
    core.close();
  }
}

export function recordOf(core: CoreDump, progress: ProgressFn = () => {}, check: () => void = () => {}): DumpRecord {
  const noteSpans = core.programHeaders.filter((p) => p.type === ElfConstants.PT_NOTE).map((p) => ({ offset: p.offset, size: p.filesz }));
  const fingerprint = fingerprintFile(core.source, noteSpans);
  const proc = core.process;
  const pid = proc?.pid ?? core.threads[0].tid;
  progress('threads', 0, core.threads.length, `${core.threads.length} threads`);
  const threads = core.threads.map((t) => threadInfo(t, pid, proc?.name ?? null));
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
  // The process's signal: the kernel writes the thread that took the fatal signal first, with
  // pr_cursig set. gcore leaves pr_cursig 0 (its NT_SIGINFO is only the debugger's SIGSTOP).
  const first = core.threads[0];
  const signal = first.signal !== 0 ? first.signal : null;
  const warnings = [...core.warnings];
  if (core.mappings.length === 0) warnings.push('the core has no NT_FILE note: modules and their build-ids are unknown');
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
      runtime: detectRuntime(core.modules),
      executable: core.executable?.path ?? null,
      notes: { total: core.notes.total, unknown: core.notes.unknown },
      indexStats: null,
      warnings,
    },
    threads,
    modules,
    mappings,
    engineVersion: ENGINE_VERSION,
  };
}

function threadInfo(t: CoreThread, pid: number, processName: string | null): ThreadInfo {
  const registers: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.registers)) registers[k] = hex(v);
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
  };
}
