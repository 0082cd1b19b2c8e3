// glibc's synchronisation objects as they lie in memory on x86-64, and how to recognise a
// thread blocked in one from its frames. Everything here is folklore about one C library;
// each layout says where it comes from and what we do when the dump disagrees.

/**
 * pthread_mutex_t (struct __pthread_mutex_s, x86-64, unchanged from glibc 2.3 to 2.40):
 *   int __lock @0; unsigned __count @4; int __owner @8; unsigned __nusers @12; int __kind @16;
 *   short __spins @20; short __elision @22; __pthread_list_t __list @24 (robust list).
 * A thread waiting for a normal mutex sleeps in futex(&__lock, FUTEX_WAIT[_PRIVATE], 2) from
 * __lll_lock_wait; the holder's tid is in __owner. Example (glibc 2.36, Debian 12):
 *   {__lock = 2, __count = 2, __owner = 13767, __kind = 1} — a recursive mutex locked twice.
 * Robust and priority-inheritance mutexes keep the owner's tid in __lock itself (with
 * FUTEX_WAITERS 0x80000000 and FUTEX_OWNER_DIED 0x40000000); PI waiters use FUTEX_LOCK_PI.
 * We check each value read (the owner is 0 or a tid; the kind is a known kind) and say so
 * when it does not fit rather than report a guessed owner.
 */
export const MUTEX = { lock: 0, count: 4, owner: 8, nusers: 12, kind: 16, size: 40 } as const;
export const MUTEX_KIND_MASK = 3;
export const MUTEX_ROBUST = 16;
export const MUTEX_PRIO_INHERIT = 32;
export const MUTEX_PRIO_PROTECT = 64;
export const MUTEX_PSHARED = 128;
export const FUTEX_WAITERS = 0x80000000;
export const FUTEX_OWNER_DIED = 0x40000000;
export const FUTEX_TID_MASK = 0x3fffffff;
export const MUTEX_KIND_NAMES = ['normal', 'recursive', 'error-checking', 'adaptive'] as const;

/**
 * pthread_rwlock_t (glibc >= 2.25's rewrite, x86-64 __pthread_rwlock_arch_t):
 *   unsigned __readers @0 (readers << 3 | flags), __writers @4, __wrphase_futex @8,
 *   __writers_futex @12, __pad3 @16, __pad4 @20; int __cur_writer @24; int __shared @28;
 *   ... unsigned __flags @48; size 56.
 * Seen on glibc 2.36: readers wait on __wrphase_futex (lock+8); a writer waits on
 * __writers_futex (lock+12) while another writer holds the lock, and on __wrphase_futex while
 * readers hold it. __cur_writer holds the writing thread's tid.
 */
export const RWLOCK = { readers: 0, writers: 4, wrphaseFutex: 8, writersFutex: 12, curWriter: 24, shared: 28, flags: 48, size: 56 } as const;
export const RWLOCK_READER_SHIFT = 3;
export const RWLOCK_WRPHASE = 1;
export const RWLOCK_WRLOCKED = 2;

/**
 * pthread_cond_t (glibc >= 2.25, struct __pthread_cond_s): __wseq @0 (u64), __g1_start @8,
 * __g_refs[2] @16, __g_size[2] @24, __g1_orig_size @32, __wrefs @36 (waiters << 3 | flags),
 * __g_signals[2] @40. Waiters sleep on __g_signals[g] (cond+40 or cond+44). A condition
 * variable has no owner: nobody can be proven to be the thread that will signal it.
 */
export const COND = { wrefs: 36, gSignals: 40, size: 48 } as const;

/**
 * sem_t (struct new_sem, 64-bit): u64 data @0 (value in the low 32 bits, waiters in the high
 * 32); waiters sleep on the value word at sem+0. No owner.
 */
export const SEM = { value: 0, nwaiters: 4, size: 32 } as const;

/** What a frame's function name says about the primitive a thread is blocked in. */
export type Primitive = 'mutex' | 'rwlock-read' | 'rwlock-write' | 'condvar' | 'join' | 'semaphore';

// Function names as glibc 2.17–2.40 and libstdc++ name them (aliases with __GI_, ___ prefixes
// and 64-bit-time suffixes included). Order matters: the innermost recognised frame decides.
const PATTERNS: [RegExp, Primitive][] = [
  [/^_*(GI_+)?(__)?pthread_cond_(timed|clock)?wait(64)?$|^_*(GI_+)?pthread_cond_wait_common$|^__condvar_/, 'condvar'],
  [/^_*(GI_+)?(__)?pthread_rwlock_(timed|clock)?rdlock(64)?$|^__pthread_rwlock_rdlock_full(64)?$/, 'rwlock-read'],
  [/^_*(GI_+)?(__)?pthread_rwlock_(timed|clock)?wrlock(64)?$|^__pthread_rwlock_wrlock_full(64)?$/, 'rwlock-write'],
  [/^_*(GI_+)?(__)?pthread_(timed|clock|try)?join(_np)?(64)?$|^__pthread_clockjoin_ex$/, 'join'],
  [/^_*(GI_+)?(__)?new_sem_wait(_slow)?(64)?$|^_*(GI_+)?sem_(timed|clock)?wait(64)?$|^do_futex_wait$/, 'semaphore'],
  [/^_*(GI_+)?_*lll_(robust_|clock|timed)?lock_wait(_private)?$|^_*(GI_+)?(__)?pthread_mutex_(timed|clock)?lock(64)?(_full)?$|^__pthread_mutex_lock_full$|^__pthread_mutex_clocklock_common$|^lll_mutex_lock_optimized$|^_*pthread_mutex_cond_lock(_full)?$/, 'mutex'],
];

// C++ standard library frames, for when the C library's frames are unnamed.
const CXX_PATTERNS: [RegExp, Primitive][] = [
  [/^std::(_V2::)?condition_variable(_any)?::(wait|wait_for|wait_until|__wait_until_impl)/, 'condvar'],
  [/^std::shared_mutex::lock_shared|^std::shared_timed_mutex::lock_shared|^std::__shared_mutex_pthread::lock_shared/, 'rwlock-read'],
  [/^std::shared_mutex::lock\b|^std::__shared_mutex_pthread::lock\b/, 'rwlock-write'],
  [/^std::thread::join/, 'join'],
  [/^std::(recursive_)?(timed_)?mutex::(try_)?lock|^__gthread_(recursive_)?mutex_lock|^std::lock_guard|^std::unique_lock/, 'mutex'],
];

export interface PrimitiveMatch {
  primitive: Primitive;
  frame: number;
  name: string;
}

/** The innermost frame (within the first `maxFrames`) that names a known primitive. */
export function recognisePrimitive(frames: readonly { index: number; function: string | null; names?: readonly string[] }[], maxFrames = 16): PrimitiveMatch | null {
  const top = frames.slice(0, maxFrames);
  for (const table of [PATTERNS, CXX_PATTERNS]) {
    for (const f of top) {
      const names = f.names && f.names.length > 0 ? f.names : f.function ? [f.function] : [];
      for (const name of names) {
        const bare = name.replace(/\(.*$/, '').trim();
        for (const [re, primitive] of table) if (re.test(bare)) return { primitive, frame: f.index, name: f.function ?? name };
      }
    }
  }
  return null;
}
