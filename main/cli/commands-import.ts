// `dumpscope import <transcript>... [--dump <dump>] [--host H] [--run ENGINE] [--json]`: stores
// saved debugger transcripts (dotnet-dump / SOS, lldb, gdb), alone or with the dump they were
// taken from, and prints one identity row per thread (index, DBG, tid, OSID, lldb #, gdb #,
// managed id, GC mode, roles) and, under "locks", the runtime-aware wait-for graph in the shape
// of `dumpscope locks --json`. With --run, a debugger installed here runs on the dump in batch
// and its transcript is imported too.
import * as path from 'node:path';
import { type TranscriptImport } from '../../shared/api';
import { JSON_SCHEMA_VERSION, type DebuggerHost, type DotnetAnalysis, type DumpSummary, type EngineName, type ThreadIdentityRow, type TranscriptInfo } from '../../shared/types';
import { readTranscriptFile } from '../core/dotnet';
import { DumpscopeError } from '../core/errors';
import { type CliContext } from './context';
import { dumpJson, header } from './commands-threads';
import { formatLocks } from './commands-locks';
import { inertCell, table, jsonText } from './format';

export interface ImportOptions {
  dump?: string;
  host?: string;
  run?: string;
  json?: boolean;
  partial?: boolean;
}

const HOSTS: readonly DebuggerHost[] = ['dotnet-dump', 'lldb', 'gdb', 'windbg', 'unknown'];
const ENGINES: readonly EngineName[] = ['dotnet-dump', 'lldb', 'gdb'];

export function identityJson(t: ThreadIdentityRow) {
  return {
    tid: t.tid,
    osid: t.osid,
    dbg: t.dbg,
    index: t.index,
    lldbIndex: t.lldbIndex,
    dotnetDumpIndex: t.dotnetDumpIndex,
    windbgIndex: t.windbgIndex,
    gdbNumber: t.gdbNumber,
    managedId: t.managedId,
    name: t.name,
    gcMode: t.gcMode,
    lockCount: t.lockCount,
    apartment: t.apartment,
    roles: t.roles,
    exception: t.exception,
    state: t.state,
    stateWords: t.stateWords,
    threadObj: t.threadObj,
    runtimeRole: t.runtimeRole,
    inDump: t.inDump,
    sources: t.sources,
  };
}

function transcriptJson(list: readonly TranscriptInfo[], host: DebuggerHost) {
  return {
    host,
    names: list.map((t) => t.name),
    commands: list.flatMap((t) => t.commands.map((c) => ({ command: c.command, kind: c.kind, host: c.host, transcript: t.name, startLine: c.startLine }))),
  };
}

export async function importCommand(ctx: CliContext, files: string[], opts: ImportOptions): Promise<number> {
  if (opts.host !== undefined && !HOSTS.includes(opts.host as DebuggerHost)) {
    throw new DumpscopeError('BadRequest', `--host ${opts.host}: expected one of ${HOSTS.join(', ')}`, { where: 'import' });
  }
  if (opts.run !== undefined && !ENGINES.includes(opts.run as EngineName)) {
    throw new DumpscopeError('BadRequest', `--run ${opts.run}: expected one of ${ENGINES.join(', ')}`, { where: 'import' });
  }
  if (opts.run !== undefined && opts.dump === undefined) throw new DumpscopeError('BadRequest', '--run needs --dump: the debugger runs on a dump', { where: 'import' });
  if (files.length === 0 && opts.run === undefined) throw new DumpscopeError('BadRequest', 'name a transcript file to import (or --dump DUMP --run lldb|gdb|dotnet-dump)', { where: 'import' });
  // Read every file before storing anything: a bad one stores none.
  const texts = files.map((f) => ({ file: f, text: readTranscriptFile(f) }));
  let dump: DumpSummary | null = null;
  if (opts.dump !== undefined) dump = await ctx.open(opts.dump, { partial: opts.partial });
  const host = opts.host as DebuggerHost | undefined;
  const imported: TranscriptImport[] = [];
  for (const t of texts) imported.push(await ctx.api.importTranscript({ text: t.text, name: path.basename(t.file), dumpId: dump?.id, host }));
  if (opts.run !== undefined && dump !== null) imported.push(await ctx.api.runEngineBatch({ dumpId: dump.id, engine: opts.run as EngineName }));

  let analysis: DotnetAnalysis;
  if (dump !== null) analysis = await ctx.api.getDotnetAnalysis({ dumpId: dump.id });
  else if (imported.length === 1) analysis = imported[0];
  else analysis = await ctx.api.analyzeTranscripts({ transcriptIds: imported.map((i) => i.transcript.id) });
  const mine = imported.map((i) => i.transcript);
  const warnings = [...mine.flatMap((t) => t.warnings.map((w) => `${t.name}: ${w}`)), ...analysis.threads.warnings];

  if (opts.json) {
    const doc = {
      schemaVersion: JSON_SCHEMA_VERSION,
      dump: dump === null ? null : dumpJson(dump),
      transcript: transcriptJson(mine, analysis.threads.host),
      transcripts: analysis.transcripts.map((t) => ({ id: t.id, name: t.name, host: t.host, source: t.source, mode: t.mode, lineCount: t.lineCount, commands: t.commands.length })),
      threads: analysis.threads.threads.map(identityJson),
      deadManagedThreads: analysis.threads.deadManagedThreads,
      locks: analysis.locks,
      warnings,
    };
    ctx.out(jsonText(doc));
    return 0;
  }
  if (dump !== null) ctx.out(header(dump));
  for (const t of mine) {
    const kinds = t.commands.filter((c) => c.kind !== 'unknown').map((c) => c.command ?? c.kind);
    ctx.out(`${inertCell(t.name)}: ${t.host}, ${t.lineCount} lines, ${t.commands.length} blocks${kinds.length > 0 ? ` (${inertCell(kinds.join(', '))})` : ''}\n`);
  }
  ctx.out('\n');
  const rows = analysis.threads.threads;
  const dash = (v: number | string | null) => (v === null ? '-' : String(v));
  ctx.out(
    table(rows, [
      { header: '#', value: (t) => dash(t.index), align: 'right' },
      { header: 'DBG', value: (t) => dash(t.dbg), align: 'right' },
      { header: 'TID', value: (t) => String(t.tid), align: 'right' },
      { header: 'OSID', value: (t) => t.osid, align: 'right' },
      { header: 'GDB', value: (t) => dash(t.gdbNumber), align: 'right' },
      { header: 'ID', value: (t) => dash(t.managedId), align: 'right' },
      { header: 'GC MODE', value: (t) => dash(t.gcMode) },
      { header: 'ROLES', value: (t) => [t.name, ...t.roles, ...t.stateWords.filter((w) => !t.roles.some((r) => r.toLowerCase() === w))].filter((x): x is string => !!x).join(', ') || '-', max: 60 },
      { header: 'RUNTIME', value: (t) => t.runtimeRole ?? '-', max: 100 },
    ]),
  );
  ctx.out('\n');
  ctx.out(formatLocks(analysis.locks));
  for (const w of warnings) ctx.err(`dumpscope: warning: ${inertCell(w)}\n`);
  return 0;
}
