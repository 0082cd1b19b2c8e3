// A real core whose names are markup: the executable lives in a folder named
// `x</details><script>alert(1)</script>` under a file name of backticks, pipes, `<b>` and a
// javascript: link; the functions that block and the mutexes they block on are named (through
// asm labels) `<script>…`, `</details>`, a ``` fence with an ESC byte, `<img onerror>`, `[x](javascript:…)`.
// Every output — compare text, HTML (rendered in Chromium), Markdown, JSON — must show these
// names as text and run or load nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gcore, startProgram, TEST_TMP } from '../../helpers/native';
import { ROOT, runCli, tempIndex } from '../../helpers/cli';
import { HOSTILE_DEADLOCK, HOSTILE_DIR, HOSTILE_EXE, HOSTILE_FN, HOSTILE_FN2, HOSTILE_LOCK1, HOSTILE_LOCK2 } from '../compare/programs';
import { htmlProblems, markdownProblems, splitFences } from '../../unit/report/hostile';
import { openReport } from './chromium';

const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
const index = tempIndex('hostile');
let base: string;
let exe: string;
let coreA: string;
let coreB: string;

beforeAll(async () => {
  fs.mkdirSync(TEST_TMP, { recursive: true });
  base = fs.mkdtempSync(path.join(TEST_TMP, 'hostile-'));
  const dir = path.join(base, HOSTILE_DIR); // `/` in the name makes it three folders deep
  fs.mkdirSync(dir, { recursive: true });
  const src = path.join(dir, 'hostile.c');
  fs.writeFileSync(src, HOSTILE_DEADLOCK);
  exe = path.join(dir, HOSTILE_EXE);
  const cc = spawnSync('gcc', ['-g', '-O0', '-pthread', '-o', exe, src], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`gcc failed:\n${cc.stderr}`);
  const prog = await startProgram(exe, { stackKb: 256 });
  try {
    await new Promise((r) => setTimeout(r, 300));
    coreA = gcore(prog.pid, path.join(base, 'a'));
    await new Promise((r) => setTimeout(r, 1200));
    coreB = gcore(prog.pid, path.join(base, 'b'));
  } finally {
    prog.kill();
  }
});
afterAll(() => {
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

function cli(args: string[]) {
  const r = runCli(args, { index });
  expect(r.stderr).toBe('');
  return r;
}

describe('a core whose names are markup', () => {
  it('really has those names: the symbols, the lock names and the paths reach the API as they are', () => {
    const doc = JSON.parse(cli(['report', coreB, '--format', 'json']).stdout) as {
      dump: { executable: string; args: string };
      stacks: { frames: { function: string | null }[] }[];
      locks: { nodes: { name?: string }[] };
    };
    const functions = doc.stacks.flatMap((s) => s.frames.map((f) => f.function));
    expect(functions).toContain(HOSTILE_FN);
    // The symbol table stores the name as the assembler took it; `@`-free so no version suffix is cut.
    expect(functions).toContain(HOSTILE_FN2);
    expect(doc.locks.nodes.map((n) => n.name).filter(Boolean).sort()).toEqual([HOSTILE_LOCK1, HOSTILE_LOCK2].sort());
    expect(doc.dump.executable).toBe(exe);
    expect(doc.dump.args.startsWith(exe.slice(0, 80))).toBe(true);
  });

  it('keeps the terminal safe in compare text: no raw control character reaches it', () => {
    const r = runCli(['compare', coreA, coreB], { index });
    expect(r.code).toBe(3);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stdout).toContain('\\x1b[31m');
    expect(r.stdout).toMatch(/^Threads #2 and #3 are blocked at the same frames in both dumps, taken about \d+ s apart; the deadlock between them is confirmed\./m);
  });

  it('writes HTML that shows every name as text, and Chromium runs and loads nothing', async () => {
    const file = path.join(base, 'report.html');
    cli(['report', coreB, '--compare', coreA, '--format', 'html', '-o', file]);
    const html = fs.readFileSync(file, 'utf8');
    expect(htmlProblems(html)).toEqual({ tags: [], attributes: [], controls: [] });
    expect(html).toContain('&lt;script&gt;alert(&#39;fn&#39;)&lt;/script&gt;`&lt;/details&gt;|[x](javascript:alert(3))');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;`|lock');
    const r = await openReport(file);
    try {
      expect(r.requests).toEqual([`file://${file}`]);
      expect(r.dialogs).toEqual([]);
      expect(r.errors).toEqual([]);
      expect(await r.page.evaluate<number[]>("[document.scripts.length, document.images.length, document.querySelectorAll('a, iframe, object, embed, link').length]")).toEqual([0, 0, 0]);
      const text = await r.page.locator('body').innerText();
      expect(text).toContain(HOSTILE_FN);
      expect(text).toContain(HOSTILE_FN2.replace('\x1b', '\\x1b'));
      expect(text).toContain(HOSTILE_LOCK1);
      expect(text).toContain(HOSTILE_LOCK2);
      expect(text).toContain(exe);
      // Every <details> the page has is one the report made (the busy-free program: none collapsed).
      expect(await r.page.locator('details').count()).toBe(0);
      expect(await r.page.locator('article.stack').count()).toBe(3);
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await r.page.screenshot({ path: path.join(SCREENSHOTS, 'report-hostile.png'), fullPage: true });
    } finally {
      await r.close();
    }
  });

  it('writes Markdown with every name escaped outside code and fenced safely inside it', () => {
    const md = cli(['report', coreB, '--compare', coreA, '--format', 'md']).stdout;
    expect(markdownProblems(md)).toEqual({ prose: [], blocks: [] });
    const { prose, blocks } = splitFences(md);
    expect(prose.join('\n')).not.toMatch(/<script|<img|<b>|\]\(javascript|```/);
    expect(prose.join('\n')).not.toContain('\x1b');
    // The stack that holds the ``` name is fenced one backtick longer than its longest run
    // (the module name's closing backtick runs into it: module`function), and shows it whole.
    const fenced = blocks.find((b) => b.body.some((l) => l.includes('```')))!;
    const longest = Math.max(...fenced.body.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
    expect(longest).toBe(4);
    expect(fenced.fence).toBe('`````');
    expect(fenced.body.join('\n')).toContain('```\\x1b[31m#0 0xdead fake $x$ **bold** #12 + ');
    expect(blocks.some((b) => b.body.some((l) => l.includes(HOSTILE_FN)))).toBe(true);
  });

  it('writes JSON that carries the names exactly, with no raw < > &', () => {
    const text = cli(['report', coreB, '--format', 'json']).stdout;
    expect(text).not.toMatch(/[<>&]/);
    expect(text).toContain('\\u003cscript\\u003ealert(');
    const doc = JSON.parse(text) as { threads: { name: string | null }[]; stacks: { frames: { function: string | null }[] }[] };
    // The main thread carries the process name: NT_PRPSINFO's pr_fname, the first 16 bytes.
    expect(doc.threads[0].name).toBe(HOSTILE_EXE.slice(0, 16));
    expect(doc.stacks.flatMap((s) => s.frames.map((f) => f.function))).toContain(HOSTILE_FN2);
  });
});
