// `dumpscope search` on an index of real cores: which dumps have a thread in a function, with the
// thread's identities and the frame that matched; case-insensitive substrings; short queries;
// modules; bounded results; and hostile input (FTS5 syntax, LIKE wildcards, quotes) that must
// neither throw nor match what it does not contain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { ARTICLE_SHAPE, LOCK_ORDER_DEADLOCK } from '../../helpers/lock-programs';
import { runCli, tempIndex } from '../../helpers/cli';
import { type SearchResults } from '../../../shared/types';

type SearchDoc = Omit<SearchResults, 'elapsedMs'> & { schemaVersion: number };

const index = tempIndex();
let article: Captured;
let lockOrder: Captured;

function search(query: string, ...extra: string[]): SearchDoc {
  // `--` ends the options: a query may start with a dash
  const r = runCli(['search', '--json', ...extra, '--', query], { index });
  expect(r.stderr, query).toBe('');
  expect(r.code, query).toBe(0);
  return JSON.parse(r.stdout) as SearchDoc;
}

beforeAll(async () => {
  [article, lockOrder] = await Promise.all([
    captureCore(compile('search-article', ARTICLE_SHAPE, { cxx: true }), { settleMs: 300 }),
    captureCore(compile('search-lockorder', LOCK_ORDER_DEADLOCK), { settleMs: 300 }),
  ]);
  for (const c of [article, lockOrder]) expect(runCli(['threads', c.core], { index }).code).toBe(0);
}, 300_000);

afterAll(() => [article, lockOrder].forEach((c) => c?.remove()));

describe('dumpscope search', () => {
  it('finds the one dump with a thread in a function, and names the thread and the frame', () => {
    const doc = search('suspend_runtime');
    expect(doc.schemaVersion).toBe(1);
    expect(doc.mode).toBe('fts');
    expect(doc.groups.map((g) => g.dump.path)).toEqual([article.core]);
    const hits = doc.groups[0].hits;
    expect(hits.map((h) => h.thread?.tid)).toEqual([article.tids.get('A')]);
    const h = hits[0];
    expect(h.kind).toBe('frame');
    expect(h.thread).toMatchObject({ osid: (article.tids.get('A') as number).toString(16) });
    expect(h.frame?.function).toBe('profiler::suspend_runtime()');
    expect(h.frame?.file).toMatch(/search-article\.cpp$/);
    expect(h.frame?.line).toBeGreaterThan(0);
  });

  it('matches any substring, whatever its case, in every dump that has it', () => {
    const lower = search('ime()');
    const upper = search('SUSPEND_RUNTIME');
    expect(upper.groups.map((g) => g.dump.path)).toEqual([article.core]);
    expect(lower.total).toBeGreaterThanOrEqual(1);
    const both = search('__lll_lock_wait');
    expect(both.groups.map((g) => g.dump.path).sort()).toEqual([article.core, lockOrder.core].sort());
    // Every thread blocked on a mutex, once each, in the dump's order.
    const lo = both.groups.find((g) => g.dump.path === lockOrder.core);
    expect(lo?.hits.map((h) => h.thread?.tid).sort()).toEqual([lockOrder.tids.get('first'), lockOrder.tids.get('second')].sort());
    expect(lo?.hits.every((h) => h.frame?.function === '__lll_lock_wait')).toBe(true);
  });

  it('finds modules by path or build-id', () => {
    const doc = search('libstdc++');
    const g = doc.groups.find((x) => x.dump.path === article.core);
    const mod = g?.hits.find((h) => h.kind === 'module');
    expect(mod?.module?.path).toMatch(/libstdc\+\+\.so/);
    expect(doc.groups.find((x) => x.dump.path === lockOrder.core)?.hits.some((h) => h.kind === 'module')).toBeFalsy();
  });

  it('scans for queries shorter than three characters, and treats LIKE wildcards as text', () => {
    const doc = search('A(');
    expect(doc.mode).toBe('like');
    expect(search('%%').total).toBe(0);
    expect(search('_%').total).toBe(0);
    const underscore = search('_');
    expect(underscore.mode).toBe('like');
    expect(underscore.total).toBeGreaterThan(0);
  });

  it('keeps results bounded and says so', () => {
    const all = search('lock');
    expect(all.total).toBeGreaterThan(2);
    const one = search('lock', '--limit', '1');
    expect(one.groups.flatMap((g) => g.hits)).toHaveLength(1);
    expect(one.truncated).toBe(true);
    expect(one.total).toBe(all.total);
  });

  it('never throws on hostile text, and matches only what is there', () => {
    const hostile = ['"', '""', '"unbalanced', 'a"b', '*', 'lock*', 'NEAR(', 'NEAR(a b, 3)', 'a OR b', 'NOT lock', '^lock', '-lock', 'lock:', '{text}: x', "'; DROP TABLE dumps; --", '\\', '(((', ')', 'x'.repeat(500), 'ünïcödé', '🔒'];
    for (const q of hostile) {
      const doc = search(q);
      expect(doc.query).toBe(q);
      for (const g of doc.groups) for (const h of g.hits) expect(h.text.toLowerCase()).toContain(q.toLowerCase());
    }
    // the index is intact afterwards
    expect(search('suspend_runtime').groups).toHaveLength(1);
    const empty = search('   ');
    expect(empty).toMatchObject({ mode: 'empty', total: 0, groups: [] });
  });

  it('prints dump path, thread #/tid and the matching frame as text', () => {
    const r = runCli(['search', 'suspend_runtime'], { index });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const a = article.tids.get('A') as number;
    expect(r.stdout).toContain(article.core);
    expect(r.stdout).toMatch(new RegExp(`thread #\\d+ tid ${a} \\(OSID ${a.toString(16)}\\)  frame #\\d+ search-article\`profiler::suspend_runtime\\(\\) \\+ \\d+ at .*search-article\\.cpp:\\d+`));
    const none = runCli(['search', 'no-such-function-anywhere'], { index });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^No frame, module or transcript/);
    const bad = runCli(['search', 'x', '--limit', 'many'], { index });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^dumpscope: --limit many: /);
  });
});
