// Text from a hostile dump stays inert in the window: a real core of a program in a folder named
// with terminal escapes, `<script>` and a right-to-left override, with a function, a mutex, a
// source file, an executable and a thread named so (test/helpers/hostile.ts), opened in headless
// Chromium against the real `dumpscope serve`. Every view that shows text from it is visited — the
// file browser, the threads table and details, the Stack view and its disassembly, the lock graph
// and its hover evidence, modules, a gdb transcript in Monaco, search and its highlighting, the
// comparison with a second core, the library, an error naming a hostile path, the toasts and the
// window's title — and after each the whole DOM is audited: no element or event handler came
// from the data, no control or bidi character is drawn raw (they read `\x1b`, `\u{202e}` as in
// the CLI), the escaped text sits in an isolating element, no dialog opened, nothing left
// 127.0.0.1. Screenshots 50-… in test-output/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { gdbBatch, haveTool } from '../helpers/native';
import { tempIndex } from '../helpers/cli';
import { ARGS, DIR_A, DIR_B, ESC, escaped, EVIL_FN, EVIL_MUTEX, EXE, makeHostileCores, NOT_INERT, RLO, SOURCE, THREAD_NAME, withKernelPrpsinfo, type HostileCores } from '../helpers/hostile';
import { startServe, type ServeProcess } from '../integration/server/serve-process';
import { ensureRendererBuilt, launchChromium, outsideRequests, recordedPage, screenshot, CHROMIUM, type Recorder } from './browser';

const ready = fs.existsSync(CHROMIUM) && haveTool('gcore') && haveTool('gdb');
const eventually = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 50 });

/**
 * Runs before the page's own scripts: records CSP violations and every element of a kind the data
 * could smuggle in, even one inserted and removed at once.
 */
const WATCH = `(() => {
  window.__csp = [];
  window.__inserted = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  const KINDS = 'script,img,iframe,frame,object,embed,b,base,form,video,audio,image,foreignObject';
  const ours = (el) => el.tagName === 'SCRIPT' && /^\\.?\\/assets\\/[\\w.-]+\\.js$/.test(el.getAttribute('src') || '') && !el.textContent.trim();
  const check = (el) => { if (!ours(el)) window.__inserted.push(el.outerHTML.slice(0, 160)); };
  new MutationObserver((ms) => {
    for (const m of ms) for (const n of m.addedNodes) {
      if (n.nodeType !== 1) continue;
      if (n.matches(KINDS)) check(n);
      n.querySelectorAll(KINDS).forEach(check);
    }
  }).observe(document, { childList: true, subtree: true });
})();`;

interface Audit {
  /** Control or bidi characters in text nodes, attributes or the title. */
  raw: string[];
  /** Elements of a kind only data could have put there (script, img, iframe, <b>…). */
  elements: string[];
  /** on* attributes, and src/href values that point anywhere but our assets. */
  handlers: string[];
  /** Escaped hostile text (`\u{202e}`) outside an isolating element. */
  notIsolated: string[];
}

