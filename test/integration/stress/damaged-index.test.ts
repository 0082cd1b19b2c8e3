// An index file that is damaged (a copy cut short, another program's file) is one clear line
// saying what to do, exit 1; moved aside, dumpscope starts a new index and works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { SINGLE_THREAD } from '../../helpers/programs';
import { runCli, tempIndex } from '../../helpers/cli';

describe('a damaged index file', () => {
  let real: Captured;
  const good = tempIndex('good');

  beforeAll(async () => {
    real = await captureCore(compile('single', SINGLE_THREAD));
    const r = runCli(['threads', real.core], { index: good });
    expect(r.code, r.stderr).toBe(0);
    runCli(['modules', real.core], { index: good }); // and a checkpoint-free second open
  });
  afterAll(() => real?.remove());

  const damaged: [string, (f: string) => void][] = [
    ['not a database at all', (f) => fs.writeFileSync(f, Buffer.alloc(8192, 0x5a))],
    ['a copy cut short', (f) => {
      const db = fs.readFileSync(good);
      fs.writeFileSync(f, db.subarray(0, Math.floor(db.length / 2)));
    }],
    ['the SQLite header and nothing else', (f) => fs.writeFileSync(f, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(84)]))],
  ];

  for (const [what, make] of damaged) {
    it(`${what}: one line with what to do, then a new index once it is moved aside`, () => {
      const f = tempIndex('damaged');
      make(f);
      const r = runCli(['threads', real.core], { index: f });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^dumpscope: .*: the index is damaged or is not a dumpscope index \(.+\): move it aside and dumpscope starts a new one, or choose another with --index$/);
      fs.renameSync(f, `${f}.damaged`);
      for (const side of ['-wal', '-shm']) fs.rmSync(`${f}${side}`, { force: true });
      const again = runCli(['threads', real.core], { index: f });
      expect(again.code, again.stderr).toBe(0);
    });
  }
});
