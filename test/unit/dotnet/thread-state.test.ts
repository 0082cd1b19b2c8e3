import { describe, it, expect } from 'vitest';
import { decodeThreadState } from '../../../main/core/dotnet/index';
import { commandOf, fixtureLines, parsedFixture } from './fixtures';

describe('decodeThreadState', () => {
  it('agrees with SOS\'s own ThreadState decoding of b220 (sosdocs)', () => {
    // SOS prints: Legal to Join, Background, CLR Owns, CoInitialized, In Multi Threaded Apartment.
    expect(fixtureLines('sosdocs-threadstate.txt').slice(1).map((l) => l.trim())).toEqual([
      'Legal to Join', 'Background', 'CLR Owns', 'CoInitialized', 'In Multi Threaded Apartment',
    ]);
    const d = decodeThreadState('b220');
    expect(d.flags.map((f) => f.name)).toEqual(['TS_LegalToJoin', 'TS_Background', 'TS_WeOwn', 'TS_CoInitialized', 'TS_InMTA']);
    expect(d.flags.every((f) => f.certain)).toBe(true);
    expect(d.words).toEqual(['background', 'COM initialized', 'MTA']);
  });

  it('decodes the article\'s threads: finalizer 21220, threadpool workers 1021220', () => {
    const rows = commandOf(parsedFixture('article-dotnet-dump-session.txt'), 'clrthreads').result.rows;
    expect(decodeThreadState(rows[0].state ?? 0).flags.map((f) => f.name)).toEqual(['TS_LegalToJoin', 'TS_FullyInitialized']);
    expect(decodeThreadState(rows[1].state ?? 0).words).toEqual(['background']);
    expect(decodeThreadState(rows[4].state ?? 0).words).toEqual(['background', 'threadpool worker']);
  });

  it('names the bit that changed meaning: 0x2 of the stuck thread (1021222)', () => {
    const unknown = decodeThreadState(0x1021222);
    const bit2 = unknown.flags.find((f) => f.bit === 0x2);
    expect(bit2).toEqual({
      bit: 0x2,
      name: 'TS_GCSuspendPending',
      word: 'GC suspension pending (the runtime waits for this thread to leave cooperative mode)',
      certain: false,
      alternatives: ['unused in current dotnet/runtime'],
    });
    expect(unknown.words).toContain('GC suspension pending (the runtime waits for this thread to leave cooperative mode)?');
    const coreclr = decodeThreadState(0x1021222, 'coreclr');
    expect(coreclr.flags.map((f) => f.name)).toEqual(['TS_GCSuspendPending', 'TS_LegalToJoin', 'TS_Background', 'TS_WeOwn', 'TS_FullyInitialized', 'TS_TPWorkerThread']);
    expect(coreclr.flags.every((f) => f.certain)).toBe(true);
    expect(decodeThreadState(0x4, 'runtime').flags[0].name).toBe('TS_GCSuspendRedirected');
    expect(decodeThreadState(0x4, 'coreclr').flags[0].name).toBe('TS_UserSuspendPending');
  });

  it('decodes the debugger-suspended threads of the lldb issue (State 20028, 10a0228)', () => {
    const rows = commandOf(parsedFixture('issue-runtime-66759-lldb-clrthreads.txt'), 'clrthreads').result.rows;
    expect(decodeThreadState(rows[0].state ?? 0).flags.map((f) => f.name)).toEqual(['TS_DebugSuspendPending', 'TS_LegalToJoin', 'TS_FullyInitialized']);
    expect(decodeThreadState(rows[3].state ?? 0).words).toEqual(['debugger suspension pending', 'background', 'suspended', 'threadpool worker']);
  });

  it('accepts 0x-prefixed text and ignores junk', () => {
    expect(decodeThreadState('0x800').words).toEqual(['dead']);
    expect(decodeThreadState('zz').value).toBe(0);
    expect(decodeThreadState(0xffffffff).flags).toHaveLength(32);
  });
});
