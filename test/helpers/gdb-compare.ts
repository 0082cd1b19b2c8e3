// Compares our stacks with gdb's. Two pieces, reusable by anyone who checks frames against gdb:
// - parseGdbBacktraces(text): threads (by LWP) and frames from `thread apply all bt` output;
// - compareWithGdb(ours, text): per thread, gdb's physical frames (inline groups folded, virtual
//   tail-call frames left out when the frame kinds are known) against ours, by position.
// gdbForComparison(exe, core) runs gdb once and returns `bt` output plus one `@@gdbframe` line
// per frame giving gdb's own frame type (from its Python API), which tells inline groups and
// tail-call frames apart without guessing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gdbBatch, TEST_TMP } from './native';

export type GdbFrameKind = 'normal' | 'dummy' | 'inline' | 'tailcall' | 'sigtramp' | 'arch' | 'sentinel' | 'unknown';

export interface GdbFrame {
  level: number;
  /** The address gdb printed ("0x… in"), or null when it printed none. */
  pc: bigint | null;
  /** Function name as printed (without arguments); null for `<signal handler called>` and `??`. */
  func: string | null;
  /** `from /lib/…` or `at file.c:12`, when printed. */
  location: string | null;
  signalHandler: boolean;
  /** gdb's frame type, when `@@gdbframe` lines were present. */
  kind: GdbFrameKind | null;
  text: string;
}

export interface GdbThread {
  /** gdb's thread number. */
  num: number;
  lwp: number;
  frames: GdbFrame[];
  /** "Backtrace stopped: …" text, when gdb printed one. */
  stopped: string | null;
}

/** One physical (machine) frame: an inline group folded into one, tail-call frames removed. */
export interface GdbPhysicalFrame {
  /** The address gdb printed on the group's first frame (null: none printed). */
  pc: bigint | null;
  /** gdb levels in this group, innermost first. */
  levels: number[];
  /** Function names in the group, innermost first. */
  funcs: (string | null)[];
  signalHandler: boolean;
}

const KIND_BY_NUMBER: GdbFrameKind[] = ['normal', 'dummy', 'inline', 'tailcall', 'sigtramp', 'arch', 'sentinel'];

/** Function name from a frame's text: up to the argument list's " (", skipping template <…>. */
function splitFunction(rest: string): { func: string | null; location: string | null } {
  // The angle brackets of operator<, operator<<, operator->, ... are not template brackets.
  const masked = rest.replace(/operator\s*(<=>|<<=|>>=|<<|>>|<=|>=|->\*?|<|>)/g, (m) => 'o'.repeat(m.length));
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const ch = masked[i];
    if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === '(' && depth === 0 && i > 0 && rest[i - 1] === ' ') {
      const name = rest.slice(0, i - 1).trim();
      const m = / (at|from) (.+)$/.exec(rest.slice(i));
      return { func: name === '??' ? null : name, location: m ? `${m[1]} ${m[2]}` : null };
    }
  }
  return { func: rest.trim() === '??' || rest.trim() === '' ? null : rest.trim(), location: null };
}