/** The whole DOM, audited in the page (code as a string: this file compiles without the DOM library). */
const AUDIT = `((source) => {
  const re = new RegExp(source);
  const q = (s) => JSON.stringify(s);
  const describe = (el) => el ? el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '') : '?';
  const near = (s, i) => q(s.slice(Math.max(0, i - 40), i + 20));
  const out = { raw: [], elements: [], handlers: [], notIsolated: [] };
  let m = re.exec(document.title);
  if (m) out.raw.push('document.title: ' + near(document.title, m.index));
  const isolating = (e) => !!e && getComputedStyle(e).unicodeBidi === 'isolate';
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.nodeValue || '';
    const el = n.parentElement;
    m = re.exec(t);
    if (m) out.raw.push('text in ' + describe(el) + ': ' + near(t, m.index));
    // Monaco lays out every line itself; an <option> and the <title> hold text only.
    if (t.includes('\\\\u{202e}') && el && !el.closest('.monaco-editor') && !['OPTION', 'TITLE', 'STYLE'].includes(el.tagName) && !isolating(el) && !isolating(el.parentElement)) {
      out.notIsolated.push(describe(el) + ' in ' + describe(el.parentElement) + ': ' + q(t.slice(0, 80)));
    }
  }
  const KINDS = ['img', 'iframe', 'frame', 'object', 'embed', 'b', 'base', 'form', 'video', 'audio', 'image', 'foreignobject', 'template', 'portal'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) out.handlers.push(describe(el) + ' ' + a.name + '=' + q(a.value.slice(0, 60)));
      if (/^(src|href|xlink:href|action|formaction|srcdoc|data|poster|background)$/i.test(a.name) && !/^((http:\\/\\/127\\.0\\.0\\.1:\\d+\\/|\\.?\\/)assets\\/[\\w.-]+|data:,|#[\\w-]*|blob:http:\\/\\/127\\.0\\.0\\.1:\\d+\\/[\\w-]+)$/.test(a.value)) {
        out.handlers.push(describe(el) + ' ' + a.name + '=' + q(a.value.slice(0, 80)));
      }
      m = re.exec(a.value);
      if (m) out.raw.push('attribute ' + a.name + ' of ' + describe(el) + ': ' + near(a.value, m.index));
    }
    if (tag === 'script') {
      if (!/^\\.?\\/assets\\/[\\w.-]+\\.js$/.test(el.getAttribute('src') || '') || el.textContent.trim()) out.elements.push(el.outerHTML.slice(0, 160));
    } else if (KINDS.includes(tag)) out.elements.push(el.outerHTML.slice(0, 160));
    else if (tag === 'meta' && el.hasAttribute('http-equiv')) out.elements.push(el.outerHTML.slice(0, 160));
  }
  return out;
})`;

/** Monaco draws spaces as no-break spaces. */
const editorText = async (page: Page, testId = 'monaco') => ((await page.getByTestId(testId).locator('.view-lines').first().textContent()) ?? '').replace(/\u00a0/g, ' ');

