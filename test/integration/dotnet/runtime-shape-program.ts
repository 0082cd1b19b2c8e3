// The article's deadlock rebuilt in native code, with the runtime's and the profiler's function
// names, so that the rules run on a real core here (no CoreCLR is installed on this machine):
// thread A enters the "profiler" (trace::CorProfiler::ModuleLoadFinished), takes its global lock
// and asks for a ReJIT, which suspends the "runtime" (ThreadSuspend::SuspendEE ->
// SuspendRuntime) and waits, in a loop of short timed waits as CLREvent::Wait does, for thread B
// to leave "cooperative mode"; B is in trace::CorProfiler::AssemblyLoadFinished, blocked on the
// global lock A holds. What the real runtime knows and this program cannot show — that B is in
// cooperative GC mode — a test states; the dump proves the lock's owner from its __owner field.
export const RUNTIME_SHAPE = String.raw`
#include <cstdio>
#include <unistd.h>
#include <sys/syscall.h>
#include <mutex>
#include <thread>
#include <condition_variable>
#include <chrono>
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
static std::mutex event_mutex;
static std::condition_variable event;
static bool all_preemptive = false; // only B would set it, once out of cooperative mode

struct ThreadSuspend {
  __attribute__((noinline)) static void SuspendRuntime(int reason) {
    std::unique_lock<std::mutex> lk(event_mutex);
    while (!all_preemptive) event.wait_for(lk, std::chrono::milliseconds(10));
    (void)reason;
  }
  __attribute__((noinline)) static void SuspendEE(int reason) { SuspendRuntime(reason); asm volatile("" ::: "memory"); }
};
struct ReJitManager {
  __attribute__((noinline)) static long UpdateActiveILVersions(int n) { ThreadSuspend::SuspendEE(6); asm volatile("" ::: "memory"); return n; }
};
struct ProfToEEInterfaceImpl {
  __attribute__((noinline)) long RequestReJIT(int n) { long r = ReJitManager::UpdateActiveILVersions(n); asm volatile("" ::: "memory"); return r; }
};
namespace trace {
std::mutex global_lock;
struct CorProfiler {
  ProfToEEInterfaceImpl *info;
  __attribute__((noinline)) long CallTarget_RequestRejitForModule(int n) { long r = info->RequestReJIT(n); asm volatile("" ::: "memory"); return r; }
  __attribute__((noinline)) long ModuleLoadFinished(int n) {
    std::lock_guard<std::mutex> g(global_lock);
    long r = CallTarget_RequestRejitForModule(n);
    asm volatile("" ::: "memory");
    return r;
  }
  __attribute__((noinline)) long AssemblyLoadFinished(int n) {
    std::lock_guard<std::mutex> g(global_lock);
    asm volatile("" ::: "memory");
    return n;
  }
};
}  // namespace trace

int main() {
  static ProfToEEInterfaceImpl info;
  static trace::CorProfiler profiler{&info};
  report_tid("main");
  std::thread a([] { report_tid("A"); profiler.ModuleLoadFinished(2); });
  usleep(50000);
  std::thread b([] { report_tid("B"); profiler.AssemblyLoadFinished(1); });
  usleep(400000);
  report_ready();
  a.join();
  b.join();
}
`;
