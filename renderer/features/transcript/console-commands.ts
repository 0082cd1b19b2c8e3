// The transcript console's built-in commands, answered from the index as a debugger would print
// them: `threads`, `bt [SEL]`, `setthread SEL` / `setthread -t TID` (dotnet-dump's numbering:
// a bare number is a DBG), `locks`, `clrthreads` (SOS's table, from imported transcripts),
// `help`. Anything else goes to a debugger session (runEngineCommand) when one is chosen. Pure
// apart from the injected stack reader: unit-tested.
import { findThread } from '../../../shared/thread-selector';
import { type LockGraph, type StackFrame, type ThreadInfo, type ThreadStack } from '../../../shared/types';
import { baseName } from '../../lib/format';

export interface ConsoleContext {
  threads: readonly ThreadInfo[];
  selectedTid: number | null;
  locks: LockGraph | null;
  getStack(tid: number): Promise<ThreadStack | null>;
}

export interface ConsoleAnswer {
  output: string;
  /** A thread the command selects (setthread). */
  select?: number;
  /** True when the command failed (shown as an error). */
  error?: boolean;
}

export const BUILTIN_HELP = [
  'Built-in commands (answered from the index):',
  '  threads              every thread: #index, DBG, tid, OSID, state, what it waits on',
  '  bt [SEL]             the selected thread\u2019s stack, or SEL\u2019s (3193, 0xc79, #16, dbg:15); bt all: every thread',
  '  setthread N          select the thread dotnet-dump calls N (its DBG); setthread -t TID by OS thread id',
  '  setthread SEL        also #16 (lldb), 0xc79 (OSID), tid:3193',
  '  locks                the wait-for verdict and who holds what',
  '  clrthreads           SOS\u2019s thread table, from imported dotnet-dump/SOS transcripts',
  '  help                 this text',
  'Anything else is sent to the debugger chosen beside the prompt (dotnet-dump, lldb or gdb) when one is installed.',
].join('\n');

const BUILTINS = new Set(['threads', 'bt', 'setthread', 'locks', 'clrthreads', 'help', '?']);

/** True when the line is a built-in command (the rest go to a debugger). */
export function isBuiltin(line: string): boolean {
  return BUILTINS.has(line.trim().split(/\s+/)[0]?.toLowerCase() ?? '');
}

export async function runBuiltin(line: string, ctx: ConsoleContext): Promise<ConsoleAnswer> {
  const [cmd, ...args] = line.trim().split(/\s+/);
  switch (cmd.toLowerCase()) {
    case 'help':
    case '?':
      return { output: BUILTIN_HELP };
    case 'threads':
      return { output: threadsText(ctx.threads, ctx.selectedTid) };
    case 'setthread':
      return setThread(args, ctx);
    case 'bt':
      return backtrace(args, ctx);
    case 'locks':
      return { output: locksText(ctx.locks, ctx.threads) };
    case 'clrthreads':
      return { output: clrthreadsText(ctx.threads) };
    default:
      return { output: `${cmd}: not a built-in command (type help); to send it to a debugger, choose dotnet-dump, lldb or gdb beside the prompt`, error: true };
  }
}

function describe(t: ThreadInfo): string {
  return `thread #${t.index} (DBG ${t.dbg}, tid ${t.tid}, OSID ${t.osid})`;
}

function setThread(args: string[], ctx: ConsoleContext): ConsoleAnswer {
  if (args.length === 0) {
    const cur = ctx.threads.find((t) => t.tid === ctx.selectedTid);
    return { output: cur ? `current: ${describe(cur)}` : 'no thread selected' };
  }
  let t: ThreadInfo | undefined;
  let how: string;
  if (args[0] === '-t') {
    // dotnet-dump: setthread -t <OS thread id>, decimal (or 0x… hex)
    const v = args[1] ?? '';
    const tid = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : /^\d+$/.test(v) ? Number(v) : NaN;
    if (Number.isNaN(tid)) return { output: `setthread -t ${v}: give an OS thread id (decimal, or 0x… hex)`, error: true };
    t = ctx.threads.find((x) => x.tid === tid);
    how = `tid ${tid}`;
    if (!t) return { output: `no thread with tid ${tid}`, error: true };
  } else if (/^\d+$/.test(args[0])) {
    // dotnet-dump: setthread <index>, its 0-based DBG (under lldb + SOS it would be lldb's #index)
    const dbg = Number(args[0]);
    t = ctx.threads.find((x) => x.dbg === dbg);
    how = `DBG ${dbg} (dotnet-dump numbering; lldb's is #${dbg + 1})`;
    if (!t) return { output: `no thread with DBG ${dbg} (DBG runs 0…${ctx.threads.length - 1})`, error: true };
  } else {
    const r = findThread(ctx.threads, args.join(' '));
    if (!r.ok) return { output: r.message, error: true };
    t = r.thread;
    how = r.matched;
  }
  return { output: `${describe(t)} selected, by ${how}`, select: t.tid };
}