describe.skipIf(!ready)('hostile text in the window', () => {
  let hostile: HostileCores;
  let kernelLike2: string;
  let transcript: string;
  let root: string;
  let server: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rec: Recorder;
  const dialogs: string[] = [];

  /** Audits the DOM now; `what` names the view in the failure. */
  const audit = async (what: string) => {
    const a = (await page.evaluate(`${AUDIT}(${JSON.stringify(NOT_INERT.source)})`)) as Audit;
    expect.soft(a.raw, `${what}: raw control or bidi characters`).toEqual([]);
    expect.soft(a.elements, `${what}: elements from the data`).toEqual([]);
    expect.soft(a.handlers, `${what}: event handlers or foreign URLs`).toEqual([]);
    expect.soft(a.notIsolated, `${what}: hostile text not isolated`).toEqual([]);
    expect.soft(dialogs, `${what}: dialogs`).toEqual([]);
  };
  const rows = (testId: string) => page.getByTestId(testId).locator('.dt-body [role=row]');
  const fileRow = (name: string) => page.locator('.fb-row').filter({ has: page.locator('.fb-name', { hasText: escaped(name) }) });

  beforeAll(async () => {
    ensureRendererBuilt();
    hostile = await makeHostileCores();
    root = path.dirname(path.dirname(hostile.dir));
    // The second core as the kernel would write it too, for the comparison.
    kernelLike2 = `${hostile.core2}.kernel-like`;
    fs.writeFileSync(kernelLike2, withKernelPrpsinfo(fs.readFileSync(hostile.core2), THREAD_NAME, [`./${EXE}`, ...ARGS].join(' ')));
    // gdb's own words on the core, saved under a hostile name of its own
    transcript = path.join(hostile.dir, `bt${ESC}[2J<img src=x onerror=alert(4)>${RLO}gol.txt`);
    fs.writeFileSync(transcript, `(gdb) thread apply all bt\n${gdbBatch(hostile.exe, hostile.kernelLike)}`);
    server = await startServe(tempIndex('hostile-ui'));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme: 'light', deviceScaleFactor: 1, acceptDownloads: true });
    await context.addInitScript(WATCH);
    ({ page, rec } = await recordedPage(context));
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    hostile?.remove();
  });

  it('lists the hostile folder in the file browser and opens the core from it', async () => {
    await page.goto(server.url);
    await page.getByText('No dumps yet').waitFor();
    await page.keyboard.press('Control+o');
    await page.getByLabel('Dump path').fill(`${root}/`);
    await page.getByLabel('Dump path').press('Enter');
    await fileRow(DIR_A).dblclick();
    await fileRow(DIR_B).dblclick();
    // the folder's own files: the executable, the source, the cores, the transcript
    await fileRow(EXE).waitFor();
    for (const name of [SOURCE, path.basename(hostile.kernelLike), path.basename(transcript)]) expect(await fileRow(name).count(), name).toBe(1);
    const crumbs = await page.locator('.fb-path .crumb').allTextContents();
    expect(crumbs.slice(-2)).toEqual([escaped(DIR_A), escaped(DIR_B)]);
    await screenshot(page, '50-hostile-file-browser');
    await audit('file browser');
    await fileRow(path.basename(hostile.kernelLike)).dblclick();
    await eventually(() => rows('threads-table').count()).toBe(2);
    // the toast that says what was opened names the process (the main thread's name), escaped
    await eventually(() => page.locator('.notices').textContent()).toContain(`Opened ${escaped(THREAD_NAME)}`);
    await audit('toast after opening');
  });

  it('shows names, waits and top frames escaped in the threads table, the verdict and the details', async () => {
    const table = page.getByTestId('threads-table');
    const main = table.locator('.dt-body [role=row]').filter({ has: page.locator('[data-col=index]:text-is("#1")') });
    const worker = table.locator('.dt-body [role=row]').filter({ has: page.locator('[data-col=index]:text-is("#2")') });
    expect(await main.locator('[data-col=name]').textContent()).toBe(escaped(THREAD_NAME));
    expect(await worker.locator('[data-col=top]').textContent()).toContain(escaped(EVIL_FN));
    expect(await worker.locator('[data-col=waits]').textContent()).toContain(escaped(EVIL_MUTEX));
    expect(await worker.locator('[data-col=top]').getAttribute('title')).toContain(escaped(EVIL_FN));
    expect(await page.getByTestId('verdict').textContent()).toMatch(/^Deadlock/);
    // the window's title names the dump, escaped (no element can isolate it there)
    expect(await page.title()).toBe(`${escaped(THREAD_NAME)} (pid ${hostile.child.pid}) — dumpscope`);
    await worker.click();
    const details = page.getByTestId('thread-details');
    await eventually(() => details.getByTestId('stack').textContent()).toContain(escaped(EVIL_FN));
    expect(await details.getByTestId('stack').textContent()).toContain(escaped(SOURCE));
    expect(await details.getByTestId('wait').textContent()).toContain(escaped(EVIL_MUTEX));
    await details.getByTestId('disassembly').waitFor();
    await main.click();
    await eventually(() => details.textContent()).toContain(escaped(THREAD_NAME));
    await worker.click();
    await eventually(() => details.getByTestId('stack').textContent()).toContain(escaped(EVIL_FN));
    await screenshot(page, '51-hostile-threads');
    await audit('threads');
    // grouped by stack: each group's top frame and path
    await page.getByRole('button', { name: 'Group by stack' }).click();
    await eventually(() => page.getByTestId('stack-groups').textContent()).toContain(escaped(EVIL_FN));
    await page.getByTestId('stack-group').filter({ hasText: escaped(EVIL_FN) }).getByRole('button', { name: 'Expand' }).click();
    await eventually(() => page.getByTestId('stack-groups').textContent()).toContain(escaped(SOURCE));
    await audit('threads grouped by stack');
    await page.getByRole('button', { name: 'Group by stack' }).click();
  });

  it('shows the frames, the source file and the disassembly\'s symbolized operands escaped in the Stack view', async () => {
    await page.getByRole('tab', { name: /Stack/ }).click();
    const frames = rows('frames-table');
    await eventually(() => frames.count()).toBeGreaterThan(2);
    const evil = frames.filter({ has: page.locator('[data-col=function]', { hasText: escaped(EVIL_FN) }) });
    expect(await evil.count()).toBe(1);
    expect(await evil.locator('[data-col=source]').textContent()).toMatch(new RegExp(`^${escaped(SOURCE).replace(/[\\[\].]/g, '\\$&')}:\\d+$`));
    await evil.click();
    const disasm = page.getByTestId('disassembly');
    // the function's head, and `lea evil_mutex(%rip)` named after the mutex
    await eventually(() => disasm.locator('.disasm-fn').textContent()).toContain(escaped(EVIL_FN));
    await eventually(() => disasm.locator('.dl-target').allTextContents()).toContainEqual(expect.stringContaining(escaped(EVIL_MUTEX)));
    await screenshot(page, '52-hostile-stack');
    await audit('stack');
  });

  it('draws the lock graph\'s labels and hover evidence escaped', async () => {
    await page.getByRole('tab', { name: /Lock graph/ }).click();
    const graph = page.getByTestId('lock-graph');
    await graph.waitFor();
    const labels = await graph.locator('text').allTextContents();
    expect(labels.some((l) => l.startsWith(escaped(EVIL_MUTEX).slice(0, 20)))).toBe(true);
    expect(labels).toContain(escaped(THREAD_NAME));
    // hover the worker's "waits for" edge: both ends and the evidence, the mutex named in full
    const waits = graph.locator('[data-testid=graph-edge][data-kind=waits]').first().locator('.ge-line');
    const box = await waits.boundingBox();
    if (!box) throw new Error('no edge box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tip = page.getByTestId('graph-tip');
    await eventually(() => tip.textContent()).toContain(escaped(EVIL_MUTEX));
    await screenshot(page, '53-hostile-lock-graph');
    await audit('lock graph, edge hover');
    // hover the mutex: its whole name; hover the main thread: its name
    await graph.locator('[data-testid=graph-node].resource').hover();
    await eventually(() => tip.textContent()).toContain(escaped(EVIL_MUTEX));
    await audit('lock graph, mutex hover');
    await graph.locator(`[data-testid=graph-node][data-tid="${hostile.child.pid}"]`).hover();
    await eventually(() => tip.textContent()).toContain(escaped(THREAD_NAME));
    await audit('lock graph, thread hover');
    await page.mouse.move(5, 5);
  });

  it('lists the modules with the executable\'s name and path escaped', async () => {
    await page.getByRole('tab', { name: /Modules/ }).click();
    const exe = rows('modules-table').filter({ has: page.locator('[data-col=name]', { hasText: escaped(EXE) }) });
    await eventually(() => exe.count()).toBe(1);
    expect(await exe.locator('[data-col=path]').textContent()).toBe(escaped(path.join(hostile.dir, EXE)));
    await exe.click();
    await eventually(() => page.getByTestId('module-details').textContent()).toContain(escaped(DIR_A + '/' + DIR_B));
    await screenshot(page, '54-hostile-modules');
    await audit('modules');
    // the hostile folder as a symbol folder, picked in the folder browser (which opens where the last listing was)
    await page.getByRole('button', { name: 'Browse…' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose a symbol folder' });
    await eventually(() => picker.locator('.fb-path .crumb').last().textContent()).toBe(escaped(DIR_B));
    await audit('symbol folder picker');
    await picker.getByRole('button', { name: 'Use this folder' }).click();
    const folders = page.getByTestId('symbol-folders');
    await eventually(() => folders.locator('.folder-path').textContent()).toBe(escaped(hostile.dir));
    await eventually(() => page.locator('.notices').textContent()).toContain(`Added symbol folder ${escaped(hostile.dir)}`);
    await eventually(() => folders.getByRole('button', { name: /^Remove / }).isEnabled()).toBe(true);
    await audit('symbol folders');
    await folders.getByRole('button', { name: `Remove ${escaped(hostile.dir)}` }).click();
    await eventually(() => folders.locator('.folder-path').count()).toBe(0);
    await eventually(() => folders.getByRole('button', { name: 'Browse…' }).isEnabled()).toBe(true);
  });

  it('shows gdb\'s transcript naming the hostile symbols in Monaco, escaped', async () => {
    await page.getByRole('tab', { name: /Transcript/ }).click();
    // the identity table first: the thread's name
    await eventually(() => editorText(page)).toContain(escaped(THREAD_NAME));
    await page.getByLabel('Transcript file').setInputFiles(transcript);
    const item = page.getByTestId('transcript-item').filter({ hasText: escaped(path.basename(transcript)) });
    await item.waitFor();
    await item.click();
    await eventually(() => editorText(page)).toContain('(gdb) thread apply all bt');
    const text = await editorText(page);
    expect(text).toContain('pwned');
    expect(text).not.toMatch(NOT_INERT);
    await eventually(() => page.locator('.notices').textContent()).toContain(`Imported ${escaped(path.basename(transcript))}`);
    await screenshot(page, '57-hostile-transcript');
    await audit('transcript');
  });

  it('finds part of a hostile symbol and highlights it in the escaped text', async () => {
    await page.getByLabel('Search all dumps').fill('pwned');
    const hits = page.getByTestId('search-hit');
    await eventually(() => hits.count()).toBeGreaterThan(2);
    const frame = hits.filter({ hasText: escaped(EVIL_FN) }).first();
    await frame.waitFor();
    expect((await frame.locator('mark').allTextContents()).map((m) => m.toLowerCase())).toContain('pwned');
    expect(await frame.locator('.sr-text').textContent()).toContain(escaped(EVIL_FN));
    // the module (its path holds pwned) and the transcript's lines match too
    expect(await hits.filter({ hasText: 'module' }).count()).toBeGreaterThan(0);
    expect(await hits.filter({ hasText: 'transcript' }).count()).toBeGreaterThan(0);
    for (const m of await page.getByTestId('search-results').locator('mark').allTextContents()) expect(m.toLowerCase()).toBe('pwned');
    expect(await page.getByTestId('search-group').first().locator('.sr-dump-name').textContent()).toBe(escaped(THREAD_NAME));
    await screenshot(page, '55-hostile-search');
    await audit('search');
    await page.getByLabel('Search all dumps').fill('');
  });

  it('compares the core with a second core of the process, stacks in the diff editor, escaped', async () => {
    // the open dialog remembers the hostile folder
    await page.keyboard.press('Control+o');
    await fileRow(path.basename(kernelLike2)).dblclick();
    await eventually(() => page.locator('.current-path').textContent()).toBe(escaped(kernelLike2));
    await page.getByRole('tab', { name: /Compare/ }).click();
    await page.getByLabel('Dump to compare with').selectOption({ index: 1 });
    const verdict = page.getByTestId('compare-verdict');
    await eventually(() => verdict.textContent()).toMatch(/^Deadlock confirmed/);
    expect(await verdict.textContent()).toContain(escaped(THREAD_NAME));
    const cmp = rows('compare-table');
    await eventually(() => cmp.count()).toBe(2);
    await cmp.filter({ hasText: escaped(EVIL_MUTEX) }).first().click();
    await eventually(() => editorText(page, 'monaco-diff')).toContain(escaped(EVIL_FN));
    await screenshot(page, '56-hostile-compare');
    await audit('compare');
  });

  it('shows the library\'s process, command line and paths escaped', async () => {
    await page.getByRole('tab', { name: /Dumps/ }).click();
    await eventually(() => rows('dumps-table').count()).toBe(2);
    await rows('dumps-table').first().click();
    const details = page.getByTestId('dump-details');
    await eventually(() => details.textContent()).toContain(escaped([`./${EXE}`, ...ARGS].join(' ').slice(0, 79)));
    expect(await details.textContent()).toContain(escaped(path.join(hostile.dir, EXE)));
    expect(await rows('dumps-table').first().locator('[data-col=process]').textContent()).toBe(escaped(THREAD_NAME));
    await screenshot(page, '58-hostile-dumps');
    await audit('dumps');
    // the exported report's file name is made of plain characters whatever the process is called
    await page.getByRole('button', { name: /Export/ }).click();
    const [html] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: /HTML/ }).click()]);
    expect(html.suggestedFilename()).toMatch(/^[\w.-]+\.html$/);
    await eventually(() => page.locator('.notices').textContent()).toContain(`Report saved as ${html.suggestedFilename()}`);
    await audit('export');
  });

  it('says a hostile path cannot be opened in one escaped message', async () => {
    const gone = path.join(hostile.dir, `gone${ESC}[2J<iframe srcdoc=x onload=alert(5)>${RLO}.core`);
    await page.keyboard.press('Control+o');
    await page.getByLabel('Dump path').fill(gone);
    await page.getByLabel('Dump path').press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'Could not open' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(escaped(gone));
    await screenshot(page, '59-hostile-error');
    await audit('open error');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('fired no dialog, inserted no element from the data, broke no CSP rule, sent nothing beyond 127.0.0.1', async () => {
    expect(dialogs).toEqual([]);
    expect(await page.evaluate('window.__inserted')).toEqual([]);
    expect(await page.evaluate('window.__csp')).toEqual([]);
    expect(outsideRequests(rec.requests, server.port)).toEqual([]);
    expect(rec.consoleErrors).toEqual([]);
  });
});
