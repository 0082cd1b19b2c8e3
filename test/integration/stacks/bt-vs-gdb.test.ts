// `dumpscope bt --json` on the corpus, checked against gdb's `thread apply all bt` on the same
// cores: return addresses of physical frames (>= 99%) and function names (>= 98%), including
// a stripped executable symbolized from a symbol folder and one found by .gnu_debuglink.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureCore, compile, TEST_TMP, type Captured } from '../../helpers/native';
import { compareWithGdb, describeMismatches, gdbForComparison, parseGdbBacktraces, physicalFrames } from '../../helpers/gdb-compare';
import { runCli, tempIndex } from '../../helpers/cli';
import { CORPUS, type CorpusProgram } from '../unwind/corpus';

interface JsonFrame {
  pc: string;
  file: string | null;
  line: number | null;
  function: string | null;
  rawFunction: string | null;
  debugFunction: string | null;
  inline: boolean;
  module: string | null;
}
interface BtJson {
  threads: { tid: number; frames: JsonFrame[]; stopReason: string }[];
}

/** A name as compared: no parameter list, no const, no glibc-internal prefixes. */
export function normalizeName(name: string): string {
  let n = name.trim();
  // Drop a trailing parameter list "(…)" (and " const"), balancing parentheses from the end.
  n = n.replace(/\s+const$/, '');
  if (n.endsWith(')')) {
    let depth = 0;
    for (let i = n.length - 1; i >= 0; i--) {
      if (n[i] === ')') depth++;
      else if (n[i] === '(') {
        depth--;
        if (depth === 0) {
          // "operator()" keeps its own parentheses
          if (!/operator$/.test(n.slice(0, i))) n = n.slice(0, i);
          break;
        }
      }
    }
  }
  // A template function's demangled name starts with its return type ("void std::…"); gdb's
  // does not. Keep the last top-level token.
  let depth = 0;
  let lastSpace = -1;
  for (let i = 0; i < n.length; i++) {
    const ch = n[i];
    if (ch === '<' || ch === '(') depth++;
    else if (ch === '>' || ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === ' ' && depth === 0 && !/operator$/.test(n.slice(0, i))) lastSpace = i;
  }
  if (lastSpace > 0) n = n.slice(lastSpace + 1);
  return n.replace(/^(__GI_+|_+)/, '').replace(/^__/, '').trim();
}

interface NameTally {
  compared: number;
  matched: number;
  misses: string[];
}

/** Compares function names frame by frame within each physical frame matched by position. */
function compareNames(ours: BtJson, gdbText: string, tally: NameTally): void {
  const byTid = new Map(ours.threads.map((t) => [t.tid, t]));
  for (const g of parseGdbBacktraces(gdbText)) {
    const mine = byTid.get(g.lwp);
    if (!mine) continue;
    // Our physical frames: inline frames followed by their real frame.
    const groups: JsonFrame[][] = [];
    let cur: JsonFrame[] = [];
    for (const f of mine.frames) {
      cur.push(f);
      if (!f.inline) {
        groups.push(cur);
        cur = [];
      }
    }
    physicalFrames(g.frames).physical.forEach((p, i) => {
      const group = groups[i];
      if (!group || p.signalHandler) return;
      p.funcs.forEach((gname, k) => {
        if (gname === null) return;
        tally.compared++;
        // Align from the outermost (real) function: gdb and we may differ in inline depth.
        const ourFrame = group[group.length - p.funcs.length + k] ?? null;
        const names = ourFrame ? [ourFrame.function, ourFrame.rawFunction, ourFrame.debugFunction].filter((x): x is string => !!x).map(normalizeName) : [];
        if (names.includes(normalizeName(gname))) tally.matched++;
        else if (tally.misses.length < 30) tally.misses.push(`LWP ${g.lwp} #${p.levels[k]}: gdb ${gname} / ours ${ourFrame ? names.join('|') || '(none)' : '(no frame)'}`);
      });
    });
  }
}

function objcopy(args: string[]): void {
  const r = spawnSync('objcopy', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`objcopy ${args.join(' ')}: ${r.stderr}`);
}

function buildId(file: string): string {
  const m = /Build ID: ([0-9a-f]+)/.exec(spawnSync('readelf', ['-n', file], { encoding: 'utf8' }).stdout);
  if (!m) throw new Error(`${file} has no build-id`);
  return m[1];
}

interface Case {
  name: string;
  exe: string;
  captured: Captured;
  symbols: string[];
  gdbInit: string[];
}

