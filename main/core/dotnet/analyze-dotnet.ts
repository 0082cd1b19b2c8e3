// Everything the transcripts of a dump (or transcripts alone) say, put together: one identity
// row per thread, the runtime-aware wait-for graph, and each thread's stacks from every source.
// Pure: the caller reads the dump's stored threads, stacks and graph from the index.

import { type LockGraph, type ThreadIdentityTable, type ThreadInfo, type ThreadStack, type TranscriptCommand } from '../../../shared/types';
import { buildThreadIdentities } from './thread-identity';
import { mergeIdentities } from './merge-identities';
import { betterStack, fromDump, fromGdb, fromLldb, type NativeStack } from './rule-frames';
import { buildRuntimeGraph, type MethodState, type RuntimeThread } from './runtime-graph';
import { type ClrStackFrame, type ClrStackThread, type ClrThreadRow, type ParsedTranscript, type SyncBlockEntry, type ThreadStateLayout } from './types';

export interface DumpView {
  threads: readonly ThreadInfo[];
  stacks: readonly ThreadStack[];
  /** The dump's native wait-for graph. */
  locks: LockGraph | null;
  /** The runtime version (from libcoreclr.so's folder), to read State bits in the right layout. */
  runtimeVersion: string | null;
}

export interface DotnetAnalysisResult {
  threads: ThreadIdentityTable;
  locks: LockGraph;
  /** tid -> the runtime rules' words. */
  roles: Map<number, string>;
  /** A rule or a transcript added something to the dump's own analysis. */
  runtimeAware: boolean;
  /** Managed frames per tid (clrstack), for merging into native stacks. */
  managedStacks: ClrStackThread[];
}

/**
 * Which CoreCLR ThreadState layout a runtime version uses (see thread-state.ts): the 2.x/3.x
 * layout up to 3.1, the current one from 8.0; in between it is not known, so uncertain bits say so.
 */
export function stateLayoutOf(version: string | null): ThreadStateLayout {
  const m = version === null ? null : /^(\d+)\./.exec(version);
  if (m === null) return 'unknown';
  const major = Number(m[1]);
  if (major <= 3) return 'coreclr';
  if (major >= 8) return 'runtime';
  return 'unknown';
}

/** The command blocks of a parsed transcript, as the API lists them. */
export function commandsOf(t: ParsedTranscript): TranscriptCommand[] {
  return t.commands.map((c) => ({
    index: c.block.index,
    command: c.block.command,
    kind: c.kind,
    host: c.block.host,
    startLine: c.block.startLine,
    lineCount: c.block.lines.length,
  }));
}

/** Warnings of a parsed transcript, in words (parser warnings and how many lines no parser used). */
export function transcriptWarnings(t: ParsedTranscript): string[] {
  const out = t.warnings.map((w) => w.message);
  for (const c of t.commands) {
    if (c.kind === 'unknown') continue;
    for (const w of c.result.warnings) out.push(`${c.block.command ?? c.kind}: ${w.message}`);
    const n = c.result.unparsed.filter((l) => l.trim() !== '').length;
    if (n > 0) out.push(`${c.block.command ?? c.kind}: ${n} line${n === 1 ? '' : 's'} not understood (kept in the transcript)`);
  }
  return out;
}

