import { describe, it, expect } from 'vitest';
import { parsePstacks } from '../../../main/core/dotnet/index';
import { commandOf, fixtureLines, parsedFixture } from './fixtures';

describe('parsePstacks', () => {
  it('rebuilds the article\'s two roots with their thread lists and full stacks', () => {
    const r = commandOf(parsedFixture('article-dotnet-dump-session.txt'), 'pstacks').result;
    expect(r.threadCount).toBe(2);
    expect(r.rootCount).toBe(2);
    expect(r.roots.map((x) => [x.frame, x.count])).toEqual([
      ['Samples.HttpMessageHandler.Program.<Main>(String[])', 1],
      ['System.Threading._ThreadPoolWaitCallback.PerformWaitCallback()', 1],
    ]);
    expect(r.stacks.map((s) => [s.threadIds, s.count, s.frames.length])).toEqual([
      [['c52'], 1, 4],
      [['c79'], 1, 17],
    ]);
    const c79 = r.stacks[1];
    expect(c79.frames[0]).toBe('Datadog.Trace.Agent.Api+<SendTracesAsync>d__9.MoveNext()');
    expect(c79.frames[3]).toBe('Datadog.Trace.Agent.Api.SendTracesAsync(Span[][])');
    expect(c79.frames[16]).toBe('System.Threading._ThreadPoolWaitCallback.PerformWaitCallback()');
    expect(r.warnings).toEqual([]);
    expect(r.unparsed).toEqual([]);
  });

  it('gives the same result for the bare output', () => {
    const bare = parsePstacks(fixtureLines('article-pstacks-bare.txt'));
    const prompted = commandOf(parsedFixture('article-dotnet-dump-session.txt'), 'pstacks').result;
    expect(bare.stacks).toEqual(prompted.stacks);
  });
});
