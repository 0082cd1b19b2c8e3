// `dumpscope search <query> [--json] [--limit N]`: every indexed dump with a frame, module or
// transcript containing the text ("which dumps have a thread in RequestReJIT?"). Reads the index
// only: nothing is opened or re-indexed.
import { JSON_SCHEMA_VERSION, type SearchHit, type SearchResults } from '../../shared/types';
import { assertNever } from '../../shared/errors';
import { DumpscopeError } from '../core/errors';
import { type CliContext } from './context';
import { inertCell, jsonText } from './format';

export interface SearchOpts {
  json?: boolean;
  limit?: string;
}

export async function searchCommand(ctx: CliContext, query: string, opts: SearchOpts): Promise<number> {
  let limit: number | undefined;
  if (opts.limit !== undefined) {
    limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new DumpscopeError('BadRequest', `--limit ${opts.limit}: a whole number from 1 to 1000`, { where: 'search' });
  }
  const r = await ctx.api.search({ query, limit });
  if (opts.json) {
    const { elapsedMs: _elapsed, ...rest } = r;
    ctx.out(jsonText({ schemaVersion: JSON_SCHEMA_VERSION, ...rest }));
  } else {
    ctx.out(formatSearch(r));
  }
  return 0;
}

/** One block per dump: its path, then a line per hit (thread #index/tid and the matching frame). */
export function formatSearch(r: SearchResults): string {
  if (r.mode === 'empty') return 'Nothing to search for: give some text.\n';
  if (r.total === 0) return `No frame, module or transcript of the indexed dumps contains "${inertCell(r.query)}".\n`;
  const out: string[] = [];
  const dumps = r.groups.length;
  out.push(`${r.total} match${r.total === 1 ? '' : 'es'} for "${inertCell(r.query)}" in ${dumps} dump${dumps === 1 ? '' : 's'}${r.truncated ? ' (not all shown: see --limit)' : ''}`);
  for (const g of r.groups) {
    out.push('');
    out.push(`${inertCell(g.dump.originalPath ?? g.dump.path)}  (${inertCell(g.dump.process)}, pid ${g.dump.pid}): ${g.total} match${g.total === 1 ? '' : 'es'}`);
    for (const h of g.hits) out.push(`  ${hitLine(h, r.query)}`);
    if (g.hits.length < g.total) out.push(`  … ${g.total - g.hits.length} more`);
  }
  return out.join('\n') + '\n';
}

/** The line of a multi-line hit (a transcript chunk) that holds the match. */
function matchingLine(text: string, query: string): string {
  const q = query.trim().toLowerCase();
  const lines = text.split('\n');
  return lines.find((l) => l.toLowerCase().includes(q)) ?? lines[0] ?? '';
}

function hitLine(h: SearchHit, query: string): string {
  switch (h.kind) {
    case 'frame': {
      const who = h.thread ? `thread #${h.thread.index} tid ${h.thread.tid} (OSID ${h.thread.osid})` : 'thread ?';
      if (!h.frame) return `${who}  ${inertCell(h.text)}`;
      const f = h.frame;
      const name = f.function ? `${f.function}${f.offset ? ` + ${f.offset}` : ''}` : f.pc;
      const loc = f.file ? ` at ${f.file}${f.line !== null ? `:${f.line}` : ''}` : '';
      return `${who}  frame #${f.index} ${inertCell(f.module ?? '?')}\`${inertCell(name)}${f.inline ? ' [inlined]' : ''}${inertCell(loc)}`;
    }
    case 'module':
      return `module #${h.module?.index ?? '?'}  ${inertCell(h.module?.path ?? h.text)}`;
    case 'transcript':
      return `transcript ${inertCell(h.transcriptId ?? '?')}  ${inertCell(matchingLine(h.text, query).trim().slice(0, 200))}`;
    default:
      return assertNever(h.kind, 'search hit kind');
  }
}
