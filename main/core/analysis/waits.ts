// What each thread waits on: from the system call it is stopped in (orig_rax and its argument
// registers), the frames that name the primitive owning the futex word, and the memory of that
// primitive, which names the holder when one exists. Never invents an owner.
import { type Evidence, type WaitInfo, type WaitKind } from '../../../shared/types';
import { type MemoryReader, type SyscallState } from '../elf';
import { decodeFutex, futexOpText, syscallText } from './syscall-decode';
import * as G from './glibc';

export interface FrameView {
  index: number;
  pc: bigint;
  function: string | null;
  module: string | null;
  /** Every name the function goes by (aliases, DWARF name); `function` is tried when absent. */
  names?: readonly string[];
}

export interface ThreadView {
  index: number;
  tid: number;
  syscall: SyscallState | null;
  frames: FrameView[];
}

export interface WaitEnv {
  memory: MemoryReader;
  /** glibc older than 2.25 laid out rwlocks and condition variables differently: do not read them. */
  modernLayouts: boolean;
  /** tid -> 1-based thread index, for every thread in the dump. */
  indexOfTid: ReadonlyMap<number, number>;
  /** A name for an address: a symbol (`g_lock`, `bank::audit_mutex`) or the region it lies in. */
  nameAddress(addr: bigint): { name: string | null; exact: boolean; symbolSize: number | null };
}

const hex = (v: bigint | number) => `0x${v.toString(16)}`;

export function threadLabel(env: WaitEnv, tid: number): string {
  const idx = env.indexOfTid.get(tid);
  return idx === undefined ? `tid ${tid}` : `thread #${idx} (tid ${tid})`;
}

function base(kind: WaitKind, summary: string, isLockWait: boolean, evidence: Evidence[]): WaitInfo {
  return { kind, summary, isLockWait, address: null, objectName: null, holderTid: null, likelyHolderTid: null, holderExited: false, timeout: false, evidence };
}

function frameEvidence(t: ThreadView, frame: number, what: string): Evidence {
  const f = t.frames.find((x) => x.index === frame);
  const where = f ? `${f.module ?? '?'}\`${f.function ?? hex(f.pc)}` : `frame #${frame}`;
  return { kind: 'frame', frame, text: `frame #${frame} ${where}: ${what}` };
}

