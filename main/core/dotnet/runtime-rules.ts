// CoreCLR knowledge as rules over a thread's frames. Each rule looks for function names the
// runtime uses, bounded to the first frames of a stack, and returns the frames that prove it.
//
// Folklore, written down (CoreCLR 2.x–8.x, names from dotnet/runtime src/coreclr/vm):
// - Suspension. Before a GC, a ReJIT, a debugger stop or a thread abort the runtime stops every
//   thread that runs managed code: ThreadSuspend::SuspendEE(reason) calls
//   ThreadSuspend::SuspendRuntime, which loops (CLREvent waits of a few ms) until every thread
//   is in preemptive GC mode or at a safe point. A thread in cooperative mode that is blocked in
//   native code never gets there, so the suspension waits for it forever. The article's thread
//   #1 is in SuspendRuntime under ReJitManager::UpdateActiveILVersions, called by the profiler's
//   ICorProfilerInfo::RequestReJIT (ProfToEEInterfaceImpl::RequestReJIT).
// - Why it suspends: ReJitManager / RequestReJIT / RequestRevert -> ReJIT; GCHeap::GarbageCollect*,
//   GCToEEInterface::SuspendEE, gc_heap:: -> GC; Debugger:: / DebuggerRCThread -> debugger;
//   Thread::UserAbort -> thread abort. Without those frames the reason is not said.
// - Prestub. A method called for the first time goes through ThePreStub, which pushes a
//   PrestubMethodFrame and calls PreStubWorker -> MethodDesc::DoPrestub, which JIT-compiles it
//   (UnsafeJitFunction -> CILJit::compileMethod). A PrestubMethodFrame on top of a managed stack
//   therefore means "waiting for this method to be prepared"; name2ee / dumpmt -md say whether
//   it is JITted yet.
// - Monitors. Monitor.Enter / ReliableEnter block in AwareLock::Enter / EnterEpilog (reached
//   from JIT_MonEnter* helpers), under a HelperMethodFrame. syncblk names each monitor's owner.
// A lldb without libcoreclr's symbols prints `___lldb_unnamed_symbol…$$libcoreclr.so`: no rule
// can match those frames, and the analysis says so instead of guessing.

import { type ClrStackFrame } from './types';
import { type NativeStack, type RuleFrame } from './rule-frames';

/** How many innermost frames the "what is it blocked in" rules look at. */
const TOP = 24;
/** How deep a suspension or its reason may be (a GC can be triggered deep in an allocation). */
const DEEP = 80;

export type SuspendReason = 'ReJIT' | 'GC' | 'debugger' | 'thread abort';

export interface SuspensionMatch {
  /** The SuspendRuntime (or SuspendEE) frame. */
  frame: RuleFrame;
  /** Every frame of the suspension path found (SuspendRuntime, SuspendEE, the caller that says why). */
  frames: RuleFrame[];
  reason: SuspendReason | null;
  reasonFrame: RuleFrame | null;
}

const RE_SUSPEND = /(?:^|::)ThreadSuspend::Suspend(?:Runtime|EE)$/;
const REASONS: ReadonlyArray<readonly [RegExp, SuspendReason]> = [
  [/(?:^|::)ReJitManager::|(?:^|::)ProfToEEInterfaceImpl::Request(?:ReJIT|Revert)|(?:^|::)CodeVersionManager::/, 'ReJIT'],
  [/(?:^|::)GCHeap::GarbageCollect|(?:^|::)GCToEEInterface::SuspendEE|(?:^|::)gc_heap::|(?:^|::)GCHeap::Alloc/, 'GC'],
  [/(?:^|::)Debugger::|(?:^|::)DebuggerRCThread::/, 'debugger'],
  [/(?:^|::)Thread::UserAbort|(?:^|::)Thread::HandleThreadAbort/, 'thread abort'],
];

/** A thread suspending the runtime, and why when its frames say. */
export function findSuspension(stack: NativeStack | null): SuspensionMatch | null {
  if (stack === null) return null;
  const frames = stack.frames.slice(0, DEEP);
  const at = frames.findIndex((f) => f.function !== null && RE_SUSPEND.test(f.function));
  if (at < 0) return null;
  const path: RuleFrame[] = [frames[at]];
  let reason: SuspendReason | null = null;
  let reasonFrame: RuleFrame | null = null;
  for (let i = at + 1; i < frames.length; i++) {
    const fn = frames[i].function;
    if (fn === null) continue;
    if (RE_SUSPEND.test(fn)) {
      path.push(frames[i]);
      continue;
    }
    const r = REASONS.find(([re]) => re.test(fn));
    if (r) {
      reason = r[1];
      reasonFrame = frames[i];
      path.push(frames[i]);
      // The ReJIT path names both the manager and the profiler API that asked for it.
      const next = frames[i + 1]?.function;
      if (next != null && REASONS.some(([re, why]) => why === r[1] && re.test(next))) path.push(frames[i + 1]);
      break;
    }
  }
  return { frame: frames[at], frames: path, reason, reasonFrame };
}

