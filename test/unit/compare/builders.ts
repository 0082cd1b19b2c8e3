// Hand-made dump data in the API's shapes for the pure compare and report functions. The lock
// graph is built by the real graph algorithm (core/analysis) from the waits given; the same
// scenarios on real cores are in test/integration/compare/.
import { buildLockGraph } from '../../../main/core/analysis/graph';
import { type CompareSide, type CompareThread } from '../../../main/core/compare';
import { type DumpSummary, type ModuleInfo, type StackFrame, type ThreadStack, type WaitInfo } from '../../../shared/types';

export function wait(partial: Partial<WaitInfo>): WaitInfo {
  return { kind: 'mutex', summary: '', isLockWait: true, address: null, objectName: null, holderTid: null, likelyHolderTid: null, holderExited: false, timeout: false, evidence: [], ...partial };
}

export const mutexWait = (addr: string, name: string, holder: number | null): WaitInfo =>
  wait({ kind: 'mutex', address: addr, objectName: name, holderTid: holder, summary: `waits for mutex \`${name}\` (${addr})${holder !== null ? ` held by tid ${holder}` : ''}`, evidence: [{ kind: 'memory', text: `__owner = ${holder}` }] });
export const joinWait = (tid: number): WaitInfo => wait({ kind: 'join', holderTid: tid, summary: `waits to join tid ${tid}` });
export const idle = (summary: string, kind: WaitInfo['kind'] = 'sleep'): WaitInfo => wait({ kind, isLockWait: false, summary });
export const running = (): WaitInfo => wait({ kind: 'running', isLockWait: false, summary: 'running (not in a system call)' });

export function frame(index: number, pc: string, fn: string | null, extra: Partial<StackFrame> = {}): StackFrame {
  return { index, pc, sp: '0x7ffc0000', cfa: null, module: 'prog', function: fn, rawFunction: null, offset: 4, file: null, line: null, column: null, inline: false, how: index === 0 ? 'context' : 'cfi', signalFrame: false, ...extra };
}

export interface ThreadSpec {
  tid: number;
  /** Innermost first: [pc, function]. */
  frames: [string, string][];
  wait: WaitInfo;
  name?: string | null;
  managedId?: number;
}

export function dump(partial: Partial<DumpSummary> = {}): DumpSummary {
  return {
    id: 1,
    path: '/cores/core.1',
    size: 1000,
    mtimeMs: 1_700_000_000_000,
    fingerprint: 'f',
    process: 'prog',
    args: './prog',
    pid: 100,
    uid: 0,
    arch: 'x86_64',
    signal: null,
    signalName: null,
    threadCount: 0,
    moduleCount: 0,
    runtime: null,
    executable: '/bin/prog',
    notes: { total: 0, unknown: 0 },
    glibc: '2.36',
    incompleteStacks: 0,
    indexStats: null,
    warnings: [],
    openedAt: '2026-01-01T00:00:00.000Z',
    indexedAt: '2026-01-01T00:00:00.000Z',
    fromIndex: false,
    ...partial,
  };
}

export function module(path: string, base: string, buildId: string | null = 'aa'): ModuleInfo {
  const name = path.replace(/^.*\//, '');
  return { index: 0, path, name, kind: 'shared', start: base, end: base, base, loadBias: base, buildId, buildIdSource: 'memory', deleted: false };
}

/** One dump: its threads (index = position + 1), stacks and the lock graph of their waits. */
export function side(specs: ThreadSpec[], d: Partial<DumpSummary> = {}, modules?: ModuleInfo[]): CompareSide {
  const threads: CompareThread[] = specs.map((s, i) => ({
    index: i + 1,
    dbg: i,
    tid: s.tid,
    osid: s.tid.toString(16),
    name: s.name ?? null,
    signal: 0,
    signalName: null,
    state: s.wait.kind === 'running' ? 'running' : 'syscall',
    syscall: null,
    registers: { rip: s.frames[0]?.[0] ?? '0x0' },
    wait: s.wait,
    topFrame: s.frames[0] ? `prog\`${s.frames[0][1]} + 4` : null,
    frameCount: s.frames.length,
    ...(s.managedId !== undefined ? { managedId: s.managedId } : {}),
  }));
  const stacks: ThreadStack[] = specs.map((s) => ({ tid: s.tid, frames: s.frames.map(([pc, fn], i) => frame(i, pc, fn)), stopReason: 'ok', stopDetail: null }));
  const locks = buildLockGraph(threads.map((t) => ({ index: t.index, tid: t.tid, wait: t.wait! })));
  return { dump: dump({ threadCount: specs.length, ...d }), threads, stacks, locks, modules };
}

/** The lock-order deadlock of the integration tests: main joins first; first and second deadlock; busy spins. */
export function lockOrder(busyFrames: [string, string][], d: Partial<DumpSummary> = {}, modules?: ModuleInfo[]): CompareSide {
  return side(
    [
      { tid: 100, frames: [['0x7f10', '__futex_abstimed_wait_common'], ['0x5510', 'main'], ['0x7f20', '__libc_start_main']], wait: joinWait(101), name: 'prog' },
      { tid: 101, frames: [['0x7f30', '__lll_lock_wait'], ['0x5520', 'first'], ['0x7f40', 'start_thread']], wait: mutexWait('0x5600', 'b', 102) },
      { tid: 102, frames: [['0x7f30', '__lll_lock_wait'], ['0x5530', 'second'], ['0x7f40', 'start_thread']], wait: mutexWait('0x5640', 'a', 101) },
      { tid: 103, frames: busyFrames, wait: running() },
    ],
    d,
    modules,
  );
}

export const BUSY_A: [string, string][] = [['0x5550', 'spin_leaf'], ['0x5560', 'spin_odd'], ['0x5570', 'spin_even'], ['0x5580', 'busy'], ['0x7f40', 'start_thread']];
export const BUSY_B: [string, string][] = [['0x5554', 'spin_leaf'], ['0x5574', 'spin_even'], ['0x5580', 'busy'], ['0x7f40', 'start_thread']];
