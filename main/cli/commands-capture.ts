// `dumpscope capture <pid> [-o DIR] [--twice --interval 5s] [--type full|heap|mini|triage] [--json]`:
// dumps of a live process, indexed as soon as written. Also `capture --list-processes [FILTER]`
// (what could be captured) and `capture --list-coredumps` (cores systemd-coredump kept).
import * as path from 'node:path';
import { type CaptureResult, type DumpType } from '../../shared/api';
import { JSON_SCHEMA_VERSION } from '../../shared/types';
import { formatBytes, formatInterval, parseInterval } from '../core/capture';
import { DumpscopeError } from '../core/errors';
import { type CliContext } from './context';
import { inert, inertCell, table, jsonText } from './format';

export interface CaptureOptions {
  out?: string;
  twice?: boolean;
  interval?: string;
  type?: string;
  listProcesses?: string | boolean;
  listCoredumps?: boolean;
  json?: boolean;
}

const TYPES: readonly DumpType[] = ['full', 'heap', 'mini', 'triage'];

function bad(message: string): DumpscopeError {
  return new DumpscopeError('BadRequest', `capture: ${message}`, { where: 'capture' });
}

export async function captureCommand(ctx: CliContext, pidText: string | undefined, opts: CaptureOptions): Promise<number> {
  if (opts.listProcesses !== undefined && opts.listProcesses !== false) {
    return listProcessesCommand(ctx, typeof opts.listProcesses === 'string' ? opts.listProcesses : undefined, opts);
  }
  if (opts.listCoredumps) return listCoredumpsCommand(ctx, opts);
  if (pidText === undefined) throw bad('give the process id to dump (dumpscope capture <pid>), or --list-processes to find it');
  if (!/^\d+$/.test(pidText) || Number(pidText) <= 0 || Number(pidText) > 4_194_304) {
    throw bad(`${JSON.stringify(pidText)} is not a process id (a positive number)`);
  }
  const type = opts.type === undefined ? undefined : TYPES.find((t) => t === opts.type);
  if (opts.type !== undefined && type === undefined) throw bad(`--type ${JSON.stringify(opts.type)}: use full, heap, mini or triage`);
  if (opts.interval !== undefined && !opts.twice) throw bad('--interval is the time between two dumps: add --twice');
  const intervalMs = opts.interval === undefined ? undefined : parseInterval(opts.interval);
  const outDir = path.resolve(opts.out ?? process.cwd());
  const result = await ctx.api.captureDump({ pid: Number(pidText), outDir, type, twice: opts.twice ?? false, intervalMs });
  if (opts.json) {
    ctx.out(jsonText(captureJson(result)));
    return 0;
  }
  ctx.out(captureText(result, intervalMs));
  return 0;
}

export function captureJson(r: CaptureResult) {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    pid: r.pid,
    process: r.process,
    dumps: r.dumps.map((d) => d.path),
    compare: r.compare,
    captures: r.dumps.map((d) => ({
      path: d.path,
      tool: d.tool,
      type: d.type,
      bytes: d.bytes,
      elapsedMs: d.elapsedMs,
      startedAt: d.startedAt,
      dumpId: d.dump.id,
      threadCount: d.dump.threadCount,
      notes: d.notes,
    })),
    notes: r.notes,
  };
}

function captureText(r: CaptureResult, intervalMs: number | undefined): string {
  const lines: string[] = [];
  r.dumps.forEach((d, i) => {
    if (i === 1 && intervalMs !== undefined) lines.push(`(second dump ${formatInterval(intervalMs)} after the first)`);
    lines.push(
      `${inertCell(d.path)}: ${d.type} dump of ${inertCell(r.process)} (pid ${r.pid}) by ${d.tool}, ${formatBytes(d.bytes)} in ${(d.elapsedMs / 1000).toFixed(1)} s; indexed: ${d.dump.threadCount} threads`,
    );
    for (const n of d.notes) lines.push(`  note: ${inert(n)}`);
  });
  for (const n of r.notes) lines.push(`note: ${inert(n)}`);
  return lines.join('\n') + '\n';
}

async function listProcessesCommand(ctx: CliContext, filter: string | undefined, opts: CaptureOptions): Promise<number> {
  const procs = await ctx.api.listProcesses({ filter });
  if (opts.json) {
    ctx.out(jsonText({ schemaVersion: JSON_SCHEMA_VERSION, processes: procs }));
    return 0;
  }
  ctx.out(
    table(procs, [
      { header: 'PID', value: (p) => String(p.pid), align: 'right' },
      { header: 'USER', value: (p) => p.user ?? (p.uid === null ? '?' : String(p.uid)) },
      { header: 'THREADS', value: (p) => String(p.threads), align: 'right' },
      { header: '.NET', value: (p) => (p.isDotnet ? 'yes' : p.accessible ? '-' : '?') },
      { header: 'RSS', value: (p) => (p.rssBytes === null ? '-' : formatBytes(p.rssBytes)), align: 'right' },
      { header: 'DUMP', value: (p) => (p.estimatedDumpBytes === null ? '-' : `~${formatBytes(p.estimatedDumpBytes)}`), align: 'right' },
      { header: 'NAME', value: (p) => (p.accessible ? p.name : `${p.name} (no access)`) },
      { header: 'COMMAND', value: (p) => p.cmdline, max: 80 },
    ]),
  );
  return 0;
}

async function listCoredumpsCommand(ctx: CliContext, opts: CaptureOptions): Promise<number> {
  const r = await ctx.api.listCoredumps({});
  if (opts.json) {
    ctx.out(jsonText({ schemaVersion: JSON_SCHEMA_VERSION, available: r.available, coredumps: r.entries, message: r.message }));
    return 0;
  }
  if (!r.available) {
    ctx.err(`dumpscope: ${inert(r.message ?? 'coredumpctl is not available')}\n`);
    return 0;
  }
  if (r.entries.length === 0) {
    ctx.out(`${inert(r.message ?? 'no cores recorded')}\n`);
    return 0;
  }
  ctx.out(
    table(r.entries, [
      { header: 'TIME', value: (e) => e.time ?? '-' },
      { header: 'PID', value: (e) => (e.pid === null ? '-' : String(e.pid)), align: 'right' },
      { header: 'SIGNAL', value: (e) => e.signalName ?? '-' },
      { header: 'COREFILE', value: (e) => e.corefile ?? '-' },
      { header: 'EXE', value: (e) => e.exe ?? '-', max: 60 },
      { header: 'FILE (open with dumpscope threads FILE)', value: (e) => e.path ?? '-' },
    ]),
  );
  return 0;
}
