// The Transcript tab's identity table: every identity of every thread, aligned, nothing added.
import { describe, expect, it } from 'vitest';
import { type ThreadInfo } from '../../../shared/types';
import { identityTable } from '../../../renderer/features/transcript/identity-table';
import { groupRegisters } from '../../../renderer/features/thread-details/register-order';
import { formatBytes, padHex, dirName, baseName } from '../../../renderer/lib/format';

const t = (index: number, tid: number, over: Partial<ThreadInfo> = {}): ThreadInfo => ({
  index,
  dbg: index - 1,
  tid,
  osid: tid.toString(16),
  name: null,
  signal: 0,
  signalName: null,
  state: 'running',
  syscall: null,
  registers: {},
  wait: null,
  topFrame: null,
  frameCount: 0,
  ...over,
});

describe('identityTable', () => {
  it('lists each thread as lldb, dotnet-dump, gdb and SOS name it', () => {
    const text = identityTable({ path: '/d/core.1', process: 'app', pid: 3154, threadCount: 2, signalName: null }, [
      t(1, 3154, { name: 'app' }),
      t(16, 3193, { state: 'syscall', syscall: { nr: 202, name: 'futex', args: [], text: 'futex(0x10, FUTEX_WAIT_PRIVATE, 2, NULL)' } }),
    ]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('# /d/core.1');
    expect(lines[4]).toMatch(/^\s*#\s+DBG\s+TID\s+OSID\s+NAME\s+STATE\s+SIGNAL\s+WAITING IN$/);
    expect(lines[5]).toMatch(/^ #1\s+dbg:0\s+3154\s+0xc52\s+app\s+running\s+-\s+-$/);
    expect(lines[6]).toMatch(/^#16\s+dbg:15\s+3193\s+0xc79\s+-\s+in futex\s+-\s+futex\(0x10, FUTEX_WAIT_PRIVATE, 2, NULL\)$/);
    // columns line up: OSID ends at the same place on every row
    expect(lines[5].indexOf('0xc52') + 5).toBe(lines[6].indexOf('0xc79') + 5);
  });
});

describe('groupRegisters', () => {
  it('puts where the thread is first, syscall registers in argument order, unknown names last', () => {
    const g = groupRegisters({ rax: '0x1', rip: '0x2', rdi: '0x3', orig_rax: '0xca', rsp: '0x4', xmm0: '0x5' });
    expect(g.map((x) => x.title)).toEqual(['Where', 'System call', 'Other']);
    expect(g[0].entries.map(([n]) => n)).toEqual(['rip', 'rsp']);
    expect(g[1].entries.map(([n]) => n)).toEqual(['orig_rax', 'rax', 'rdi']);
    expect(g[2].entries).toEqual([['xmm0', '0x5']]);
  });
});

describe('format', () => {
  it('formats sizes, addresses and paths', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(padHex('0x7f00')).toBe('0x0000000000007f00');
    expect(padHex('weird')).toBe('weird');
    expect(dirName('/a/b/core')).toBe('/a/b');
    expect(dirName('/core')).toBe('/');
    expect(baseName('/a/b/core')).toBe('core');
  });
});
