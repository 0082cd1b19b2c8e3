// A dump deleted or rewritten after indexing is reported: listDumps says `missing` or `changed`
// (through the API in-process and through the browser-mode server), opening it again re-indexes
// a changed file and refuses a missing one with one clear line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DumpscopeService } from '../../../main/api';
import { type DumpSummary } from '../../../shared/types';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { SINGLE_THREAD } from '../../helpers/programs';
import { runCli, tempIndex } from '../../helpers/cli';
import { programHeaders } from '../../helpers/mutate';
import { apiCall, startServe } from '../server/serve-process';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

describe('dumps changed or deleted after indexing', () => {
  let real: Captured;
  let dir: string;
  const index = tempIndex();
  const files: Record<string, string> = {};

  beforeAll(async () => {
    real = await captureCore(compile('single', SINGLE_THREAD));
    dir = real.dir;
    for (const name of ['kept', 'deleted', 'rewritten', 'resized', 'touched', 'renamed']) {
      files[name] = path.join(dir, `${name}.core`);
      fs.copyFileSync(real.core, files[name]);
    }
    const api = new DumpscopeService({ indexPath: index, sampleDir: null });
    try {
      for (const f of Object.values(files)) await api.openDump({ path: f });
    } finally {
      await api.close();
    }
    // Then, behind the index's back:
    fs.rmSync(files.deleted);
    fs.renameSync(files.renamed, `${files.renamed}.old`);
    // same size, one register changed (a different dump of the same length), a later mtime
    const buf = fs.readFileSync(files.rewritten);
    const note = programHeaders(buf).find((p) => p.type === 4)!;
    buf[note.offset + 20 + 112 + 8 * 16] ^= 0x10; // NT_PRSTATUS rip of the first thread
    fs.writeFileSync(files.rewritten, buf);
    fs.utimesSync(files.rewritten, new Date(), new Date(Date.now() + 5000));
    fs.appendFileSync(files.resized, Buffer.alloc(4096));
    fs.utimesSync(files.touched, new Date(), new Date(Date.now() + 5000)); // contents kept
  });
  afterAll(() => real?.remove());

  const byName = (list: DumpSummary[]) => Object.fromEntries(Object.entries(files).map(([k, f]) => [k, list.find((d) => d.path === f)?.status]));
  const expected = { kept: 'ok', deleted: 'missing', rewritten: 'changed', resized: 'changed', touched: 'ok', renamed: 'missing' };

  it('listDumps says which files are gone or changed (API in-process)', async () => {
    const api = new DumpscopeService({ indexPath: index, sampleDir: null });
    try {
      expect(byName(await api.listDumps())).toEqual(expected);
    } finally {
      await api.close();
    }
  });

  it('listDumps says the same through the browser-mode server', async () => {
    const s = await startServe(index);
    try {
      const r = (await apiCall(s, 'listDumps', {})).json<Outcome<DumpSummary[]>>();
      if (!r.ok) throw new Error(r.error.message);
      expect(byName(r.value)).toEqual(expected);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('opening a changed dump re-indexes it; opening a deleted one is one clear line', async () => {
    const again = runCli(['threads', files.rewritten, '--json'], { index });
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { dump: { fromIndex: boolean } }).dump.fromIndex).toBe(false);
    const gone = runCli(['threads', files.deleted], { index });
    expect(gone.code).toBe(1);
    expect(gone.stdout).toBe('');
    expect(gone.stderr.trimEnd().split('\n')).toEqual([`dumpscope: ${files.deleted}: no such file`]);
    const api = new DumpscopeService({ indexPath: index, sampleDir: null });
    try {
      const list = byName(await api.listDumps());
      expect(list).toEqual({ ...expected, rewritten: 'ok' });
      // the deleted dump's analysis is still in the index, marked missing
      const d = (await api.listDumps()).find((x) => x.path === files.deleted)!;
      expect((await api.listThreads({ dumpId: d.id })).map((t) => t.tid)).toEqual([real.tids.get('main')]);
    } finally {
      await api.close();
    }
  });
});