/** Threads and frames from `thread apply all bt` output (other lines are ignored). */
export function parseGdbBacktraces(text: string): GdbThread[] {
  const threads: GdbThread[] = [];
  let cur: GdbThread | null = null;
  const kinds = new Map<string, GdbFrameKind>();
  for (const line of text.split('\n')) {
    const k = /^@@gdbframe (\d+) (\d+) (-?\d+) (0x[0-9a-f]+)$/.exec(line);
    if (k) {
      kinds.set(`${k[1]}:${k[2]}`, KIND_BY_NUMBER[Number(k[3])] ?? 'unknown');
      continue;
    }
    const th = /^Thread (\d+) \((?:.*\()?LWP (\d+)\)\)?(?: "[^"]*")?:\s*$/.exec(line);
    if (th) {
      cur = { num: Number(th[1]), lwp: Number(th[2]), frames: [], stopped: null };
      threads.push(cur);
      continue;
    }
    if (!cur) continue;
    const fr = /^#(\d+)\s+(?:(0x[0-9a-f]+) in )?(.*)$/.exec(line);
    if (fr) {
      const rest = fr[3];
      const signalHandler = rest.startsWith('<signal handler called>');
      const { func, location } = signalHandler ? { func: null, location: null } : splitFunction(rest);
      cur.frames.push({ level: Number(fr[1]), pc: fr[2] ? BigInt(fr[2]) : null, func, location, signalHandler, kind: null, text: line });
      continue;
    }
    const st = /^Backtrace stopped: (.*)$/.exec(line);
    if (st) cur.stopped = st[1];
  }
  if (kinds.size > 0) {
    for (const t of threads) for (const f of t.frames) f.kind = kinds.get(`${t.lwp}:${f.level}`) ?? null;
  }
  return threads;
}

/**
 * Folds gdb's frames into physical frames. With frame kinds: a group is a run of inline frames
 * closed by one non-inline frame; groups closed by a tail-call frame are virtual and dropped.
 * Without kinds: a frame starts a group when gdb printed its address, when it is #0, when it is
 * `<signal handler called>` or follows one; any other frame is an inline caller of the group.
 */
export function physicalFrames(frames: GdbFrame[]): { physical: GdbPhysicalFrame[]; tailCallFrames: number } {
  const physical: GdbPhysicalFrame[] = [];
  let tailCallFrames = 0;
  const haveKinds = frames.length > 0 && frames.every((f) => f.kind !== null);
  if (haveKinds) {
    let group: GdbFrame[] = [];
    for (const f of frames) {
      group.push(f);
      if (f.kind === 'inline') continue;
      if (f.kind === 'tailcall') tailCallFrames += group.length;
      else physical.push(toPhysical(group));
      group = [];
    }
    if (group.length > 0) physical.push(toPhysical(group));
    return { physical, tailCallFrames };
  }
  let prev: GdbFrame | null = null;
  for (const f of frames) {
    const starts = f.pc !== null || f.level === 0 || f.signalHandler || (prev !== null && prev.signalHandler) || physical.length === 0;
    if (starts) physical.push(toPhysical([f]));
    else {
      const g = physical[physical.length - 1];
      g.levels.push(f.level);
      g.funcs.push(f.func);
    }
    prev = f;
  }
  return { physical, tailCallFrames };
}

function toPhysical(group: GdbFrame[]): GdbPhysicalFrame {
  return {
    pc: group[0].pc,
    levels: group.map((f) => f.level),
    funcs: group.map((f) => f.func),
    signalHandler: group.some((f) => f.signalHandler),
  };
}

export interface OurThread {
  tid: number;
  frames: { pc: bigint }[];
}

export interface ThreadComparison {
  tid: number;
  /** gdb's physical frames / ours. */
  gdbFrames: number;
  ourFrames: number;
  /** Frames with an address to compare (gdb's printed ones plus our frames beyond gdb's). */
  compared: number;
  matches: number;
  /** Virtual tail-call frames gdb synthesised from call-site debug info (not compared). */
  tailCallFrames: number;
  /** Our frames beyond gdb's last (counted as mismatches). */
  extraFrames: number;
  firstMismatch: { index: number; ours: bigint | null; gdb: bigint | null; gdbText: string } | null;
  gdbStopped: string | null;
}

export interface CompareResult {
  framesCompared: number;
  pcMatches: number;
  /** pcMatches / framesCompared (1 when nothing was compared). */
  ratio: number;
  tailCallFrames: number;
  perThread: ThreadComparison[];
  /** LWPs gdb shows that we have no stack for. */
  missingThreads: number[];
}

