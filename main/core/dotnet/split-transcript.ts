// Splits a saved debugger session into command blocks by prompt: dotnet-dump's "> ", lldb's
// "(lldb) ", gdb's "(gdb) ", WinDbg's "0:000> ". Text with no prompt at all (the output of one
// or several commands run in batch) is cut where a known output shape starts. Nothing is
// dropped: every normalized input line belongs to exactly one block.

import { hostOfKind, isDotnetDumpCommandWord, kindOfCommand, kindOfShape, shapeStart } from './command-kind';
import { DEFAULT_LIMITS, isPagerPrompt, normalizeTranscript } from './text';
import {
  type CommandBlock,
  type CommandKind,
  type DebuggerHost,
  type ParseWarning,
  type Transcript,
  type TranscriptLimits,
} from './types';

export interface SplitOptions {
  /** The host, when the caller knows it (it ran the debugger itself). Used for blocks whose
   * prompt does not say, such as bare output. */
  host?: DebuggerHost;
  limits?: TranscriptLimits;
}

interface Prompt {
  host: DebuggerHost;
  prompt: string;
  command: string;
}

const RE_WINDBG = /^(\d{1,4}:\d{1,5}(?::[A-Za-z0-9_]{1,10})?> ?)(.*)$/;
// lldb prints asynchronous stop output right after an empty prompt in interactive sessions:
// "(lldb) * thread #3, stop reason = …". That text is output, not a command.
const RE_ASYNC_AFTER_PROMPT = /^(?:\* thread #\d|thread #\d|Process \d+ )/;

function parsePrompt(line: string): Prompt | null {
  // lldb and gdb prompts may be indented when pasted into an issue or a markdown code block.
  const l = line[0] === ' ' || line[0] === '\t' ? line.trimStart() : line;
  if (l.startsWith('(lldb)') && (l.length === 6 || l[6] === ' ')) {
    return { host: 'lldb', prompt: '(lldb) ', command: l.slice(6).trim() };
  }
  if (l.startsWith('(gdb)') && (l.length === 5 || l[5] === ' ')) {
    return { host: 'gdb', prompt: '(gdb) ', command: l.slice(5).trim() };
  }
  if (line.startsWith('>')) {
    const command = line.slice(1).trim();
    if (command === '' || isDotnetDumpCommandWord(command)) return { host: 'dotnet-dump', prompt: '> ', command };
    return null;
  }
  if (line.length > 0 && line.charCodeAt(0) >= 0x30 && line.charCodeAt(0) <= 0x39) {
    const m = RE_WINDBG.exec(line);
    if (m) return { host: 'windbg', prompt: m[1], command: m[2].trim() };
  }
  return null;
}

function outputOf(lines: readonly string[], skipFirst: boolean): { output: string[]; pagerPrompts: number } {
  const output: string[] = [];
  let pagerPrompts = 0;
  for (let i = skipFirst ? 1 : 0; i < lines.length; i++) {
    if (isPagerPrompt(lines[i])) {
      pagerPrompts++;
      continue;
    }
    output.push(lines[i]);
  }
  return { output, pagerPrompts };
}

/** Cuts promptless lines where a recognisable output starts. */
function segmentByShape(lines: readonly string[], start: number, end: number): { start: number; end: number; kind: CommandKind }[] {
  const segments: { start: number; end: number; kind: CommandKind }[] = [];
  let current: CommandKind = 'unknown';
  let segStart = start;
  for (let i = start; i < end; i++) {
    const line = lines[i];
    if (isPagerPrompt(line)) continue;
    const k = shapeStart(line, i + 1 < end ? lines[i + 1] : undefined, current);
    if (k !== null && k !== current) {
      if (i > segStart) segments.push({ start: segStart, end: i, kind: current });
      segStart = i;
      current = k;
    } else if (k !== null && k === current && i > segStart) {
      // The same command printed twice in a row ("ThreadCount:", a gdb or syncblk header): a new block.
      segments.push({ start: segStart, end: i, kind: current });
      segStart = i;
    }
  }
  if (end > segStart) segments.push({ start: segStart, end, kind: current });
  return segments;
}

function pickHost(counts: Map<DebuggerHost, number>): DebuggerHost {
  let best: DebuggerHost = 'unknown';
  let bestCount = 0;
  for (const [host, count] of counts) {
    if (host !== 'unknown' && count > bestCount) {
      best = host;
      bestCount = count;
    }
  }
  return best;
}

/** Splits transcript text into command blocks. Never throws; odd input gives 'unknown' blocks. */
export function splitTranscript(text: string, options: SplitOptions = {}): Transcript {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const { lines, warnings } = normalizeTranscript(text, limits);
  const extraWarnings: ParseWarning[] = [];

  const prompts = new Array<Prompt | null>(lines.length);
  const promptCounts = new Map<DebuggerHost, number>();
  let firstPrompt = -1;
  let sawDotnetDumpBanner = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const c = line.length > 0 ? line[0] : '';
    const p = c === '(' || c === '>' || c === ' ' || c === '\t' || (c >= '0' && c <= '9') ? parsePrompt(line) : null;
    prompts[i] = p;
    if (p) {
      promptCounts.set(p.host, (promptCounts.get(p.host) ?? 0) + 1);
      if (firstPrompt < 0) firstPrompt = i;
    } else if (!sawDotnetDumpBanner && (line.startsWith('Loading core dump: ') || line.startsWith('Ready to process analysis commands'))) {
      sawDotnetDumpBanner = true;
    }
  }
  const promptHost = pickHost(promptCounts);
  const fallbackHost: DebuggerHost = options.host ?? (promptHost !== 'unknown' ? promptHost : sawDotnetDumpBanner ? 'dotnet-dump' : 'unknown');

  const blocks: CommandBlock[] = [];
  const pushBare = (start: number, end: number): void => {
    for (const seg of segmentByShape(lines, start, end)) {
      const segLines = lines.slice(seg.start, seg.end);
      const { output, pagerPrompts } = outputOf(segLines, false);
      blocks.push({
        index: blocks.length,
        host: hostOfKind(seg.kind) ?? fallbackHost,
        prompt: null,
        command: null,
        kind: seg.kind,
        detectedBy: seg.kind === 'unknown' ? 'none' : 'shape',
        startLine: seg.start,
        lines: segLines,
        output,
        pagerPrompts,
      });
    }
  };

  const bareEnd = firstPrompt < 0 ? lines.length : firstPrompt;
  if (bareEnd > 0) pushBare(0, bareEnd);

  let i = firstPrompt < 0 ? lines.length : firstPrompt;
  while (i < lines.length) {
    const p = prompts[i];
    let j = i + 1;
    while (j < lines.length && prompts[j] === null) j++;
    const blockLines = lines.slice(i, j);
    if (p === null) {
      // Cannot happen (i always sits on a prompt), but never lose lines.
      pushBare(i, j);
      i = j;
      continue;
    }
    let command = p.command;
    let asyncFirstLine: string | null = null;
    if (RE_ASYNC_AFTER_PROMPT.test(command)) {
      asyncFirstLine = command;
      command = '';
    }
    const { output, pagerPrompts } = outputOf(blockLines, true);
    if (asyncFirstLine !== null) output.unshift(asyncFirstLine);
    let kind = kindOfCommand(p.host, command);
    let detectedBy: CommandBlock['detectedBy'] = 'command';
    if (kind === 'unknown') {
      kind = kindOfShape(output);
      detectedBy = kind === 'unknown' ? 'none' : 'shape';
    }
    if (pagerPrompts > 0) {
      extraWarnings.push({ code: 'PagerPrompt', message: `${pagerPrompts} pager prompt(s) removed from the output of "${command}"`, line: i });
    }
    blocks.push({
      index: blocks.length,
      host: p.host,
      prompt: p.prompt,
      command,
      kind,
      detectedBy,
      startLine: i,
      lines: blockLines,
      output,
      pagerPrompts,
    });
    i = j;
  }

  // Bare blocks of unknown kind (a gdb banner, "[New LWP …]") take the host of the typed blocks
  // when those all agree.
  if (fallbackHost === 'unknown') {
    const typed = new Set(blocks.filter((b) => b.host !== 'unknown').map((b) => b.host));
    if (typed.size === 1) {
      const only = [...typed][0];
      for (const b of blocks) if (b.host === 'unknown' && b.kind === 'unknown') b.host = only;
    }
  }

  const hostCounts = new Map<DebuggerHost, number>();
  for (const b of blocks) hostCounts.set(b.host, (hostCounts.get(b.host) ?? 0) + 1);
  const hosts = [...hostCounts.keys()].filter((h) => h !== 'unknown');
  if (hosts.length > 1) {
    extraWarnings.push({ code: 'MixedHosts', message: `the transcript mixes output of ${hosts.join(', ')}; each block keeps its own host` });
  }
  const host = pickHost(hostCounts);
  if (host === 'unknown' && blocks.some((b) => b.kind !== 'unknown')) {
    extraWarnings.push({ code: 'UnknownHost', message: 'no prompt or banner says which debugger produced this text; SOS DBG numbers cannot be mapped to a debugger index' });
  }
  return { host, hosts, blocks, lineCount: lines.length, warnings: [...warnings, ...extraWarnings] };
}
