// One stack, native and managed, as SOS's `clrstack -f` shows it: the managed frames of a
// thread (clrstack's Child SP / IP / Call Site) merged into its native stack from the dump.
//
// Folklore, written down: clrstack's "Child SP" of a managed frame is the stack pointer in that
// frame at its call into the next (inner) frame — the same value the native unwinder gives the
// frame whose pc is the return address into that method. So a JIT frame the native unwinder
// found (by frame pointer or stack scan, as a bare address: JIT code is in no module) has the
// same pc and sp as its clrstack line and takes the managed name; every other managed line
// (CoreCLR's explicit Frames such as PrestubMethodFrame, GCFrame, HelperMethodFrame, whose
// "Child SP" is the Frame object's own address on the stack) goes where its stack address puts
// it. The IP SOS prints for the topmost explicit Frame is the thread's current pc (the article's
// PrestubMethodFrame shows __lll_lock_wait's pc), so runtime Frames are never matched by IP.
// Where the native walk stopped (JIT code has no unwind tables and no frame-pointer chain to
// follow) the managed frames beyond it continue the stack, and the native unwinder can resume
// from the outermost one's SP/IP.

import { type StackFrame, type ThreadStack } from '../../../shared/types';
import { type ClrStackFrame, type ClrStackThread } from './types';

/** Unwinds from a pc and stack pointer (the dump's unwinder); frame 0 is that pc. Null when it cannot. */
export type ResumeUnwind = (ip: bigint, sp: bigint) => ThreadStack | null;

export interface MergeStackOptions {
  resume?: ResumeUnwind | null;
}

interface Managed {
  f: ClrStackFrame;
  sp: bigint;
  ip: bigint | null;
}

const big = (h: string | null): bigint | null => {
  if (h === null) return null;
  try {
    return BigInt(h);
  } catch {
    return null;
  }
};
const hex = (v: bigint): string => `0x${v.toString(16)}`;

function managedFrame(m: Managed): StackFrame {
  const f = m.f;
  return {
    index: 0,
    pc: m.ip === null ? '0x0' : hex(m.ip),
    sp: hex(m.sp),
    cfa: null,
    module: f.module,
    function: f.method ?? (f.frameType !== null ? `[${f.frameType}]` : null),
    rawFunction: null,
    offset: f.offset,
    file: f.file,
    line: f.line,
    column: null,
    inline: false,
    how: 'managed',
    signalFrame: false,
    managedFrameKind: f.kind === 'runtime' ? f.frameType : null,
    nameSource: 'transcript',
  };
}

/** Merges one thread's clrstack frames into its native stack. Pure (the resume callback aside). */
export function mergeManagedFrames(native: ThreadStack, managed: ClrStackThread, opts: MergeStackOptions = {}): ThreadStack {
  const out: StackFrame[] = native.frames.map((f) => ({ ...f }));
  const list: Managed[] = [];
  for (const f of managed.frames) {
    const sp = big(f.childSp);
    if (sp === null) continue;
    list.push({ f, sp, ip: big(f.ip) });
  }
  if (list.length === 0) return native;

  // 1. JIT frames the native walk saw as bare addresses take their managed names (match by IP).
  const used = new Set<Managed>();
  for (const m of list) {
    if (m.f.kind !== 'managed' || m.ip === null) continue;
    const candidates = out.filter((n) => !n.inline && big(n.pc) === m.ip);
    const n = candidates.find((x) => big(x.sp) === m.sp) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (n === undefined) continue;
    used.add(m);
    if (n.function !== null) continue; // already named by symbols: keep it
    n.function = m.f.method;
    n.module = m.f.module ?? n.module;
    n.file = m.f.file;
    n.line = m.f.line;
    n.nameSource = 'transcript';
  }

  // 2. The rest by stack address; beyond the end of a walk that stopped, they continue it.
  const last = out.length > 0 ? big(out[out.length - 1].sp) : null;
  const stopped = native.stopReason !== 'ok';
  const beyond: Managed[] = [];
  for (const m of list) {
    if (used.has(m)) continue;
    if (stopped && last !== null && m.sp > last) {
      beyond.push(m);
      continue;
    }
    let at = out.findIndex((n) => (big(n.sp) ?? 0n) > m.sp);
    if (at < 0) at = out.length;
    out.splice(at, 0, managedFrame(m));
  }

  let stopDetail = native.stopDetail;
  if (beyond.length > 0) {
    const lastFrame = native.frames[native.frames.length - 1];
    const inJit = lastFrame !== undefined && lastFrame.module === null;
    const head = inJit
      ? `the native unwinder cannot pass through JIT code at ${lastFrame.pc} (no unwind tables there)`
      : `the native walk stopped at ${lastFrame?.pc ?? '?'}`;
    for (const m of beyond) out.push(managedFrame(m));
    stopDetail = `${native.stopDetail ?? native.stopReason}; ${head}; continued with ${beyond.length} frame${beyond.length === 1 ? '' : 's'} from the clrstack transcript (Child SP / IP)`;
    // 3. Resume the native walk from the outermost frame that is real code (not a Frame object).
    const from = [...beyond].reverse().find((m) => m.f.kind !== 'runtime' && m.ip !== null);
    if (opts.resume && from !== undefined && from.ip !== null) {
      const r = opts.resume(from.ip, from.sp);
      const more = r === null ? [] : r.frames.slice(1).filter((f) => (big(f.sp) ?? 0n) > from.sp);
      if (r !== null && more.length > 0) {
        out.push(...more.map((f) => ({ ...f })));
        stopDetail += `; native unwinding resumed from ${hex(from.ip)} (sp ${hex(from.sp)}): ${more.length} more frame${more.length === 1 ? '' : 's'}${r.stopReason === 'ok' ? ', to the outermost frame' : `, then stopped: ${r.stopDetail ?? r.stopReason}`}`;
      }
    }
  }
  out.forEach((f, i) => (f.index = i));
  return { tid: native.tid, frames: out, stopReason: native.stopReason, stopDetail };
}

/** Merges every thread that has clrstack frames; threads without stay as they are. */
export function mergeManagedStacks(natives: readonly ThreadStack[], managed: readonly ClrStackThread[], opts: MergeStackOptions = {}): ThreadStack[] {
  const byTid = new Map<number, ClrStackThread>();
  for (const m of managed) {
    if (m.tid === null) continue;
    const prev = byTid.get(m.tid);
    if (prev === undefined || m.frames.length > prev.frames.length) byTid.set(m.tid, m);
  }
  return natives.map((n) => {
    const m = byTid.get(n.tid);
    return m === undefined ? n : mergeManagedFrames(n, m, opts);
  });
}
