// One identity row per OS thread: the dump's own thread list (1-based index = lldb's #N,
// 0-based dbg = dotnet-dump's DBG, tid) joined by tid with what the transcripts say (SOS's DBG,
// ID, OSID, GC mode…, lldb's #N, gdb's number). Without a dump, the index comes from lldb and the
// DBG from dotnet-dump when a transcript prints them; one is never derived from the other by
// adding or subtracting 1, because under lldb+SOS the DBG column is lldb's index (see
// thread-identity.ts).

import { type Hex, type ThreadIdentityRow, type ThreadIdentityTable } from '../../../shared/types';
import { type ThreadIdentity, type ThreadIdentityResult } from './types';

export interface DumpThreadView {
  index: number;
  dbg: number;
  tid: number;
  name: string | null;
}

export interface MergeIdentityOptions {
  /** The dump's threads, when the transcripts belong to a dump. */
  dumpThreads?: readonly DumpThreadView[] | null;
  /** tid -> the runtime rules' words for the thread. */
  roles?: ReadonlyMap<number, string>;
}

const hexOf = (v: number | null): Hex | null => (v === null ? null : `0x${v.toString(16)}`);

function rowOf(tid: number, id: ThreadIdentity | undefined, dump: DumpThreadView | undefined, haveDump: boolean, role: string | null): ThreadIdentityRow {
  const sources = [...(dump ? ['dump'] : []), ...(id?.sources ?? [])];
  return {
    tid,
    osid: tid.toString(16),
    index: dump ? dump.index : haveDump ? null : (id?.lldbIndex ?? null),
    dbg: dump ? dump.dbg : haveDump ? null : (id?.dotnetDumpIndex ?? null),
    lldbIndex: id?.lldbIndex ?? null,
    dotnetDumpIndex: id?.dotnetDumpIndex ?? null,
    windbgIndex: id?.windbgIndex ?? null,
    gdbNumber: id?.gdbNumber ?? null,
    name: id?.name ?? dump?.name ?? null,
    managedId: id?.managedId ?? null,
    gcMode: id?.gcMode ?? null,
    lockCount: id?.lockCount ?? null,
    apartment: id?.apartment ?? null,
    roles: id?.roles ?? [],
    exception: id?.exception ? { type: id.exception.type, address: id.exception.address } : null,
    state: hexOf(id?.state ?? null),
    stateWords: id?.stateWords ?? [],
    threadObj: id?.threadObj ?? null,
    runtimeRole: role,
    inDump: haveDump ? dump !== undefined : null,
    sources,
  };
}

/** Merges the transcripts' identities with the dump's thread list (when given). */
export function mergeIdentities(ids: ThreadIdentityResult, opts: MergeIdentityOptions = {}): ThreadIdentityTable {
  const dumpThreads = opts.dumpThreads ?? null;
  const haveDump = dumpThreads !== null;
  const warnings = ids.warnings.map((w) => w.message);
  const byTid = new Map(ids.threads.map((t) => [t.tid, t]));
  const dumpByTid = new Map((dumpThreads ?? []).map((t) => [t.tid, t]));
  const rows: ThreadIdentityRow[] = [];
  for (const d of dumpThreads ?? []) {
    const id = byTid.get(d.tid);
    if (id) {
      if (id.lldbIndex !== null && id.lldbIndex !== d.index) {
        warnings.push(`tid ${d.tid}: the transcript calls it lldb thread #${id.lldbIndex}, the dump lists it as #${d.index} (was the transcript taken from another dump?)`);
      }
      if (id.dotnetDumpIndex !== null && id.dotnetDumpIndex !== d.dbg) {
        warnings.push(`tid ${d.tid}: the transcript gives dotnet-dump DBG ${id.dotnetDumpIndex}, the dump's position is ${d.dbg} (was the transcript taken from another dump?)`);
      }
    }
    rows.push(rowOf(d.tid, id, d, true, opts.roles?.get(d.tid) ?? null));
  }
  const extra = ids.threads.filter((t) => !dumpByTid.has(t.tid));
  for (const t of extra) rows.push(rowOf(t.tid, t, undefined, haveDump, opts.roles?.get(t.tid) ?? null));
  if (haveDump && extra.length > 0) {
    const share = extra.length / Math.max(1, ids.threads.length);
    warnings.push(
      share > 0.5
        ? `${extra.length} of the ${ids.threads.length} threads the transcripts name are not in this dump: the transcripts are probably of another dump`
        : `${extra.length} thread${extra.length === 1 ? '' : 's'} named by the transcripts ${extra.length === 1 ? 'is' : 'are'} not in this dump (tid ${extra.slice(0, 5).map((t) => t.tid).join(', ')}${extra.length > 5 ? ', …' : ''})`,
    );
  }
  if (!haveDump) {
    rows.sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER) || a.tid - b.tid);
  }
  return {
    host: ids.host,
    threads: rows,
    deadManagedThreads: ids.deadManagedThreads.map((t) => ({ managedId: t.managedId, threadObj: t.threadObj, state: hexOf(t.state), roles: t.roles })),
    warnings,
  };
}
