// A process killed with SIGKILL in the middle of indexing leaves an index that opens, passes
// SQLite's integrity check, holds each dump either complete or not at all (a re-indexed dump
// keeps its previous analysis), and indexes the dump again on the next open.
//
// Finding the moment without a hook in the product: the store is one transaction that writes
// several MiB for an 800-thread dump, so SQLite spills pages to the WAL before it commits. The
// test watches the WAL file and kills the CLI at a random delay after its first write there, and
// at purely random times in other rounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSqlite } from '../../../main/core/index';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { MANY_THREADS } from '../../helpers/programs';
import { runCli, tempIndex } from '../../helpers/cli';
import { checkIndex, startCli } from './stress-helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const THREADS = 800;

function walMtime(index: string): number {
  try {
    return fs.statSync(`${index}-wal`).mtimeMs;
  } catch {
    return 0;
  }
}

function indexedAt(index: string, dump: string): string | null {
  const db = openSqlite(index, { readonly: true });
  try {
    return (db.prepare('SELECT indexed_at FROM dumps WHERE path = ?').get(dump) as { indexed_at: string } | undefined)?.indexed_at ?? null;
  } finally {
    db.close();
  }
}

describe('SIGKILL in the middle of indexing', () => {
  let real: Captured;
  const index = tempIndex('killed');
  /** How long one whole indexing run takes here: random kills fall inside it. */
  let runMs = 0;

  beforeAll(async () => {
    real = await captureCore(compile('many-threads', MANY_THREADS), { args: [String(THREADS)], stackKb: 64, timeoutMs: 60_000 });
    const started = Date.now();
    const first = runCli(['threads', real.core], { index }); // creates the index; its WAL exists from here on
    runMs = Date.now() - started;
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(() => real?.remove());

  it('leaves an index that opens, is intact, and holds each dump whole or not at all', async () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const rounds: { round: number; mode: string; reindex: boolean; walWritten: boolean; killed: boolean; outcome: string }[] = [];
    for (let round = 0; round < 10; round++) {
      // Even rounds index a new dump; odd rounds re-index the previous one (its mtime changed).
      const reindex = round % 2 === 1;
      const dump = path.join(real.dir, `link-${reindex ? round - 1 : round}.core`);
      if (!reindex) fs.linkSync(real.core, dump);
      else fs.utimesSync(real.core, new Date(), new Date(Date.now() + round * 1000));
      const before = reindex ? indexedAt(index, dump) : null;
      const mode = round % 4 < 2 ? 'after-first-wal-write' : 'random';
      const wal0 = walMtime(index);
      const cli = startCli(['threads', dump, '--json'], { index });
      let walWritten = false;
      let killed = false;
      const exited = cli.done.then(() => 'exited');
      if (mode === 'random') {
        await Promise.race([exited, sleep(random() * runMs)]);
        walWritten = walMtime(index) !== wal0;
        cli.kill();
        killed = true;
      } else {
        for (;;) {
          if (walMtime(index) !== wal0) {
            walWritten = true;
            // at once in most rounds (the spill-to-commit window is some milliseconds), later in others
            if (random() < 0.5) await sleep(random() * 20);
            cli.kill();
            killed = true;
            break;
          }
          if ((await Promise.race([exited, sleep(1)])) === 'exited') break;
        }
      }
      const r = await cli.done;
      const check = checkIndex(index);
      expect(check.integrity, `round ${round}`).toBe('ok');
      expect(check.foreignKeyProblems, `round ${round}`).toBe(0);
      expect(check.incomplete, `round ${round}`).toEqual([]);
      const after = indexedAt(index, dump);
      const outcome = r.signal === 'SIGKILL' ? (after === null ? 'absent' : after === before ? 'old kept' : 'new complete') : `exited ${r.code}`;
      if (reindex) expect(after, `round ${round}: a re-indexed dump keeps an analysis`).not.toBeNull();
      rounds.push({ round, mode, reindex, walWritten, killed, outcome });
      // The next open works and answers with the whole dump.
      const again = runCli(['threads', dump, '--json'], { index });
      expect(again.code, `round ${round}: ${again.stderr}`).toBe(0);
      expect((JSON.parse(again.stdout) as { threads: unknown[] }).threads).toHaveLength(THREADS + 1);
    }
    console.log(rounds.map((r) => `round ${r.round} (${r.reindex ? 're-index' : 'new dump'}, ${r.mode}): WAL ${r.walWritten ? 'written' : 'untouched'} -> ${r.outcome}`).join('\n'));
    // Kills that landed inside the store transaction: the WAL was being written and the dump
    // came out absent (new) or as it was (re-index).
    const insideStore = rounds.filter((r) => r.walWritten && r.killed && (r.outcome === 'absent' || r.outcome === 'old kept'));
    expect(insideStore.length).toBeGreaterThanOrEqual(3);
    expect(checkIndex(index).integrity).toBe('ok');
  }, 240_000);
});
