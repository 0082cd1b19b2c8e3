// /proc parsers on this process's own /proc files (real), plus the lines no process here shows.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { parseMaps, parseStat, parseStatus, readProcess, isSameProcessAlive } from '../../../main/core/capture';
import { type DumpscopeError } from '../../../main/core/errors';

describe('/proc parsers', () => {
  it('reads this process: name, state, parent, start time, threads, memory', () => {
    const stat = parseStat(fs.readFileSync('/proc/self/stat', 'utf8'));
    expect(stat).not.toBeNull();
    expect(stat?.ppid).toBe(process.ppid);
    expect(stat?.startTime).toMatch(/^\d+$/);
    const status = parseStatus(fs.readFileSync('/proc/self/status', 'utf8'));
    expect(status.uid).toBe(process.getuid?.());
    expect(status.threads).toBeGreaterThanOrEqual(1);
    expect(status.vmSizeBytes).toBeGreaterThan(0);
    expect(status.vmRssBytes).toBeGreaterThan(0);
  });

  it('keeps a process name that holds parentheses and spaces', () => {
    // The kernel prints comm verbatim inside parentheses: `12 (a) b) S 1 ...`.
    // fields 5.. hold their own field number, so field 22 (starttime) reads "22"
    const rest = Array.from({ length: 48 }, (_, i) => String(i + 5)).join(' ');
    const s = parseStat(`12 (a) b) S 1 ${rest}`);
    expect(s?.comm).toBe('a) b');
    expect(s?.state).toBe('S');
    expect(s?.ppid).toBe(1);
    expect(s?.startTime).toBe('22');
    expect(parseStat('garbage')).toBeNull();
  });

  it('sizes a memory map the way gcore writes it and finds libcoreclr.so', () => {
    const real = parseMaps(fs.readFileSync('/proc/self/maps', 'utf8'));
    expect(real.totalBytes).toBeGreaterThan(0);
    expect(real.dumpBytes).toBeLessThanOrEqual(real.allBytes);
    expect(real.allBytes).toBeLessThanOrEqual(real.totalBytes);
    expect(real.coreclrPath).toBeNull();
    // Lines as a .NET process shows them (the layout is the kernel's; the paths are an example).
    const maps = [
      '7f0000000000-7f0000100000 r-xp 00000000 08:01 1234  /usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.1/libcoreclr.so',
      '7f0000100000-7f0000101000 rw-p 00100000 08:01 1234  /usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.1/libcoreclr.so',
      '7f0000200000-7f0000300000 ---p 00000000 00:00 0 ',
      'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]',
    ].join('\n');
    const m = parseMaps(maps);
    expect(m.coreclrPath).toBe('/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.1/libcoreclr.so');
    expect(m.dumpBytes).toBe(0x1000 + 0x100000); // the writable file page and the anonymous reserve
    expect(m.allBytes).toBe(0x100000 + 0x1000 + 0x100000);
    expect(m.totalBytes).toBe(m.allBytes + 0x1000);
  });

  it('reads a live process and knows when it is gone', () => {
    const p = readProcess(process.pid);
    expect(p.name.length).toBeGreaterThan(0);
    expect(p.maps).not.toBeNull();
    expect(isSameProcessAlive(process.pid, p.startTime)).toBe(true);
    expect(isSameProcessAlive(process.pid, '1')).toBe(false);
  });

  it('says NoSuchProcess for a pid that does not exist', () => {
    let err: unknown;
    try {
      readProcess(999_999_999);
    } catch (e) {
      err = e;
    }
    expect((err as DumpscopeError).code).toBe('NoSuchProcess');
    expect((err as DumpscopeError).message).toBe('no process with pid 999999999 (nothing in /proc/999999999)');
  });
});
