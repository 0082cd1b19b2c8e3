// One view of a native stack for the runtime rules, whichever tool printed it: the dump's own
// unwinder, lldb's `bt` or gdb's `bt`. Rules only look at function and module names, so the
// three sources reduce to the same few fields. Innermost frame first.

import { type StackFrame } from '../../../shared/types';
import { openingParen } from './text';
import { type GdbBacktraceThread, type LldbBacktraceThread } from './types';

export type NativeStackSource = 'dump' | 'lldb' | 'gdb';

export interface RuleFrame {
  /** The frame's number as its source printed it (lldb `frame #N`, gdb `#N`, the dump's index). */
  index: number;
  /** Function name without its argument list; null when the tool had no symbol. */
  function: string | null;
  /** Module file name ("libcoreclr.so"); null when unknown (JIT code). */
  module: string | null;
  pc: string | null;
  /** The argument list as printed ("mutex=0x5606ec9f5100 <lock_b>"), when the tool printed one. */
  args: string | null;
  /** The frame as the tool printed it, for evidence. */
  text: string;
}

export interface NativeStack {
  source: NativeStackSource;
  frames: RuleFrame[];
  /** The paste or the walk was cut ("[...]", "(More stack frames follow...)"). */
  truncated: boolean;
  /** How many frames have a name: the better of two copies of one thread's stack wins. */
  named: number;
}

const baseName = (p: string | null): string | null => {
  if (p === null) return null;
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
};

/** The parenthesised arguments at the end of an lldb symbol ("f(mutex=0x…)" -> "mutex=0x…"). */
function argsOf(symbol: string | null): string | null {
  if (symbol === null) return null;
  const open = symbol.indexOf('(');
  const close = symbol.lastIndexOf(')');
  return open >= 0 && close > open ? symbol.slice(open + 1, close) : null;
}

function stackOf(source: NativeStackSource, frames: RuleFrame[], truncated: boolean): NativeStack {
  return { source, frames, truncated, named: frames.filter((f) => f.function !== null).length };
}

export function fromLldb(t: LldbBacktraceThread): NativeStack {
  const frames = t.frames.map((f) => ({
    index: f.index,
    function: f.unnamedSymbol ? null : f.function,
    module: f.module,
    pc: f.pc,
    args: argsOf(f.symbol),
    text: f.raw.trim(),
  }));
  return stackOf('lldb', frames, t.truncated);
}

export function fromGdb(t: GdbBacktraceThread): NativeStack {
  const frames = t.frames
    .filter((f) => !f.signalHandler)
    .map((f) => ({
      index: f.index,
      function: f.unknownFunction ? null : f.function,
      module: baseName(f.library),
      pc: f.pc,
      args: f.args,
      text: f.raw.trim(),
    }));
  return stackOf('gdb', frames, t.truncated || t.stopped !== null);
}

/** A demangled C++ name without its parameter list and qualifiers: "A::f(int) const" -> "A::f". */
export function bareFunction(name: string | null): string | null {
  if (name === null) return null;
  let n = name.trim();
  for (const q of [' const', ' volatile', ' &&', ' &']) if (n.endsWith(q)) n = n.slice(0, -q.length).trimEnd();
  const open = openingParen(n, n.length);
  return open > 0 ? n.slice(0, open).trimEnd() : n;
}

export function fromDump(frames: readonly StackFrame[], stopped: boolean): NativeStack {
  const out = frames.map((f) => ({
    index: f.index,
    function: bareFunction(f.function),
    module: f.module,
    pc: f.pc,
    args: null,
    text: `frame #${f.index} ${f.module ?? '?'}\`${f.function ?? f.pc}${f.offset ? ` + ${f.offset}` : ''}`,
  }));
  return stackOf('dump', out, stopped);
}

/** Of two copies of one thread's stack, the one that names more frames (then the longer one). */
export function betterStack(a: NativeStack | null, b: NativeStack): NativeStack {
  if (a === null) return b;
  if (b.named !== a.named) return b.named > a.named ? b : a;
  return b.frames.length > a.frames.length ? b : a;
}
