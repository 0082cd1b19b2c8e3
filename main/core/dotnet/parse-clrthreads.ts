// SOS `clrthreads` (`!threads` under WinDbg). Parsed by tokens, not columns: the OSID column was
// 4 characters wide in older SOS and is 8 now, and pasted output often loses its alignment.
//
//  DBG   ID     OSID ThreadOBJ           State GC Mode     GC Alloc Context                  Domain           Count Apt Exception
//    0    1      c52 0000559EA26B4180    20020 Preemptive  00007F2800061320:00007F2800061FD0 0000559EA25C8590 0     Ukn (GC)
//   15    6      c79 0000559EA2E8B990  1021222 Cooperative 00007F2800062D28:00007F2800063FD0 0000559EA25C8590 0     Ukn (Threadpool Worker)
// XXXX   55        0 00007F6B080172E0  1031820 Preemptive  0000000000000000:0000000000000000 00000000021A19F0 0     Ukn (Threadpool Worker)

import { decToNumber, hexToNumber, isPlaceholder, normalizeOsid, toAddress } from './text';
import { type ClrException, type ClrThreadRow, type ClrThreadsResult, type ClrThreadsSummary, type ParseWarning } from './types';

const RE_HEADER = /\bOSID\b.*\bThreadOBJ\b/;
const RE_SUMMARY = /^\s*(ThreadCount|UnstartedThread|BackgroundThread|PendingThread|DeadThread|Hosted Runtime):\s*(.*?)\s*$/;
const RE_HEXTOKEN = /^[0-9a-fA-F]+$/;
const MAX_TOKENS = 64;

/** Positions of the first `max` whitespace-separated tokens. */
function tokenSpans(line: string, max: number): { text: string; start: number; end: number }[] {
  const spans: { text: string; start: number; end: number }[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while (spans.length < max && (m = re.exec(line)) !== null) spans.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return spans;
}

/** Splits the text after the Apt column into roles "(Finalizer)" and an exception. */
export function parseTrailing(text: string): { roles: string[]; exception: ClrException | null } {
  const roles: string[] = [];
  let rest = '';
  let i = 0;
  const n = Math.min(text.length, 4096);
  while (i < n) {
    const c = text[i];
    if (c === '(') {
      const close = text.indexOf(')', i + 1);
      if (close < 0) {
        rest += text.slice(i, n);
        break;
      }
      const role = text.slice(i + 1, close).trim();
      if (role !== '') roles.push(role);
      i = close + 1;
      continue;
    }
    rest += c;
    i++;
  }
  const words = rest.trim() === '' ? [] : rest.trim().split(/\s+/);
  let exception: ClrException | null = null;
  if (words.length > 0 && /[A-Za-z_]/.test(words[0])) {
    // A long line may be wrapped inside the address ("0000000   …   1424c9dc8"): join hex pieces.
    let addr = '';
    for (let k = 1; k < words.length && RE_HEXTOKEN.test(words[k]) && addr.length + words[k].length <= 16; k++) addr += words[k];
    exception = { type: words[0], address: addr === '' ? null : toAddress(addr) };
  }
  return { roles, exception };
}

function parseRow(line: string, lineNo: number): ClrThreadRow | null {
  const spans = tokenSpans(line, MAX_TOKENS);
  if (spans.length < 10) return null;
  const t = spans.map((s) => s.text);
  const dbgRaw = t[0];
  const dead = isPlaceholder(dbgRaw);
  const dbg = dead ? null : decToNumber(dbgRaw);
  if (!dead && dbg === null) return null;
  const managedId = decToNumber(t[1]);
  if (managedId === null) return null;
  if (!RE_HEXTOKEN.test(t[2]) && !isPlaceholder(t[2])) return null;
  if (!RE_HEXTOKEN.test(t[3]) || !RE_HEXTOKEN.test(t[4])) return null;
  const alloc = /^([0-9a-fA-F]+):([0-9a-fA-F]+)$/.exec(t[6]);
  if (!alloc) return null;
  const osidRaw = isPlaceholder(t[2]) ? null : normalizeOsid(t[2]);
  const osid = osidRaw === '0' ? null : osidRaw;
  const state = hexToNumber(t[4]);
  const trailing = spans.length > 10 ? line.slice(spans[10].start).trim() : '';
  const { roles, exception } = parseTrailing(trailing);
  return {
    dbg,
    dbgRaw,
    managedId,
    osid,
    tid: osid === null ? null : hexToNumber(osid),
    threadObj: toAddress(t[3]),
    state,
    stateHex: state === null ? null : '0x' + state.toString(16),
    gcMode: t[5],
    allocContext: { pointer: toAddress(alloc[1]) ?? '0x0', limit: toAddress(alloc[2]) ?? '0x0' },
    domain: toAddress(t[7]),
    lockCount: decToNumber(t[8]),
    apartment: t[9],
    roles,
    exception,
    trailing,
    dead: dead || osid === null,
    line: lineNo,
    raw: line,
  };
}

/** Parses the output of `clrthreads`. Unknown lines are kept in `unparsed`. */
export function parseClrThreads(lines: readonly string[]): ClrThreadsResult {
  const summary: ClrThreadsSummary = {
    threadCount: null,
    unstartedThread: null,
    backgroundThread: null,
    pendingThread: null,
    deadThread: null,
    hostedRuntime: null,
  };
  const rows: ClrThreadRow[] = [];
  const warnings: ParseWarning[] = [];
  const unparsed: string[] = [];
  let sawHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const s = RE_SUMMARY.exec(line);
    if (s) {
      const value = s[2];
      switch (s[1]) {
        case 'ThreadCount':
          summary.threadCount = decToNumber(value);
          break;
        case 'UnstartedThread':
          summary.unstartedThread = decToNumber(value);
          break;
        case 'BackgroundThread':
          summary.backgroundThread = decToNumber(value);
          break;
        case 'PendingThread':
          summary.pendingThread = decToNumber(value);
          break;
        case 'DeadThread':
          summary.deadThread = decToNumber(value);
          break;
        default:
          summary.hostedRuntime = value;
      }
      continue;
    }
    if (RE_HEADER.test(line)) {
      sawHeader = true;
      continue;
    }
    // First line of the two-line header ("Lock" over "Count"; older SOS: "PreEmptive GC Alloc Lock").
    if (/^\s*(?:PreEmptive\s+GC Alloc\s+)?Lock\s*$/.test(line)) continue;
    const row = parseRow(line, i);
    if (row) {
      rows.push(row);
      continue;
    }
    unparsed.push(line);
  }
  if (rows.length > 0 && !sawHeader) warnings.push({ code: 'MissingHeader', message: 'thread rows without the DBG/ID/OSID header line' });
  if (summary.threadCount !== null && summary.threadCount !== rows.length) {
    warnings.push({ code: 'CountMismatch', message: `ThreadCount says ${summary.threadCount}, ${rows.length} rows parsed` });
  }
  for (const u of unparsed) {
    if (/^\s*(?:XXXX|\d+)\s+\d+\s/.test(u)) warnings.push({ code: 'UnparsedLine', message: `looks like a thread row but did not parse: ${u.slice(0, 120)}` });
  }
  return { summary, rows, warnings, unparsed };
}
