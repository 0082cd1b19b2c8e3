// `dumpscope bt <dump> [--thread SEL] [--json]`: symbolized stacks, read like a debugger's
// backtrace: module`function + offset, file:line, inline frames, and how each frame was found.
import { type StackFrame, type ThreadInfo, type ThreadStack, JSON_SCHEMA_VERSION } from '../../shared/types';
import { findThread } from '../../shared/thread-selector';
import { DumpscopeError } from '../core/errors';
import { type CliContext } from './context';
import { dumpJson, header, threadJson } from './commands-threads';
import { inertCell, jsonText } from './format';

export interface StackOpts {
  json?: boolean;
  partial?: boolean;
  thread?: string;
  symbols?: string[];
}

export function frameJson(f: StackFrame) {
  return {
    index: f.index,
    pc: f.pc,
    sp: f.sp,
    cfa: f.cfa,
    module: f.module,
    function: f.function,
    rawFunction: f.rawFunction,
    debugFunction: f.debugFunction ?? null,
    offset: f.offset,
    file: f.file,
    line: f.line,
    column: f.column,
    inline: f.inline,
    how: f.how,
    signalFrame: f.signalFrame,
  };
}

export function selectThreads(threads: ThreadInfo[], sel: string | undefined): ThreadInfo[] {
  if (sel === undefined) return threads;
  const r = findThread(threads, sel);
  if (!r.ok) throw new DumpscopeError('UnknownThread', `--thread ${sel}: ${r.message}`, { where: 'bt' });
  return [r.thread];
}

const HOW_BADGE: Record<StackFrame['how'], string> = { context: '', cfi: '', fp: '  [frame pointer]', scan: '  [stack scan]', managed: '  [managed]' };

export function formatFrame(f: StackFrame): string {
  const addr = `0x${f.pc.slice(2).padStart(16, '0')}`;
  const name = f.function ? `${f.function}${f.offset ? ` + ${f.offset}` : ''}` : f.inline ? '??' : f.pc;
  const loc = f.file ? ` at ${f.file}${f.line !== null ? `:${f.line}` : ''}` : '';
  const inl = f.inline ? ' [inlined]' : '';
  return `  #${String(f.index).padEnd(3)} ${addr} ${inertCell(f.module ?? '?')}\`${inertCell(name)}${inl}${inertCell(loc)}${HOW_BADGE[f.how]}`;
}

export function formatStack(t: ThreadInfo, s: ThreadStack | undefined): string {
  const ids = `tid ${t.tid}, OSID ${t.osid}, DBG ${t.dbg}${t.name ? `, ${inertCell(t.name)}` : ''}`;
  const lines = [`thread #${t.index} (${ids})${t.wait ? `: ${inertCell(t.wait.summary)}` : ''}`];
  if (!s) lines.push('  (no stack)');
  else {
    for (const f of s.frames) lines.push(formatFrame(f));
    if (s.stopReason !== 'ok') lines.push(`  (walk stopped: ${s.stopReason}${s.stopDetail ? `: ${inertCell(s.stopDetail)}` : ''})`);
  }
  return lines.join('\n') + '\n';
}

export async function btCommand(ctx: CliContext, dumpPath: string, opts: StackOpts): Promise<number> {
  const dump = await ctx.open(dumpPath, { partial: opts.partial, symbols: opts.symbols });
  const all = await ctx.api.listThreads({ dumpId: dump.id });
  const threads = selectThreads(all, opts.thread);
  const stacks = opts.thread === undefined ? await ctx.api.getStacks({ dumpId: dump.id }) : await ctx.api.getStacks({ dumpId: dump.id, tid: threads[0].tid });
  const byTid = new Map(stacks.map((s) => [s.tid, s]));
  if (opts.json) {
    const doc = {
      schemaVersion: JSON_SCHEMA_VERSION,
      dump: dumpJson(dump),
      threads: threads.map((t) => {
        const s = byTid.get(t.tid);
        return { ...threadJson(t), frames: s ? s.frames.map(frameJson) : [], stopReason: s?.stopReason ?? null, stopDetail: s?.stopDetail ?? null };
      }),
    };
    ctx.out(jsonText(doc));
    return 0;
  }
  ctx.out(header(dump));
  ctx.out(threads.map((t) => formatStack(t, byTid.get(t.tid))).join('\n'));
  return 0;
}