export function reasonWords(reason: SuspendReason | null): string {
  switch (reason) {
    case 'ReJIT':
      return ' for a ReJIT';
    case 'GC':
      return ' for a garbage collection';
    case 'debugger':
      return ' for the debugger';
    case 'thread abort':
      return ' to abort a thread';
    case null:
      return '';
  }
}

// The glibc and libstdc++ plumbing of a mutex lock, innermost first: futex wait, the low-level
// lock, pthread_mutex_lock, gthread, std::mutex::lock, lock_guard / unique_lock / scoped_lock.
const RE_LOCK_PRIMITIVE = /^(?:__GI___)?(?:__lll_lock_wait(?:_private)?|lll_lock_wait|___?pthread_mutex_(?:clock|timed)?lock(?:_full)?|pthread_mutex_(?:clock|timed)?lock|__pthread_mutex_lock(?:_full)?|__pthread_mutex_cond_lock|lll_mutex_lock_optimized)$/;
const RE_LOCK_PLUMBING = /^(?:__gthread_(?:recursive_)?mutex_lock|std::(?:recursive_|timed_|shared_)?mutex::lock|std::(?:lock_guard|unique_lock|scoped_lock)<.*>::(?:lock_guard|unique_lock|scoped_lock|lock)|futex_wait|__futex_abstimed_wait_common(?:64)?|__GI___futex_abstimed_wait_cancelable64)$/;
const SYSTEM_MODULE = /^(?:libc\.so|libc-[\d.]+\.so|libpthread|ld-linux|ld-[\d.]+\.so|libstdc\+\+)/;

export interface NativeLockMatch {
  /** The primitive's frames, innermost first (futex, __lll_lock_wait, pthread_mutex_lock, std::mutex::lock, lock_guard). */
  lockFrames: RuleFrame[];
  /** The first frame above the plumbing: the code that takes the lock. */
  caller: RuleFrame | null;
  /** The mutex's address when a frame printed it (gdb's and lldb's `mutex=0x…` argument), and its symbol (gdb's `<lock_b>`). */
  address: string | null;
  symbol: string | null;
}

// `mutex=0x00005606ec9f5100` (lldb), `mutex=0x5606ec9f5100 <lock_b>` (gdb), `futex_word=0x… <lock_b>`.
const RE_MUTEX_ARG = /\bmutex=(0x[0-9a-fA-F]+)(?:\s*<([^>\s]+)>)?/;
const RE_FUTEX_ARG = /\bfutex(?:_word)?=(0x[0-9a-fA-F]+)(?:\s*<([^>\s]+)>)?/;

function lockAddress(frames: readonly RuleFrame[]): { address: string | null; symbol: string | null } {
  for (const re of [RE_MUTEX_ARG, RE_FUTEX_ARG]) {
    for (const f of frames) {
      const m = f.args === null ? null : re.exec(f.args);
      if (m) return { address: `0x${BigInt(m[1]).toString(16)}`, symbol: m[2] ?? null };
    }
  }
  return { address: null, symbol: null };
}

/** A thread blocked taking a pthread / std::mutex, seen in its frames. */
export function findNativeLockWait(stack: NativeStack | null): NativeLockMatch | null {
  if (stack === null) return null;
  const frames = stack.frames.slice(0, TOP);
  const prim = frames.findIndex((f) => f.function !== null && RE_LOCK_PRIMITIVE.test(f.function));
  // The primitive must be near the top: a mutex lock far down the stack is not what blocks.
  if (prim < 0 || prim > 3) return null;
  const lockFrames: RuleFrame[] = frames.slice(0, prim + 1);
  let i = prim + 1;
  while (i < frames.length) {
    const f = frames[i];
    const fn = f.function;
    const plumbing = (fn !== null && (RE_LOCK_PRIMITIVE.test(fn) || RE_LOCK_PLUMBING.test(fn))) || (fn === null && f.module !== null && SYSTEM_MODULE.test(f.module));
    if (!plumbing) break;
    lockFrames.push(f);
    i++;
  }
  return { lockFrames, caller: i < frames.length ? frames[i] : null, ...lockAddress(lockFrames) };
}

/** The frames of a thread that run in `module`, innermost first. */
export function framesInModule(stack: NativeStack | null, module: string): RuleFrame[] {
  if (stack === null) return [];
  return stack.frames.filter((f) => f.module === module && f.function !== null);
}

/** The outermost function of `module` on the stack: the entry point the runtime called. */
export function entryPoint(stack: NativeStack | null, module: string): RuleFrame | null {
  const fs = framesInModule(stack, module);
  return fs.length === 0 ? null : fs[fs.length - 1];
}

