// gdb: `info threads` and `bt` / `thread apply all bt`.
//
//   Id   Target Id                                     Frame
// * 1    Thread 0x7f5bd9fbe740 (LWP 10681) "deadlock"  __futex_abstimed_wait_common64 (…) at ./nptl/futex-internal.c:57
//   2    LWP 3872          futex_wait (private=0, expected=2, futex_word=0x560adca81100 <lock_b>) at ../sysdeps/nptl/futex-internal.h:146
//
// Thread 4 (Thread 0x7f7c985c56c0 (LWP 3874)):
// #0  0x00007f7c9969edf2 in __libc_pause () at ../sysdeps/unix/sysv/linux/pause.c:29
// #2  <signal handler called>
// #5  0x0000558cb536e2bd in ?? ()
// #1  0x00007f5bda04d482 in pthread_mutex_lock () from /lib/x86_64-linux-gnu/libc.so.6
//
// On a narrow terminal gdb wraps a long frame onto indented continuation lines; we join them.

import { decToNumber, joinContinuation, openingParen, toAddress } from './text';
import {
  type GdbBacktraceResult,
  type GdbBacktraceThread,
  type GdbFrame,
  type GdbInfoThreadsResult,
  type GdbThreadEntry,
  type ParseWarning,
} from './types';

const RE_FRAME_LINE = /^#(\d+)\s+(.*)$/;
const RE_PC_IN = /^(0x[0-9a-fA-F]+) in (.*)$/;
const RE_AT = /\s+at\s+(\S+):(\d+)$/;
const RE_FROM = /\s+from\s+(\S+)$/;
const RE_TARGET = /^(?:Thread (0x[0-9a-fA-F]+) \(LWP (\d+)\)|LWP (\d+)|process (\d+)|Thread (\d+)\.(\d+)|Thread (0x[0-9a-fA-F]+))(?: "((?:[^"\\]|\\.)*)")?/;
const RE_INFO_ENTRY = /^(\*)?\s{0,6}(\d+)\s+((?:Thread|LWP|process) .*)$/;
const RE_INFO_HEADER = /^\s*Id\s+Target Id\s+Frame\s*$/;
const RE_BT_THREAD = /^Thread (\d+) \((.*)\):\s*$/;
const RE_SWITCH = /^\[(?:Switching to|Current) thread(?: is)? (\d+) \((.*)\)\]$/;

interface Target {
  tid: number | null;
  pthread: string | null;
  name: string | null;
  length: number;
}

function parseTarget(text: string): Target | null {
  const m = RE_TARGET.exec(text);
  if (!m) return null;
  const tid = decToNumber(m[2] ?? m[3] ?? m[4] ?? m[6] ?? null);
  const pthread = toAddress(m[1] ?? m[7] ?? null);
  const name = m[8] === undefined ? null : m[8].replace(/\\(.)/g, '$1');
  return { tid, pthread, name, length: m[0].length };
}

/** Parses the text of one frame after "#N  " (or the Frame column of `info threads`). */
export function parseGdbFrameText(index: number, text: string, raw: string): GdbFrame {
  const frame: GdbFrame = {
    index,
    pc: null,
    function: null,
    args: null,
    file: null,
    line: null,
    library: null,
    inlined: false,
    signalHandler: false,
    unknownFunction: false,
    raw,
  };
  let rest = text.trim();
  const pc = RE_PC_IN.exec(rest);
  if (pc) {
    frame.pc = toAddress(pc[1]);
    rest = pc[2].trim();
  } else if (/^0x[0-9a-fA-F]+$/.test(rest)) {
    frame.pc = toAddress(rest);
    return frame;
  }
  if (rest === '<signal handler called>') {
    frame.signalHandler = true;
    frame.function = rest;
    return frame;
  }
  const at = RE_AT.exec(rest);
  if (at) {
    frame.file = at[1];
    frame.line = parseInt(at[2], 10);
    rest = rest.slice(0, at.index);
  } else {
    const from = RE_FROM.exec(rest);
    if (from) {
      frame.library = from[1];
      rest = rest.slice(0, from.index);
    }
  }
  rest = rest.trim();
  const open = openingParen(rest, rest.length);
  if (open >= 0) {
    frame.args = rest.slice(open + 1, rest.length - 1);
    rest = rest.slice(0, open).trim();
  }
  if (rest === '??') {
    frame.unknownFunction = true;
    frame.function = null;
  } else {
    frame.function = rest === '' ? null : rest;
  }
  return frame;
}

