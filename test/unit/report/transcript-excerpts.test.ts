// Excerpts of real transcripts (test/fixtures/transcripts, see its README for provenance)
// chosen for the threads a verdict involves: the article's thread (tid 3193, OSID c79).
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeTranscript, splitTranscript } from '../../../main/core/dotnet';
import { renderHtml, renderMarkdown, selectTranscriptExcerpts, type TranscriptSource } from '../../../main/core/report';
import { side, running } from '../compare/builders';
import { markdownProblems, htmlProblems } from './hostile';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'transcripts');

function source(file: string): TranscriptSource {
  const raw = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
  const t = splitTranscript(raw);
  const text = normalizeTranscript(raw).lines.join('\n');
  return { name: file, text, commands: t.blocks.map((b) => ({ command: b.command, kind: b.kind, startLine: b.startLine, lineCount: b.lines.length })) };
}

describe('selectTranscriptExcerpts', () => {
  it('quotes the article session where it speaks of the stuck thread', () => {
    const s = source('article-dotnet-dump-session.txt');
    const ex = selectTranscriptExcerpts([s], [{ tid: 3193, osid: 'c79', index: 16 }]);
    expect(ex.map((e) => e.command)).toEqual(['pstacks', 'clrstack', 'clrthreads']);
    expect(ex[1].text).toContain('OS Thread Id: 0xc79 (15)');
    expect(ex[1].why).toBe('the stack of thread #16 (tid 3193, OSID c79) as the debugger printed it');
    expect(ex[2].text).toMatch(/^\s*15\s+6\s+c79 /m);
    // A thread the transcript never mentions gets nothing.
    expect(selectTranscriptExcerpts([s], [{ tid: 4242, osid: '1092', index: 3 }])).toEqual([]);
  });

  it('always quotes syncblk first, and cuts long blocks', () => {
    const s = source('diagnostics-hung-app-syncblk.txt');
    const ex = selectTranscriptExcerpts([s], [], { maxLines: 3 });
    expect(ex.length).toBeGreaterThan(0);
    expect(ex[0].why).toBe('which thread owns each monitor (SOS syncblk)');
    expect(ex[0].text.split('\n').length).toBeLessThanOrEqual(4);
  });

  it('lands in the reports as text', () => {
    const s = source('article-dotnet-dump-session.txt');
    const base = side([{ tid: 3193, frames: [['0x1', 'f']], wait: running() }]);
    const transcripts = selectTranscriptExcerpts([s], [{ tid: 3193, osid: 'c79', index: 1 }]);
    const input = { ...base, modules: [], transcripts, generatedAt: '2026-01-02T03:04:05.000Z', generator: 't' };
    const html = renderHtml(input);
    expect(html).toContain('<h2>Transcript excerpts</h2>');
    expect(html).toContain('Datadog.Trace.Agent.Api+&lt;SendTracesAsync&gt;d__9.MoveNext()');
    expect(htmlProblems(html)).toEqual({ tags: [], attributes: [], controls: [] });
    const md = renderMarkdown(input);
    expect(md).toContain('### Transcript excerpts');
    expect(markdownProblems(md)).toEqual({ prose: [], blocks: [] });
  });
});
