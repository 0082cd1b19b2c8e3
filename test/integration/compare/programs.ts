// Programs for the compare and report tests, each printing `tid <role> <tid>` and `ready`.
import { C_PREAMBLE } from '../../helpers/programs';

/**
 * A lock-order deadlock (first and second; main joins first) beside a thread that never stops
 * moving: `busy` recurses to a depth that changes every round before spinning in a leaf, so two
 * snapshots seconds apart catch it at other pcs and usually at another depth.
 */
export const DEADLOCK_AND_BUSY = C_PREAMBLE + String.raw`
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both;
static void *first(void *x) { report_tid("first"); pthread_mutex_lock(&a); pthread_barrier_wait(&both); pthread_mutex_lock(&b); return x; }
static void *second(void *x) { report_tid("second"); pthread_mutex_lock(&b); pthread_barrier_wait(&both); pthread_mutex_lock(&a); return x; }
volatile unsigned long counter;
__attribute__((noinline)) void spin_leaf(int d) { for (unsigned long i = 0; i < 200000; i++) counter += i ^ (unsigned long)d; }
__attribute__((noinline)) void spin_even(int d);
__attribute__((noinline)) void spin_odd(int d) { if (d > 0) spin_even(d - 1); else spin_leaf(d); }
__attribute__((noinline)) void spin_even(int d) { if (d > 0) spin_odd(d - 1); else spin_leaf(d); }
static void *busy(void *x) { report_tid("busy"); for (unsigned n = 0;; n++) spin_even((int)(n % 7)); return x; }
int main(void) {
  pthread_t t1, t2, t3;
  pthread_barrier_init(&both, 0, 2);
  report_tid("main");
  pthread_create(&t1, 0, first, 0);
  pthread_create(&t2, 0, second, 0);
  pthread_create(&t3, 0, busy, 0);
  usleep(100000);
  report_ready();
  pthread_join(t1, 0);
  return 0;
}
`;

/** Folder and file names, symbols and data symbols that are markup in HTML and Markdown. */
export const HOSTILE_DIR = 'x</details><script>alert(1)</script>';
export const HOSTILE_EXE = 'evil`|<b>[x](javascript:alert(1))';
export const HOSTILE_FN = "<script>alert('fn')</script>`</details>|[x](javascript:alert(3))";
/** ESC starts a terminal escape sequence; the fence and `#0` try to break out of a code block. */
export const HOSTILE_FN2 = '```\x1b[31m#0 0xdead fake $x$ **bold** #12';
export const HOSTILE_LOCK1 = '<img src=x onerror=alert(1)>`|lock';
export const HOSTILE_LOCK2 = '[x](javascript:alert(2))|</details>';

/** C string literal for an asm label: the name quoted for the assembler (binutils accepts any byte but `"` and NUL there). */
const label = (name: string) => JSON.stringify(`"${name}"`).replace(/\\u001b/g, '\\x1b');

/**
 * The lock-order deadlock again, every name hostile: the mutexes and the functions that block
 * get their names through asm labels (quoted symbol names), and the test puts the executable in
 * a folder and under a file name made of markup.
 */
export const HOSTILE_DEADLOCK = C_PREAMBLE + String.raw`
pthread_mutex_t lock_one __asm__(${label(HOSTILE_LOCK1)}) = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_two __asm__(${label(HOSTILE_LOCK2)}) = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both;
__attribute__((noinline)) void take_two(void) __asm__(${label(HOSTILE_FN)});
__attribute__((noinline)) void take_two(void) { pthread_mutex_lock(&lock_two); }
__attribute__((noinline)) void take_one(void) __asm__(${label(HOSTILE_FN2)});
__attribute__((noinline)) void take_one(void) { pthread_mutex_lock(&lock_one); }
static void *first(void *x) { report_tid("first"); pthread_mutex_lock(&lock_one); pthread_barrier_wait(&both); take_two(); return x; }
static void *second(void *x) { report_tid("second"); pthread_mutex_lock(&lock_two); pthread_barrier_wait(&both); take_one(); return x; }
int main(void) {
  pthread_t t1, t2;
  pthread_barrier_init(&both, 0, 2);
  report_tid("main");
  pthread_create(&t1, 0, first, 0);
  pthread_create(&t2, 0, second, 0);
  usleep(100000);
  report_ready();
  pthread_join(t1, 0);
  return 0;
}
`;
