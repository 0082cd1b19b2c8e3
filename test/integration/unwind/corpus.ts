// The programs whose cores we unwind and compare with gdb. Each prints `tid <role> <tid>` for
// the threads that matter and `ready` once every thread is about to block.
import { C_PREAMBLE } from '../../helpers/programs';
import { type CompileOptions, type RunOptions } from '../../helpers/native';

export interface CorpusProgram {
  name: string;
  source: string;
  compile: CompileOptions;
  run: RunOptions;
  /** Roles whose threads must show particular shapes (checked by the tests). */
  note: string;
}

/** Two threads take two mutexes in opposite orders: a lock-order deadlock. */
const deadlock = String.raw`${C_PREAMBLE}
static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold;

static void take_second(pthread_mutex_t *m) { pthread_mutex_lock(m); }

static void *first_a_then_b(void *arg) {
  (void)arg;
  report_tid("a_then_b");
  pthread_mutex_lock(&lock_a);
  pthread_barrier_wait(&both_hold);
  take_second(&lock_b);
  return NULL;
}

static void *first_b_then_a(void *arg) {
  (void)arg;
  report_tid("b_then_a");
  pthread_mutex_lock(&lock_b);
  pthread_barrier_wait(&both_hold);
  take_second(&lock_a);
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_barrier_init(&both_hold, NULL, 3);
  report_tid("main");
  pthread_create(&t1, NULL, first_a_then_b, NULL);
  pthread_create(&t2, NULL, first_b_then_a, NULL);
  pthread_barrier_wait(&both_hold);
  report_ready();
  pthread_join(t1, NULL);
  return 0;
}
`;

/** C++: namespaces, templates, std::mutex, std::condition_variable, lambdas in std::thread. */
const cxxSource = String.raw`${C_PREAMBLE}
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace shop {
namespace ledger {

struct Gate {
  std::mutex m;
  std::condition_variable cv;
  int arrived = 0;
  void arrive_and_wait(int n) {
    std::unique_lock<std::mutex> lk(m);
    if (++arrived >= n) cv.notify_all();
    else cv.wait(lk, [&] { return arrived >= n; });
  }
};

template <typename Amount>
struct Account {
  std::mutex mutex;
  Amount balance{};
};

template <typename Amount>
class Transfer {
 public:
  static void __attribute__((noinline)) run(Account<Amount> &from, Account<Amount> &to, Amount amount, const char *role, Gate &gate) {
    report_tid(role);
    std::lock_guard<std::mutex> first(from.mutex);
    gate.arrive_and_wait(3);
    lock_second(to, amount);
    from.balance -= amount;
  }

 private:
  static void __attribute__((noinline)) lock_second(Account<Amount> &to, Amount amount) {
    std::lock_guard<std::mutex> second(to.mutex);
    to.balance += amount;
  }
};

template <typename T>
class Mailbox {
 public:
  T __attribute__((noinline)) take() {
    std::unique_lock<std::mutex> lk(m_);
    cv_.wait(lk, [this] { return !items_.empty(); });
    T v = items_.back();
    items_.pop_back();
    return v;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::vector<T> items_;
};

}  // namespace ledger
}  // namespace shop

int main() {
  using namespace shop::ledger;
  static Account<long> savings, checking;
  static Gate gate;
  static Mailbox<int> box;
  report_tid("main");
  std::thread consumer([] {
    report_tid("consumer");
    box.take();
  });
  std::thread t1([] { Transfer<long>::run(savings, checking, 10, "savings_to_checking", gate); });
  std::thread t2([] { Transfer<long>::run(checking, savings, 20, "checking_to_savings", gate); });
  gate.arrive_and_wait(3);
  report_ready();
  t1.join();
  return 0;
}
`;

/** A worker 200 calls deep, optimised without frame pointers; the recursion is not a tail call. */
const deep = String.raw`${C_PREAMBLE}
static pthread_mutex_t never = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t at_bottom;
static volatile long sink;

__attribute__((noinline)) static long dive(int n) {
  if (n == 0) {
    report_tid("deep");
    pthread_barrier_wait(&at_bottom);
    pthread_mutex_lock(&never);
    return 1;
  }
  long r = dive(n - 1);
  sink = sink + r; /* work after the call: no tail call, no loop */
  return r + n;
}

__attribute__((noinline)) static long other_dive(int n) {
  if (n == 0) {
    report_tid("shallow");
    pthread_barrier_wait(&at_bottom);
    pthread_mutex_lock(&never);
    return 1;
  }
  long r = other_dive(n - 1) * 3;
  sink = sink + r;
  return r;
}

static void *deep_worker(void *arg) { sink = dive((int)(long)arg); return NULL; }
static void *shallow_worker(void *arg) { sink = other_dive((int)(long)arg); return NULL; }

int main(void) {
  pthread_t t1, t2;
  pthread_mutex_lock(&never);
  pthread_barrier_init(&at_bottom, NULL, 3);
  report_tid("main");
  pthread_create(&t1, NULL, deep_worker, (void *)200L);
  pthread_create(&t2, NULL, shallow_worker, (void *)7L);
  pthread_barrier_wait(&at_bottom);
  report_ready();
  pthread_join(t1, NULL);
  return 0;
}
`;

/**
 * Threads stopped inside signal handlers: one interrupted in a system call (pause), one
 * interrupted while spinning in user code (the interrupted pc is exact, not after a call), one
 * whose handler blocks on a mutex (futex frames above the trampoline), and one that called a
 * NULL function pointer (SIGSEGV at pc 0, its return address at [rsp]).
 */