const SLEEP = new Set(['nanosleep', 'clock_nanosleep']);
const POLL = new Set(['poll', 'ppoll', 'select', 'pselect6', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2', 'io_getevents', 'io_pgetevents', 'io_uring_enter']);
const IO = new Set([
  'read', 'readv', 'pread64', 'preadv', 'preadv2', 'write', 'writev', 'pwrite64', 'recvfrom', 'recvmsg', 'recvmmsg', 'sendto', 'sendmsg',
  'sendmmsg', 'accept', 'accept4', 'connect', 'open', 'openat', 'openat2', 'msgrcv', 'msgsnd', 'flock', 'fcntl', 'fsync', 'fdatasync', 'ioctl',
  'semop', 'semtimedop', 'splice', 'sendfile', 'mq_timedreceive', 'mq_timedsend', 'sync', 'syncfs',
]);
const CHILD = new Set(['wait4', 'waitid']);
const SIGNAL = new Set(['pause', 'rt_sigsuspend', 'rt_sigtimedwait', 'sigsuspend']);

/** Classifies one thread's wait. */
export function classifyWait(t: ThreadView, env: WaitEnv): WaitInfo {
  const top = t.frames[0];
  const at = top ? ` in ${top.function ?? hex(top.pc)}` : '';
  if (!t.syscall) return base('running', `running${at} (not in a system call)`, false, [{ kind: 'register', text: 'orig_rax = -1: the thread was not inside a system call' }]);
  const sc = t.syscall;
  const regEv: Evidence = { kind: 'register', text: `stopped in ${syscallText(sc.name, sc.args)} (orig_rax = ${sc.nr})` };
  if (sc.name === 'futex') return futexWait(t, env, regEv);
  if (SLEEP.has(sc.name)) return base('sleep', `sleeping in ${sc.name}`, false, [regEv]);
  if (POLL.has(sc.name)) return base('io', `waiting for I/O in ${sc.name}`, false, [regEv]);
  if (IO.has(sc.name)) {
    const fd = Number(BigInt.asIntN(32, sc.args[0] & 0xffffffffn));
    const onFd = ['open', 'openat', 'openat2', 'sync'].includes(sc.name) ? '' : ` on fd ${fd}`;
    return base('io', `waiting for I/O in ${sc.name}${onFd}`, false, [regEv]);
  }
  if (CHILD.has(sc.name)) {
    const pid = Number(BigInt.asIntN(32, sc.args[sc.name === 'waitid' ? 1 : 0] & 0xffffffffn));
    return base('child', `waiting for ${pid > 0 ? `child process ${pid}` : 'a child process'} in ${sc.name}`, false, [regEv]);
  }
  if (SIGNAL.has(sc.name)) return base('signal', `waiting for a signal in ${sc.name}`, false, [regEv]);
  if (sc.name === 'futex_waitv') return base('futex', 'waiting on several futexes (futex_waitv)', false, [regEv]);
  return base('syscall', `in system call ${sc.name}`, false, [regEv]);
}

function futexWait(t: ThreadView, env: WaitEnv, regEv: Evidence): WaitInfo {
  const f = decodeFutex(t.syscall!.args);
  const timed = f.timeout !== 0n;
  if (!f.isWait) {
    const w = base('futex', `in futex ${futexOpText(f)} on ${hex(f.address)}`, false, [regEv]);
    w.address = hex(f.address);
    return w;
  }
  const match = G.recognisePrimitive(t.frames);
  let w: WaitInfo;
  switch (match?.primitive) {
    case 'mutex':
      w = mutexWait(t, env, f.address, f.isPi, regEv, match.frame);
      break;
    case 'rwlock-read':
    case 'rwlock-write':
      w = rwlockWait(t, env, f.address, match.primitive, regEv, match.frame);
      break;
    case 'condvar':
      w = condWait(t, env, f.address, regEv, match.frame);
      break;
    case 'join':
      w = joinWait(t, env, f.address, f.value, regEv, match.frame);
      break;
    case 'semaphore':
      w = semWait(t, env, f.address, regEv, match.frame);
      break;
    case undefined:
      w = f.isPi ? mutexWait(t, env, f.address, true, regEv, null) : unknownFutex(env, f.address, f.value, regEv);
      break;
  }
  w.timeout = timed;
  if (timed && !w.summary.includes('timed')) w.summary = w.summary.replace(/^waits/, 'waits (timed)');
  return w;
}

function named(env: WaitEnv, addr: bigint, kind: string): { label: string; name: string | null } {
  const n = env.nameAddress(addr);
  const name = n.name;
  return { label: name ? `${kind} \`${name}\` (${hex(addr)})` : `${kind} at ${hex(addr)}`, name };
}

function unknownFutex(env: WaitEnv, addr: bigint, value: number, regEv: Evidence): WaitInfo {
  const n = named(env, addr, 'futex');
  const w = base('futex', `waits on ${n.label} (expected value ${value}); no frame names the primitive, so no owner is known`, true, [regEv]);
  w.address = hex(addr);
  w.objectName = n.name;
  return w;
}

function mutexWait(t: ThreadView, env: WaitEnv, addr: bigint, pi: boolean, regEv: Evidence, frame: number | null): WaitInfo {
  const m = env.memory;
  const n = named(env, addr, 'mutex');
  const ev: Evidence[] = [regEv];
  if (frame !== null) ev.push(frameEvidence(t, frame, 'a pthread mutex lock: the futex word is the mutex'));
  const lock = m.readU32(addr + BigInt(G.MUTEX.lock));
  const owner = m.readI32(addr + BigInt(G.MUTEX.owner));
  const kindWord = m.readI32(addr + BigInt(G.MUTEX.kind));
  const count = m.readU32(addr + BigInt(G.MUTEX.count));
  const w = base('mutex', '', true, ev);
  w.address = hex(addr);
  w.objectName = n.name;
  if (lock === null || owner === null || kindWord === null) {
    w.summary = `waits for ${n.label}; its memory is not in the dump, so the holder is unknown`;
    return w;
  }
  const robust = (kindWord & G.MUTEX_ROBUST) !== 0;
  const isPi = pi || (kindWord & G.MUTEX_PRIO_INHERIT) !== 0;
  const kindName = G.MUTEX_KIND_NAMES[kindWord & G.MUTEX_KIND_MASK] ?? 'unknown';
  const flavour = [isPi ? 'priority-inheritance' : null, robust ? 'robust' : null, kindName !== 'normal' ? kindName : null].filter(Boolean).join(' ');
  const kindLabel = flavour ? `${flavour} mutex` : 'mutex';
  if (kindWord < 0 || (kindWord & ~0x3ff) !== 0) {
    w.summary = `waits for ${n.label}, but its __kind field (${kindWord}) is not a glibc mutex kind, so the holder is not trusted`;
    ev.push({ kind: 'memory', address: hex(addr + 16n), value: String(kindWord), text: `__kind (mutex+16) = ${kindWord}: not a known kind` });
    return w;
  }
  let holder: number;
  if (isPi || robust) {
    holder = lock & G.FUTEX_TID_MASK;
    ev.push({ kind: 'memory', address: hex(addr), value: hex(lock), text: `__lock (mutex+0) = ${hex(lock)}: owner tid ${holder}${lock & G.FUTEX_WAITERS ? ', waiters' : ''}${lock & G.FUTEX_OWNER_DIED ? ', OWNER DIED' : ''} (${kindLabel}: the owner's tid is in the lock word)` });
  } else {
    holder = owner;
    ev.push({ kind: 'memory', address: hex(addr + 8n), value: String(owner), text: `__owner (mutex+8) = ${owner}; __lock = ${lock}${kindName === 'recursive' && count !== null ? `; __count = ${count}` : ''}` });
  }
  const label = n.name ? `${kindLabel} \`${n.name}\` (${hex(addr)})` : `${kindLabel} at ${hex(addr)}`;
  const heldTwice = kindName === 'recursive' && count !== null && count > 1 ? `, locked ${count} times` : '';
  if (holder === 0) {
    w.summary = `waits for ${label}; no owner is recorded (it may be being released)`;
    return w;
  }
  w.holderTid = holder;
  if (!env.indexOfTid.has(holder)) {
    w.holderExited = true;
    w.summary = `waits for ${label} held by tid ${holder}, which is not in the dump (the holder exited${lock & G.FUTEX_OWNER_DIED ? '; the lock is marked owner-died' : ''})`;
    return w;
  }
  if (holder === t.tid) {
    w.summary = `waits for ${label} that it already holds itself${heldTwice}`;
    return w;
  }
  w.summary = `waits for ${label} held by ${threadLabel(env, holder)}${heldTwice}`;
  return w;
}

function rwlockWait(t: ThreadView, env: WaitEnv, addr: bigint, prim: 'rwlock-read' | 'rwlock-write', regEv: Evidence, frame: number): WaitInfo {
  const m = env.memory;
  const ev: Evidence[] = [regEv, frameEvidence(t, frame, prim === 'rwlock-read' ? 'a read lock of a pthread rwlock' : 'a write lock of a pthread rwlock')];
  if (!env.modernLayouts) {
    const w = base(prim, `waits ${prim === 'rwlock-read' ? 'to read' : 'to write'} an rwlock (futex ${hex(addr)}); this glibc predates 2.25's rwlock layout, so its holder is not read`, true, ev);
    w.address = hex(addr);
    return w;
  }
  // Readers sleep on __wrphase_futex (+8); a writer on __writers_futex (+12) or __wrphase_futex.
  const candidates = prim === 'rwlock-read' ? [addr - 8n] : [addr - 12n, addr - 8n];
  const plausible = (b: bigint) => {
    const cw = m.readI32(b + BigInt(G.RWLOCK.curWriter));
    const flags = m.readU32(b + BigInt(G.RWLOCK.flags));
    const shared = m.readI32(b + BigInt(G.RWLOCK.shared));
    if (cw === null || flags === null || shared === null) return -1;
    let score = 0;
    if (env.nameAddress(b).exact) score += 4;
    if (cw !== 0 && env.indexOfTid.has(cw)) score += 2;
    if (flags <= 2 && (shared === 0 || shared === 1)) score += 1;
    return score;
  };
  const lockAddr = candidates.map((b) => ({ b, s: plausible(b) })).sort((x, y) => y.s - x.s)[0].b;
  const n = named(env, lockAddr, 'rwlock');
  const kind: WaitKind = prim;
  const w = base(kind, '', true, ev);
  w.address = hex(lockAddr);
  w.objectName = n.name;
  const readers = m.readU32(lockAddr + BigInt(G.RWLOCK.readers));
  const cur = m.readI32(lockAddr + BigInt(G.RWLOCK.curWriter));
  const mode = prim === 'rwlock-read' ? 'to read' : 'to write';
  if (readers === null || cur === null) {
    w.summary = `waits ${mode} ${n.label}; its memory is not in the dump, so the holder is unknown`;
    return w;
  }
  const nReaders = readers >>> G.RWLOCK_READER_SHIFT;
  ev.push({
    kind: 'memory',
    address: hex(lockAddr),
    value: hex(readers),
    text: `__readers = ${hex(readers)} (${nReaders} readers${readers & G.RWLOCK_WRLOCKED ? ', write-locked' : ''}${readers & G.RWLOCK_WRPHASE ? ', write phase' : ''}); __cur_writer (rwlock+24) = ${cur}`,
  });
  if (cur !== 0 && (readers & G.RWLOCK_WRLOCKED) !== 0) {
    w.holderTid = cur;
    if (!env.indexOfTid.has(cur)) {
      w.holderExited = true;
      w.summary = `waits ${mode} ${n.label} held for writing by tid ${cur}, which is not in the dump (the holder exited)`;
    } else if (cur === t.tid) {
      w.summary = `waits ${mode} ${n.label} that it already holds for writing itself`;
    } else {
      w.summary = `waits ${mode} ${n.label} held for writing by ${threadLabel(env, cur)}`;
    }
    return w;
  }
  if (nReaders > 0) {
    w.summary = `waits ${mode} ${n.label} held by ${nReaders} reader${nReaders === 1 ? '' : 's'} (glibc does not record which threads read)`;
    return w;
  }
  w.summary = `waits ${mode} ${n.label}; no holder is recorded`;
  return w;
}

function condWait(t: ThreadView, env: WaitEnv, addr: bigint, regEv: Evidence, frame: number): WaitInfo {
  // Waiters sleep on __g_signals[0] (+40) or [1] (+44): prefer the candidate a symbol starts at.
  const c40 = addr - 40n;
  const c44 = addr - 44n;
  const condAddr = env.nameAddress(c44).exact && !env.nameAddress(c40).exact ? c44 : c40;
  const n = named(env, condAddr, 'condition variable');
  const w = base('condvar', `waits on ${n.label}; a condition variable has no owner, so no thread can be proven to be the one to signal it`, true, [
    regEv,
    frameEvidence(t, frame, 'a condition-variable wait: the futex word is one of its __g_signals'),
  ]);
  w.address = hex(condAddr);
  w.objectName = n.name;
  return w;
}

function joinWait(t: ThreadView, env: WaitEnv, addr: bigint, expected: number, regEv: Evidence, frame: number): WaitInfo {
  const tidNow = env.memory.readI32(addr);
  const joined = tidNow !== null && tidNow > 0 ? tidNow : expected;
  const ev: Evidence[] = [
    regEv,
    frameEvidence(t, frame, 'pthread_join: the futex word is the joined thread\'s tid field'),
    { kind: 'memory', address: hex(addr), value: String(tidNow), text: `the joined thread's tid field = ${tidNow ?? 'unreadable'} (futex expected ${expected})` },
  ];
  const w = base('join', '', true, ev);
  w.address = hex(addr);
  w.holderTid = joined > 0 ? joined : null;
  if (joined <= 0) w.summary = 'waits to join a thread whose tid cannot be read';
  else if (!env.indexOfTid.has(joined)) {
    w.holderExited = true;
    w.summary = `waits to join tid ${joined}, which is not in the dump`;
  } else w.summary = `waits to join ${threadLabel(env, joined)}`;
  return w;
}

function semWait(t: ThreadView, env: WaitEnv, addr: bigint, regEv: Evidence, frame: number): WaitInfo {
  const n = named(env, addr, 'semaphore');
  const value = env.memory.readU32(addr);
  const w = base('semaphore', `waits on ${n.label}${value !== null ? ` (value ${value})` : ''}; a semaphore has no owner, so no thread can be proven to be the one to post it`, true, [
    regEv,
    frameEvidence(t, frame, 'a semaphore wait: the futex word is the semaphore\'s value'),
  ]);
  w.address = hex(addr);
  w.objectName = n.name;
  return w;
}
