// C preamble shared by test programs: report tids, signal readiness, name threads.
export const C_PREAMBLE = String.raw`
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static void report_tid(const char *role) {
  pthread_mutex_lock(&report_lock);
  printf("tid %s %ld\n", role, (long)syscall(SYS_gettid));
  fflush(stdout);
  pthread_mutex_unlock(&report_lock);
}
static void report_ready(void) {
  pthread_mutex_lock(&report_lock);
  printf("ready\n");
  fflush(stdout);
  pthread_mutex_unlock(&report_lock);
}
`;

/** One thread, blocked reading its stdin-less pipe forever. */
export const SINGLE_THREAD = C_PREAMBLE + String.raw`
int main(void) {
  int fds[2];
  if (pipe(fds) != 0) return 1;
  report_tid("main");
  report_ready();
  char c;
  read(fds[0], &c, 1); /* nobody writes: blocks in read(2) */
  return 0;
}
`;

/** A few threads with named roles, each parked in a different kind of wait. */
export const ROLES = C_PREAMBLE + String.raw`
#include <time.h>
#include <poll.h>
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int pipefd[2];
static void *sleeper(void *a) { report_tid("sleeper"); for (;;) sleep(100); return a; }
static void *poller(void *a) { report_tid("poller"); struct pollfd p = { pipefd[0], POLLIN, 0 }; for (;;) poll(&p, 1, -1); return a; }
static void *cond_waiter(void *a) { report_tid("condwaiter"); pthread_mutex_lock(&cv_lock); for (;;) pthread_cond_wait(&cv, &cv_lock); return a; }
static void *locker(void *a) { report_tid("locker"); pthread_mutex_lock(&held); return a; }
static void *spinner(void *a) { report_tid("spinner"); volatile unsigned long n = 0; for (;;) n++; return a; }
int main(void) {
  pthread_t t[5];
  if (pipe(pipefd) != 0) return 1;
  report_tid("main");
  pthread_mutex_lock(&held);
  pthread_create(&t[0], 0, sleeper, 0);
  pthread_create(&t[1], 0, poller, 0);
  pthread_create(&t[2], 0, cond_waiter, 0);
  pthread_create(&t[3], 0, locker, 0);
  pthread_create(&t[4], 0, spinner, 0);
  usleep(200000);
  report_ready();
  pthread_join(t[3], 0); /* never returns: main holds the lock locker wants */
  return 0;
}
`;

/** N threads (argv[1], default 200) all sleeping on one condition variable. */
export const MANY_THREADS = C_PREAMBLE + String.raw`
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int started = 0;
static void *idle(void *a) {
  report_tid("worker");
  pthread_mutex_lock(&m);
  started++;
  for (;;) pthread_cond_wait(&c, &m);
  return a;
}
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 200;
  report_tid("main");
  for (int i = 0; i < n; i++) {
    pthread_t t;
    if (pthread_create(&t, 0, idle, 0) != 0) { perror("pthread_create"); return 1; }
  }
  for (;;) { pthread_mutex_lock(&m); int s = started; pthread_mutex_unlock(&m); if (s == n) break; usleep(1000); }
  report_ready();
  for (;;) pause();
}
`;

/** Touches argv[1] MiB of heap (default 600), then waits. */
export const BIG_HEAP = C_PREAMBLE + String.raw`
int main(int argc, char **argv) {
  size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 600;
  char *p = malloc(mib << 20);
  if (!p) return 1;
  for (size_t i = 0; i < (mib << 20); i += 4096) p[i] = (char)(i >> 12);
  report_tid("main");
  report_ready();
  for (;;) pause();
}
`;
