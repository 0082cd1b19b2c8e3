// `dumpscope report` on two real cores of one process (a lock-order deadlock and a busy thread,
// seconds apart): HTML, Markdown and JSON checked for content and for being self-contained,
// the HTML rendered in Chromium (nothing loaded, nothing run) and saved as a screenshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, gdbBatch, TEST_TMP } from '../../helpers/native';
import { ROOT, runCli, tempIndex } from '../../helpers/cli';
import { type LockGraph, type ThreadInfo } from '../../../shared/types';
import { DEADLOCK_AND_BUSY } from '../compare/programs';
import { twoDumps, type TwoDumps } from '../compare/two-dumps';
import { htmlProblems, markdownProblems } from '../../unit/report/hostile';
import { openReport } from './chromium';

const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
const index = tempIndex('report');
let two: TwoDumps;
let out: string;
let threads: ThreadInfo[];
let locks: LockGraph;

beforeAll(async () => {
  fs.mkdirSync(TEST_TMP, { recursive: true });
  const exe = compile('deadlock-and-busy', DEADLOCK_AND_BUSY);
  two = await twoDumps(exe, { index, movingRole: 'busy' });
  two.prog.kill();
  out = fs.mkdtempSync(path.join(TEST_TMP, 'report-out-'));
  threads = (JSON.parse(runCli(['threads', two.b, '--json'], { index }).stdout) as { threads: ThreadInfo[] }).threads;
  locks = JSON.parse(runCli(['locks', two.b, '--json'], { index }).stdout) as LockGraph;
});
afterAll(() => {
  two?.remove();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

const tidOf = (role: string) => two.prog.tids.get(role)!;

function report(args: string[]) {
  const r = runCli(['report', ...args], { index });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** What a self-contained page must not have: anything that would fetch, link out or run. */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<[a-zA-Z][^>]*>/g)) if (/\s(?:src|href|srcset|action|poster|xlink:href)\s*=|https?:/i.test(m[0])) found.push(m[0]);
  const css = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join('\n');
  for (const m of css.matchAll(/@import|url\((?!#)[^)]*\)|@font-face/g)) found.push(m[0]);
  for (const m of html.matchAll(/<(script|link|iframe|object|embed|img|base)\b/gi)) found.push(m[0]);
  return found;
}

describe('dumpscope report --format html', () => {
  let file: string;
  beforeAll(() => {
    file = path.join(out, 'report.html');
    expect(report([two.b, '--compare', two.a, '--format', 'html', '-o', file])).toBe(`${file}: html report, ${(fs.statSync(file).size / 1024).toFixed(1)} KiB\n`);
  });

  it('is one self-contained file: no script, no external reference, no web font', () => {
    const html = fs.readFileSync(file, 'utf8');
    expect(externalReferences(html)).toEqual([]);
    expect(htmlProblems(html)).toEqual({ tags: [], attributes: [], controls: [] });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
  });

  it('puts the verdict and the evidence first, then the graph, threads, comparison, stacks and modules', () => {
    const html = fs.readFileSync(file, 'utf8');
    const at = (s: string) => html.indexOf(s);
    expect(at('id="verdict"')).toBeLessThan(at('id="evidence"'));
    expect(at('id="evidence"')).toBeLessThan(at('id="graph"'));
    expect(at('id="graph"')).toBeLessThan(at('id="threads"'));
    expect(at('id="threads"')).toBeLessThan(at('id="comparison"'));
    expect(at('id="comparison"')).toBeLessThan(at('id="stacks"'));
    expect(at('id="stacks"')).toBeLessThan(at('id="modules"'));
    // No transcript is attached to these dumps: no empty section for it.
    expect(html).not.toContain('id="transcripts"');
    expect(html).toContain(`<h1>Confirmed deadlock in deadlock-and-bus (pid ${two.prog.pid})</h1>`);
    expect(html).toContain(`<p class="summary">${locks.verdict.summary.replace(/'/g, '&#39;')}</p>`);
    expect(html).toMatch(/<p class="summary">Threads #\d and #\d are blocked at the same frames in both dumps, taken about \d+ s apart; the deadlock between them is confirmed\./);
    // The thread table has every thread with its identities.
    for (const t of threads) expect(html).toContain(`<td class="num">${t.index}</td><td class="num">${t.dbg}</td><td class="num">${t.tid}</td><td class="num mono">${t.osid}</td>`);
    // The three blocked threads' stacks in full, the busy one collapsed.
    expect((html.match(/<article class="stack/g) ?? []).length).toBe(3);
    expect((html.match(/<details>/g) ?? []).length).toBe(1);
    expect(html).toMatch(new RegExp(`<details><summary>Thread #\\d+ · tid ${tidOf('busy')} `));
    // Modules with their symbol status.
    expect(html).toMatch(/<td class="mono nowrap">libc\.so\.6<\/td><td class="mono nowrap" title="[0-9a-f]{40}">[0-9a-f]{12}…<\/td><td><span class="badge ok">dwarf<\/span>/);
  });

  it('renders in Chromium with nothing loaded or run, the graph drawn, and is saved as a screenshot', async () => {
    const r = await openReport(file);
    try {
      expect(r.requests).toEqual([`file://${file}`]);
      expect(r.dialogs).toEqual([]);
      expect(r.errors).toEqual([]);
      const page = r.page;
      expect(await page.evaluate<number[]>('[document.scripts.length, document.images.length, document.styleSheets.length]')).toEqual([0, 0, 1]);
      expect(await page.locator('#verdict .summary').first().innerText()).toBe(locks.verdict.summary);
      // 3 threads and 2 mutexes; 5 edges, 4 of them the red cycle.
      expect(await page.locator('svg.graph g.node').count()).toBe(5);
      expect(await page.locator('svg.graph path.edge').count()).toBe(5);
      expect(await page.locator('svg.graph path.edge.cycle').count()).toBe(4);
      // Nodes do not overlap.
      const boxes = await page.locator('svg.graph g.node rect').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((b) => [b.left, b.top, b.right, b.bottom]));
      for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1]).toBe(true);
      expect(await page.locator('details').evaluateAll((els) => els.map((e) => e.hasAttribute('open')))).toEqual([false]);
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'report.png'), fullPage: true });
      // Printable: the print stylesheet applies, and a PDF comes out.
      expect(await page.locator('details table.frames').first().isVisible()).toBe(false);
      await page.emulateMedia({ media: 'print' });
      // On paper the collapsed stacks are printed open.
      expect(await page.locator('details table.frames').first().isVisible()).toBe(true);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'report-print.png'), fullPage: true });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await r.close();
    }
  });
});

