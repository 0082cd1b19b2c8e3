// One row per OS thread from everything the transcripts say about it, keyed by tid.
//
// Folklore, written down: SOS's DBG column (and the "(15)" after "OS Thread Id: 0xc79" and the
// third sub-column of syncblk's owner) is the HOST debugger's thread number. Under dotnet-dump
// that is dotnet-dump's 0-based index (`setthread 15`); under lldb with the SOS plugin it is
// lldb's 1-based `thread #16`; under WinDbg it is WinDbg's 0-based `~15s`. In the seed article
// DBG 15 (dotnet-dump) = lldb #16 = tid 3193 = OSID c79. We therefore read the DBG column
// according to the block's host and join threads only by tid — never by adding or subtracting 1.
// When a block's host is unknown (bare output with no prompt or banner), its DBG values are not
// used and a warning says so.

import { assertNever } from './command-kind';
import { decodeThreadState } from './thread-state';
import {
  type ClrThreadRow,
  type CommandKind,
  type DebuggerHost,
  type ParseWarning,
  type ParsedCommand,
  type ParsedTranscript,
  type ThreadIdentity,
  type ThreadIdentityResult,
  type ThreadStateLayout,
} from './types';

export interface IdentityOptions {
  /** Which CoreCLR ThreadState layout to decode State with (see thread-state.ts). */
  stateLayout?: ThreadStateLayout;
}

type IndexField = 'dotnetDumpIndex' | 'lldbIndex' | 'windbgIndex' | 'gdbNumber';

function emptyRow(tid: number): ThreadIdentity {
  return {
    tid,
    osid: tid.toString(16),
    dotnetDumpIndex: null,
    lldbIndex: null,
    windbgIndex: null,
    gdbNumber: null,
    managedId: null,
    name: null,
    gcMode: null,
    lockCount: null,
    apartment: null,
    roles: [],
    exception: null,
    state: null,
    stateWords: [],
    threadObj: null,
    sources: [],
  };
}

function indexFieldOfHost(host: DebuggerHost): IndexField | null {
  switch (host) {
    case 'dotnet-dump':
      return 'dotnetDumpIndex';
    case 'lldb':
      return 'lldbIndex';
    case 'windbg':
      return 'windbgIndex';
    case 'gdb':
    case 'unknown':
      return null;
    default:
      return assertNever(host);
  }
}

