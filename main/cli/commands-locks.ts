// `dumpscope locks <dump> [--json]`: who waits for whom, the cycles, and the verdict in words,
// with the evidence for every edge. Exit code 3 when a deadlock is found.
import { JSON_SCHEMA_VERSION, type LockGraph } from '../../shared/types';
import { type CliContext } from './context';
import { dumpJson, header } from './commands-threads';
import { inertCell, jsonText } from './format';

export const DEADLOCK_EXIT_CODE = 3;

export async function locksCommand(ctx: CliContext, dumpPath: string, opts: { json?: boolean; partial?: boolean; symbols?: string[] }): Promise<number> {
  const dump = await ctx.open(dumpPath, { partial: opts.partial, symbols: opts.symbols });
  const graph = await ctx.api.getLocks({ dumpId: dump.id });
  if (opts.json) {
    ctx.out(jsonText({ schemaVersion: JSON_SCHEMA_VERSION, dump: dumpJson(dump), ...graph }));
  } else {
    ctx.out(header(dump));
    ctx.out(formatLocks(graph));
  }
  return graph.verdict.deadlock ? DEADLOCK_EXIT_CODE : 0;
}

export function formatLocks(g: LockGraph): string {
  const out: string[] = [inertCell(g.verdict.summary), ''];
  for (const d of g.verdict.details) out.push(`  ${inertCell(d)}`);
  if (g.verdict.details.length > 0) out.push('');
  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  if (g.edges.length > 0) {
    out.push('Evidence:');
    for (const e of g.edges) {
      const verb = e.kind === 'waits' ? 'waits for' : e.kind === 'held-by' ? 'is held by' : e.kind === 'joins' ? 'waits to join' : e.kind === 'likely-held-by' ? 'is probably held by' : 'waits for';
      out.push(`  ${inertCell(label.get(e.from) ?? e.from)} ${verb} ${inertCell(label.get(e.to) ?? e.to)}${e.proven ? '' : ' (not proven)'}`);
      for (const ev of e.evidence) out.push(`      ${ev.kind}: ${inertCell(ev.text)}`);
    }
  }
  return out.join('\n') + '\n';
}
