// lldb: `thread list`, `thread backtrace` / `bt` / `bt all` / `thread backtrace all`, and the
// status `thread select N` prints (header, frame #0, disassembly).
//
// * thread #1: tid = 3154, 0x00007f28a116e3f9 libpthread.so.0`__pthread_cond_timedwait + 761, name = 'dotnet', stop reason = signal SIGABRT
// * thread #16, stop reason = signal SIGABRT
//   * frame #0: 0x00007f28a117129c libpthread.so.0`__lll_lock_wait + 28
//     frame #5: 0x00007f28a0271064 libcoreclr.so`CLREventBase::WaitEx(…) [inlined] CLREventWaitHelper2(…) at synch.cpp:377
//     frame #7: 0x00007f2827a3dda5
// ->  0x7f28a117129c <+28>: movl   %edx, %eax

import { decToNumber, hexToNumber, openingParen, toAddress } from './text';
import {
  type LldbBacktraceResult,
  type LldbBacktraceThread,
  type LldbDisassemblyLine,
  type LldbFrame,
  type LldbThreadListEntry,
  type LldbThreadListResult,
  type ParseWarning,
} from './types';

const RE_FRAME = /^\s*(?:(\*)\s*)?frame #(\d+): (0x[0-9a-fA-F]+)(?: +(.*))?$/;
const RE_LIST_ENTRY = /^\s*(?:(\*)\s*)?thread #(\d+): tid = (0x[0-9a-fA-F]+|\d+)(?:, (.*))?$/;
const RE_BT_HEADER = /^\s*(?:(\*)\s*)?thread #(\d+)(?:, (.*)|:? *)$/;
const RE_PROCESS = /^\s*Process (\d+) (stopped|exited|running|launched|attached)/;
const RE_LOCATION = /\s+at\s+(\S+?):(\d+)(?::(\d+))?$/;
const RE_OFFSET = /\s+\+\s+(\d+)$/;
const RE_DISASM = /^(->)?\s+(0x[0-9a-fA-F]+)\s+<\+(\d+)>:\s*(.*)$/;

/** The part of a frame line after the pc: "module`symbol + offset" or "module`symbol at f:l:c". */
function parseLocation(index: number, current: boolean, pc: string, text: string | undefined, raw: string): LldbFrame {
  const frame: LldbFrame = {
    index,
    current,
    pc: toAddress(pc) ?? pc,
    module: null,
    symbol: null,
    function: null,
    offset: null,
    file: null,
    line: null,
    column: null,
    inlined: false,
    artificial: false,
    unnamedSymbol: false,
    raw,
  };
  let rest = (text ?? '').trim();
  if (rest === '') return frame;
  const tick = rest.indexOf('`');
  if (tick > 0 && !/\s/.test(rest.slice(0, tick))) {
    frame.module = rest.slice(0, tick);
    rest = rest.slice(tick + 1);
  }
  if (rest.endsWith(' [artificial]')) {
    frame.artificial = true;
    rest = rest.slice(0, -' [artificial]'.length).trimEnd();
  }
  const loc = RE_LOCATION.exec(rest);
  if (loc) {
    frame.file = loc[1];
    frame.line = parseInt(loc[2], 10);
    frame.column = loc[3] === undefined ? null : parseInt(loc[3], 10);
    rest = rest.slice(0, loc.index);
  }
  const off = RE_OFFSET.exec(rest);
  if (off) {
    frame.offset = parseInt(off[1], 10);
    rest = rest.slice(0, off.index);
  }
  rest = rest.trim();
  if (rest === '') return frame;
  frame.symbol = rest;
  frame.unnamedSymbol = rest.startsWith('___lldb_unnamed_symbol');
  let fn = rest;
  const inl = fn.lastIndexOf(' [inlined] ');
  if (inl >= 0) {
    frame.inlined = true;
    fn = fn.slice(inl + ' [inlined] '.length);
  }
  const open = openingParen(fn, fn.length);
  if (open > 0) fn = fn.slice(0, open);
  frame.function = fn.trim() === '' ? null : fn.trim();
  return frame;
}

/** Parses one "frame #N: …" line; null when the line is not a frame. */
export function parseLldbFrameLine(line: string): LldbFrame | null {
  const m = RE_FRAME.exec(line);
  if (!m) return null;
  return parseLocation(parseInt(m[2], 10), m[1] === '*', m[3], m[4], line);
}

/** Splits ", name = 'x', queue = 'y', stop reason = z" off the end of a thread line. */
function threadAttributes(text: string): { head: string; name: string | null; queue: string | null; stopReason: string | null; tid: number | null } {
  let head = text;
  let name: string | null = null;
  let queue: string | null = null;
  let tid: number | null = null;
  const take = (key: string): string | null => {
    const marker = key + ' = ';
    let at = head.lastIndexOf(', ' + marker);
    let skip = 2 + marker.length;
    if (at < 0 && head.startsWith(marker)) {
      at = 0;
      skip = marker.length;
    }
    if (at < 0) return null;
    const value = head.slice(at + skip);
    head = head.slice(0, at);
    return value;
  };
  const stopReason = take('stop reason');
  const q = take('queue');
  if (q !== null) queue = q.replace(/^'|'$/g, '');
  const n = take('name');
  if (n !== null) name = n.replace(/^'|'$/g, '');
  const t = /^(?:.*, )?tid = (0x[0-9a-fA-F]+|\d+)(?:, (.*))?$/.exec(head);
  if (t) {
    tid = t[1].startsWith('0x') ? hexToNumber(t[1]) : decToNumber(t[1]);
    head = t[2] ?? '';
  }
  return { head: head.trim(), name, queue, stopReason, tid };
}

