import { describe, it, expect } from 'vitest';
import { parseClrThreads } from '../../../main/core/dotnet/index';
import { commandOf, fixtureLines, parsedFixture } from './fixtures';

describe('parseClrThreads', () => {
  it('reads the article\'s clrthreads (8-wide OSID): DBG 15 = ID 6 = OSID c79 = tid 3193, Cooperative', () => {
    const r = commandOf(parsedFixture('article-dotnet-dump-session.txt'), 'clrthreads').result;
    expect(r.summary).toEqual({ threadCount: 7, unstartedThread: 0, backgroundThread: 6, pendingThread: 0, deadThread: 0, hostedRuntime: 'no' });
    expect(r.rows.map((x) => [x.dbg, x.managedId, x.osid, x.tid])).toEqual([
      [0, 1, 'c52', 3154],
      [8, 2, 'c5b', 3163],
      [10, 3, 'c5d', 3165],
      [11, 4, 'c5e', 3166],
      [13, 5, 'c77', 3191],
      [15, 6, 'c79', 3193],
      [16, 7, 'c7a', 3194],
    ]);
    const c79 = r.rows[5];
    expect(c79).toMatchObject({
      threadObj: '0x559ea2e8b990',
      state: 0x1021222,
      stateHex: '0x1021222',
      gcMode: 'Cooperative',
      allocContext: { pointer: '0x7f2800062d28', limit: '0x7f2800063fd0' },
      domain: '0x559ea25c8590',
      lockCount: 0,
      apartment: 'Ukn',
      roles: ['Threadpool Worker'],
      exception: null,
      dead: false,
    });
    expect(r.rows[0].roles).toEqual(['GC']);
    expect(r.rows[1].roles).toEqual(['Finalizer']);
    expect(r.unparsed).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('reads the older layout with 6-digit OSIDs under a 4-wide header, XXXX DBG and an exception', () => {
    const r = commandOf(parsedFixture('diagnostics-coredump-lldb-clrthreads.txt'), 'clrthreads').result;
    expect(r.rows.map((x) => [x.dbgRaw, x.dbg, x.managedId, x.osid, x.tid])).toEqual([
      ['XXXX', null, 1, '1fbf31', 0x1fbf31],
      ['XXXX', null, 2, '1fbf39', 0x1fbf39],
    ]);
    expect(r.rows[0].exception).toEqual({ type: 'System.IO.DirectoryNotFoundException', address: '0x190172b88' });
    expect(r.rows[1].roles).toEqual(['Finalizer']);
    expect(r.rows[0].dead).toBe(true);
  });

  it('reads 4-wide OSIDs (dotnet-dump, SqlClient issue) and counts the rows the excerpt has', () => {
    const r = commandOf(parsedFixture('issue-sqlclient-383-dotnet-dump-clrthreads.txt'), 'clrthreads').result;
    expect(r.summary.deadThread).toBe(31);
    expect(r.rows.map((x) => [x.dbg, x.managedId, x.osid])).toEqual([
      [0, 1, '1a8'], [6, 2, '1ae'], [8, 3, '1b0'], [9, 6, '1b4'], [10, 8, '1b6'], [11, 9, '1b7'], [12, 10, '1b8'], [13, 11, '1b9'],
    ]);
    expect(r.warnings.map((w) => w.code)).toEqual(['CountMismatch']);
  });

  it('joins an exception address wrapped across spaces and reads lock count -00001 (lldb on macOS)', () => {
    const r = commandOf(parsedFixture('issue-runtime-66759-lldb-clrthreads.txt'), 'clrthreads').result;
    expect(r.rows.map((x) => [x.dbg, x.managedId, x.osid, x.stateHex, x.lockCount])).toEqual([
      [1, 1, '11224f', '0x20028', -1],
      [8, 2, '112269', '0xa1228', -1],
      [9, 3, '11226a', '0x21228', -1],
      [10, 4, '1122f3', '0x10a0228', -1],
      [11, 5, '1122f6', '0x2021228', -1],
      [14, 6, '11231f', '0xb1228', -1],
    ]);
    expect(r.rows[2].exception).toEqual({ type: 'System.Security.SecurityException', address: '0x1424c9dc8' });
  });

  it('reads a tab-indented paste whose header lacks the DBG word', () => {
    const r = commandOf(parsedFixture('issue-coreclr-25478-lldb-clrthreads-tabs.txt'), 'clrthreads').result;
    expect(r.summary.threadCount).toBe(94);
    expect(r.rows).toHaveLength(8);
    expect(r.rows.every((x) => x.dbg === null && x.dbgRaw === 'XXXX')).toBe(true);
    expect(r.rows.map((x) => x.osid)).toEqual(['1', 'f', '10', '13', '16', '17', '31', '32']);
    expect(r.rows[2].roles).toEqual(['Threadpool Worker']);
  });

  it('reads the oldest layout (GC column Disabled/Enabled, 32-bit addresses)', () => {
    const r = commandOf(parsedFixture('sosdocs-clrthreads-old.txt'), 'clrthreads').result;
    expect(r.rows.map((x) => [x.dbg, x.managedId, x.osid, x.threadObj, x.state, x.gcMode, x.apartment, x.roles])).toEqual([
      [0, 1, '250', '0x19b068', 0xa020, 'Disabled', 'MTA', []],
      [2, 2, '944', '0x1a6020', 0xb220, 'Enabled', 'MTA', ['Finalizer']],
    ]);
    expect(r.unparsed).toEqual([]);
  });

  it('reads an exception on a dotnet-dump thread', () => {
    const r = commandOf(parsedFixture('issue-runtime-50953-dotnet-dump-clrthreads.txt'), 'clrthreads').result;
    expect(r.rows[0]).toMatchObject({ dbg: 0, managedId: 1, osid: '1b59', tid: 0x1b59, exception: { type: 'System.ArgumentException', address: '0x7f0d7000be40' } });
  });

  it('keeps lines it does not understand', () => {
    const lines = [...fixtureLines('article-clrthreads-bare.txt'), 'garbage here', '  15    6      c79 broken'];
    const r = parseClrThreads(lines);
    expect(r.rows).toHaveLength(7);
    expect(r.unparsed).toEqual(['garbage here', '  15    6      c79 broken']);
    expect(r.warnings.map((w) => w.code)).toContain('UnparsedLine');
  });
});