const signals = String.raw`${C_PREAMBLE}
#include <signal.h>
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static volatile int in_handler;
static volatile unsigned long spins;

static void handler_pause(int sig) {
  (void)sig;
  __sync_fetch_and_add(&in_handler, 1);
  for (;;) pause();
}

static void handler_lock(int sig) {
  (void)sig;
  __sync_fetch_and_add(&in_handler, 1);
  pthread_mutex_lock(&held);
}

__attribute__((noinline)) static void spin_forever(void) {
  for (;;) spins++;
}

static void *sleeper(void *arg) {
  (void)arg;
  report_tid("in_syscall");
  for (;;) pause();
  return NULL;
}

static void *spinner(void *arg) {
  (void)arg;
  report_tid("spinning");
  spin_forever();
  return NULL;
}

__attribute__((noinline)) static void wait_here(void) {
  for (;;) pause();
}

static void *locker(void *arg) {
  (void)arg;
  report_tid("handler_locks");
  wait_here();
  return NULL;
}

static void (*volatile nothing)(void);

__attribute__((noinline)) static void call_through_null(void) {
  nothing();
  __asm__ volatile("" ::: "memory");
}

static void *crasher(void *arg) {
  (void)arg;
  report_tid("null_call");
  usleep(300000);
  call_through_null();
  return NULL;
}

int main(void) {
  pthread_t a, b, c, d;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler_pause;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_handler = handler_lock;
  sigaction(SIGUSR2, &sa, NULL);
  sa.sa_handler = handler_pause;
  sigaction(SIGSEGV, &sa, NULL);
  pthread_mutex_lock(&held);
  report_tid("main");
  pthread_create(&a, NULL, sleeper, NULL);
  pthread_create(&b, NULL, spinner, NULL);
  pthread_create(&c, NULL, locker, NULL);
  pthread_create(&d, NULL, crasher, NULL);
  usleep(200000);
  pthread_kill(a, SIGUSR1);
  pthread_kill(b, SIGUSR1);
  pthread_kill(c, SIGUSR2);
  while (in_handler < 4) usleep(1000);
  report_ready();
  pthread_join(a, NULL);
  return 0;
}
`;

/** 200 threads blocked in a handful of ways at a handful of depths. */
const many = String.raw`${C_PREAMBLE}
#include <time.h>
#define THREADS 200
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER; /* main holds it */
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t started;
static int pipefd[2];

static void block(long i) {
  pthread_barrier_wait(&started);
  switch (i % 4) {
    case 0: pthread_mutex_lock(&m); pthread_cond_wait(&cv, &m); break;
    case 1: { char c; (void)!read(pipefd[0], &c, 1); break; }
    case 2: { struct timespec ts = { 1000, 0 }; nanosleep(&ts, NULL); break; }
    default: pthread_mutex_lock(&held); break;
  }
}

__attribute__((noinline)) static void nest(long i, int depth) {
  if (depth == 0) block(i);
  else nest(i, depth - 1);
  __asm__ volatile("" ::: "memory");
}

static void *worker(void *arg) {
  long i = (long)arg;
  nest(i, (int)(i % 5));
  return NULL;
}

int main(void) {
  pthread_t t[THREADS];
  if (pipe(pipefd) != 0) return 1;
  pthread_barrier_init(&started, NULL, THREADS + 1);
  pthread_mutex_lock(&held);
  report_tid("main");
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
  pthread_barrier_wait(&started);
  usleep(100000);
  report_ready();
  pthread_join(t[0], NULL);
  return 0;
}
`;

/** -O0 with frame pointers: a plain call chain. Also used to exercise the fp/scan fallbacks. */
const framePointers = String.raw`${C_PREAMBLE}
static pthread_mutex_t never = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t ready;

void level_four(int x) {
  volatile int local = x;
  report_tid("chain");
  pthread_barrier_wait(&ready);
  pthread_mutex_lock(&never);
  (void)local;
}
void level_three(int x) { level_four(x + 1); }
void level_two(int x) { level_three(x + 1); }
void level_one(int x) { level_two(x + 1); }
static void *chain(void *arg) { (void)arg; level_one(1); return NULL; }

int main(void) {
  pthread_t t;
  pthread_mutex_lock(&never);
  pthread_barrier_init(&ready, NULL, 2);
  report_tid("main");
  pthread_create(&t, NULL, chain, NULL);
  pthread_barrier_wait(&ready);
  report_ready();
  pthread_join(t, NULL);
  return 0;
}
`;

export const CORPUS: CorpusProgram[] = [
  { name: 'deadlock', source: deadlock, compile: { flags: ['-g', '-O0'] }, run: {}, note: 'lock-order deadlock in C' },
  { name: 'cxx-mutex', source: cxxSource, compile: { cxx: true, flags: ['-g', '-O2'] }, run: {}, note: 'C++ namespaces, templates, std::mutex' },
  { name: 'deep-o2', source: deep, compile: { flags: ['-g', '-O2', '-fomit-frame-pointer'] }, run: {}, note: '200 calls deep, -O2 -fomit-frame-pointer' },
  { name: 'signals', source: signals, compile: { flags: ['-g', '-O0'] }, run: { settleMs: 400 }, note: 'threads inside signal handlers' },
  { name: 'many-threads', source: many, compile: { flags: ['-g', '-O0'] }, run: { stackKb: 256, timeoutMs: 60_000, settleMs: 500 }, note: '200 threads' },
  { name: 'frame-pointers', source: framePointers, compile: { flags: ['-g', '-O0', '-fno-omit-frame-pointer'] }, run: {}, note: '-O0 with frame pointers' },
];
