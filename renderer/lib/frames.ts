// How frames read, for every view that shows them. Pure: unit-tested under Node.
import { type StackFrame } from '../../shared/types';
import { baseName } from './format';

/**
 * True when the frame's pc is a return address (the instruction after a call): every real frame
 * but the innermost, unless it follows a signal (then its pc is exact). Inline frames share the
 * pc of the real frame they are inlined into.
 */
export function isReturnAddress(frames: readonly StackFrame[], index: number): boolean {
  const f = frames[index];
  if (!f || f.signalFrame) return false;
  return frames.slice(0, index).some((x) => !x.inline);
}

/** `module`function + offset`, as lldb prints a frame (`??` without a symbol). */
export function frameTitle(f: Pick<StackFrame, 'module' | 'function' | 'rawFunction' | 'offset' | 'pc'>): string {
  const fn = f.function ?? f.rawFunction;
  const mod = f.module ? `${baseName(f.module)}\`` : '';
  if (!fn) return `${mod}${f.pc}`;
  return `${mod}${fn}${f.offset ? ` + ${f.offset}` : ''}`;
}

/** `file:line`, or null. */
export function frameSource(f: Pick<StackFrame, 'file' | 'line'>): string | null {
  if (!f.file) return null;
  return f.line !== null ? `${f.file}:${f.line}` : f.file;
}

/** The text search indexes a frame under (module, function, file:line), for finding a hit's frame. */
export function frameSearchText(f: Pick<StackFrame, 'module' | 'function' | 'file' | 'line'>): string {
  return [f.module, f.function, f.file ? `${f.file}:${f.line ?? ''}` : null].filter(Boolean).join(' ');
}
