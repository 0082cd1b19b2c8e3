// Names, paths and symbols from a dump stay inert in every CLI command's text: a real core of a
// program that lives in a folder whose name holds terminal escapes, `<script>` and a bidi
// override, and has a function and a mutex with such names (asm labels); its source file name has
// one too. It names its main thread so (pthread_setname_np) and runs with such arguments, which
// the kernel's dumper records (pr_fname is the thread's comm, pr_psargs the command line) but
// gcore does not: a second core carries them as the kernel would write them. Text output must
// carry none of those characters raw (they are shown escaped); JSON keeps them exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempIndex, type CliResult } from '../../helpers/cli';
import { programHeaders } from '../../helpers/mutate';
import { ARGS, DIR_A, ESC, EXE, makeHostileCores, NOT_INERT, RLO, THREAD_NAME, type HostileCores } from '../../helpers/hostile';

// The program, its names and the cores are made in test/helpers/hostile.ts (the UI's e2e test
// opens the same cores).

function expectInert(what: string, text: string): void {
  const m = NOT_INERT.exec(text);
  expect(m ? `${what}: U+${(m[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, m.index - 60), m.index + 20))}` : null).toBeNull();
}

describe('hostile names, paths and symbols in the CLI', () => {
  let hostile: HostileCores;
  let dir: string;
  let core: string;
  let core2: string;
  let kernelLike: string;
  const index = tempIndex('hostile');

  beforeAll(async () => {
    hostile = await makeHostileCores();
    ({ dir, core, core2, kernelLike } = hostile);
  });
  afterAll(() => hostile?.remove());

  const text = (r: CliResult) => r.stdout + r.stderr;

  it('--json documents carry the hostile strings exactly, with no raw control or bidi character', () => {
    for (const cmd of ['threads', 'bt', 'locks', 'modules']) {
      const r = runCli([cmd, core, '--json'], { index });
      expect(r.stdout, cmd).not.toMatch(NOT_INERT);
      // Parsed back, the values are the raw strings (the escapes are JSON's, not ours).
      expect(JSON.stringify(JSON.parse(r.stdout)), cmd).toContain(RLO);
    }
  });

  it('threads, bt, locks and modules print every hostile string escaped', () => {
    const outputs: Record<string, CliResult> = {
      threads: runCli(['threads', core], { index }),
      bt: runCli(['bt', core], { index }),
      locks: runCli(['locks', core], { index }),
      modules: runCli(['modules', core], { index }),
    };
    expect(outputs.threads.code, outputs.threads.stderr).toBe(0);
    expect(outputs.bt.code).toBe(0);
    expect(outputs.locks.code).toBe(3); // main joins the worker that waits for main's mutex
    expect(outputs.modules.code).toBe(0);
    for (const [cmd, r] of Object.entries(outputs)) expectInert(cmd, text(r));
    // The hostile strings were there, shown escaped: the path, the arguments, the thread name,
    // the function, the mutex, the source file.
    expect(outputs.threads.stdout).toContain('dir\\x1b[31mRED\\x1b[0m<script>alert(1)</script>\\u{202e}gpj.exe');
    expect(outputs.bt.stdout).toContain('fn\\x1b]0;pwned\\x07<img src=x onerror=alert(1)>\\u{202e}evil');
    expect(outputs.bt.stdout).toContain('src\\x1b[7m.c');
    expect(outputs.locks.stdout).toContain('mu\\x1b[5m<script>alert(1)</script>\\u{202e}evil');
    expect(outputs.modules.stdout).toContain('prog\\x1b]0;pwned\\x07');
  });

  it('JSON output keeps the strings exactly, with no raw control character', () => {
    for (const cmd of ['threads', 'bt', 'locks', 'modules']) {
      const r = runCli([cmd, core, '--json'], { index });
      expect([0, 3]).toContain(r.code);
      // eslint-disable-next-line no-control-regex
      expect(/[\u0000-\u0009\u000b-\u001f]/.test(r.stdout), cmd).toBe(false);
      expect(r.stderr).toBe('');
      const doc = JSON.stringify(JSON.parse(r.stdout));
      expect(doc).toContain(JSON.stringify(DIR_A).slice(1, -1));
    }
    const bt = JSON.parse(runCli(['bt', core, '--json'], { index }).stdout) as { threads: { frames: { function: string | null; file: string | null }[] }[] };
    const fns = bt.threads.flatMap((t) => t.frames.map((f) => f.function));
    expect(fns).toContain(`fn${ESC}]0;pwned\x07<img src=x onerror=alert(1)>${RLO}evil`);
    const threads = JSON.parse(runCli(['threads', kernelLike, '--json'], { index }).stdout) as { dump: { process: string; args: string }; threads: { name: string | null }[] };
    expect(threads.dump.process).toBe(THREAD_NAME);
    expect(threads.dump.args).toBe([`./${EXE}`, ...ARGS].join(' ').slice(0, 79));
    expect(threads.threads[0].name).toBe(THREAD_NAME);
  });

  it('a core as the kernel writes it: the thread name and the command line are shown escaped', () => {
    for (const cmd of ['threads', 'bt', 'locks', 'modules']) {
      const r = runCli([cmd, kernelLike], { index });
      expect([0, 3], `${cmd}: ${r.stderr}`).toContain(r.code);
      expectInert(cmd, text(r));
      expect(r.stdout).toContain('\\x1b[31m<b>\\u{202e}X');
      expect(r.stdout).toContain('\\x1b]52;c;cHduZWQ=\\x07');
    }
  });

  it('search, compare and report (Markdown on stdout) print them escaped too', () => {
    const search = runCli(['search', 'pwned'], { index });
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toContain('pwned');
    expectInert('search', text(search));
    const compare = runCli(['compare', core, core2], { index });
    expect([0, 3]).toContain(compare.code);
    expectInert('compare', text(compare));
    expect(compare.stdout).toContain('fn\\x1b]0;pwned');
    const report = runCli(['report', core, '--format', 'md'], { index });
    expect(report.code, report.stderr).toBe(0);
    expectInert('report --format md', text(report));
    expect(report.stdout).toMatch(/pwned/);
  });

  it('errors and warnings that name a hostile path are one inert line', () => {
    const missing = runCli(['threads', path.join(dir, `gone${ESC}[2J.core`)], { index });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('gone\\x1b[2J.core');
    expectInert('error', text(missing));
    // Memory cut short (gcore writes the notes last, so cutting the file would cut them): the
    // last PT_LOAD claims a page more than the file holds.
    const cut = path.join(dir, `cut${RLO}.core`);
    const buf = fs.readFileSync(core);
    const last = programHeaders(buf)
      .filter((p) => p.type === 1 && p.filesz > 0)
      .sort((a, b) => b.offset - a.offset)[0];
    const phoff = Number(buf.readBigUInt64LE(32));
    buf.writeBigUInt64LE(BigInt(buf.length - last.offset + 4096), phoff + last.index * 56 + 32); // p_filesz
    fs.writeFileSync(cut, buf);
    const partial = runCli(['threads', cut, '--partial'], { index });
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stderr).toMatch(/^dumpscope: warning: .*cut\\u\{202e\}\.core/);
    expectInert('warning', text(partial));
  });

  it('capture --list-processes shows the live process with its name escaped', () => {
    const r = runCli(['capture', '--list-processes', 'pwned'], { index });
    expect(r.code, r.stderr).toBe(0);
    expectInert('capture --list-processes', text(r));
    expect(r.stdout).toContain('\\x1b[31m<b>\\u{202e}X'); // the main thread's name (comm)
  });
});