/** Builds thread identity rows from one or more parsed transcripts (of the same process). */
export function buildThreadIdentities(input: ParsedTranscript | readonly ParsedTranscript[], options: IdentityOptions = {}): ThreadIdentityResult {
  const transcripts: readonly ParsedTranscript[] = Array.isArray(input) ? input : [input as ParsedTranscript];
  const layout = options.stateLayout ?? 'unknown';
  const rows = new Map<number, ThreadIdentity>();
  const warnings: ParseWarning[] = [];
  const deadManagedThreads: ClrThreadRow[] = [];
  const commands: ParsedCommand[] = transcripts.flatMap((t) => t.commands);

  const row = (tid: number, source: CommandKind): ThreadIdentity => {
    let r = rows.get(tid);
    if (!r) {
      r = emptyRow(tid);
      rows.set(tid, r);
    }
    if (!r.sources.includes(source)) r.sources.push(source);
    return r;
  };
  const setIndex = (r: ThreadIdentity, field: IndexField, value: number | null, source: CommandKind): void => {
    if (value === null) return;
    const before = r[field];
    if (before !== null && before !== value) {
      warnings.push({ code: 'ConflictingIdentity', message: `tid ${r.tid}: ${field} ${before} before, ${value} from ${source}; kept ${before}` });
      return;
    }
    r[field] = value;
  };
  const setName = (r: ThreadIdentity, name: string | null): void => {
    if (name !== null && name !== '' && r.name === null) r.name = name;
  };
  const dbgField = (host: DebuggerHost, kind: CommandKind, blockIndex: number, warned: Set<number>): IndexField | null => {
    const f = indexFieldOfHost(host);
    if (f === null && !warned.has(blockIndex)) {
      warned.add(blockIndex);
      warnings.push({
        code: 'AmbiguousDbg',
        message: `${kind} output (block ${blockIndex}) has no known host, so its DBG numbers are not mapped to a debugger index`,
      });
    }
    return f;
  };

  // lldb's `bt` headers name threads by index only; `thread list` gives index -> tid.
  const lldbTidByIndex = new Map<number, number>();
  for (const c of commands) {
    if (c.kind === 'lldb-thread-list') {
      for (const t of c.result.threads) if (t.tid !== null) lldbTidByIndex.set(t.index, t.tid);
    } else if (c.kind === 'lldb-backtrace' || c.kind === 'lldb-thread-select') {
      for (const t of c.result.threads) if (t.tid !== null) lldbTidByIndex.set(t.index, t.tid);
    }
  }

  const warnedBlocks = new Set<number>();
  for (const c of commands) {
    const host = c.block.host;
    switch (c.kind) {
      case 'clrthreads': {
        for (const t of c.result.rows) {
          if (t.tid === null) {
            deadManagedThreads.push(t);
            continue;
          }
          const r = row(t.tid, c.kind);
          const field = dbgField(host, c.kind, c.block.index, warnedBlocks);
          if (field !== null) setIndex(r, field, t.dbg, c.kind);
          if (r.managedId === null) r.managedId = t.managedId;
          r.gcMode ??= t.gcMode;
          r.lockCount ??= t.lockCount;
          r.apartment ??= t.apartment;
          r.threadObj ??= t.threadObj;
          for (const role of t.roles) if (!r.roles.includes(role)) r.roles.push(role);
          r.exception ??= t.exception;
          if (t.state !== null && r.state === null) {
            r.state = t.state;
            r.stateWords = decodeThreadState(t.state, layout).words;
          }
        }
        break;
      }
      case 'clrstack': {
        for (const t of c.result.threads) {
          if (t.tid === null) continue;
          const r = row(t.tid, c.kind);
          if (t.dbg !== null) {
            const field = dbgField(host, c.kind, c.block.index, warnedBlocks);
            if (field !== null) setIndex(r, field, t.dbg, c.kind);
          }
        }
        break;
      }
      case 'syncblk': {
        for (const e of c.result.entries) {
          if (e.owner === null || e.owner.tid === null) continue;
          const r = row(e.owner.tid, c.kind);
          if (e.owner.dbg !== null) {
            const field = dbgField(host, c.kind, c.block.index, warnedBlocks);
            if (field !== null) setIndex(r, field, e.owner.dbg, c.kind);
          }
          r.threadObj ??= e.owner.threadObj;
        }
        break;
      }
      case 'dotnet-dump-threads':
        for (const t of c.result.threads) setIndex(row(t.tid, c.kind), 'dotnetDumpIndex', t.index, c.kind);
        break;
      case 'setthread':
        for (const t of c.result.listing) setIndex(row(t.tid, c.kind), 'dotnetDumpIndex', t.index, c.kind);
        break;
      case 'pstacks':
        for (const s of c.result.stacks) {
          for (const id of s.threadIds) {
            if (!/^[0-9a-f]+$/.test(id)) continue;
            const tid = parseInt(id, 16);
            if (Number.isSafeInteger(tid)) row(tid, c.kind);
          }
        }
        break;
      case 'lldb-thread-list':
        for (const t of c.result.threads) {
          if (t.tid === null) continue;
          const r = row(t.tid, c.kind);
          setIndex(r, 'lldbIndex', t.index, c.kind);
          setName(r, t.name);
        }
        break;
      case 'lldb-backtrace':
      case 'lldb-thread-select':
        for (const t of c.result.threads) {
          const tid = t.tid ?? lldbTidByIndex.get(t.index) ?? null;
          if (tid === null) continue;
          const r = row(tid, c.kind);
          setIndex(r, 'lldbIndex', t.index, c.kind);
          setName(r, t.name);
        }
        break;
      case 'gdb-info-threads':
      case 'gdb-backtrace':
        for (const t of c.result.threads) {
          if (t.tid === null) continue;
          const r = row(t.tid, c.kind);
          setIndex(r, 'gdbNumber', t.number, c.kind);
          setName(r, t.name);
        }
        break;
      case 'name2ee':
      case 'dumpmt':
      case 'unknown':
        break;
      default:
        assertNever(c);
    }
  }

  // The same debugger index on two threads means a host was guessed wrong somewhere.
  const fields: IndexField[] = ['dotnetDumpIndex', 'lldbIndex', 'windbgIndex', 'gdbNumber'];
  for (const field of fields) {
    const byIndex = new Map<number, number>();
    for (const r of rows.values()) {
      const v = r[field];
      if (v === null) continue;
      const other = byIndex.get(v);
      if (other !== undefined) warnings.push({ code: 'ConflictingIdentity', message: `${field} ${v} is claimed by tid ${other} and tid ${r.tid}` });
      else byIndex.set(v, r.tid);
    }
  }

  const hosts = new Map<DebuggerHost, number>();
  for (const t of transcripts) hosts.set(t.host, (hosts.get(t.host) ?? 0) + 1);
  let host: DebuggerHost = 'unknown';
  let best = 0;
  for (const [h, n] of hosts) if (h !== 'unknown' && n > best) [host, best] = [h, n];

  const threads = [...rows.values()].sort((a, b) => a.tid - b.tid);
  return { host, threads, deadManagedThreads, warnings };
}
