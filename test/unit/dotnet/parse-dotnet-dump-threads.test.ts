import { describe, it, expect } from 'vitest';
import { parseSetThread } from '../../../main/core/dotnet/index';
import { commandOf, parsedFixture } from './fixtures';

describe('parseDotnetDumpThreads', () => {
  it('reads the current marker, index, hex OSID and decimal tid', () => {
    const r = commandOf(parsedFixture('diagnostics-hung-app-threads.txt'), 'dotnet-dump-threads').result;
    expect(r.threads).toHaveLength(32);
    expect(r.threads[0]).toMatchObject({ index: 0, current: true, osid: '1dbff', tid: 121855 });
    expect(r.threads[1]).toMatchObject({ index: 1, current: false, osid: '1dc01', tid: 121857 });
    expect(r.threads[20]).toMatchObject({ index: 20, osid: '1dc1d', tid: 121885 });
    expect(r.threads[31]).toMatchObject({ index: 321, osid: '1dd4c', tid: 122188 });
    expect(r.threads.filter((t) => t.current)).toHaveLength(1);
    expect(r.unparsed).toEqual(['...', '...']);
    expect(r.warnings).toEqual([]);
  });
});

describe('parseSetThread', () => {
  it('reads "setthread 15" as an index and "setthread -t 3193" as a tid (article)', () => {
    const t = parsedFixture('article-dotnet-dump-session.txt');
    expect(commandOf(t, 'setthread', 0).result.target).toEqual({ by: 'index', value: 15 });
    expect(commandOf(t, 'setthread', 1).result.target).toEqual({ by: 'tid', value: 3193 });
  });

  it('flags the old hex form as ambiguous (tutorial: setthread 0x1dc1d)', () => {
    const r = commandOf(parsedFixture('diagnostics-hung-app-setthread-clrstack.txt'), 'setthread').result;
    expect(r.target).toEqual({ by: 'hex', value: 0x1dc1d, osid: '1dc1d' });
    expect(r.warnings.map((w) => w.code)).toEqual(['AmbiguousDbg']);
  });

  it('reads the listing printed without an argument', () => {
    const listing = parsedFixture('diagnostics-hung-app-threads.txt').commands[0].block.output;
    const r = parseSetThread('setthread', listing);
    expect(r.target).toEqual({ by: 'none' });
    expect(r.listing[0]).toMatchObject({ index: 0, current: true, tid: 121855 });
  });
});
