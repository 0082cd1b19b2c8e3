// Threads with identical stacks, grouped as dotnet-dump's `pstacks` does: "1000 threads in
// __futex_abstimed_wait_common ← pthread_cond_wait ← idle ← start_thread". Two stacks are the same
// when every frame is the same function at the same offset in the same module (the pc when no
// symbol names it). Pure: unit-tested.
import { type StackFrame, type StopReason, type ThreadInfo, type ThreadStack } from '../../../shared/types';

export interface StackGroup {
  key: string;
  /** Threads in the dump's order. */
  threads: ThreadInfo[];
  /** The shared stack, innermost first (the first thread's frames); empty when unknown. */
  frames: StackFrame[];
  stopReason: StopReason | null;
}

const frameKeyOf = (f: StackFrame) => `${f.module ?? '?'}\`${f.function ?? f.pc}${f.offset !== null ? `+${f.offset}` : ''}${f.inline ? ' [inline]' : ''}`;

/** The identity of a stack: its frames, innermost first. */
export function stackKey(frames: readonly StackFrame[]): string {
  return frames.map(frameKeyOf).join('\n');
}

/** Groups, largest first (ties by the first thread's index). Threads without a stack form one group. */
export function groupStacks(threads: readonly ThreadInfo[], stackOf: (tid: number) => ThreadStack | null | undefined): StackGroup[] {
  const groups = new Map<string, StackGroup>();
  for (const t of threads) {
    const s = stackOf(t.tid) ?? null;
    const key = s ? stackKey(s.frames) : '';
    let g = groups.get(key);
    if (!g) {
      g = { key, threads: [], frames: s?.frames ?? [], stopReason: s?.stopReason ?? null };
      groups.set(key, g);
    }
    g.threads.push(t);
  }
  return [...groups.values()].sort((a, b) => b.threads.length - a.threads.length || a.threads[0].index - b.threads[0].index);
}
