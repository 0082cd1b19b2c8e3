/* The bundled sample dump's program (see README.md): two threads take two locks in opposite
 * orders and deadlock; main waits for one of them in pthread_join. Built static so every
 * frame's code is in this one executable. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

static pthread_mutex_t accounts_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t audit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void report(const char *role) {
  printf("tid %s %ld\n", role, (long)syscall(SYS_gettid));
  fflush(stdout);
}

static void *transfer(void *arg) {
  (void)arg;
  report("transfer");
  pthread_mutex_lock(&accounts_lock);
  pthread_barrier_wait(&both_hold_one);
  pthread_mutex_lock(&audit_lock); /* blocks: audit holds it and wants accounts */
  pthread_mutex_unlock(&audit_lock);
  pthread_mutex_unlock(&accounts_lock);
  return NULL;
}

static void *audit(void *arg) {
  (void)arg;
  report("audit");
  pthread_mutex_lock(&audit_lock);
  pthread_barrier_wait(&both_hold_one);
  pthread_mutex_lock(&accounts_lock); /* blocks: transfer holds it and wants audit */
  pthread_mutex_unlock(&accounts_lock);
  pthread_mutex_unlock(&audit_lock);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  report("main");
  pthread_barrier_init(&both_hold_one, NULL, 2);
  pthread_create(&t1, NULL, transfer, NULL);
  pthread_create(&t2, NULL, audit, NULL);
  usleep(200000);
  printf("ready\n");
  fflush(stdout);
  pthread_join(t1, NULL); /* never returns */
  return 0;
}
