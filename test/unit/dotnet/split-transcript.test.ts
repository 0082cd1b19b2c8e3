import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { splitTranscript, normalizeTranscript, kindOfShape } from '../../../main/core/dotnet/index';
import { FIXTURE_DIR, fixture, fixtureLines } from './fixtures';

const ALL = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.txt'));

describe('splitTranscript', () => {
  it('loses no line: the blocks put back together give every normalized input line, for every fixture', () => {
    expect(ALL.length).toBeGreaterThan(25);
    for (const name of ALL) {
      const text = fixture(name);
      const t = splitTranscript(text);
      const joined = t.blocks.flatMap((b) => b.lines);
      expect(joined, name).toEqual(normalizeTranscript(text).lines);
      expect(t.lineCount, name).toBe(joined.length);
      // Blocks are contiguous and ordered.
      let next = 0;
      for (const b of t.blocks) {
        expect(b.startLine, name).toBe(next);
        next += b.lines.length;
      }
    }
  });

  it('keeps every line of plain (LF, no escapes) fixtures byte for byte', () => {
    for (const name of ['article-dotnet-dump-session.txt', 'gdb-core-O0.txt', 'lldb-core-O0.txt', 'issue-coreclr-25478-lldb-clrthreads-tabs.txt']) {
      const t = splitTranscript(fixture(name));
      expect(t.blocks.flatMap((b) => b.lines), name).toEqual(fixtureLines(name));
    }
  });

  it('splits the article dotnet-dump session by "> " prompts', () => {
    const t = splitTranscript(fixture('article-dotnet-dump-session.txt'));
    expect(t.host).toBe('dotnet-dump');
    expect(t.hosts).toEqual(['dotnet-dump']);
    expect(t.blocks.map((b) => [b.command, b.kind])).toEqual([
      [null, 'unknown'],
      ['', 'unknown'],
      ['pstacks', 'pstacks'],
      ['clrthreads', 'clrthreads'],
      ['setthread 15', 'setthread'],
      ['setthread -t 3193', 'setthread'],
      ['clrstack', 'clrstack'],
      ['name2ee Datadog.Trace.dll Datadog.Trace.Agent.Transports.ApiWebRequestFactory.Create', 'name2ee'],
      ['dumpmt -md 00007f28279df908', 'dumpmt'],
    ]);
    expect(t.blocks[0].lines[0]).toBe('$ dotnet-dump analyze core_20210205_190420');
    expect(t.blocks.every((b) => b.host === 'dotnet-dump')).toBe(true);
  });

  it('splits the article lldb session by "(lldb) " prompts', () => {
    const t = splitTranscript(fixture('article-lldb-session.txt'));
    expect(t.host).toBe('lldb');
    expect(t.blocks.map((b) => b.kind)).toEqual(['unknown', 'unknown', 'lldb-backtrace', 'lldb-thread-list', 'lldb-thread-select', 'lldb-backtrace']);
    expect(t.blocks[1].command).toBe('target create --core "core_20210205_190420"');
  });

  it('keeps each block\'s own host when a transcript mixes dotnet-dump and lldb', () => {
    const t = splitTranscript(fixture('article-dotnet-dump-session.txt') + fixture('article-lldb-session.txt'));
    expect(t.hosts.sort()).toEqual(['dotnet-dump', 'lldb']);
    expect(t.warnings.map((w) => w.code)).toContain('MixedHosts');
    expect(t.blocks.find((b) => b.kind === 'clrthreads')?.host).toBe('dotnet-dump');
    expect(t.blocks.find((b) => b.kind === 'lldb-thread-list')?.host).toBe('lldb');
  });

  it('detects bare output by its shape and says the host is unknown', () => {
    const c = splitTranscript(fixture('article-clrthreads-bare.txt'));
    expect(c.blocks.map((b) => [b.kind, b.detectedBy, b.prompt, b.host])).toEqual([['clrthreads', 'shape', null, 'unknown']]);
    expect(c.warnings.map((w) => w.code)).toContain('UnknownHost');
    expect(splitTranscript(fixture('article-pstacks-bare.txt')).blocks[0].kind).toBe('pstacks');
    expect(kindOfShape(fixtureLines('diagnostics-hung-app-threads.txt').slice(1).filter((l) => l !== '...'))).toBe('dotnet-dump-threads');
  });

  it('cuts gdb batch output (no prompts) into banner, info threads and thread apply all bt', () => {
    const t = splitTranscript(fixture('gdb-core-O0.txt'));
    expect(t.host).toBe('gdb');
    expect(t.blocks.map((b) => [b.kind, b.startLine, b.lines.length])).toEqual([
      ['unknown', 0, 7],
      ['gdb-backtrace', 7, 3],
      ['gdb-info-threads', 10, 6],
      ['gdb-backtrace', 16, 39],
    ]);
    expect(t.blocks.every((b) => b.host === 'gdb')).toBe(true);
  });

  it('handles CRLF, pager prompts and a prompt with no command (gdb through a terminal)', () => {
    const text = fixture('gdb-interactive-pager-crlf.txt');
    expect(text.includes('\r\n')).toBe(true);
    const t = splitTranscript(text);
    const bt = t.blocks.find((b) => b.command === 'thread apply all bt');
    expect(bt?.kind).toBe('gdb-backtrace');
    expect(bt?.pagerPrompts).toBe(2);
    expect(bt?.lines.filter((l) => l.startsWith('--Type <RET> for more'))).toEqual([
      '--Type <RET> for more, q to quit, c to continue without paging--',
      '--Type <RET> for more, q to quit, c to continue without paging--c',
    ]);
    expect(bt?.output.some((l) => l.includes('--Type <RET>'))).toBe(false);
    expect(t.blocks.flatMap((b) => b.lines).some((l) => l.includes('\r'))).toBe(false);
    expect(t.warnings.map((w) => w.code)).toContain('PagerPrompt');
  });

  it('strips ANSI colours and bracketed-paste escapes, and applies the bare carriage return', () => {
    const text = fixture('gdb-interactive-ansi.txt');
    expect(text.includes('\x1b[33m')).toBe(true);
    const t = splitTranscript(text);
    const lines = t.blocks.flatMap((b) => b.lines);
    expect(lines.some((l) => l.includes('\x1b'))).toBe(false);
    expect(lines).toContain('[Switching to thread 2 (Thread 0x7f5bd9fbd6c0 (LWP 10683))]');
    expect(t.blocks.map((b) => b.command)).toEqual([null, null, 'thread 2', 'bt', 'quit']);
  });

  it('treats lldb output printed right after an empty prompt as output, not as a command', () => {
    const t = splitTranscript(fixture('lldb-interactive-python-noise.txt'));
    const b = t.blocks.find((x) => x.output[0]?.startsWith('* thread #3'));
    expect(b?.command).toBe('');
    expect(b?.kind).toBe('lldb-backtrace');
    expect(b?.detectedBy).toBe('shape');
  });

  it('recognises indented lldb prompts and WinDbg prompts', () => {
    const tabs = splitTranscript(fixture('issue-coreclr-25478-lldb-clrthreads-tabs.txt'));
    expect(tabs.blocks.map((b) => [b.host, b.command, b.kind])).toEqual([['lldb', 'clrthreads', 'clrthreads']]);
    const windbg = splitTranscript(fixture('issue-dotnetfly-4-windbg-clrstack-syncblk.txt'));
    expect(windbg.blocks.map((b) => [b.host, b.prompt, b.command, b.kind])).toEqual([
      ['windbg', null, null, 'clrstack'],
      ['windbg', '0:065> ', '!syncblk', 'syncblk'],
    ]);
  });

  it('does not take a quoted "> " line for a prompt unless a known command follows', () => {
    // A quoted line in front of the article's real clrthreads block.
    const article = fixtureLines('article-dotnet-dump-session.txt');
    const start = article.indexOf('> clrthreads');
    const block = article.slice(start, article.indexOf('> setthread 15'));
    const t = splitTranscript(['> this is a quote', ...block].join('\n'));
    expect(t.blocks.map((b) => [b.command, b.kind, b.lines.length])).toEqual([
      [null, 'unknown', 1],
      ['clrthreads', 'clrthreads', block.length],
    ]);
  });

  it('accepts empty and odd input without throwing', () => {
    expect(splitTranscript('').blocks.flatMap((b) => b.lines)).toEqual(['']);
    const odd = '\u0000\u0001(lldb)\n(gdb)\n>\n\x1b[\n\r\r\r\n' + '#'.repeat(1000);
    const t = splitTranscript(odd);
    expect(t.blocks.flatMap((b) => b.lines)).toEqual(normalizeTranscript(odd).lines);
  });

  it('finishes a 5 MB transcript quickly (no catastrophic backtracking)', () => {
    const unit = fixture('article-dotnet-dump-session.txt') + fixture('gdb-core-O2.txt') + fixture('lldb-live-O2-names.txt');
    let big = '';
    while (big.length < 5 * 1024 * 1024) big += unit;
    // Hostile long lines too: many " at " and "(" with no end, a long hex run.
    big += ' at a'.repeat(100_000) + '\n' + '#0  ' + '('.repeat(200_000) + '\n' + 'frame #1: 0x' + 'f'.repeat(100_000) + '\n';
    const start = performance.now();
    const t = splitTranscript(big);
    const ms = performance.now() - start;
    expect(t.blocks.length).toBeGreaterThan(1000);
    expect(ms).toBeLessThan(5000);
  });

  it('cuts input over the limits and says so', () => {
    const t = splitTranscript('a\nb\nc\nd\n', { limits: { maxChars: 4, maxLines: 10, maxLineLength: 100 } });
    expect(t.blocks.flatMap((b) => b.lines)).toEqual(['a', 'b']);
    expect(t.warnings.map((w) => w.code)).toContain('InputTruncated');
  });
});
