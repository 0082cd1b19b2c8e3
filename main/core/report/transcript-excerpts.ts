// Which passages of a debugger transcript support a report's verdict: the monitor owners
// (syncblk), and the identity tables and stacks that mention a thread the verdict involves (by
// tid in decimal, or OSID in hex as SOS prints it). Takes transcripts in the shape the API
// serves them (text plus command blocks with their kind and lines), so it does not depend on
// how they were stored.
import { type TranscriptExcerpt } from './report-model';

/** A stored transcript: its text and its command blocks (0-based first line, number of lines). */
export interface TranscriptSource {
  name: string;
  text: string;
  commands: readonly { command: string | null; kind: string; startLine: number; lineCount: number }[];
}

export interface ExcerptOptions {
  maxExcerpts?: number;
  /** Lines per excerpt; the rest is counted, not shown. */
  maxLines?: number;
}

const STACK_KINDS = new Set(['clrstack', 'pstacks', 'lldb-backtrace', 'gdb-backtrace']);
const IDENTITY_KINDS = new Set(['clrthreads', 'dotnet-dump-threads', 'lldb-thread-list', 'gdb-info-threads']);

function mentions(text: string, t: { tid: number; osid: string }): boolean {
  const osid = t.osid.replace(/^0x/i, '');
  return new RegExp(`\\b${t.tid}\\b`).test(text) || new RegExp(`\\b(?:0x)?0*${osid}\\b`, 'i').test(text);
}

export function selectTranscriptExcerpts(
  sources: readonly TranscriptSource[],
  involved: readonly { tid: number; osid: string; index: number }[],
  opts: ExcerptOptions = {},
): TranscriptExcerpt[] {
  const maxLines = opts.maxLines ?? 60;
  const picked: { rank: number; excerpt: TranscriptExcerpt }[] = [];
  for (const s of sources) {
    const lines = s.text.replace(/\r\n?/g, '\n').split('\n');
    for (const c of s.commands) {
      if (c.lineCount <= 0 || c.startLine < 0 || c.startLine >= lines.length) continue;
      const block = lines.slice(c.startLine, Math.min(lines.length, c.startLine + c.lineCount));
      const text = block.join('\n');
      const who = involved.filter((t) => mentions(text, t));
      let rank: number;
      let why: string;
      if (c.kind === 'syncblk') {
        rank = 0;
        why = 'which thread owns each monitor (SOS syncblk)';
      } else if (STACK_KINDS.has(c.kind) && who.length > 0) {
        rank = 1;
        why = `the stack of ${who.map((t) => `thread #${t.index} (tid ${t.tid}, OSID ${t.osid})`).join(', ')} as the debugger printed it`;
      } else if (IDENTITY_KINDS.has(c.kind) && who.length > 0) {
        rank = 2;
        why = `the identities (tid, OSID, debugger numbers) of ${who.length === 1 ? 'the thread' : `the ${who.length} threads`} involved`;
      } else continue;
      const shown = block.slice(0, maxLines);
      if (block.length > shown.length) shown.push(`… ${block.length - shown.length} more lines`);
      picked.push({ rank, excerpt: { source: s.name, command: c.command ?? c.kind, text: shown.join('\n'), why } });
    }
  }
  // Stable: by rank, then in transcript order.
  return picked
    .map((p, i) => ({ ...p, i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .slice(0, opts.maxExcerpts ?? 6)
    .map((p) => p.excerpt);
}
