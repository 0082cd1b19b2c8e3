// A person's afternoon with the UI, in headless Chromium against the real `dumpscope serve`:
// open a core made in this test, read every thread's identities, go to a thread by OSID, look
// at modules and the identity table, open the sample, fail to open a non-core with a clear
// message, switch to dark; see the library mark a dump whose file is gone or changed since it was
// indexed. Nothing may leave 127.0.0.1 and the console must stay clean.
// Screenshots land in test-output/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { captureCore, compile, type Captured } from '../helpers/native';
import { MANY_THREADS, ROLES } from '../helpers/programs';
import { tempIndex } from '../helpers/cli';
import { programHeaders } from '../helpers/mutate';
import { startServe, type ServeProcess } from '../integration/server/serve-process';
import { ensureRendererBuilt, launchChromium, outsideRequests, recordedPage, screenshot, CHROMIUM, type Recorder } from './browser';

const haveChromium = fs.existsSync(CHROMIUM);

const FAKE_PRELOAD = `(() => {
  const handlers = {};
  const calls = [];
  window.__shell = {
    calls,
    dropPath: null,
    emit(event, payload) { for (const h of handlers[event] || []) h(payload); },
  };
  window.dumpscope = {
    async call(method, args) {
      calls.push({ method, args });
      const r = await fetch('/api/' + method, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
      const o = await r.json();
      if (o.ok) return o.value;
      throw o.error;
    },
    on(event, h) {
      (handlers[event] = handlers[event] || []).push(h);
      return () => { handlers[event] = handlers[event].filter((x) => x !== h); };
    },
    getPathForFile() { return window.__shell.dropPath || ''; },
  };
})();`;

/** Polls like a person waiting: opening a dump can take seconds when the machine is busy. */
const eventually = <T>(fn: () => T | Promise<T>, timeout = 20_000) => expect.poll(fn, { timeout, interval: 50 });

