// The window's transcript console, imported transcripts, comparing two dumps and exporting a
// report, as a person uses them in headless Chromium against the real `dumpscope serve`: two
// dumps of one deadlocked process taken two seconds apart, gdb's own output on the first, and the
// desktop shell's commands through a stand-in preload. Screenshots in test-output/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { compile, gcore, haveTool, startProgram, TEST_TMP } from '../helpers/native';
import { LOCK_ORDER_DEADLOCK } from '../helpers/lock-programs';
import { tempIndex } from '../helpers/cli';
import { startServe, type ServeProcess } from '../integration/server/serve-process';
import { ensureRendererBuilt, launchChromium, outsideRequests, recordedPage, screenshot, CHROMIUM, type Recorder } from './browser';

const ready = fs.existsSync(CHROMIUM) && haveTool('gdb');
const eventually = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 50 });

/** The desktop preload's shape (window.dumpscope), calls forwarded to the server; the test raises the shell's events. */
const FAKE_PRELOAD = `(() => {
  const handlers = {};
  window.__shell = { emit(event, payload) { for (const h of handlers[event] || []) h(payload); } };
  window.dumpscope = {
    async call(method, args) {
      const r = await fetch('/api/' + method, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
      const o = await r.json();
      if (o.ok) return o.value;
      throw o.error;
    },
    on(event, h) {
      (handlers[event] = handlers[event] || []).push(h);
      return () => { handlers[event] = handlers[event].filter((x) => x !== h); };
    },
    getPathForFile() { return ''; },
  };
})();`;

async function dismissNotices(page: Page): Promise<void> {
  for (const b of await page.locator('.notices').getByRole('button', { name: 'Dismiss' }).all()) await b.click({ timeout: 500 }).catch(() => {});
  await page.locator('.notices').waitFor({ state: 'detached', timeout: 8000 }).catch(() => {});
}