export interface PrestubMatch {
  /** The method being prepared, from the PrestubMethodFrame line (null when only native frames show the prestub). */
  method: string | null;
  managedFrame: ClrStackFrame | null;
  nativeFrame: RuleFrame | null;
}

const RE_NATIVE_PRESTUB = /^(?:ThePreStub|PreStubWorker|MethodDesc::DoPrestub|MethodDesc::PrepareInitialCode|MethodDesc::JitCompileCode\w*)$/;
const RE_NATIVE_JIT = /^(?:UnsafeJitFunction|CILJit::compileMethod|jitNativeCode|invokeCompileMethod\w*|CallCompileMethodWithSEHWrapper|Compiler::compCompile\w*)$/;

/** A thread whose top managed frame is a PrestubMethodFrame, or whose native frames are in the prestub. */
export function findPrestub(managed: readonly ClrStackFrame[] | null, stack: NativeStack | null): PrestubMatch | null {
  const top = managed !== null && managed.length > 0 ? managed[0] : null;
  const native = stack === null ? null : (stack.frames.slice(0, DEEP).find((f) => f.function !== null && RE_NATIVE_PRESTUB.test(f.function)) ?? null);
  if (top !== null && top.kind === 'runtime' && top.frameType === 'PrestubMethodFrame') return { method: top.method, managedFrame: top, nativeFrame: native };
  if (native !== null) return { method: null, managedFrame: null, nativeFrame: native };
  return null;
}

/** The JIT compiling a method, from its native frames. */
export function findJit(stack: NativeStack | null): RuleFrame | null {
  if (stack === null) return null;
  return stack.frames.slice(0, DEEP).find((f) => f.function !== null && RE_NATIVE_JIT.test(f.function)) ?? null;
}

const RE_TYPE_LOAD = /^(?:ClassLoader::(?:LoadTypeHandle\w*|LoadTypeDefThrowing|LoadTypeHandleForTypeKey\w*|DoIncrementalLoad|CreateTypeHandleForTypeKey)|MethodTable::(?:DoRunClassInitThrowing|CheckRunClassInitThrowing|RunClassInitEx))$/;

/** Loading a type or running a class constructor (type loads take the loader's locks). */
export function findTypeLoad(stack: NativeStack | null): RuleFrame | null {
  if (stack === null) return null;
  return stack.frames.slice(0, DEEP).find((f) => f.function !== null && RE_TYPE_LOAD.test(f.function)) ?? null;
}

export interface MonitorMatch {
  managedFrame: ClrStackFrame | null;
  nativeFrame: RuleFrame | null;
  /** The object locked, when `clrstack -a` printed Monitor.Enter's argument. */
  objectAddress: string | null;
}

const RE_MANAGED_MONITOR = /^System\.Threading\.Monitor\.(?:Enter|ReliableEnter|TryEnter|ReliableEnterTimeout)\(/;
const RE_NATIVE_MONITOR = /^(?:AwareLock::(?:Enter|EnterEpilog|EnterEpilogHelper|Contention)|JIT_MonEnter\w*|JIT_MonReliableEnter\w*|JIT_MonTryEnter\w*|ObjectNative::Enter|JITutil_MonContention|JITutil_MonEnterWorker)$/;
const RE_OBJ_ARG = /^(?:obj|o)\b.*=\s*(0x[0-9a-fA-F]+)\s*$/;

/** Blocked entering a Monitor (C# `lock`): managed Monitor.Enter under its helper frames, or AwareLock natively. */
export function findMonitorWait(managed: readonly ClrStackFrame[] | null, stack: NativeStack | null): MonitorMatch | null {
  let managedFrame: ClrStackFrame | null = null;
  if (managed !== null) {
    // Runtime frames (GCFrame, HelperMethodFrame…) sit above the call; the first real call decides.
    for (const f of managed.slice(0, 6)) {
      if (f.method !== null && RE_MANAGED_MONITOR.test(f.method)) {
        managedFrame = f;
        break;
      }
      if (f.kind === 'managed') break;
    }
  }
  const nativeFrame = stack === null ? null : (stack.frames.slice(0, TOP).find((f) => f.function !== null && RE_NATIVE_MONITOR.test(f.function)) ?? null);
  if (managedFrame === null && nativeFrame === null) return null;
  let objectAddress: string | null = null;
  for (const d of managedFrame?.details ?? []) {
    const m = RE_OBJ_ARG.exec(d.trim());
    if (m) objectAddress = m[1].toLowerCase();
  }
  return { managedFrame, nativeFrame, objectAddress };
}

/** SOS's GC mode: "Cooperative" (or, in the oldest layout, preemptive GC "Disabled"). */
export function isCooperative(gcMode: string | null): boolean | null {
  if (gcMode === null) return null;
  const m = gcMode.toLowerCase();
  if (m === 'cooperative' || m === 'disabled') return true;
  if (m === 'preemptive' || m === 'enabled') return false;
  return null;
}