/** Compares our stacks with gdb's `thread apply all bt`, thread by thread (matched by LWP). */
export function compareWithGdb(ours: OurThread[], gdbText: string): CompareResult {
  const gdbThreads = parseGdbBacktraces(gdbText);
  const byTid = new Map(ours.map((t) => [t.tid, t]));
  const perThread: ThreadComparison[] = [];
  const missingThreads: number[] = [];
  let framesCompared = 0;
  let pcMatches = 0;
  let tailCallFrames = 0;
  for (const g of gdbThreads) {
    const { physical, tailCallFrames: tc } = physicalFrames(g.frames);
    tailCallFrames += tc;
    const o = byTid.get(g.lwp);
    const ourFrames = o?.frames ?? [];
    if (!o) missingThreads.push(g.lwp);
    let compared = 0;
    let matches = 0;
    let firstMismatch: ThreadComparison['firstMismatch'] = null;
    physical.forEach((p, i) => {
      if (p.pc === null) return;
      compared++;
      const mine = ourFrames[i]?.pc ?? null;
      if (mine === p.pc) matches++;
      else firstMismatch ??= { index: i, ours: mine, gdb: p.pc, gdbText: g.frames.find((f) => f.level === p.levels[0])?.text ?? '' };
    });
    const extraFrames = Math.max(0, ourFrames.length - physical.length);
    if (extraFrames > 0) firstMismatch ??= { index: physical.length, ours: ourFrames[physical.length].pc, gdb: null, gdbText: '(gdb has no more frames)' };
    compared += extraFrames;
    framesCompared += compared;
    pcMatches += matches;
    perThread.push({
      tid: g.lwp,
      gdbFrames: physical.length,
      ourFrames: ourFrames.length,
      compared,
      matches,
      tailCallFrames: tc,
      extraFrames,
      firstMismatch,
      gdbStopped: g.stopped,
    });
  }
  return { framesCompared, pcMatches, ratio: framesCompared === 0 ? 1 : pcMatches / framesCompared, tailCallFrames, perThread, missingThreads };
}

const FRAME_KINDS_SCRIPT = String.raw`
import gdb
for inf in gdb.inferiors():
    for th in sorted(inf.threads(), key=lambda t: t.num):
        th.switch()
        f = gdb.newest_frame()
        level = 0
        while f is not None and level < 100000:
            print("@@gdbframe %d %d %d 0x%x" % (th.ptid[1], level, f.type(), f.pc()))
            try:
                f = f.older()
            except gdb.error:
                break
            level += 1
`;

/**
 * gdb's view of every thread, for compareWithGdb: `thread apply all bt` past main (so the
 * outermost frames __libc_start_call_main, __libc_start_main_impl and _start are compared
 * too), then gdb's frame types from its Python API as `@@gdbframe lwp level type pc` lines.
 */
export function gdbForComparison(exe: string, core: string, init: string[] = []): string {
  fs.mkdirSync(TEST_TMP, { recursive: true });
  const script = path.join(TEST_TMP, 'gdb-frame-kinds.py');
  fs.writeFileSync(script, FRAME_KINDS_SCRIPT);
  return gdbBatch(exe, core, ['set backtrace past-main on', 'thread apply all bt', `source ${script}`], init);
}

/** A one-line summary per thread that did not match, for test output. */
export function describeMismatches(r: CompareResult, max = 20): string[] {
  const hex = (v: bigint | null) => (v === null ? '-' : `0x${v.toString(16)}`);
  return r.perThread
    .filter((t) => t.matches < t.compared)
    .slice(0, max)
    .map(
      (t) =>
        `LWP ${t.tid}: ${t.matches}/${t.compared} (gdb ${t.gdbFrames} frames, ours ${t.ourFrames})` +
        (t.firstMismatch ? `; first at #${t.firstMismatch.index}: ours ${hex(t.firstMismatch.ours)} gdb ${hex(t.firstMismatch.gdb)} ${t.firstMismatch.gdbText}` : ''),
    );
}