describe.skipIf(!haveChromium)('the UI in a browser', () => {
  let server: ServeProcess;
  let core: Captured;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rec: Recorder;

  beforeAll(async () => {
    ensureRendererBuilt();
    [server, core] = await Promise.all([startServe(tempIndex()), captureCore(compile('roles', ROLES), { stackKb: 256 })]);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme: 'light', deviceScaleFactor: 1 });
    ({ page, rec } = await recordedPage(context));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    core?.remove();
  });

  it('opens with the token, drops it from the address bar, and shows the empty library', async () => {
    await page.goto(server.url);
    expect(new URL(page.url()).search).toBe('');
    await page.getByText('No dumps yet').waitFor();
    await screenshot(page, '01-dumps-empty');
  });

  it('opens a real core from the path box and lists every thread with its identities', async () => {
    await page.keyboard.press('Control+o');
    const dialog = page.getByRole('dialog', { name: 'Open a dump' });
    await dialog.waitFor();
    await page.getByLabel('Dump path').fill(core.core);
    await page.waitForTimeout(200); // let the file browser's first listing land
    await screenshot(page, '02-open-dialog');
    await page.getByLabel('Dump path').press('Enter');
    const table = page.getByTestId('threads-table');
    await table.getByRole('row', { selected: true }).waitFor();
    const rows = table.locator('.dt-body [role=row]');
    await eventually(() => rows.count()).toBe(core.tids.size);
    for (const [role, tid] of core.tids) {
      const row = rows.filter({ has: page.locator(`[data-col=tid]:text-is("${tid}")`) });
      expect(await row.count(), role).toBe(1);
      expect(await row.locator('[data-col=osid]').textContent(), role).toBe(tid.toString(16));
    }
    const indexes = await rows.locator('[data-col=index]').allTextContents();
    expect(indexes.sort()).toEqual(Array.from({ length: core.tids.size }, (_, i) => `#${i + 1}`).sort());
    await screenshot(page, '03-threads');
  });

  it('goes to a thread by OSID (Ctrl+G) and shows it selected, with its details', async () => {
    const locker = core.tids.get('locker') as number;
    const osid = locker.toString(16);
    await page.keyboard.press('Control+g');
    await page.keyboard.type(osid);
    // the shortcut put the caret in the go-to box: the keys landed there
    await eventually(() => page.getByLabel('Go to thread').inputValue()).toBe(osid);
    await page.keyboard.press('Enter');
    const selected = page.getByTestId('threads-table').getByRole('row', { selected: true });
    await eventually(() => selected.locator('[data-col=tid]').textContent()).toBe(String(locker));
    await eventually(() => page.getByTestId('goto-result').textContent()).toContain(`OSID ${osid}`);
    const details = page.getByTestId('thread-details');
    await eventually(() => details.textContent()).toContain(`tid ${locker}`);
    expect(await details.getByTestId('syscall-text').textContent()).toContain('futex(');
    // the table has focus: the arrow keys move the selection
    await page.keyboard.press('ArrowDown');
    await eventually(() => selected.locator('[data-col=tid]').textContent()).not.toBe(String(locker));
    await page.keyboard.press('ArrowUp');
    await eventually(() => selected.locator('[data-col=tid]').textContent()).toBe(String(locker));
    await screenshot(page, '04-thread-selected');
  });

  it('filters by any text (Ctrl+F)', async () => {
    await page.keyboard.press('Control+f');
    await page.keyboard.type('poll');
    const rows = page.getByTestId('threads-table').locator('.dt-body [role=row]');
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.locator('[data-col=tid]').textContent()).toBe(String(core.tids.get('poller')));
    await page.keyboard.press('Escape');
    await eventually(() => rows.count()).toBe(core.tids.size);
  });

  it('shows modules with build-ids and where each came from', async () => {
    await page.getByRole('tab', { name: /Modules/ }).click();
    const rows = page.getByTestId('modules-table').locator('.dt-body [role=row]');
    await eventually(() => rows.count()).toBeGreaterThan(2);
    const exe = rows.filter({ hasText: 'roles' }).first();
    expect(await exe.locator('[data-col=buildId]').textContent()).toMatch(/^[0-9a-f]{40}$/);
    expect(await exe.locator('[data-col=source]').textContent()).toBe('dump memory');
    await screenshot(page, '05-modules');
  });

  it('shows the identity table in the bundled Monaco editor', async () => {
    await page.getByRole('tab', { name: 'Transcript' }).click();
    await page.locator('.monaco-editor .view-lines').waitFor();
    await eventually(() => page.locator('.monaco-editor .view-lines').textContent()).toContain(`0x${core.tids.get('locker')?.toString(16)}`);
    await screenshot(page, '06-transcript');
  });

  it('opens the bundled sample dump from the Dumps view', async () => {
    await page.getByRole('tab', { name: /Dumps/ }).click();
    await page.getByRole('button', { name: 'Open the sample dump' }).first().click();
    const rows = page.getByTestId('threads-table').locator('.dt-body [role=row]');
    await eventually(() => rows.count())
      .toBe(3)
      .catch(async (e: unknown) => {
        await screenshot(page, 'FAIL-sample');
        throw e;
      });
    // the sample's `transfer` thread, named the way dotnet-dump would
    await page.keyboard.press('Control+g');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('dbg:1');
    await page.keyboard.press('Enter');
    await eventually(() => page.getByTestId('threads-table').getByRole('row', { selected: true }).locator('[data-col=index]').textContent()).toBe('#2');
    // the wait-for analysis names the deadlock, and the stack shows the frame that took the lock
    expect(await page.getByTestId('verdict').textContent()).toMatch(/^Deadlock/);
    const details = page.getByTestId('thread-details');
    expect(await details.getByTestId('wait').textContent()).toContain('audit_lock');
    await eventually(() => details.getByTestId('stack').textContent()).toContain('transfer');
    // confirmations fade by themselves; close them now for a clean picture (docs/screenshots uses it)
    for (const b of await page.locator('.notices').getByRole('button', { name: 'Dismiss' }).all()) await b.click({ timeout: 500 }).catch(() => {});
    await page.locator('.notices').waitFor({ state: 'detached', timeout: 8000 });
    await page.getByTestId('threads-table').focus();
    await screenshot(page, '07-sample-threads');
    await page.getByRole('tab', { name: /Dumps/ }).click();
    await eventually(() => page.getByTestId('dumps-table').locator('.dt-body [role=row]').count()).toBe(2);
    await screenshot(page, '08-dumps-library');
  });

  it('says clearly why a file cannot be opened', async () => {
    const notCore = path.join(core.dir, 'not-a-core.txt');
    fs.writeFileSync(notCore, 'hello, I am text\n');
    await page.keyboard.press('Control+o');
    await page.getByLabel('Dump path').fill(notCore);
    await page.getByLabel('Dump path').press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'Could not open' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('NotElf');
    expect(await alert.textContent()).toContain(notCore);
    await screenshot(page, '09-open-error');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('follows a dark system theme', async () => {
    const dark = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme: 'dark' });
    const d = await recordedPage(dark);
    await d.page.goto(server.url);
    await d.page.getByTestId('dumps-table').locator('.dt-body [role=row]').first().waitFor();
    await screenshot(d.page, '10-dumps-dark');
    await d.page.getByTestId('dumps-table').locator('.dt-body [role=row]').filter({ hasText: 'roles' }).dblclick();
    await d.page.getByTestId('threads-table').getByRole('row', { selected: true }).waitFor();
    await screenshot(d.page, '11-threads-dark');
    await d.page.getByRole('tab', { name: 'Transcript' }).click();
    await d.page.locator('.monaco-editor .view-lines').waitFor();
    await screenshot(d.page, '12-transcript-dark');
    expect(outsideRequests(d.rec.requests, server.port)).toEqual([]);
    expect(d.rec.consoleErrors).toEqual([]);
    await dark.close();
  });

  it('keeps a table of hundreds of threads virtual: few rows in the page, every thread reachable', async () => {
    const many = await captureCore(compile('many', MANY_THREADS), { args: ['600'], stackKb: 64, timeoutMs: 60_000 });
    try {
      // Hold the answer back a moment so the progress the server streamed is on screen.
      await page.route('**/api/openDump', async (route) => {
        const response = await route.fetch();
        await new Promise((r) => setTimeout(r, 1500));
        await route.fulfill({ response });
      });
      await page.keyboard.press('Control+o');
      await page.getByLabel('Dump path').fill(many.core);
      await page.getByLabel('Dump path').press('Enter');
      const progress = page.getByTestId('job-progress').first();
      await progress.waitFor();
      expect(await progress.getByRole('progressbar').getAttribute('aria-label')).toBe(`Opening ${many.core}`);
      // the phase comes from progress events over the WebSocket, not from the call's answer
      await eventually(() => progress.locator('.job-phase').textContent()).not.toBe('starting');
      await screenshot(page, '14-progress');
      const table = page.getByTestId('threads-table');
      await eventually(() => table.getAttribute('aria-rowcount'), 60_000).toBe('602');
      await page.unroute('**/api/openDump'); // only now: the held answer has been delivered
      const inDom = await table.locator('.dt-body [role=row]').count();
      expect(inDom).toBeGreaterThan(10);
      expect(inDom).toBeLessThan(120);
      await table.focus();
      await page.keyboard.press('End');
      const selected = table.getByRole('row', { selected: true });
      await eventually(() => selected.locator('[data-col=index]').textContent()).toBe('#601');
      await page.keyboard.press('Control+g');
      await page.keyboard.type('#300');
      await page.keyboard.press('Enter');
      await eventually(() => selected.locator('[data-col=index]').textContent()).toBe('#300');
      expect(await selected.isVisible()).toBe(true);
      await screenshot(page, '13-many-threads');
    } finally {
      many.remove();
    }
  });

  it('uses the desktop preload when present: IPC transport, shell commands, dropped files by path', async () => {
    // Stands in for main/app's preload (window.dumpscope): same Bridge shape, calls forwarded to
    // the server, events raised by the test as the shell would.
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 860 } });
    await ctx.addInitScript(FAKE_PRELOAD);
    const d = await recordedPage(ctx);
    await d.page.goto(server.url);
    await d.page.getByText('desktop', { exact: true }).waitFor();
    // the shell's File > Open… answers with a path
    await d.page.evaluate(`window.__shell.emit('appCommand', { command: 'openDump', path: ${JSON.stringify(core.core)} })`);
    const rows = d.page.getByTestId('threads-table').locator('.dt-body [role=row]');
    await eventually(() => rows.count()).toBe(core.tids.size);
    // the shell's Go to thread…
    await d.page.evaluate(`window.__shell.emit('appCommand', { command: 'goToThread' })`);
    await d.page.keyboard.type(`tid:${core.tids.get('poller')}`);
    await d.page.keyboard.press('Enter');
    const selected = d.page.getByTestId('threads-table').getByRole('row', { selected: true });
    await eventually(() => selected.locator('[data-col=tid]').textContent()).toBe(String(core.tids.get('poller')));
    // a file dropped on the window: the preload says where it lives
    await d.page.evaluate(`(() => {
      window.__shell.dropPath = ${JSON.stringify(core.core)};
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'core.dropped'));
      document.querySelector('.app').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    })()`);
    await eventually(() => d.page.evaluate(`window.__shell.calls.filter((c) => c.method === 'openDump').length`)).toBe(2);
    expect(await d.page.evaluate(`window.__shell.calls.filter((c) => c.method === 'openDump').map((c) => c.args.path)`)).toEqual([core.core, core.core]);
    expect(outsideRequests(d.rec.requests, server.port)).toEqual([]);
    expect(d.rec.consoleErrors).toEqual([]);
    await ctx.close();
  });

  it('marks dumps whose file is gone or changed since indexing; shows a missing one from the index, re-indexes a changed one', async () => {
    const gone = path.join(core.dir, 'gone.core');
    const changed = path.join(core.dir, 'changed.core');
    for (const f of [gone, changed]) {
      fs.copyFileSync(core.core, f);
      await page.keyboard.press('Control+o');
      await page.getByLabel('Dump path').fill(f);
      await page.getByLabel('Dump path').press('Enter');
      await eventually(() => page.locator('.current-path').textContent()).toBe(f);
    }
    // Behind the index's back: one deleted, one rewritten (same size, one register changed, a later mtime).
    fs.rmSync(gone);
    const buf = fs.readFileSync(changed);
    const note = programHeaders(buf).find((p) => p.type === 4);
    if (!note) throw new Error('no PT_NOTE');
    buf[note.offset + 20 + 112 + 8 * 16] ^= 0x10; // NT_PRSTATUS rip of the first thread
    fs.writeFileSync(changed, buf);
    fs.utimesSync(changed, new Date(), new Date(Date.now() + 5000));
    // The library read again (a reload): each file's status beside it
    await page.reload();
    await page.getByRole('tab', { name: /Dumps/ }).click();
    const library = page.getByTestId('dumps-table').locator('.dt-body [role=row]');
    const row = (f: string) => library.filter({ has: page.locator('[data-col=path]', { hasText: new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
    const badge = (f: string) => row(f).getByTestId('dump-status');
    await eventually(() => badge(gone).getAttribute('data-status')).toBe('missing');
    expect(await badge(gone).textContent()).toBe('file missing');
    expect(await badge(gone).getAttribute('title')).toMatch(/^The file is gone since it was indexed — the index still answers, but nothing new can be read/);
    expect(await badge(changed).getAttribute('data-status')).toBe('changed');
    expect(await badge(changed).getAttribute('title')).toMatch(/^The file changed since it was indexed — open it to re-index/);
    expect(await row(core.core).locator('[data-col=status]').textContent()).toBe('ok');
    await row(gone).click();
    const details = page.getByTestId('dump-details');
    await eventually(() => details.getByTestId('dump-status-note').textContent()).toMatch(/^The file is gone since it was indexed/);
    expect(await details.getByRole('button', { name: 'Re-index' }).isDisabled()).toBe(true);
    await screenshot(page, '15-dump-status');
    // A missing dump opens from the index: every thread is still there, and the top bar says the file is gone
    await details.getByRole('button', { name: /Show from the index/ }).click();
    const threads = page.getByTestId('threads-table').locator('.dt-body [role=row]');
    await eventually(() => threads.count()).toBe(core.tids.size);
    expect(await page.locator('.topbar').getByTestId('dump-status').textContent()).toBe('file missing');
    await eventually(() => page.locator('.notices').textContent()).toContain(`${gone} is gone`);
    // A changed one is read again when opened, with the progress streamed (the answer held back a moment to see it)
    await page.route('**/api/openDump', async (route) => {
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, 1500));
      await route.fulfill({ response });
    });
    await page.getByRole('tab', { name: /Dumps/ }).click();
    await row(changed).click();
    expect(await details.getByRole('button', { name: /Re-index and open/ }).count()).toBe(1);
    await page.getByTestId('dumps-table').press('Enter');
    const progress = page.getByTestId('job-progress').first();
    await progress.waitFor();
    expect(await progress.getByRole('progressbar').getAttribute('aria-label')).toBe(`Opening ${changed}`);
    await eventually(() => progress.locator('.job-phase').textContent()).not.toBe('starting');
    await screenshot(page, '16-dump-reindexing');
    await eventually(() => page.locator('.current-path').textContent()).toBe(changed);
    await page.unroute('**/api/openDump');
    await page.getByRole('tab', { name: /Dumps/ }).click();
    await eventually(() => row(changed).locator('[data-col=status]').textContent()).toBe('ok');
    await eventually(() => badge(gone).getAttribute('data-status')).toBe('missing');
  });

  it('made no request beyond 127.0.0.1 and logged no console error', () => {
    expect(rec.requests.length).toBeGreaterThan(5);
    expect(outsideRequests(rec.requests, server.port)).toEqual([]);
    expect(rec.consoleErrors).toEqual([]);
  });
});