describe.skipIf(!ready)('transcripts, the console, compare and export', () => {
  let server: ServeProcess;
  let dir: string;
  let exe: string;
  let coreA: string;
  let coreB: string;
  let tids: Map<string, number>;
  let gdbText: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rec: Recorder;
  const status = () => page.getByTestId('status-thread').textContent();

  beforeAll(async () => {
    ensureRendererBuilt();
    exe = compile('e2e-lockorder', LOCK_ORDER_DEADLOCK, { flags: ['-g', '-O0'] });
    dir = fs.mkdtempSync(path.join(TEST_TMP, 'e2e-twice-'));
    server = await startServe(tempIndex());
    const live = await startProgram(exe);
    try {
      await new Promise((r) => setTimeout(r, 300));
      coreA = gcore(live.pid, path.join(dir, 'a'));
      await new Promise((r) => setTimeout(r, 1500));
      coreB = gcore(live.pid, path.join(dir, 'b'));
      tids = new Map(live.tids);
    } finally {
      live.kill();
    }
    // gdb's own words on the first dump, with the prompts a session shows
    const r = spawnSync('gdb', ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'echo (gdb) info threads\\n', '-ex', 'info threads', '-ex', 'echo (gdb) thread apply all bt\\n', '-ex', 'thread apply all bt', exe, coreA], { encoding: 'utf8' });
    gdbText = r.stdout;
    fs.writeFileSync(path.join(dir, 'gdb-session.txt'), gdbText);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme: 'light', acceptDownloads: true });
    ({ page, rec } = await recordedPage(context));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens both dumps', async () => {
    await page.goto(server.url);
    await page.getByText('No dumps yet').waitFor();
    for (const core of [coreA, coreB]) {
      await page.keyboard.press('Control+o');
      await page.getByLabel('Dump path').fill(core);
      await page.getByLabel('Dump path').press('Enter');
      await eventually(() => page.locator('.current-path').textContent()).toBe(core);
      await page.getByTestId('threads-table').getByRole('row', { selected: true }).waitFor();
    }
  });

  it('answers the console\'s built-in commands; setthread -t selects the thread everywhere', async () => {
    await page.getByRole('tab', { name: /Transcript/ }).click();
    await page.getByTestId('transcript-item').filter({ hasText: 'Console' }).click();
    const input = page.getByLabel('Console command');
    // Monaco draws spaces as no-break spaces
    const text = async () => ((await page.getByTestId('monaco').locator('.view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');
    const second = tids.get('second') as number;
    await input.fill(`setthread -t ${second}`);
    await input.press('Enter');
    await eventually(() => status()).toContain(`tid ${second}`);
    await eventually(text).toContain(`selected, by tid ${second}`);
    await input.fill('bt');
    await input.press('Enter');
    await eventually(text).toMatch(new RegExp(`thread #3, tid = ${second}, OSID ${second.toString(16)}`));
    await eventually(text).toMatch(/frame #\d+: 0x[0-9a-f]+\s+e2e-lockorder`second \+ \d+ at .*e2e-lockorder\.c:\d+/);
    // dotnet-dump's numbering: setthread 1 is DBG 1 = lldb #2
    await input.fill('setthread 1');
    await input.press('Enter');
    await eventually(() => status()).toContain(`tid ${tids.get('first')}`);
    await input.fill('locks');
    await input.press('Enter');
    await eventually(text).toContain('Deadlock');
    // history: ↑ brings back the last command
    await input.press('ArrowUp');
    expect(await input.inputValue()).toBe('locks');
    await input.fill('');
    // The session is kept in the index: a "dumpscope console" transcript with every command.
    await eventually(async () => (await page.getByTestId('transcript-item').allTextContents()).join('\n')).toContain('dumpscope console');
    await dismissNotices(page);
    await screenshot(page, '40-console');
  });

  it('imports gdb\'s transcript, highlighted, its thread identities links that select the thread', async () => {
    await page.getByTestId('transcript-item').filter({ hasText: 'Identity table' }).click();
    await page.getByLabel('Transcript file').setInputFiles(path.join(dir, 'gdb-session.txt'));
    const item = page.getByTestId('transcript-item').filter({ hasText: 'gdb-session.txt' });
    await item.waitFor();
    expect(await item.textContent()).toContain('gdb');
    const editor = page.getByTestId('monaco');
    await eventually(async () => ((await editor.locator('.view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ')).toContain('(gdb) thread apply all bt');
    // the grammar: the prompt and the LWP identities are their own tokens (colored); LWPs are links
    const links = editor.locator('.thread-link');
    await eventually(() => links.count()).toBeGreaterThan(2);
    const prompt = editor.locator('.view-line span span').filter({ hasText: '(gdb)' }).first();
    const plain = editor.locator('.view-line span span').filter({ hasText: 'Thread debugging' }).first();
    // (Monaco tokenizes in the background: the colors arrive a moment after the text)
    await eventually(async () => (await prompt.getAttribute('class')) !== (await plain.getAttribute('class'))).toBe(true);
    const first = tids.get('first') as number;
    await editor.locator('.thread-link').filter({ hasText: new RegExp(`LWP.${first}`) }).first().click();
    await eventually(() => status()).toContain(`tid ${first}`);
    await dismissNotices(page);
    await screenshot(page, '41-transcript-imported');
    // searchable with everything else
    await page.getByLabel('Search all dumps').fill('thread apply all');
    await eventually(() => page.getByTestId('search-hit').filter({ hasText: 'transcript' }).count()).toBeGreaterThan(0);
    await page.getByLabel('Search all dumps').fill('');
  });

  it('compares the two dumps: every thread stuck, the deadlock confirmed, stacks side by side', async () => {
    await page.getByRole('tab', { name: /Compare/ }).click();
    await page.getByLabel('Dump to compare with').selectOption({ index: 1 });
    const verdict = page.getByTestId('compare-verdict');
    await eventually(() => verdict.textContent()).toMatch(/^Deadlock confirmed/);
    const rows = page.getByTestId('compare-table').locator('.dt-body [role=row]');
    await eventually(() => rows.count()).toBe(3);
    expect(await rows.locator('[data-col=status]').allTextContents()).toEqual(['stuck', 'stuck', 'stuck']);
    await rows.filter({ has: page.locator(`[data-col=A-tid]:text-is("${tids.get('second')}")`) }).click();
    const diff = page.getByTestId('monaco-diff');
    await eventually(() => diff.locator('.modified-in-monaco-diff-editor .view-lines, .editor.modified .view-lines').first().textContent()).toContain('second');
    await dismissNotices(page);
    await screenshot(page, '42-compare');
  });

  it('exports a report with the comparison as a download', async () => {
    await page.getByRole('button', { name: /Export/ }).click();
    const [html] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: /HTML/ }).click()]);
    expect(html.suggestedFilename()).toMatch(/^[\w.-]+\.html$/);
    const content = fs.readFileSync(await html.path(), 'utf8');
    expect(content).toContain('e2e-lockorder');
    expect(content).toMatch(/confirmed/i);
    await page.getByRole('button', { name: /Export/ }).click();
    const [md] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: /Markdown/ }).click()]);
    expect(md.suggestedFilename()).toMatch(/\.md$/);
  });

  it('follows the desktop shell: add a symbol folder, compare with a file, export', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 860 }, acceptDownloads: true });
    await ctx.addInitScript(FAKE_PRELOAD);
    const d = await recordedPage(ctx);
    await d.page.goto(server.url);
    await d.page.getByText('desktop', { exact: true }).waitFor();
    await d.page.evaluate(`window.__shell.emit('appCommand', { command: 'openDump', path: ${JSON.stringify(coreA)} })`);
    await d.page.getByTestId('threads-table').getByRole('row', { selected: true }).waitFor();
    await d.page.evaluate(`window.__shell.emit('appCommand', { command: 'compareWith', path: ${JSON.stringify(coreB)} })`);
    await eventually(() => d.page.getByTestId('compare-verdict').textContent()).toMatch(/^Deadlock confirmed/);
    const folder = path.join(dir, 'symbols');
    fs.mkdirSync(folder, { recursive: true });
    await d.page.evaluate(`window.__shell.emit('appCommand', { command: 'addSymbolFolder', path: ${JSON.stringify(folder)} })`);
    await eventually(() => d.page.getByTestId('symbol-folders').textContent()).toContain(folder);
    const [dl] = await Promise.all([d.page.waitForEvent('download'), d.page.evaluate(`window.__shell.emit('appCommand', { command: 'exportReport' })`)]);
    expect(dl.suggestedFilename()).toMatch(/\.html$/);
    // File > Import Transcript…: the menu hands a path; the API reads the file.
    const menuTranscript = path.join(dir, 'from-menu-gdb.txt');
    fs.writeFileSync(menuTranscript, gdbText);
    await d.page.evaluate(`window.__shell.emit('appCommand', { command: 'importTranscript', path: ${JSON.stringify(menuTranscript)} })`);
    // (the notices are part of what is polled, so a failure shows why the import did not happen)
    await eventually(async () => `${(await d.page.getByTestId('transcript-item').allTextContents()).join('\n')}\nnotices: ${await d.page.locator('.notices').textContent()}`).toMatch(
      /from-menu-gdb\.txt[\s\S]*notices:/,
    );
    expect(outsideRequests(d.rec.requests, server.port)).toEqual([]);
    expect(d.rec.consoleErrors).toEqual([]);
    await ctx.close();
  });

  it('looks right in dark mode', async () => {
    const dark = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme: 'dark' });
    const d = await recordedPage(dark);
    await d.page.goto(server.url);
    // the later dump: the transcript was attached to it
    await d.page.getByTestId('dumps-table').locator('.dt-body [role=row]').filter({ hasText: `${path.sep}b${path.sep}core` }).first().click();
    await d.page.keyboard.press('Enter'); // the Dumps table opens the selected dump (a double-click can split under load)
    await d.page.getByTestId('threads-table').getByRole('row', { selected: true }).waitFor();
    await d.page.getByRole('tab', { name: /Transcript/ }).click();
    await d.page.getByTestId('transcript-item').filter({ hasText: 'gdb-session.txt' }).click().catch(() => {});
    await d.page.locator('.monaco-editor .view-lines').first().waitFor();
    await dismissNotices(d.page);
    await screenshot(d.page, '43-transcript-dark');
    await d.page.getByRole('tab', { name: /Compare/ }).click();
    await d.page.getByLabel('Dump to compare with').selectOption({ index: 1 });
    await d.page.getByTestId('compare-verdict').waitFor();
    await d.page.getByTestId('compare-table').locator('.dt-body [role=row]').nth(1).click();
    await d.page.getByTestId('monaco-diff').locator('.view-lines').first().waitFor();
    await screenshot(d.page, '44-compare-dark');
    expect(d.rec.consoleErrors).toEqual([]);
    await dark.close();
  });

  it('made no request beyond 127.0.0.1 and logged no console error', () => {
    expect(outsideRequests(rec.requests, server.port)).toEqual([]);
    expect(rec.consoleErrors).toEqual([]);
  });
});
