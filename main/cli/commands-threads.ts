// `dumpscope threads <dump> [--json]`: every thread with its identities and what it is doing.
import { type DumpSummary, type ThreadInfo, JSON_SCHEMA_VERSION } from '../../shared/types';
import { type CliContext } from './context';
import { inertCell, table, type Column, jsonText } from './format';

export function dumpJson(d: DumpSummary) {
  return {
    path: d.originalPath ?? d.path,
    ...(d.originalPath ? { decompressedPath: d.path, compression: d.compression ?? null } : {}),
    process: d.process,
    args: d.args,
    pid: d.pid,
    signal: d.signal,
    signalName: d.signalName,
    arch: d.arch,
    runtime: d.runtime ? { kind: d.runtime.kind, version: d.runtime.version } : null,
    threadCount: d.threadCount,
    executable: d.executable,
    notes: d.notes,
    fingerprint: d.fingerprint,
    fromIndex: d.fromIndex,
    indexStats: d.indexStats,
    indexedAt: d.indexedAt,
    warnings: d.warnings,
  };
}

export function threadJson(t: ThreadInfo) {
  return {
    index: t.index,
    dbg: t.dbg,
    tid: t.tid,
    osid: t.osid,
    name: t.name,
    signal: t.signal,
    signalName: t.signalName,
    state: t.state,
    syscall: t.syscall ? { name: t.syscall.name, nr: t.syscall.nr, args: t.syscall.args, text: t.syscall.text } : null,
    wait: t.wait,
    topFrame: t.topFrame,
    registers: t.registers,
    // What imported .NET transcripts (SOS) and the runtime rules say: managed id, GC mode, roles.
    managed: t.managed ?? null,
  };
}

export async function threadsCommand(ctx: CliContext, dumpPath: string, opts: { json?: boolean; partial?: boolean; symbols?: string[] }): Promise<number> {
  const dump = await ctx.open(dumpPath, { partial: opts.partial, symbols: opts.symbols });
  const threads = await ctx.api.listThreads({ dumpId: dump.id });
  if (opts.json) {
    ctx.out(jsonText({ schemaVersion: JSON_SCHEMA_VERSION, dump: dumpJson(dump), threads: threads.map(threadJson) }));
    return 0;
  }
  ctx.out(header(dump));
  // .NET columns only when a transcript or a runtime rule said something about some thread.
  const managed = threads.some((t) => t.managed != null);
  const dotnetColumns: Column<ThreadInfo>[] = managed
    ? [
        { header: 'ID', value: (t) => (t.managed?.managedId != null ? String(t.managed.managedId) : '-'), align: 'right' },
        { header: 'GC MODE', value: (t) => t.managed?.gcMode ?? '-' },
        { header: 'ROLES', value: (t) => [...(t.managed?.roles ?? []), ...(t.managed?.runtimeRole ? [t.managed.runtimeRole] : [])].join('; ') || '-', max: 80 },
      ]
    : [];
  ctx.out(
    table(threads, [
      { header: '#', value: (t) => String(t.index), align: 'right' },
      { header: 'DBG', value: (t) => String(t.dbg), align: 'right' },
      { header: 'TID', value: (t) => String(t.tid), align: 'right' },
      { header: 'OSID', value: (t) => t.osid, align: 'right' },
      ...dotnetColumns,
      { header: 'SIGNAL', value: (t) => t.signalName ?? '-' },
      { header: 'STATE', value: (t) => (t.state === 'syscall' ? `in ${t.syscall?.name ?? 'syscall'}` : 'running') },
      { header: 'WAITS ON', value: (t) => t.wait?.summary ?? t.syscall?.text ?? '-', max: 110 },
      { header: 'TOP FRAME', value: (t) => t.topFrame ?? '-', max: 70 },
    ]),
  );
  return 0;
}

export function header(d: DumpSummary): string {
  const sig = d.signalName ? `, signal ${d.signalName}` : '';
  const rt = d.runtime ? `, .NET runtime ${d.runtime.version ?? '(version unknown)'}` : '';
  // A compressed core is read from its decompressed copy; name the file the user gave.
  const shown = d.originalPath ? `${d.originalPath} (${d.compression ?? 'compressed'})` : d.path;
  const lines = [`${inertCell(shown)}: ${inertCell(d.process)} (pid ${d.pid}${sig}), ${d.threadCount} threads${rt}`];
  if (d.args && d.args !== d.process) lines.push(`command line: ${inertCell(d.args)}`);
  return lines.join('\n') + '\n\n';
}
