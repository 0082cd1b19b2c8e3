// Decodes the system call a thread is stopped in (orig_rax and rdi, rsi, rdx, r10, r8, r9)
// into strace-like text and structured facts for the wait analysis.

export const FUTEX_PRIVATE_FLAG = 128;
export const FUTEX_CLOCK_REALTIME = 256;
const FUTEX_OPS = [
  'FUTEX_WAIT', 'FUTEX_WAKE', 'FUTEX_FD', 'FUTEX_REQUEUE', 'FUTEX_CMP_REQUEUE', 'FUTEX_WAKE_OP', 'FUTEX_LOCK_PI',
  'FUTEX_UNLOCK_PI', 'FUTEX_TRYLOCK_PI', 'FUTEX_WAIT_BITSET', 'FUTEX_WAKE_BITSET', 'FUTEX_WAIT_REQUEUE_PI',
  'FUTEX_CMP_REQUEUE_PI', 'FUTEX_LOCK_PI2',
];

export interface FutexCall {
  address: bigint;
  cmd: number;
  cmdName: string;
  private: boolean;
  realtime: boolean;
  /** The expected value (FUTEX_WAIT*) — the word's value when the thread went to sleep. */
  value: number;
  /** Address of the timeout struct, 0n for none. */
  timeout: bigint;
  isWait: boolean;
  isPi: boolean;
}

export function decodeFutex(args: readonly bigint[]): FutexCall {
  const op = Number(args[1] & 0xffffffffn);
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  const cmdName = FUTEX_OPS[cmd] ?? `FUTEX_OP_${cmd}`;
  return {
    address: args[0],
    cmd,
    cmdName,
    private: (op & FUTEX_PRIVATE_FLAG) !== 0,
    realtime: (op & FUTEX_CLOCK_REALTIME) !== 0,
    value: Number(BigInt.asIntN(32, args[2] & 0xffffffffn)),
    timeout: args[3],
    isWait: cmd === 0 || cmd === 9 || cmd === 11 || cmd === 6 || cmd === 13 || cmd === 8,
    isPi: cmd === 6 || cmd === 7 || cmd === 8 || cmd === 11 || cmd === 12 || cmd === 13,
  };
}

export function futexOpText(f: FutexCall): string {
  let s = f.cmdName;
  if (f.private) s += '_PRIVATE';
  if (f.realtime) s += '|FUTEX_CLOCK_REALTIME';
  return s;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;
const int = (v: bigint) => BigInt.asIntN(32, v & 0xffffffffn).toString();
const ptr = (v: bigint) => (v === 0n ? 'NULL' : hex(v));

type ArgFormat = 'x' | 'd' | 'p' | 'u';
// Argument counts and formats for the calls threads are usually found blocked in.
const FORMATS: Record<string, ArgFormat[]> = {
  read: ['d', 'p', 'u'],
  write: ['d', 'p', 'u'],
  pread64: ['d', 'p', 'u', 'd'],
  pwrite64: ['d', 'p', 'u', 'd'],
  readv: ['d', 'p', 'd'],
  writev: ['d', 'p', 'd'],
  open: ['p', 'x', 'x'],
  openat: ['d', 'p', 'x', 'x'],
  close: ['d'],
  poll: ['p', 'u', 'd'],
  ppoll: ['p', 'u', 'p', 'p', 'u'],
  select: ['d', 'p', 'p', 'p', 'p'],
  pselect6: ['d', 'p', 'p', 'p', 'p', 'p'],
  epoll_wait: ['d', 'p', 'd', 'd'],
  epoll_pwait: ['d', 'p', 'd', 'd', 'p', 'u'],
  epoll_pwait2: ['d', 'p', 'd', 'p', 'p', 'u'],
  accept: ['d', 'p', 'p'],
  accept4: ['d', 'p', 'p', 'x'],
  connect: ['d', 'p', 'd'],
  recvfrom: ['d', 'p', 'u', 'x', 'p', 'p'],
  recvmsg: ['d', 'p', 'x'],
  recvmmsg: ['d', 'p', 'u', 'x', 'p'],
  sendto: ['d', 'p', 'u', 'x', 'p', 'd'],
  sendmsg: ['d', 'p', 'x'],
  nanosleep: ['p', 'p'],
  clock_nanosleep: ['d', 'x', 'p', 'p'],
  wait4: ['d', 'p', 'x', 'p'],
  waitid: ['d', 'd', 'p', 'x', 'p'],
  pause: [],
  rt_sigsuspend: ['p', 'u'],
  rt_sigtimedwait: ['p', 'p', 'p', 'u'],
  sched_yield: [],
  msgrcv: ['d', 'p', 'u', 'd', 'x'],
  semop: ['d', 'p', 'u'],
  semtimedop: ['d', 'p', 'u', 'p'],
  flock: ['d', 'x'],
  fcntl: ['d', 'd', 'x'],
  ioctl: ['d', 'x', 'x'],
  io_getevents: ['x', 'd', 'd', 'p', 'p'],
  io_uring_enter: ['d', 'u', 'u', 'x', 'p', 'u'],
  futex_waitv: ['p', 'u', 'x', 'p', 'd'],
  mmap: ['p', 'u', 'x', 'x', 'd', 'x'],
  munmap: ['p', 'u'],
  exit: ['d'],
  exit_group: ['d'],
  getrandom: ['p', 'u', 'x'],
};

/** strace-style text for a system call and its arguments. */
export function syscallText(name: string, args: readonly bigint[]): string {
  if (name === 'futex') {
    const f = decodeFutex(args);
    const parts = [hex(f.address), futexOpText(f), int(args[2])];
    if (f.isWait || f.cmdName.includes('REQUEUE')) parts.push(ptr(args[3]));
    return `futex(${parts.join(', ')})`;
  }
  const fmt = FORMATS[name];
  if (!fmt) return `${name}(${args.map(hex).join(', ')})`;
  const shown = fmt.map((f, i) => {
    const v = args[i];
    switch (f) {
      case 'd':
        return int(v);
      case 'u':
        return v.toString();
      case 'p':
        return ptr(v);
      case 'x':
        return hex(v);
    }
  });
  return `${name}(${shown.join(', ')})`;
}
