// Several processes on one index at once: CLI runs racing to create a fresh index, two CLI runs
// and the browser-mode server indexing different dumps and the same dump, and a writer that
// keeps the lock past the busy timeout. No SQLITE_BUSY reaches the user as a crash: an open the
// index can answer still succeeds, a write that cannot wait is one clear IndexBusy line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DumpSummary, type ThreadStack } from '../../../shared/types';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { MANY_THREADS } from '../../helpers/programs';
import { tempIndex } from '../../helpers/cli';
import { apiCall, startServe } from '../server/serve-process';
import { checkIndex, runCliAsync } from './stress-helpers';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OPEN_INDEX = path.join(HERE, 'open-index.ts');

/** Runs `node --import tsx open-index.ts FILE START_AT`: opens (creating) the index at that instant. */
function openIndexAt(file: string, at: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', OPEN_INDEX, file, String(at)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', () => resolve(out.trim()));
  });
}

describe('one index, several processes', () => {
  let real: Captured;
  const dumps: string[] = [];

  beforeAll(async () => {
    real = await captureCore(compile('many-threads', MANY_THREADS), { args: ['300'], stackKb: 64, timeoutMs: 60_000 });
    // Distinct paths are distinct dumps to the index; hard links cost no space.
    for (const name of ['a', 'b', 'c']) {
      const p = path.join(real.dir, `${name}.core`);
      fs.linkSync(real.core, p);
      dumps.push(p);
    }
  });
  afterAll(() => real?.remove());

  it('processes creating a fresh index at the same instant all succeed (migrations)', async () => {
    // Before the fix, one of three lost with "table dumps already exists" in about half the rounds.
    const outs: string[] = [];
    for (let round = 0; round < 6; round++) {
      const file = tempIndex(`fresh-${round}`);
      const at = Date.now() + 1200;
      outs.push(...(await Promise.all([0, 1, 2, 3].map(() => openIndexAt(file, at)))));
      const check = checkIndex(file);
      expect(check.integrity).toBe('ok');
    }
    expect(outs.filter((o) => o !== 'ok')).toEqual([]);
  });

  it('two CLI runs and the server index different dumps and the same dump at once', async () => {
    const index = tempIndex('shared');
    const s = await startServe(index);
    try {
      for (let round = 0; round < 4; round++) {
        // a new mtime makes every open re-index (and so write) its dump
        const later = new Date(Date.now() + round * 1000 + 1000);
        fs.utimesSync(real.core, later, later); // the three names are links to this one file
        const work = await Promise.all([
          runCliAsync(['threads', dumps[0], '--json'], { index }),
          runCliAsync(['locks', dumps[1], '--json'], { index }),
          runCliAsync(['bt', dumps[0], '--json'], { index }), // the same dump as the first run
          apiCall(s, 'openDump', { path: dumps[2] }),
          apiCall(s, 'openDump', { path: dumps[0] }),
          apiCall(s, 'listDumps', {}),
        ]);
        const [threads, locks, bt, ...calls] = work as [Awaited<ReturnType<typeof runCliAsync>>, Awaited<ReturnType<typeof runCliAsync>>, Awaited<ReturnType<typeof runCliAsync>>, ...Awaited<ReturnType<typeof apiCall>>[]];
        for (const r of [threads, bt]) {
          expect(r.stderr, `round ${round}`).toBe('');
          expect(r.code, `round ${round}`).toBe(0);
        }
        expect(locks.stderr).toBe('');
        expect(locks.code).toBe(0); // 300 idle threads on a condition variable: no deadlock
        for (const c of calls) {
          const o = c.json<Outcome<unknown>>();
          expect(o.ok ? 'ok' : `${o.error.code}: ${o.error.message}`, `round ${round}`).toBe('ok');
        }
        expect((JSON.parse(threads.stdout) as { threads: unknown[] }).threads).toHaveLength(301);
      }
      const listed = (await apiCall(s, 'listDumps', {})).json<Outcome<DumpSummary[]>>();
      if (!listed.ok) throw new Error(listed.error.message);
      expect(listed.value.map((d) => d.path).sort()).toEqual([...dumps].sort());
      const stacks = (await apiCall(s, 'getStacks', { dumpId: listed.value[0].id })).json<Outcome<ThreadStack[]>>();
      expect(stacks.ok && stacks.value.length).toBe(301);
    } finally {
      expect(await s.stop()).toBe(0);
    }
    const check = checkIndex(index);
    expect(check).toMatchObject({ integrity: 'ok', foreignKeyProblems: 0, incomplete: [] });
  });

  it('a writer holding the lock past the busy timeout: an indexed dump still opens; a new one gets one IndexBusy line', async () => {
    const index = tempIndex('locked');
    const first = await runCliAsync(['threads', dumps[0]], { index });
    expect(first.code, first.stderr).toBe(0);
    // Another process takes the write lock and keeps it for 13 s (the busy timeout is 10 s).
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.prepare('BEGIN IMMEDIATE').run();
         db.prepare('UPDATE dumps SET opened_at = opened_at').run(); console.log('locked'); setTimeout(() => db.prepare('COMMIT').run(), 13000);`,
        index,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    try {
      const [known, fresh] = await Promise.all([runCliAsync(['threads', dumps[0], '--json'], { index }), runCliAsync(['threads', dumps[1]], { index })]);
      expect(known.stderr).toBe('');
      expect(known.code).toBe(0);
      expect((JSON.parse(known.stdout) as { dump: { fromIndex: boolean } }).dump.fromIndex).toBe(true);
      expect(fresh.code).toBe(1);
      expect(fresh.stdout).toBe('');
      const lines = fresh.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^dumpscope: .*could not store .*b\.core: the index is busy \(another dumpscope kept it locked for more than 10 s\); try again$/);
    } finally {
      holder.kill('SIGKILL');
    }
    const again = await runCliAsync(['threads', dumps[1]], { index });
    expect(again.code, again.stderr).toBe(0);
    expect(checkIndex(index)).toMatchObject({ integrity: 'ok', incomplete: [] });
  }, 60_000);
});