/** Parses `thread list`. */
export function parseLldbThreadList(lines: readonly string[]): LldbThreadListResult {
  const result: LldbThreadListResult = { processId: null, threads: [], warnings: [], unparsed: [] };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const p = RE_PROCESS.exec(line);
    if (p) {
      result.processId = parseInt(p[1], 10);
      continue;
    }
    const m = RE_LIST_ENTRY.exec(line);
    if (!m) {
      result.unparsed.push(line);
      continue;
    }
    const attrs = threadAttributes(m[4] ?? '');
    const pcMatch = /^(0x[0-9a-fA-F]+)(?: +(.*))?$/.exec(attrs.head);
    const entry: LldbThreadListEntry = {
      index: parseInt(m[2], 10),
      current: m[1] === '*',
      tid: m[3].startsWith('0x') ? hexToNumber(m[3]) : decToNumber(m[3]),
      tidRaw: m[3],
      pc: pcMatch ? toAddress(pcMatch[1]) : null,
      frame: pcMatch ? parseLocation(0, false, pcMatch[1], pcMatch[2], line) : null,
      name: attrs.name,
      queue: attrs.queue,
      stopReason: attrs.stopReason,
      line: i,
    };
    result.threads.push(entry);
  }
  return result;
}

/** Parses `thread backtrace [all]`, `bt [all]` and `thread select` output. A thread printed
 * twice (lldb's batch mode repeats the selected thread's status) keeps its longer copy. */
export function parseLldbBacktrace(lines: readonly string[]): LldbBacktraceResult {
  const threads: LldbBacktraceThread[] = [];
  const disassembly: LldbDisassemblyLine[] = [];
  const warnings: ParseWarning[] = [];
  const unparsed: string[] = [];
  let current: LldbBacktraceThread | null = null;
  const seen = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t === '') continue;
    if (RE_PROCESS.test(line)) continue;
    if (t === '[...]' || t === '...') {
      if (current) current.truncated = true;
      continue;
    }
    const f = parseLldbFrameLine(line);
    if (f) {
      if (current === null) {
        current = { index: 0, current: false, tid: null, name: null, queue: null, stopReason: null, frames: [], truncated: false, line: i };
        threads.push(current);
        warnings.push({ code: 'MissingHeader', message: 'frames without a "thread #N" header', line: i });
      }
      current.frames.push(f);
      continue;
    }
    // Older lldb prints `bt` headers like `thread list` rows: "* thread #1: tid = 928, 0x…, name = …".
    const listStyle = RE_LIST_ENTRY.exec(line);
    const h = listStyle ? null : RE_BT_HEADER.exec(line);
    if (h || listStyle) {
      const star = listStyle ? listStyle[1] : h?.[1];
      const indexText = listStyle ? listStyle[2] : (h?.[2] ?? '0');
      const attrs = threadAttributes(listStyle ? `tid = ${listStyle[3]}, ${listStyle[4] ?? ''}` : (h?.[3] ?? ''));
      const index = parseInt(indexText, 10);
      const thread: LldbBacktraceThread = {
        index,
        current: star === '*',
        tid: attrs.tid,
        name: attrs.name,
        queue: attrs.queue,
        stopReason: attrs.stopReason,
        frames: [],
        truncated: false,
        line: i,
      };
      if (seen.has(index)) {
        warnings.push({ code: 'DuplicateThread', message: `thread #${index} printed again; the copy with more frames is kept`, line: i });
      } else {
        seen.add(index);
      }
      threads.push(thread);
      current = thread;
      continue;
    }
    const d = RE_DISASM.exec(line);
    if (d) {
      disassembly.push({ current: d[1] === '->', address: toAddress(d[2]) ?? d[2], offset: parseInt(d[3], 10), text: d[4] });
      continue;
    }
    if (/^\S+`\S.*:$/.test(t)) continue; // "libpthread.so.0`__lll_lock_wait:" label above a disassembly
    unparsed.push(line);
  }
  return { threads: keepLongestCopies(threads), disassembly, warnings, unparsed };
}

/** lldb's batch mode can print the selected thread's one-frame status next to its full
 * backtrace, in either order. Keep one copy per thread index: the one with the most frames. */
function keepLongestCopies(threads: LldbBacktraceThread[]): LldbBacktraceThread[] {
  const best = new Map<number, LldbBacktraceThread>();
  for (const t of threads) {
    const b = best.get(t.index);
    if (b === undefined || t.frames.length > b.frames.length) best.set(t.index, t);
  }
  const out: LldbBacktraceThread[] = [];
  const done = new Set<number>();
  for (const t of threads) {
    if (done.has(t.index)) continue;
    done.add(t.index);
    const b = best.get(t.index);
    if (b !== undefined) out.push(b);
  }
  return out;
}