export function analyzeDotnet(transcripts: readonly ParsedTranscript[], dump: DumpView | null): DotnetAnalysisResult {
  const layout = stateLayoutOf(dump?.runtimeVersion ?? null);
  const ids = buildThreadIdentities([...transcripts], { stateLayout: layout });
  const commands = transcripts.flatMap((t) => t.commands);

  // lldb numbers threads 1.. in the dump's own order, so with a dump `thread #N` is the dump's
  // thread N; `thread list` (tid = …) says so explicitly and wins.
  const lldbTid = new Map<number, number>();
  for (const t of dump?.threads ?? []) lldbTid.set(t.index, t.tid);
  for (const id of ids.threads) if (id.lldbIndex !== null) lldbTid.set(id.lldbIndex, id.tid);

  const native = new Map<number, NativeStack>();
  const put = (tid: number, s: NativeStack) => native.set(tid, betterStack(native.get(tid) ?? null, s));
  for (const c of commands) {
    if (c.kind === 'lldb-backtrace' || c.kind === 'lldb-thread-select') {
      for (const t of c.result.threads) {
        const tid = t.tid ?? lldbTid.get(t.index) ?? null;
        if (tid !== null && t.frames.length > 0) put(tid, fromLldb(t));
      }
    } else if (c.kind === 'gdb-backtrace') {
      for (const t of c.result.threads) if (t.tid !== null && t.frames.length > 0) put(t.tid, fromGdb(t));
    }
  }
  for (const s of dump?.stacks ?? []) put(s.tid, fromDump(s.frames, s.stopReason !== 'ok'));

  const managed = new Map<number, ClrStackThread>();
  const rows = new Map<number, ClrThreadRow>();
  const syncblk = new Map<number, SyncBlockEntry>();
  const methods: MethodState[] = [];
  for (const c of commands) {
    switch (c.kind) {
      case 'clrstack':
        for (const t of c.result.threads) {
          if (t.tid === null) continue;
          const prev = managed.get(t.tid);
          if (prev === undefined || t.frames.length > prev.frames.length) managed.set(t.tid, t);
        }
        break;
      case 'clrthreads':
        for (const r of c.result.rows) if (r.tid !== null && !rows.has(r.tid)) rows.set(r.tid, r);
        break;
      case 'syncblk':
        for (const e of c.result.entries) syncblk.set(e.index, e);
        break;
      case 'name2ee':
        for (const e of c.result.entries) if (e.name !== null) methods.push({ name: e.name, jitted: e.jitted, source: 'name2ee' });
        break;
      case 'dumpmt':
        for (const m of c.result.methods) methods.push({ name: m.name, jitted: m.jitted, source: 'dumpmt' });
        break;
      default:
        break;
    }
  }

  const dumpWait = new Map((dump?.threads ?? []).map((t) => [t.tid, t]));
  const tids = new Set<number>([...(dump?.threads ?? []).map((t) => t.tid), ...ids.threads.map((t) => t.tid)]);
  const idByTid = new Map(ids.threads.map((t) => [t.tid, t]));
  const threads: RuntimeThread[] = [...tids].map((tid) => {
    const d = dumpWait.get(tid);
    const id = idByTid.get(tid);
    const row = rows.get(tid) ?? null;
    const frames: ClrStackFrame[] | null = managed.get(tid)?.frames ?? null;
    return {
      tid,
      index: d ? d.index : dump !== null ? null : (id?.lldbIndex ?? null),
      dbg: d ? d.dbg : dump !== null ? null : (id?.dotnetDumpIndex ?? null),
      gcMode: row?.gcMode ?? id?.gcMode ?? null,
      state: row?.state ?? id?.state ?? null,
      clrthreadsRow: row?.raw ?? null,
      native: native.get(tid) ?? null,
      managed: frames,
      dumpWait: d?.wait ?? null,
    };
  });
  threads.sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER) || a.tid - b.tid);

  const g = buildRuntimeGraph({
    threads,
    syncblk: [...syncblk.values()],
    methods,
    stateLayout: layout,
    haveDump: dump !== null,
    nativeGraph: dump?.locks ?? null,
  });
  const table = mergeIdentities(ids, {
    dumpThreads: dump === null ? null : dump.threads.map((t) => ({ index: t.index, dbg: t.dbg, tid: t.tid, name: t.name })),
    roles: g.roles,
  });
  return { threads: table, locks: g.graph, roles: g.roles, runtimeAware: g.runtimeAware || transcripts.length > 0, managedStacks: [...managed.values()] };
}
