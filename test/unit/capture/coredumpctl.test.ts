// coredumpctl is not installed here, so its JSON cannot be produced: the documents below follow
// the columns of systemd's coredumpctl.c (table_new("time", "pid", "uid", "gid", "sig",
// "corefile", "exe", "size")) in the shapes different versions print, plus hostile ones.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { attachStoredPaths, parseCoredumpList, parseStoredCoreName } from '../../../main/core/capture';

describe('coredumpctl list --json=short', () => {
  it('reads numbers, signal numbers or names, and µs timestamps', () => {
    const entries = parseCoredumpList(
      JSON.stringify([
        { time: 1717652311000000, pid: 588797, uid: 1000, gid: 1000, sig: 7, corefile: 'present', exe: '/usr/bin/fs-cli', size: 61952 },
        { time: 1717652400000000, pid: '12', uid: '0', gid: '0', sig: 'SEGV', corefile: 'missing', exe: '/usr/sbin/x', size: 18446744073709552000 },
        { time: 'Thu 2024-06-06 13:38:31 CST', pid: 13, uid: 0, gid: 0, sig: 'SIGABRT', corefile: 'none', exe: null, size: null },
      ]),
    );
    expect(entries).toHaveLength(3);
    expect(entries[0]).toEqual({
      time: '2024-06-06T05:38:31.000Z',
      pid: 588797,
      uid: 1000,
      gid: 1000,
      signal: 7,
      signalName: 'SIGBUS',
      corefile: 'present',
      exe: '/usr/bin/fs-cli',
      size: 61952,
      path: null,
    });
    expect(entries[1]).toMatchObject({ pid: 12, uid: 0, signal: 11, signalName: 'SIGSEGV', size: null });
    expect(entries[2]).toMatchObject({ pid: 13, signal: 6, signalName: 'SIGABRT', exe: null });
  });

  it('returns nothing for what is not a list, and skips what is not an entry', () => {
    expect(parseCoredumpList('')).toEqual([]);
    expect(parseCoredumpList('No coredumps found.')).toEqual([]);
    expect(parseCoredumpList('{"pid": 1}')).toEqual([]);
    const r = parseCoredumpList('[1, null, "x", [], {"pid": {"nested": true}, "exe": 5}]');
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ pid: null, exe: null, time: null, signal: null });
  });

  it("finds the stored file by systemd-coredump's naming", () => {
    expect(parseStoredCoreName('core.fs-cli.1000.1827be70bda44e3b9598c4aaf5ac32bc.588797.1717652311000000.zst')).toEqual({
      uid: 1000,
      pid: 588797,
      usec: 1717652311000000,
    });
    expect(parseStoredCoreName('core.a.b.c.0.1827be70bda44e3b9598c4aaf5ac32bc.5.6')).toEqual({ uid: 0, pid: 5, usec: 6 });
    expect(parseStoredCoreName('core.1234')).toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-coredump-'));
    try {
      const boot = '1827be70bda44e3b9598c4aaf5ac32bc';
      for (const n of [`core.app.1000.${boot}.77.1717652311000000.zst`, `core.app.1000.${boot}.77.1600000000000000.zst`, `core.app.0.${boot}.78.1.xz`]) {
        fs.writeFileSync(path.join(dir, n), '');
      }
      const entries = parseCoredumpList(JSON.stringify([{ time: 1717652311000100, pid: 77, uid: 1000 }, { pid: 79, uid: 0 }]));
      attachStoredPaths(entries, dir);
      expect(entries[0].path).toBe(path.join(dir, `core.app.1000.${boot}.77.1717652311000000.zst`));
      expect(entries[1].path).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
