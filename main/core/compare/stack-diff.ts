// Two stacks of one thread, frame for frame. Same pcs at every frame: the thread has not moved
// (as far as two snapshots can tell). Otherwise the stacks are compared from the outermost
// frame inwards — thread start and main stay put while the inner frames change — to find where
// they part.
import { type StackDivergence, type StackFrame } from '../../../shared/types';
import { frameName } from './frame-lines';

/** The pcs a stack is compared by; a thread without a stack is compared by its rip alone. */
export function stackPcs(frames: readonly StackFrame[] | undefined, rip: string | undefined): string[] {
  if (frames && frames.length > 0) return frames.map((f) => normalizePc(f.pc));
  return rip ? [normalizePc(rip)] : [];
}

function normalizePc(pc: string): string {
  return `0x${pc.replace(/^0x/i, '').replace(/^0+(?=.)/, '').toLowerCase()}`;
}

export function samePcs(a: readonly string[], b: readonly string[]): boolean {
  return a.length > 0 && a.length === b.length && a.every((pc, i) => pc === b[i]);
}

/**
 * Where two stacks part. `a` and `b` are innermost first. Inline frames share their caller's pc
 * and are compared like any other frame (their names tell them apart in the texts).
 */
export function divergenceOf(pcsA: readonly string[], pcsB: readonly string[], framesA: readonly StackFrame[] = [], framesB: readonly StackFrame[] = []): StackDivergence {
  let common = 0;
  while (common < pcsA.length && common < pcsB.length && pcsA[pcsA.length - 1 - common] === pcsB[pcsB.length - 1 - common]) common++;
  const indexA = pcsA.length - 1 - common >= 0 ? pcsA.length - 1 - common : null;
  const indexB = pcsB.length - 1 - common >= 0 ? pcsB.length - 1 - common : null;
  const lastCommon = common > 0 ? framesA[pcsA.length - common] : undefined;
  const nameAt = (frames: readonly StackFrame[], pcs: readonly string[], i: number | null) => {
    if (i === null) return null;
    const f = frames[i];
    return f ? frameName(f) : pcs[i];
  };
  return {
    commonOuterFrames: common,
    lastCommonFrame: lastCommon ? frameName(lastCommon) : common > 0 ? pcsA[pcsA.length - common] : null,
    indexA,
    indexB,
    frameA: nameAt(framesA, pcsA, indexA),
    frameB: nameAt(framesB, pcsB, indexB),
  };
}
