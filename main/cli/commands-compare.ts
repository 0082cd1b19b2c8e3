// `dumpscope compare <dumpA> <dumpB> [--json]`: the threads of two dumps of one process side by
// side — stuck, progressed (and where their stacks part), new, exited — the wait-for edges
// present in both, the deadlocks confirmed by both, and the verdict in words. Exit code 3 when
// a deadlock is confirmed, as `locks` does when it finds one.
import { JSON_SCHEMA_VERSION, type ComparedDump, type DumpComparison, type ThreadComparison } from '../../shared/types';
import { type CliContext } from './context';
import { DEADLOCK_EXIT_CODE } from './commands-locks';
import { inertCell, table, jsonText } from './format';

export interface CompareOptions {
  json?: boolean;
  partial?: boolean;
  symbols?: string[];
}

export async function compareCommand(ctx: CliContext, pathA: string, pathB: string, opts: CompareOptions): Promise<number> {
  const a = await ctx.open(pathA, { partial: opts.partial, symbols: opts.symbols });
  const b = await ctx.open(pathB, { partial: opts.partial });
  const c = await ctx.api.compareDumps({ dumpA: a.id, dumpB: b.id });
  if (opts.json) ctx.out(jsonText(compareJson(c)));
  else ctx.out(formatComparison(c));
  return c.verdict.deadlockConfirmed ? DEADLOCK_EXIT_CODE : 0;
}

export function compareJson(c: DumpComparison) {
  return { schemaVersion: JSON_SCHEMA_VERSION, ...c };
}

function sideLine(label: string, d: ComparedDump, c: DumpComparison): string {
  const time = d.capturedAtMs !== null ? `, file time ${new Date(d.capturedAtMs).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '';
  const later = label === 'B' && c.interval ? ` (${c.interval.text} ${c.interval.ms >= 0 ? 'later' : 'earlier'})` : '';
  return `${label}: ${inertCell(d.originalPath ?? d.path)}: ${inertCell(d.process)} (pid ${d.pid}), ${d.threadCount} threads${time}${later}`;
}

function note(t: ThreadComparison): string {
  if (t.status === 'progressed' && t.divergence) {
    const d = t.divergence;
    const common = d.commonOuterFrames > 0 ? `${d.commonOuterFrames} outer frames in common, then ` : '';
    return `${common}A: ${d.frameA ?? '(ends)'} / B: ${d.frameB ?? '(ends)'}`;
  }
  return t.b?.waitSummary ?? t.a?.waitSummary ?? '';
}

export function formatComparison(c: DumpComparison): string {
  const out: string[] = [sideLine('A', c.dumpA, c), sideLine('B', c.dumpB, c)];
  if (!c.sameProcess.same) out.push(`not the same process: ${c.sameProcess.differences.map(inertCell).join('; ')}`);
  out.push('', inertCell(c.verdict.summary), '');
  for (const d of c.verdict.details) out.push(`  ${inertCell(d)}`);
  if (c.verdict.details.length > 0) out.push('');
  out.push(
    table(c.threads, [
      { header: 'STATUS', value: (t) => t.status },
      { header: '#', value: (t) => String((t.a ?? t.b)?.index ?? ''), align: 'right' },
      { header: 'TID', value: (t) => String(t.tid), align: 'right' },
      { header: 'TOP FRAME IN A', value: (t) => t.a?.topFrame ?? '-', max: 48 },
      { header: 'TOP FRAME IN B', value: (t) => t.b?.topFrame ?? '-', max: 48 },
      { header: 'WHERE THE STACKS PART / WAITS ON', value: note, max: 120 },
    ]).trimEnd(),
  );
  if (c.persistentEdges.length > 0) {
    out.push('', 'In both dumps:');
    for (const e of c.persistentEdges) out.push(`  ${inertCell(e.summary)}`);
  }
  if (c.interval === null) out.push('', `(the time between the dumps is unknown${c.dumpA.capturedAtMs === null || c.dumpB.capturedAtMs === null ? ': a file time is missing' : ''})`);
  return out.join('\n') + '\n';
}
