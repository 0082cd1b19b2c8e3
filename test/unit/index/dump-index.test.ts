import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DumpIndex, MIGRATIONS, resolveIndexPath, defaultDataDir } from '../../../main/core/index';
import { type DumpRecord } from '../../../main/core/analysis';

function tmpFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-unit-')), 'index.sqlite');
}

function record(p: string, tids: number[]): DumpRecord {
  return {
    summary: {
      path: p, size: 100, mtimeMs: 1, fingerprint: 'f', process: 'proc', args: 'proc -x', pid: tids[0], uid: 0, arch: 'x86_64',
      signal: 6, signalName: 'SIGABRT', threadCount: tids.length, moduleCount: 0, runtime: null, executable: null,
      notes: { total: 1, unknown: 0 }, indexStats: null, warnings: [], glibc: '2.36', incompleteStacks: 0,
    },
    threads: tids.map((tid, i) => ({
      index: i + 1, dbg: i, tid, osid: tid.toString(16), name: null, signal: 0, signalName: null, state: 'running', syscall: null, registers: {},
      wait: null, topFrame: null, frameCount: 1,
    })),
    stacks: tids.map((tid) => ({ tid, frames: [], stopReason: 'ok', stopDetail: null })),
    modules: [],
    moduleSymbols: [],
    mappings: [],
    locks: { nodes: [], edges: [], cycles: [], chains: [], verdict: { deadlock: false, summary: 'No deadlock.', details: [] } },
    engineVersion: 1,
    symbolsKey: '',
  };
}

describe('DumpIndex', () => {
  it('applies migrations and records the schema version', () => {
    const idx = DumpIndex.open(tmpFile());
    expect(idx.db.pragma('user_version', { simple: true })).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(idx.db.pragma('journal_mode', { simple: true })).toBe('wal');
    idx.close();
  });

  it('stores and replaces a dump in one transaction', () => {
    const idx = DumpIndex.open(tmpFile());
    const id1 = idx.store(record('/d/core.1', [10, 11]));
    expect(idx.threads(id1).map((t) => t.tid)).toEqual([10, 11]);
    expect(idx.get(id1).signalName).toBe('SIGABRT');
    const id2 = idx.store(record('/d/core.1', [10, 11, 12]));
    expect(idx.list()).toHaveLength(1);
    // Re-indexing keeps the dump's id, so whoever holds it (a window, a transcript) stays valid.
    expect(id2).toBe(id1);
    expect(idx.threads(id2).map((t) => t.tid)).toEqual([10, 11, 12]);
    idx.close();
  });

  it('leaves the previous state when indexing fails midway', () => {
    const idx = DumpIndex.open(tmpFile());
    const id = idx.store(record('/d/core.2', [20]));
    expect(() =>
      idx.store(record('/d/core.2', [20, 21]), () => {
        throw new Error('disk full');
      }),
    ).toThrow(/disk full/);
    expect(idx.list().map((d) => d.id)).toEqual([id]);
    expect(idx.threads(id).map((t) => t.tid)).toEqual([20]);
    idx.close();
  });

  it('removes a dump and everything derived from it', () => {
    const idx = DumpIndex.open(tmpFile());
    const id = idx.store(record('/d/core.3', [30]));
    expect(idx.remove(id)).toBe(true);
    expect(() => idx.threads(id)).toThrow(/no dump with id/);
    expect(idx.db.prepare('SELECT COUNT(*) AS n FROM threads').get()).toEqual({ n: 0 });
    idx.close();
  });

  it('refuses an index written by a newer dumpscope', () => {
    const f = tmpFile();
    const idx = DumpIndex.open(f);
    idx.db.pragma('user_version = 999');
    idx.close();
    expect(() => DumpIndex.open(f)).toThrow(/newer dumpscope/);
  });

  it('lives in the user data folder unless --index or DUMPSCOPE_INDEX says otherwise', () => {
    expect(resolveIndexPath('/x/i.sqlite', {})).toBe('/x/i.sqlite');
    expect(resolveIndexPath(undefined, { DUMPSCOPE_INDEX: '/y/j.sqlite' })).toBe('/y/j.sqlite');
    expect(defaultDataDir({ XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/dumpscope');
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/dumpscope$/);
  });
});
