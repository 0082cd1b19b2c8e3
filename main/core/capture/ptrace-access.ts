// Whether we may attach to a process, and if not, one sentence that says why and what to do.
// Taking a dump of a live process means ptrace-attaching to it (gcore, createdump) or asking its
// runtime (dotnet-dump). The kernel refuses when:
//  - the process belongs to another user and we lack CAP_SYS_PTRACE;
//  - it is non-dumpable (prctl(PR_SET_DUMPABLE, 0), or it changed credentials: setuid, file
//    capabilities) and we lack CAP_SYS_PTRACE — its /proc files then belong to root;
//  - Yama (kernel.yama.ptrace_scope) says so: 1 = only descendants (unless CAP_SYS_PTRACE),
//    2 = only CAP_SYS_PTRACE, 3 = nobody, until reboot.
// The same check guards reading /proc/<pid>/maps, so a refused maps read is the first sign.
import * as path from 'node:path';
import { DumpscopeError } from '../errors';
import { parseStat, readProcText, userName } from './proc';

const CAP_SYS_PTRACE = 19n;

export interface PtraceContext {
  /** kernel.yama.ptrace_scope; null when Yama is not in this kernel. */
  yamaScope: number | null;
  hasCapSysPtrace: boolean;
  euid: number;
  user: string | null;
}

export function readPtraceContext(procRoot = '/proc'): PtraceContext {
  let yamaScope: number | null = null;
  try {
    const v = Number(readProcText(path.join(procRoot, 'sys/kernel/yama/ptrace_scope'), 64).trim());
    if (Number.isInteger(v)) yamaScope = v;
  } catch {
    // no Yama: only the ownership and dumpable rules apply
  }
  let hasCapSysPtrace = false;
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readProcText(path.join(procRoot, 'self/status')));
    if (m) hasCapSysPtrace = ((BigInt(`0x${m[1]}`) >> CAP_SYS_PTRACE) & 1n) === 1n;
  } catch {
    // unknown: assume not
  }
  const euid = process.geteuid?.() ?? -1;
  return { yamaScope, hasCapSysPtrace, euid, user: euid >= 0 ? userName(euid) : null };
}

/** True when `pid` descends from `ancestor` (Yama scope 1 allows attaching to those). */
export function isDescendantOf(pid: number, ancestor: number, procRoot = '/proc'): boolean {
  let p = pid;
  // Bounded: process trees are shallow; 256 steps is far beyond any real one.
  for (let i = 0; i < 256 && p > 1; i++) {
    let stat;
    try {
      stat = parseStat(readProcText(path.join(procRoot, String(p), 'stat')));
    } catch {
      return false;
    }
    if (!stat) return false;
    if (stat.ppid === ancestor) return true;
    p = stat.ppid;
  }
  return false;
}

export interface AttachTarget {
  pid: number;
  name: string;
  uid: number | null;
  user: string | null;
  /** The error reading /proc/<pid>/maps, when it failed. */
  mapsError: NodeJS.ErrnoException | null;
  /** The target descends from this process (Yama scope 1 lets us attach then). */
  descendant: boolean;
}

function who(user: string | null, uid: number | null): string {
  if (uid === null) return 'another user';
  return user ? `${user} (uid ${uid})` : `uid ${uid}`;
}

function sudoFix(pid: number, ctx: PtraceContext): string {
  const container = ctx.euid === 0 && !ctx.hasCapSysPtrace ? '; in a container, start it with --cap-add=SYS_PTRACE' : '';
  return `run dumpscope as root (sudo dumpscope capture ${pid})${container}`;
}

/** Why Yama would refuse an attach, or null when it would not. */
export function yamaReason(target: AttachTarget, ctx: PtraceContext): string | null {
  const scope = ctx.yamaScope;
  if (scope === null || scope === 0) return null;
  if (scope >= 3) return 'kernel.yama.ptrace_scope is 3: attaching is disabled for every process, root included, until the next reboot';
  if (ctx.hasCapSysPtrace) return null;
  if (scope === 2) return 'kernel.yama.ptrace_scope is 2: only processes with CAP_SYS_PTRACE (root) may attach';
  if (scope === 1 && !target.descendant) {
    return 'kernel.yama.ptrace_scope is 1: a process may attach only to its own descendants unless it has CAP_SYS_PTRACE';
  }
  return null;
}

/**
 * The reason attaching to `target` will fail, as one sentence with what to do, or null when
 * nothing we can see stands in the way.
 */
export function attachBlocker(target: AttachTarget, ctx: PtraceContext): string | null {
  const head = `cannot capture pid ${target.pid} (${target.name})`;
  const e = target.mapsError;
  if (e && (e.code === 'EACCES' || e.code === 'EPERM')) {
    if (ctx.hasCapSysPtrace) {
      return `${head}: the kernel refused to show /proc/${target.pid}/maps (${e.code}) although dumpscope has CAP_SYS_PTRACE: a security module (SELinux, AppArmor) forbids it; check its audit log`;
    }
    if (target.uid !== null && target.uid !== ctx.euid) {
      return `${head}: it belongs to ${who(target.user, target.uid)} and dumpscope runs as ${who(ctx.user, ctx.euid)}; only its owner or root may attach to it: ${sudoFix(target.pid, ctx)}`;
    }
    return `${head}: it is marked non-dumpable (it called prctl(PR_SET_DUMPABLE, 0), or changed its user or capabilities, e.g. setuid), so only root may attach to it: ${sudoFix(target.pid, ctx)}`;
  }
  const yama = yamaReason(target, ctx);
  if (yama) {
    if ((ctx.yamaScope ?? 0) >= 3) return `${head}: ${yama}; no debugger can take its dump on this boot`;
    const sysctl = ctx.yamaScope === 1 ? ', or allow attaching for this boot: sudo sysctl kernel.yama.ptrace_scope=0' : '';
    return `${head}: ${yama}: ${sudoFix(target.pid, ctx)}${sysctl}`;
  }
  return null;
}

/** A PermissionDenied error for a refused attach that the checks above did not foresee. */
export function attachRefused(target: AttachTarget, ctx: PtraceContext, toolLine: string): DumpscopeError {
  const yama = ctx.yamaScope === null ? 'Yama is not in this kernel' : `kernel.yama.ptrace_scope is ${ctx.yamaScope}`;
  return new DumpscopeError(
    'PermissionDenied',
    `cannot capture pid ${target.pid} (${target.name}): the kernel refused to let the tool attach (${toolLine}; ${yama}${ctx.hasCapSysPtrace ? ', dumpscope has CAP_SYS_PTRACE' : ''}): ${sudoFix(target.pid, ctx)}`,
    { where: `pid ${target.pid}` },
  );
}
