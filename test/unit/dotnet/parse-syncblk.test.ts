import { describe, it, expect } from 'vitest';
import { commandOf, parsedFixture } from './fixtures';

describe('parseSyncBlk', () => {
  it('reads owners, MonitorHeld and the waiter estimate (dotnet-dump tutorial)', () => {
    const r = commandOf(parsedFixture('diagnostics-hung-app-syncblk.txt'), 'syncblk').result;
    expect(r.entries.map((e) => [e.index, e.syncBlock, e.monitorHeld, e.recursion, e.owner?.threadObj, e.owner?.osid, e.owner?.tid, e.owner?.dbg, e.waiters, e.objectAddress, e.objectType])).toEqual([
      [41, '0x143d038', 603, 1, '0x7f2b542d28c0', '1dc1d', 0x1dc1d, 20, 301, '0x7f2e90080fb8', 'System.Object'],
      [42, '0x143d080', 3, 1, '0x7f2b400016a0', '1dc1e', 0x1dc1e, 21, 1, '0x7f2e90080fd0', 'System.Object'],
    ]);
    expect([r.total, r.free]).toEqual([264, 0]);
    expect(r.unparsed).toEqual([]);
  });

  it('reads an orphaned lock (owner "none") and the COM lines (WinDbg)', () => {
    const r = commandOf(parsedFixture('issue-dotnetfly-4-windbg-clrstack-syncblk.txt'), 'syncblk').result;
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]).toMatchObject({
      index: 1182,
      monitorHeld: 278,
      recursion: 0,
      owner: null,
      waiters: 139,
      objectAddress: '0x3ff781d18',
      objectType: 'System.ComponentModel.PropertyDescriptorCollection',
    });
    expect([r.total, r.ccw, r.rcw, r.comClassFactory, r.free]).toEqual([347284, 3, 4, 0, 334322]);
  });

  it('reads the narrow 32-bit layout from the SOS help', () => {
    const r = commandOf(parsedFixture('sosdocs-syncblk.txt'), 'syncblk').result;
    expect(r.entries.map((e) => [e.index, e.owner?.osid, e.owner?.dbg, e.objectType, e.waiters])).toEqual([
      [238, 'e04', 3, 'Resource', 1],
      [239, 'ab8', 4, 'Resource', 1],
    ]);
  });
});
