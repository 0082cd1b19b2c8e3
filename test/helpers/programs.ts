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