describe('dumpscope report --format md and json', () => {
  it('writes Markdown for a GitHub issue: verdict first, stacks in <details>, within the limit', () => {
    const md = report([two.b, '--compare', two.a, '--format', 'md']);
    const lines = md.split('\n');
    expect(lines[0]).toBe(`## Confirmed deadlock in deadlock-and-bus (pid ${two.prog.pid})`);
    expect(lines[2]).toMatch(/^\*\*Verdict:\*\* Deadlock: thread #&#8288;\d \(tid \d+\) waits for mutex &#96;[ab]&#96;/);
    expect(lines[4]).toMatch(/^- Also blocked behind the deadlock: thread #&#8288;1 /);
    expect(lines[6]).toMatch(/^\*\*Compared with an earlier dump \(about \d+ s earlier\):\*\* Threads #&#8288;\d and #&#8288;\d are blocked at the same frames in both dumps/);
    expect(md.length).toBeLessThan(65_536);
    expect(markdownProblems(md)).toEqual({ prose: [], blocks: [] });
    expect((md.match(/<details open><summary>/g) ?? []).length).toBe(3);
    expect(md).toMatch(new RegExp(`<details><summary>Thread #&#8288;\\d+ · tid ${tidOf('busy')} `));
    expect(md).toMatch(/^```text\n#0 +0x[0-9a-f]+ +libc\.so\.6`/m);
    expect(md).toMatch(/^\| progressed \| \d+ \| \d+ \| deadlock-and-busy&#96;spin&#95;/m);
  });

  it('writes JSON under a schema version with the comparison', () => {
    const text = report([two.b, '--compare', two.a, '--format', 'json']);
    expect(text).not.toMatch(/[<>&]/);
    const doc = JSON.parse(text) as {
      schemaVersion: number;
      kind: string;
      severity: string;
      dump: { path: string; pid: number };
      verdict: { deadlock: boolean; summary: string };
      involvedTids: number[];
      threads: ThreadInfo[];
      stacks: { tid: number; frames: unknown[] }[];
      comparison: { dumpA: { path: string }; dumpB: { path: string }; verdict: { deadlockConfirmed: boolean } };
      transcripts: null;
    };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.kind).toBe('dumpscope-report');
    expect(doc.severity).toBe('deadlock');
    expect(doc.dump).toMatchObject({ path: two.b, pid: two.prog.pid });
    expect(doc.verdict).toEqual(locks.verdict);
    expect([...doc.involvedTids].sort()).toEqual([tidOf('main'), tidOf('first'), tidOf('second')].sort());
    expect(doc.threads).toHaveLength(4);
    expect(doc.stacks.every((s) => s.frames.length > 0)).toBe(true);
    // The older dump is A whichever order the command named them in.
    expect(doc.comparison.dumpA.path).toBe(two.a);
    expect(doc.comparison.dumpB.path).toBe(two.b);
    expect(doc.comparison.verdict.deadlockConfirmed).toBe(true);
    expect(doc.transcripts).toBeNull();
  });

  it('takes the format from the file name, and refuses none in one line', () => {
    const md = path.join(out, 'r.md');
    expect(report([two.a, '-o', md])).toMatch(/: md report, [\d.]+ KiB\n$/);
    expect(fs.readFileSync(md, 'utf8').startsWith('## Confirmed deadlock')).toBe(false); // one dump alone: not confirmed
    expect(fs.readFileSync(md, 'utf8').startsWith('## Deadlock in deadlock-and-bus')).toBe(true);
    for (const [args, msg] of [
      [[two.a], /^dumpscope: report: choose --format html, md or json\n$/],
      [[two.a, '--format', 'pdf'], /^dumpscope: report: --format "pdf": use html, md or json\n$/],
      [[two.a, '--format', 'html', '-o', path.join(out, 'no', 'such', 'dir', 'r.html')], /^dumpscope: .*r\.html: cannot write the report \(ENOENT\)\n$/],
    ] as const) {
      const r = runCli(['report', ...args], { index });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(msg);
    }
    expect(fs.readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});

describe('transcript excerpts in a report', () => {
  it('quotes the debugger output that shows the threads of the verdict', () => {
    // A real gdb session on the same core, imported as the dump's transcript.
    const exe = compile('deadlock-and-busy', DEADLOCK_AND_BUSY);
    const transcript = path.join(out, 'gdb-session.txt');
    fs.writeFileSync(transcript, gdbBatch(exe, two.b, ['info threads', 'thread apply all bt']));
    const imp = runCli(['import', transcript, '--dump', two.b, '--host', 'gdb', '--json'], { index });
    expect(imp.stderr).toBe('');
    const md = report([two.b, '--format', 'md']);
    const section = md.slice(md.indexOf('### Transcript excerpts'));
    expect(md.indexOf('### Transcript excerpts')).toBeGreaterThan(0);
    // The excerpts name the deadlocked threads by their LWP, as gdb prints them.
    for (const role of ['first', 'second']) expect(section).toContain(`LWP ${tidOf(role)}`);
    expect(section).toContain('gdb-session.txt');
  });
});
