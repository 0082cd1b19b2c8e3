// The committed program whose cores the fuzzer mutates. It puts threads in the states the
// analysis has rules for, so mutations reach every stage: a two-mutex deadlock reached through a
// recursion (CFI over many frames), a join on a deadlocked thread, a reader holding an rwlock and
// a writer waiting on it, a condition variable, poll, a thread blocked inside a signal handler
// (signal frames), and a spinner (not in a system call).
import { C_PREAMBLE } from '../helpers/programs';

export const FUZZ_TARGET_C =
  C_PREAMBLE +
  String.raw`
#include <poll.h>
#include <signal.h>
static pthread_mutex_t ma = PTHREAD_MUTEX_INITIALIZER, mb = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cvm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t bar;
static int pipefd[2];
static volatile int depth_sink;

__attribute__((noinline)) static void recurse(int n, void (*leaf)(void)) {
  if (n == 0) leaf();
  else recurse(n - 1, leaf);
  depth_sink += n;
}
static void lock_ab(void) { pthread_mutex_lock(&ma); pthread_barrier_wait(&bar); pthread_mutex_lock(&mb); }
static void *t_ab(void *x) { report_tid("ab"); recurse(24, lock_ab); return x; }
static void *t_ba(void *x) { report_tid("ba"); pthread_mutex_lock(&mb); pthread_barrier_wait(&bar); pthread_mutex_lock(&ma); return x; }
static void *t_reader(void *x) { report_tid("reader"); pthread_rwlock_rdlock(&rw); for (;;) pause(); return x; }
static void *t_writer(void *x) { usleep(50000); report_tid("writer"); pthread_rwlock_wrlock(&rw); return x; }
static void *t_cond(void *x) { report_tid("cond"); pthread_mutex_lock(&cvm); for (;;) pthread_cond_wait(&cv, &cvm); return x; }
static void *t_poll(void *x) { report_tid("poll"); struct pollfd p = { pipefd[0], POLLIN, 0 }; for (;;) poll(&p, 1, -1); return x; }
static void on_usr1(int s) { (void)s; char c; for (;;) read(pipefd[0], &c, 1); }
static void *t_sig(void *x) { report_tid("sig"); for (;;) pause(); return x; }
static void *t_spin(void *x) { report_tid("spin"); volatile unsigned long n = 0; for (;;) n++; return x; }

int main(void) {
  pthread_t ab, ba, rd, wr, cd, pl, sg, sp;
  if (pipe(pipefd) != 0) return 1;
  pthread_barrier_init(&bar, 0, 2);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, 0);
  report_tid("main");
  pthread_create(&rd, 0, t_reader, 0);
  pthread_create(&wr, 0, t_writer, 0);
  pthread_create(&ab, 0, t_ab, 0);
  pthread_create(&ba, 0, t_ba, 0);
  pthread_create(&cd, 0, t_cond, 0);
  pthread_create(&pl, 0, t_poll, 0);
  pthread_create(&sg, 0, t_sig, 0);
  pthread_create(&sp, 0, t_spin, 0);
  usleep(100000);
  pthread_kill(sg, SIGUSR1);
  usleep(200000);
  report_ready();
  pthread_join(ab, 0);
  return 0;
}
`;
