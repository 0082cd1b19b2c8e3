// Programs whose threads end in known wait-for graphs (issue 4's scenarios). Each prints
// `tid <role> <tid>` for every thread and `ready` once all threads are about to block.
import { C_PREAMBLE } from './programs';

const CXX_PREAMBLE = String.raw`
#include <cstdio>
#include <unistd.h>
#include <sys/syscall.h>
#include <mutex>
static std::mutex report_lock;
static void report_tid(const char *role) {
  std::lock_guard<std::mutex> g(report_lock);
  std::printf("tid %s %ld\n", role, (long)syscall(SYS_gettid));
  std::fflush(stdout);
}
static void report_ready() {
  std::lock_guard<std::mutex> g(report_lock);
  std::printf("ready\n");
  std::fflush(stdout);
}
`;

/** Two threads take `a` and `b` in opposite orders. */
export const LOCK_ORDER_DEADLOCK = C_PREAMBLE + String.raw`
pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both;
static void *first(void *x) { report_tid("first"); pthread_mutex_lock(&a); pthread_barrier_wait(&both); pthread_mutex_lock(&b); return x; }
static void *second(void *x) { report_tid("second"); pthread_mutex_lock(&b); pthread_barrier_wait(&both); pthread_mutex_lock(&a); return x; }
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

/** Three threads in a ring: 0 holds m0 wants m1, 1 holds m1 wants m2, 2 holds m2 wants m0. */
export const THREE_CYCLE = C_PREAMBLE + String.raw`
pthread_mutex_t ring0 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring1 = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ring2 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t *ring[3] = { &ring0, &ring1, &ring2 };
static pthread_barrier_t all;
static void *member(void *x) {
  long i = (long)x;
  char role[16]; snprintf(role, sizeof role, "ring%ld", i);
  report_tid(role);
  pthread_mutex_lock(ring[i]);
  pthread_barrier_wait(&all);
  pthread_mutex_lock(ring[(i + 1) % 3]);
  return x;
}
int main(void) {
  pthread_t t[3];
  pthread_barrier_init(&all, 0, 3);
  report_tid("main");
  for (long i = 0; i < 3; i++) pthread_create(&t[i], 0, member, (void *)i);
  usleep(100000);
  report_ready();
  pthread_join(t[0], 0);
  return 0;
}
`;

/** C++: two workers deadlock through std::lock_guard<std::mutex> on namespaced globals. */
export const CXX_DEADLOCK = CXX_PREAMBLE + String.raw`
#include <thread>
#include <atomic>
namespace bank {
std::mutex accounts_mutex;
std::mutex audit_mutex;
template <typename First, typename Second>
struct Transfer {
  static void run(First &first, Second &second, const char *role, std::atomic<int> &arrived) {
    report_tid(role);
    std::lock_guard<First> g1(first);
    arrived++;
    while (arrived.load() < 2) usleep(1000);
    std::lock_guard<Second> g2(second);
  }
};
}  // namespace bank
int main() {
  std::atomic<int> arrived{0};
  report_tid("main");
  std::thread t1([&] { bank::Transfer<std::mutex, std::mutex>::run(bank::accounts_mutex, bank::audit_mutex, "transfer", arrived); });
  std::thread t2([&] { bank::Transfer<std::mutex, std::mutex>::run(bank::audit_mutex, bank::accounts_mutex, "audit", arrived); });
  usleep(200000);
  report_ready();
  t1.join();
  t2.join();
}
`;

/** A writer holds an rwlock; two readers and a second writer wait for it; the holder sleeps. */
export const RWLOCK_WRITER = C_PREAMBLE + String.raw`
pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static void *holder(void *x) { report_tid("holder"); pthread_rwlock_wrlock(&table_lock); for (;;) sleep(100); return x; }
static void *reader(void *x) { report_tid("reader"); pthread_rwlock_rdlock(&table_lock); return x; }
static void *writer(void *x) { report_tid("writer"); pthread_rwlock_wrlock(&table_lock); return x; }
int main(void) {
  pthread_t h, r1, r2, w;
  report_tid("main");
  pthread_create(&h, 0, holder, 0);
  usleep(100000);
  pthread_create(&r1, 0, reader, 0);
  pthread_create(&r2, 0, reader, 0);
  pthread_create(&w, 0, writer, 0);
  usleep(200000);
  report_ready();
  for (;;) pause();
}
`;

/** Readers hold an rwlock (and sleep); a writer waits for it. */
export const RWLOCK_READERS = C_PREAMBLE + String.raw`
pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static void *reader(void *x) { report_tid("reader"); pthread_rwlock_rdlock(&cache_lock); for (;;) sleep(100); return x; }
static void *writer(void *x) { report_tid("writer"); pthread_rwlock_wrlock(&cache_lock); return x; }
int main(void) {
  pthread_t r1, r2, w;
  report_tid("main");
  pthread_create(&r1, 0, reader, 0);
  pthread_create(&r2, 0, reader, 0);
  usleep(100000);
  pthread_create(&w, 0, writer, 0);
  usleep(200000);
  report_ready();
  for (;;) pause();
}
`;

/** main holds `state_lock` and joins a worker that blocks on `state_lock`. */
export const JOIN_DEADLOCK = C_PREAMBLE + String.raw`
pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static void *worker(void *x) { report_tid("worker"); usleep(100000); pthread_mutex_lock(&state_lock); return x; }
int main(void) {
  pthread_t w;
  report_tid("main");
  pthread_mutex_lock(&state_lock);
  pthread_create(&w, 0, worker, 0);
  usleep(300000);
  report_ready();
  pthread_join(w, 0);
  return 0;
}
`;

/** A recursive mutex locked twice by its owner (who then sleeps); another thread waits for it. */
export const RECURSIVE_HELD_TWICE = C_PREAMBLE + String.raw`
pthread_mutex_t registry_lock;
static void *owner(void *x) {
  report_tid("owner");
  pthread_mutex_lock(&registry_lock);
  pthread_mutex_lock(&registry_lock);
  for (;;) sleep(100);
  return x;
}
static void *waiter(void *x) { report_tid("waiter"); usleep(100000); pthread_mutex_lock(&registry_lock); return x; }
int main(void) {
  pthread_mutexattr_t at;
  pthread_mutexattr_init(&at);
  pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&registry_lock, &at);
  pthread_t o, w;
  report_tid("main");
  pthread_create(&o, 0, owner, 0);
  pthread_create(&w, 0, waiter, 0);
  usleep(300000);
  report_ready();
  for (;;) pause();
}
`;

/** A priority-inheritance mutex and a robust mutex, each held by a sleeping owner with a waiter. */
export const PI_AND_ROBUST = C_PREAMBLE + String.raw`
pthread_mutex_t pi_lock;
pthread_mutex_t robust_lock;
static void *pi_owner(void *x) { report_tid("pi_owner"); pthread_mutex_lock(&pi_lock); for (;;) sleep(100); return x; }
static void *pi_waiter(void *x) { report_tid("pi_waiter"); usleep(100000); pthread_mutex_lock(&pi_lock); return x; }
static void *robust_owner(void *x) { report_tid("robust_owner"); pthread_mutex_lock(&robust_lock); for (;;) sleep(100); return x; }
static void *robust_waiter(void *x) { report_tid("robust_waiter"); usleep(100000); pthread_mutex_lock(&robust_lock); return x; }
int main(void) {
  pthread_mutexattr_t pa, ra;
  pthread_mutexattr_init(&pa);
  pthread_mutexattr_setprotocol(&pa, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init(&pi_lock, &pa);
  pthread_mutexattr_init(&ra);
  pthread_mutexattr_setrobust(&ra, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(&robust_lock, &ra);
  pthread_t t[4];
  report_tid("main");
  pthread_create(&t[0], 0, pi_owner, 0);
  pthread_create(&t[1], 0, pi_waiter, 0);
  pthread_create(&t[2], 0, robust_owner, 0);
  pthread_create(&t[3], 0, robust_waiter, 0);
  usleep(300000);
  report_ready();
  for (;;) pause();
}
`;

/** A convoy: N threads wait for `queue_lock`, held by a thread that sleeps. */
export const CONVOY = C_PREAMBLE + String.raw`
pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static void *holder(void *x) { report_tid("holder"); pthread_mutex_lock(&queue_lock); for (;;) sleep(100); return x; }
static void *waiter(void *x) { report_tid("waiter"); pthread_mutex_lock(&queue_lock); return x; }
int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 8;
  pthread_t h, t;
  report_tid("main");
  pthread_create(&h, 0, holder, 0);
  usleep(100000);
  for (int i = 0; i < n; i++) pthread_create(&t, 0, waiter, 0);
  usleep(300000);
  report_ready();
  for (;;) pause();
}
`;

/**
 * The article's shape: A locks a global std::mutex and then waits in a loop on a timed
 * condition variable for a flag that only B can set, while B blocks on that mutex.
 */
export const ARTICLE_SHAPE = CXX_PREAMBLE + String.raw`
#include <thread>
#include <condition_variable>
#include <chrono>
namespace profiler {
std::mutex global_lock;
std::mutex suspend_mutex;
std::condition_variable suspended;
bool all_suspended = false;  // only B would set it
void suspend_runtime() {  // A: holds global_lock and waits for B
  report_tid("A");
  std::lock_guard<std::mutex> g(global_lock);
  std::unique_lock<std::mutex> lk(suspend_mutex);
  while (!all_suspended) suspended.wait_for(lk, std::chrono::milliseconds(10));
}
void assembly_load_finished() {  // B: needs global_lock before it can reach its safe point
  report_tid("B");
  usleep(100000);
  std::lock_guard<std::mutex> g(global_lock);
  { std::lock_guard<std::mutex> s(suspend_mutex); all_suspended = true; }
  suspended.notify_all();
}
}  // namespace profiler
int main() {
  report_tid("main");
  std::thread a(profiler::suspend_runtime);
  usleep(50000);
  std::thread b(profiler::assembly_load_finished);
  usleep(400000);
  report_ready();
  a.join();
  b.join();
}
`;

/** Threads labelled by what they wait for that is not a lock: sleep, I/O, a child, a semaphore. */
export const NON_LOCK_WAITS = C_PREAMBLE + String.raw`
#include <semaphore.h>
#include <sys/wait.h>
#include <poll.h>
sem_t jobs;
static int pipefd[2];
static void *sleeper(void *x) { report_tid("sleeper"); for (;;) sleep(100); return x; }
static void *reader(void *x) { report_tid("reader"); char c; for (;;) read(pipefd[0], &c, 1); return x; }
static void *sem_waiter(void *x) { report_tid("sem_waiter"); sem_wait(&jobs); return x; }
#include <sys/prctl.h>
#include <signal.h>
static void *child_waiter(void *x) {
  report_tid("child_waiter");
  pid_t p = fork();
  if (p == 0) { prctl(PR_SET_PDEATHSIG, SIGKILL); for (;;) pause(); }
  int st; waitpid(p, &st, 0);
  return x;
}
int main(void) {
  pthread_t t[4];
  if (pipe(pipefd) != 0) return 1;
  sem_init(&jobs, 0, 0);
  report_tid("main");
  pthread_create(&t[0], 0, sleeper, 0);
  pthread_create(&t[1], 0, reader, 0);
  pthread_create(&t[2], 0, sem_waiter, 0);
  pthread_create(&t[3], 0, child_waiter, 0);
  usleep(300000);
  report_ready();
  for (;;) pause();
}
`;

/** A thread that locks a normal mutex twice (self-deadlock). */
export const SELF_DEADLOCK = C_PREAMBLE + String.raw`
pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static void *reload(void *x) { report_tid("reload"); pthread_mutex_lock(&config_lock); pthread_mutex_lock(&config_lock); return x; }
int main(void) {
  pthread_t t;
  report_tid("main");
  pthread_create(&t, 0, reload, 0);
  usleep(200000);
  report_ready();
  for (;;) pause();
}
`;

/** Mutexes with no symbol: one on the heap, one on its owner's stack; each has a waiter. */
export const HEAP_AND_STACK_LOCKS = C_PREAMBLE + String.raw`
static pthread_mutex_t *heap_lock;
static pthread_mutex_t *volatile stack_lock;
static void *heap_owner(void *x) { report_tid("heap_owner"); pthread_mutex_lock(heap_lock); for (;;) sleep(100); return x; }
static void *heap_waiter(void *x) { report_tid("heap_waiter"); usleep(100000); pthread_mutex_lock(heap_lock); return x; }
static void *stack_owner(void *x) {
  pthread_mutex_t mine = PTHREAD_MUTEX_INITIALIZER;
  report_tid("stack_owner");
  pthread_mutex_lock(&mine);
  stack_lock = &mine;
  for (;;) sleep(100);
  return x;
}
static void *stack_waiter(void *x) { report_tid("stack_waiter"); while (!stack_lock) usleep(1000); pthread_mutex_lock(stack_lock); return x; }
int main(void) {
  pthread_t t[4];
  heap_lock = malloc(sizeof *heap_lock);
  pthread_mutex_init(heap_lock, 0);
  report_tid("main");
  pthread_create(&t[0], 0, heap_owner, 0);
  pthread_create(&t[1], 0, heap_waiter, 0);
  pthread_create(&t[2], 0, stack_owner, 0);
  pthread_create(&t[3], 0, stack_waiter, 0);
  usleep(300000);
  report_ready();
  for (;;) pause();
}
`;
