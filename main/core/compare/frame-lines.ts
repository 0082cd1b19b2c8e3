// Frames as single lines of text: the form the compare view's diff editor, the CLI and the
// reports show. Frame text comes from the dump (symbols, file paths) and is untrusted: control
// characters are shown escaped here so a frame can never spill onto a second line.
import { type StackFrame } from '../../../shared/types';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Untrusted text on one line: control, line-separator and bidi characters become \xNN / \u{NNNN}. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.codePointAt(0) ?? 0;
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** `module\`function + offset` (or the pc when no symbol covers it). */
export function frameName(f: Pick<StackFrame, 'module' | 'function' | 'offset' | 'pc'>): string {
  const mod = f.module ?? '?';
  if (!f.function) return oneLine(`${mod}\`${f.pc}`);
  return oneLine(f.offset !== null && f.offset !== 0 ? `${mod}\`${f.function} + ${f.offset}` : `${mod}\`${f.function}`);
}

/** `0x… module\`function + offset [inlined] at file:line`, with the pc padded so columns align. */
export function frameLine(f: StackFrame): string {
  const pc = `0x${f.pc.replace(/^0x/, '').padStart(16, '0')}`;
  const inl = f.inline ? ' [inlined]' : '';
  const loc = f.file ? ` at ${oneLine(f.file)}${f.line !== null ? `:${f.line}` : ''}` : '';
  return `${pc} ${frameName(f)}${inl}${loc}`;
}

/**
 * A frame by symbols only (module file name, function, offset): the same code in another run of
 * the program, where address-space randomisation moved every pc.
 */
export function symbolicKey(f: StackFrame): string {
  const mod = (f.module ?? '?').replace(/^.*\//, '');
  return f.function ? `${mod}\`${f.function}+${f.offset ?? 0}${f.inline ? '!inline' : ''}` : `${mod}\`?`;
}
