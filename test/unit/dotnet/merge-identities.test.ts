// One identity row per thread: transcripts merged with a dump's own thread list by tid.
import { describe, expect, it } from 'vitest';
import { buildThreadIdentities, mergeIdentities, type DumpThreadView } from '../../../main/core/dotnet/index';
import { parsedFixture } from './fixtures';

const article = () => buildThreadIdentities([parsedFixture('article-dotnet-dump-session.txt'), parsedFixture('article-lldb-session.txt')], { stateLayout: 'coreclr' });

/**
 * The article's dump as its own thread list would give it: lldb numbers a core's threads in the
 * core's order, so lldb's `thread list` (#1 tid 3154 … #17 tid 3194) is that list, position by
 * position. No dump of the article exists; these are the transcript's facts, not invented ones.
 */
function articleDumpThreads(): DumpThreadView[] {
  const list = parsedFixture('article-lldb-session.txt').commands.find((c) => c.kind === 'lldb-thread-list');
  if (list?.kind !== 'lldb-thread-list') throw new Error('no thread list');
  return list.result.threads.map((t, i) => ({ index: i + 1, dbg: i, tid: t.tid!, name: i === 0 ? 'dotnet' : null }));
}

describe('mergeIdentities', () => {
  it('without a dump: index from lldb, DBG from dotnet-dump, each only where a tool printed it', () => {
    const t = mergeIdentities(article());
    expect(t.threads.find((r) => r.tid === 3193)).toMatchObject({ index: 16, dbg: 15, lldbIndex: 16, dotnetDumpIndex: 15, inDump: null, osid: 'c79', state: '0x1021222' });
    expect(t.threads.find((r) => r.tid === 3156)).toMatchObject({ index: 2, dbg: null });
    expect(t.threads.map((r) => r.index)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });

  it("with the dump's thread list every thread has its index and DBG, and the transcripts agree with it", () => {
    const t = mergeIdentities(article(), { dumpThreads: articleDumpThreads() });
    expect(t.warnings).toEqual([]);
    expect(t.threads.every((r) => r.inDump === true && r.index !== null && r.dbg !== null)).toBe(true);
    expect(t.threads.find((r) => r.tid === 3156)).toMatchObject({ index: 2, dbg: 1, lldbIndex: 2, dotnetDumpIndex: null, sources: ['dump', 'lldb-thread-list'] });
    expect(t.threads.find((r) => r.tid === 3193)).toMatchObject({ index: 16, dbg: 15, managedId: 6, gcMode: 'Cooperative', sources: ['dump', 'pstacks', 'clrthreads', 'clrstack', 'lldb-thread-list', 'lldb-thread-select', 'lldb-backtrace'] });
  });

  it('says when the transcripts disagree with the dump (a transcript of another dump)', () => {
    const shifted = articleDumpThreads().map((d) => ({ ...d, index: d.index + 1, dbg: d.dbg + 1 }));
    const t = mergeIdentities(article(), { dumpThreads: shifted });
    expect(t.warnings).toContain('tid 3193: the transcript calls it lldb thread #16, the dump lists it as #17 (was the transcript taken from another dump?)');
    expect(t.warnings).toContain("tid 3193: the transcript gives dotnet-dump DBG 15, the dump's position is 16 (was the transcript taken from another dump?)");
    // The dump's own numbering wins.
    expect(t.threads.find((r) => r.tid === 3193)).toMatchObject({ index: 17, dbg: 16, lldbIndex: 16, dotnetDumpIndex: 15 });
  });
});
