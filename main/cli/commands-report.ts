// `dumpscope report <dump> [--compare <dumpB>] --format html|md|json [-o FILE]`: a report for
// the bug tracker. Written to FILE (through a temporary file, so a failed write leaves nothing
// half-written) or to stdout. The format may also come from FILE's extension.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ReportFormat } from '../../shared/types';
import { DumpscopeError } from '../core/errors';
import { type CliContext } from './context';
import { inertCell } from './format';

export interface ReportOptions {
  compare?: string;
  format?: string;
  out?: string;
  partial?: boolean;
  symbols?: string[];
}

const FORMATS: readonly ReportFormat[] = ['html', 'md', 'json'];
const BY_EXTENSION: Record<string, ReportFormat> = { '.html': 'html', '.htm': 'html', '.md': 'md', '.markdown': 'md', '.json': 'json' };

function bad(message: string): DumpscopeError {
  return new DumpscopeError('BadRequest', `report: ${message}`, { where: 'report' });
}

export function reportFormat(opts: Pick<ReportOptions, 'format' | 'out'>): ReportFormat {
  if (opts.format !== undefined) {
    const want = opts.format.toLowerCase() === 'markdown' ? 'md' : opts.format.toLowerCase();
    const f = FORMATS.find((x) => x === want);
    if (!f) throw bad(`--format ${JSON.stringify(opts.format)}: use html, md or json`);
    return f;
  }
  const byExt = opts.out ? BY_EXTENSION[path.extname(opts.out).toLowerCase()] : undefined;
  if (byExt) return byExt;
  throw bad('choose --format html, md or json');
}

export async function reportCommand(ctx: CliContext, dumpPath: string, opts: ReportOptions): Promise<number> {
  const format = reportFormat(opts);
  const dump = await ctx.open(dumpPath, { partial: opts.partial, symbols: opts.symbols });
  const other = opts.compare !== undefined ? await ctx.open(opts.compare, { partial: opts.partial }) : null;
  const report = await ctx.api.exportReport({ dumpId: dump.id, compareWith: other?.id, format });
  if (opts.out === undefined) {
    ctx.out(report.content);
    return 0;
  }
  const file = path.resolve(opts.out);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, report.content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const why = e instanceof Error && 'code' in e ? String((e as NodeJS.ErrnoException).code) : 'write failed';
    throw new DumpscopeError(why === 'ENOENT' ? 'FileNotFound' : why === 'EACCES' ? 'PermissionDenied' : 'ReadFailed', `${file}: cannot write the report (${why})`, { file });
  }
  ctx.out(`${inertCell(file)}: ${format} report, ${(Buffer.byteLength(report.content) / 1024).toFixed(1)} KiB\n`);
  return 0;
}
