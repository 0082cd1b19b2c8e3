// Small text helpers shared by the transcript parsers. Pure functions, no Node imports.
// Every regular expression here is linear: no nested quantifiers, no backtracking over
// ambiguous alternatives, so a hostile 5 MB line costs one pass.

/* eslint-disable no-control-regex -- terminal escapes and control characters are what we strip */
import { type ParseWarning, type TranscriptLimits } from './types';

export const DEFAULT_LIMITS: TranscriptLimits = {
  maxChars: 64 * 1024 * 1024,
  maxLines: 2_000_000,
  maxLineLength: 64 * 1024,
};

// CSI (ESC [ params intermediates final), OSC (ESC ] … BEL or ESC \), and two-byte escapes.
// The classes are disjoint, so each character is consumed once.
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
const ESC2 = /\x1b[@-Z\\-_]/g;
// C1 CSI (0x9b) forms are rare in logs; strip them the same way.
const C1CSI = /\x9b[0-?]*[ -/]*[@-~]/g;

/** Removes ANSI colour and terminal-mode escapes (gdb's styling, bracketed-paste `ESC[?2004h`). */
export function stripAnsi(line: string): string {
  if (line.indexOf('\x1b') < 0 && line.indexOf('\x9b') < 0) return line;
  return line.replace(OSC, '').replace(CSI, '').replace(C1CSI, '').replace(ESC2, '');
}

/** Applies carriage returns the way a terminal shows them: later text overwrites from column 0.
 * "\r[Switching to thread 2…]" (gdb after bracketed paste) becomes "[Switching to thread 2…]". */
export function applyCarriageReturns(line: string): string {
  if (line.indexOf('\r') < 0) return line;
  const parts = line.split('\r');
  let shown = '';
  for (const part of parts) {
    shown = part.length >= shown.length ? part : part + shown.slice(part.length);
  }
  return shown;
}

/** Removes other control characters except TAB (backspaces from pagers, NULs from bad pastes). */
function stripControls(line: string): string {
  return /[\x00-\x08\x0b-\x1f\x7f]/.test(line) ? line.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '') : line;
}

export interface NormalizedText {
  lines: string[];
  warnings: ParseWarning[];
}

/** Turns raw transcript text into lines: CRLF and lone CR handled, ANSI escapes removed. The
 * result is what every parser and the "nothing lost" guarantee refer to. */
export function normalizeTranscript(text: string, limits: TranscriptLimits = DEFAULT_LIMITS): NormalizedText {
  const warnings: ParseWarning[] = [];
  let input = text;
  if (input.length > limits.maxChars) {
    warnings.push({ code: 'InputTruncated', message: `input has ${input.length} characters; only the first ${limits.maxChars} were read` });
    input = input.slice(0, limits.maxChars);
  }
  if (input.charCodeAt(0) === 0xfeff) input = input.slice(1);
  const raw = input.split('\n');
  // A final newline does not start another line.
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  if (raw.length > limits.maxLines) {
    warnings.push({ code: 'TooManyLines', message: `input has ${raw.length} lines; only the first ${limits.maxLines} were read` });
    raw.length = limits.maxLines;
  }
  const lines = new Array<string>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    line = stripAnsi(line);
    line = applyCarriageReturns(line);
    line = stripControls(line);
    lines[i] = line;
  }
  return { lines, warnings };
}

const PAGER_NEW = '--Type <RET> for more, q to quit, c to continue without paging--';
const PAGER_OLD = '---Type <return> to continue, or q <return> to quit---';

/** gdb's pager prompt (gdb ≥ 9 and the older form). What follows it on the line is the key the
 * user pressed. */
export function isPagerPrompt(line: string): boolean {
  const t = line.trimStart();
  return t.startsWith(PAGER_NEW) || t.startsWith(PAGER_OLD) || t.startsWith('--More--');
}

const HEX = /^(?:0[xX])?([0-9a-fA-F]+)$/;

/** "00007F2827A3DDAD" / "0x7f28…" -> "0x7f2827a3ddad"; null when not hex. */
export function toAddress(text: string | undefined | null): string | null {
  if (text == null) return null;
  const m = HEX.exec(text.trim());
  if (!m || m[1].length > 32) return null;
  const digits = m[1].toLowerCase().replace(/^0+/, '');
  return '0x' + (digits === '' ? '0' : digits);
}

/** OS thread id as SOS prints it ("c79", "0xc79", "00000c79") -> "c79"; null when not hex. */
export function normalizeOsid(text: string | undefined | null): string | null {
  const a = toAddress(text);
  return a == null ? null : a.slice(2);
}

/** Hex text to a number when it fits in 2^53 (thread ids do); null otherwise. */
export function hexToNumber(text: string | undefined | null): number | null {
  const a = toAddress(text);
  if (a == null || a.length > 15) return null;
  return parseInt(a.slice(2), 16);
}

/** Decimal text to a number; null when not a plain (optionally negative) integer. */
export function decToNumber(text: string | undefined | null): number | null {
  if (text == null) return null;
  const t = text.trim();
  if (!/^-?\d{1,15}$/.test(t)) return null;
  return parseInt(t, 10);
}

/** Placeholders debuggers print where a value is missing. */
export function isPlaceholder(token: string): boolean {
  const t = token.trim();
  return t === 'XXXX' || t === '<<<<' || t === 'UNKNOWN' || t === '<unknown>' || t === '??' || t === '????' || /^X{2,}$/.test(t);
}

/** Whitespace-separated tokens (tabs count). */
export function tokens(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Cuts a line that is too long to be worth parsing. */
export function clampLine(line: string, limits: TranscriptLimits = DEFAULT_LIMITS): string {
  return line.length > limits.maxLineLength ? line.slice(0, limits.maxLineLength) : line;
}

/** Position of the "(" that opens the balanced parenthesised group ending at `end` (exclusive
 * index just after ")"), or -1. Scans right to left once. */
export function openingParen(text: string, end: number): number {
  if (end <= 0 || text[end - 1] !== ')') return -1;
  let depth = 0;
  for (let i = end - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** gdb and SOS wrap long lines with an indented continuation; join them back. */
export function joinContinuation(previous: string, continuation: string): string {
  const next = continuation.trimStart();
  if (previous === '' || /[\s(]$/.test(previous)) return previous + next;
  return previous + ' ' + next;
}