async function backtrace(args: string[], ctx: ConsoleContext): Promise<ConsoleAnswer> {
  let list: ThreadInfo[];
  if (args[0]?.toLowerCase() === 'all') list = [...ctx.threads];
  else if (args.length > 0) {
    const r = findThread(ctx.threads, args.join(' '));
    if (!r.ok) return { output: r.message, error: true };
    list = [r.thread];
  } else {
    const cur = ctx.threads.find((t) => t.tid === ctx.selectedTid);
    if (!cur) return { output: 'no thread selected: bt SEL, or setthread first', error: true };
    list = [cur];
  }
  const out: string[] = [];
  for (const t of list.slice(0, 200)) {
    const s = await ctx.getStack(t.tid);
    out.push(`${t.tid === ctx.selectedTid ? '*' : ' '} thread #${t.index}, tid = ${t.tid}, OSID ${t.osid}, DBG ${t.dbg}${t.wait ? `: ${t.wait.summary}` : ''}`);
    if (!s) out.push('    (no stack)');
    else {
      for (const f of s.frames) out.push(`    frame #${f.index}: ${f.pc.padEnd(18)} ${frameLine(f)}`);
      if (s.stopReason !== 'ok') out.push(`    (the walk stopped: ${s.stopReason}${s.stopDetail ? `: ${s.stopDetail}` : ''})`);
    }
    out.push('');
  }
  if (list.length > 200) out.push(`… ${list.length - 200} more threads`);
  return { output: out.join('\n').trimEnd() };
}

/** lldb's frame text: module`function + offset [inlined] at file:line, and how the frame was found. */
export function frameLine(f: StackFrame): string {
  const mod = f.module ? `${baseName(f.module)}\`` : '';
  const fn = f.function ?? f.rawFunction ?? '??';
  const off = f.offset ? ` + ${f.offset}` : '';
  const inl = f.inline ? ' [inlined]' : '';
  const at = f.file ? ` at ${f.file}${f.line !== null ? `:${f.line}` : ''}` : '';
  const how = f.how === 'scan' ? '  [stack scan: a guess]' : f.how === 'fp' ? '  [frame pointer]' : '';
  return `${mod}${fn}${off}${inl}${at}${how}`;
}

export function threadsText(threads: readonly ThreadInfo[], selectedTid: number | null): string {
  const rows = threads.map((t) => [
    t.tid === selectedTid ? '*' : '',
    `#${t.index}`,
    `dbg:${t.dbg}`,
    String(t.tid),
    `0x${t.osid}`,
    t.state === 'syscall' ? `in ${t.syscall?.name ?? 'syscall'}` : 'running',
    t.wait?.summary ?? t.topFrame ?? '-',
  ]);
  const header = ['', '#', 'DBG', 'TID', 'OSID', 'STATE', 'WAITS ON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : i >= 1 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function locksText(g: LockGraph | null, threads: readonly ThreadInfo[]): string {
  if (!g) return 'the wait-for graph is not loaded yet';
  const out = [g.verdict.summary];
  for (const d of g.verdict.details) out.push(`  ${d}`);
  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  if (g.edges.length > 0) out.push('', 'Edges:');
  for (const e of g.edges.slice(0, 500)) {
    const verb = e.kind === 'waits' ? 'waits for' : e.kind === 'held-by' ? 'is held by' : e.kind === 'joins' ? 'waits to join' : e.kind === 'likely-held-by' ? 'is probably held by' : 'waits for the suspension of';
    out.push(`  ${label.get(e.from) ?? e.from} ${verb} ${label.get(e.to) ?? e.to}${e.proven ? '' : ' (not proven)'}`);
    for (const ev of e.evidence) out.push(`      ${ev.kind}: ${ev.text}`);
  }
  if (g.edges.length > 500) out.push(`  … ${g.edges.length - 500} more`);
  const blocked = threads.filter((t) => t.wait?.isLockWait).length;
  out.push('', `${blocked} of ${threads.length} threads wait for something another thread holds.`);
  return out.join('\n');
}

/** SOS's clrthreads layout, for the threads imported transcripts describe. */
export function clrthreadsText(threads: readonly ThreadInfo[]): string {
  const managed = threads.filter((t) => t.managed && (t.managed.managedId !== null || t.managed.gcMode !== null));
  if (managed.length === 0) {
    return 'clrthreads: nothing known about managed threads. Import a dotnet-dump or lldb+SOS transcript (Import…), or send clrthreads to dotnet-dump (choose it beside the prompt).';
  }
  const rows = managed.map((t) => {
    const m = t.managed!;
    return [
      String(t.dbg),
      m.managedId !== null ? String(m.managedId) : '-',
      t.osid,
      m.threadObj ? m.threadObj.replace(/^0x/, '').toUpperCase().padStart(16, '0') : '-',
      m.state ? m.state.replace(/^0x/, '') : '-',
      m.gcMode ?? '-',
      m.lockCount !== null ? String(m.lockCount) : '-',
      m.apartment ?? 'Ukn',
      [m.roles.length ? `(${m.roles.join(', ')})` : '', m.exception ? `${m.exception.type}${m.exception.address ? ` ${m.exception.address}` : ''}` : ''].filter(Boolean).join(' '),
    ];
  });
  const header = ['DBG', 'ID', 'OSID', 'ThreadOBJ', 'State', 'GC Mode', 'Lock Count', 'Apt', 'Exception'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : i <= 4 || i === 6 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join(' ')
      .trimEnd();
  return [`ThreadCount:      ${managed.length}`, '', line(header), ...rows.map(line)].join('\n');
}