describe('bt against gdb on the corpus', () => {
  const cases: Case[] = [];
  const index = tempIndex();
  const pcTotals = { compared: 0, matched: 0 };
  const names: NameTally = { compared: 0, matched: 0, misses: [] };

  beforeAll(async () => {
    for (const p of CORPUS as CorpusProgram[]) {
      const exe = compile(p.name, p.source, p.compile);
      cases.push({ name: p.name, exe, captured: await captureCore(exe, p.run), symbols: [], gdbInit: [] });
    }
    const deadlock = CORPUS.find((p) => p.name === 'deadlock')!;
    // A stripped executable whose debug file is only in a symbol folder (build-id layout).
    {
      const full = compile('deadlock-full', deadlock.source, { flags: ['-g', '-O0'] });
      const dir = fs.mkdtempSync(path.join(TEST_TMP, 'stripped-buildid-'));
      const exe = path.join(dir, 'deadlock-stripped');
      const id = buildId(full);
      const folder = path.join(dir, 'symbols');
      fs.mkdirSync(path.join(folder, '.build-id', id.slice(0, 2)), { recursive: true });
      objcopy(['--only-keep-debug', full, path.join(folder, '.build-id', id.slice(0, 2), `${id.slice(2)}.debug`)]);
      objcopy(['--strip-all', full, exe]);
      cases.push({ name: 'stripped+symbol-folder', exe, captured: await captureCore(exe), symbols: [folder], gdbInit: [`set debug-file-directory ${folder}:/usr/lib/debug`] });
    }
    // A stripped executable findable only through .gnu_debuglink (its .debug/ folder).
    {
      const full = compile('deadlock-full2', deadlock.source, { flags: ['-g', '-O0'] });
      const dir = fs.mkdtempSync(path.join(TEST_TMP, 'stripped-debuglink-'));
      const exe = path.join(dir, 'deadlock-linked');
      fs.mkdirSync(path.join(dir, '.debug'));
      const dbg = path.join(dir, '.debug', 'deadlock-linked.debug');
      objcopy(['--only-keep-debug', '--remove-section=.note.gnu.build-id', full, dbg]);
      objcopy(['--strip-all', '--remove-section=.note.gnu.build-id', `--add-gnu-debuglink=${dbg}`, full, exe]);
      cases.push({ name: 'stripped+debuglink', exe, captured: await captureCore(exe), symbols: [], gdbInit: [] });
    }
  }, 600_000);
  afterAll(() => cases.forEach((c) => c.captured.remove()));

  it('matches gdb on every corpus core', () => {
    const report: string[] = [];
    for (const c of cases) {
      const args = ['bt', c.captured.core, '--json', ...c.symbols.flatMap((s) => ['--symbols', s])];
      const r = runCli(args, { index });
      expect(r.stderr, c.name).toBe('');
      expect(r.code, c.name).toBe(0);
      const doc = JSON.parse(r.stdout) as BtJson;
      const gdbText = gdbForComparison(c.exe, c.captured.core, c.gdbInit);
      const pcs = compareWithGdb(
        doc.threads.map((t) => ({ tid: t.tid, frames: t.frames.filter((f) => !f.inline).map((f) => ({ pc: BigInt(f.pc) })) })),
        gdbText,
      );
      expect(pcs.missingThreads, c.name).toEqual([]);
      pcTotals.compared += pcs.framesCompared;
      pcTotals.matched += pcs.pcMatches;
      const before = { ...names };
      compareNames(doc, gdbText, names);
      report.push(
        `${c.name}: return addresses ${pcs.pcMatches}/${pcs.framesCompared}, names ${names.matched - before.matched}/${names.compared - before.compared}`,
        ...describeMismatches(pcs, 5).map((l) => `  ${l}`),
      );
    }
    const pcRatio = pcTotals.matched / pcTotals.compared;
    const nameRatio = names.matched / names.compared;
    console.log(
      [...report, `TOTAL return addresses: ${(100 * pcRatio).toFixed(2)}% of ${pcTotals.compared}`, `TOTAL function names: ${(100 * nameRatio).toFixed(2)}% of ${names.compared}`, ...names.misses.map((m) => `  name miss: ${m}`)].join('\n'),
    );
    expect(pcTotals.compared).toBeGreaterThan(1000);
    expect(pcRatio).toBeGreaterThanOrEqual(0.99);
    expect(nameRatio).toBeGreaterThanOrEqual(0.98);
  });

  it('re-symbolizes a dump once its symbol folder is added, and remembers the folder', () => {
    const c = cases.find((x) => x.name === 'stripped+symbol-folder')!;
    const fresh = tempIndex('resymbolize');
    const fnNames = (args: string[]) => {
      const r = runCli(['bt', c.captured.core, '--json', ...args], { index: fresh });
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as BtJson & { dump: { fromIndex: boolean } };
      return { fromIndex: doc.dump.fromIndex, names: doc.threads.flatMap((t) => t.frames).filter((f) => f.module === 'deadlock-stripped').map((f) => f.function) };
    };
    const before = fnNames([]);
    expect(before.names).not.toContain('main');
    const folder = c.symbols[0];
    const after = fnNames(['--symbols', folder]);
    expect(after.fromIndex).toBe(false);
    expect(after.names).toEqual(expect.arrayContaining(['main', 'first_a_then_b', 'first_b_then_a']));
    const again = fnNames([]);
    expect(again).toEqual({ fromIndex: true, names: after.names });
    const folders = JSON.parse(runCli(['modules', c.captured.core, '--json'], { index: fresh }).stdout) as { symbols: { name: string; symbolFile: string | null }[] };
    expect(folders.symbols.find((m) => m.name === 'deadlock-stripped')?.symbolFile?.startsWith(folder)).toBe(true);
  });

  it('symbolizes the stripped executable from its symbol folder, with file:line', () => {
    const c = cases.find((x) => x.name === 'stripped+symbol-folder')!;
    const doc = JSON.parse(runCli(['bt', c.captured.core, '--json'], { index }).stdout) as BtJson;
    const fn = doc.threads.flatMap((t) => t.frames).filter((f) => f.module === 'deadlock-stripped');
    expect(fn.map((f) => f.function)).toEqual(expect.arrayContaining(['first_a_then_b', 'first_b_then_a', 'main']));
    expect(fn.find((f) => f.function === 'main')?.file).toMatch(/deadlock-full\.c$/);
    const modules = JSON.parse(runCli(['modules', c.captured.core, '--json'], { index }).stdout) as { symbols: { name: string; quality: string; symbolSource: string }[] };
    expect(modules.symbols.find((m) => m.name === 'deadlock-stripped')).toMatchObject({ quality: 'dwarf', symbolSource: 'symbol-folder' });
  });
});