/** Joins wrapped continuation lines (indented, not a new entry) onto the line before. */
function joinWrapped(lines: readonly string[], isStart: (line: string) => boolean): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (out.length > 0 && /^\s+\S/.test(line) && !isStart(line)) {
      const last = out[out.length - 1];
      if (/^#\d+\s/.test(last.text) || RE_INFO_ENTRY.test(last.text)) {
        last.text = joinContinuation(last.text, line);
        continue;
      }
    }
    out.push({ text: line, line: i });
  }
  return out;
}

/** Parses `info threads`. */
export function parseGdbInfoThreads(lines: readonly string[]): GdbInfoThreadsResult {
  const threads: GdbThreadEntry[] = [];
  const warnings: ParseWarning[] = [];
  const unparsed: string[] = [];
  for (const { text, line } of joinWrapped(lines, (l) => RE_INFO_ENTRY.test(l))) {
    if (text.trim() === '' || RE_INFO_HEADER.test(text)) continue;
    const m = RE_INFO_ENTRY.exec(text);
    if (!m) {
      unparsed.push(text);
      continue;
    }
    const target = parseTarget(m[3]);
    if (!target) {
      unparsed.push(text);
      continue;
    }
    const frameText = m[3].slice(target.length).trim();
    threads.push({
      number: parseInt(m[2], 10),
      current: m[1] === '*',
      targetId: m[3].slice(0, target.length),
      tid: target.tid,
      pthread: target.pthread,
      name: target.name,
      frame: frameText === '' ? null : parseGdbFrameText(0, frameText, text),
      line,
    });
  }
  return { threads, warnings, unparsed };
}

/** Parses `bt`, `thread apply all bt`, `thread N` (which prints frame #0). */
export function parseGdbBacktrace(lines: readonly string[]): GdbBacktraceResult {
  const threads: GdbBacktraceThread[] = [];
  const warnings: ParseWarning[] = [];
  const unparsed: string[] = [];
  let current: GdbBacktraceThread | null = null;
  let pending: { number: number; target: Target | null } | null = null;
  const finish = (t: GdbBacktraceThread | null): void => {
    if (t === null) return;
    for (let k = 1; k < t.frames.length; k++) {
      const f = t.frames[k];
      if (f.pc === null && !f.signalHandler && !t.frames[k - 1].signalHandler) t.frames[k - 1].inlined = true;
    }
  };
  const newThread = (number: number | null, target: Target | null, line: number): GdbBacktraceThread => {
    const t: GdbBacktraceThread = {
      number,
      tid: target?.tid ?? null,
      pthread: target?.pthread ?? null,
      name: target?.name ?? null,
      frames: [],
      stopped: null,
      truncated: false,
      line,
    };
    threads.push(t);
    return t;
  };
  for (const { text, line } of joinWrapped(lines, (l) => /^#\d+\s/.test(l))) {
    const t = text.trim();
    if (t === '') continue;
    const th = RE_BT_THREAD.exec(text);
    if (th) {
      finish(current);
      current = newThread(parseInt(th[1], 10), parseTarget(th[2]), line);
      pending = null;
      continue;
    }
    const sw = RE_SWITCH.exec(t);
    if (sw) {
      pending = { number: parseInt(sw[1], 10), target: parseTarget(sw[2]) };
      continue;
    }
    const f = RE_FRAME_LINE.exec(text);
    if (f) {
      const index = parseInt(f[1], 10);
      if (current === null || (index === 0 && current.frames.length > 0)) {
        finish(current);
        current = newThread(pending?.number ?? null, pending?.target ?? null, line);
        pending = null;
      }
      current.frames.push(parseGdbFrameText(index, f[2], text));
      continue;
    }
    if (t.startsWith('Backtrace stopped:')) {
      if (current !== null) current.stopped = t.slice('Backtrace stopped:'.length).trim();
      continue;
    }
    if (t === '(More stack frames follow...)') {
      if (current !== null) current.truncated = true;
      continue;
    }
    unparsed.push(text);
  }
  finish(current);
  return { threads, warnings, unparsed };
}
