// Phase 2 of the window, as a person uses it, in headless Chromium against the real
// `dumpscope serve`: open the sample deadlock; read every thread's identities; go to a thread by
// OSID; read its stack and the disassembly at each frame; see the cycle in red in the lock graph
// and select a thread by clicking it; group threads by stack; search for a function of another
// dump and open it there; add a symbol folder for a stripped program and see its frames named.
// Screenshots (light and dark) land in test-output/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { captureCore, compile, TEST_TMP, type Captured } from '../helpers/native';
import { ROLES } from '../helpers/programs';
import { LOCK_ORDER_DEADLOCK } from '../helpers/lock-programs';
import { ROOT, tempIndex } from '../helpers/cli';
import { startServe, type ServeProcess } from '../integration/server/serve-process';
import { ensureRendererBuilt, launchChromium, outsideRequests, recordedPage, screenshot, CHROMIUM, type Recorder } from './browser';

const haveChromium = fs.existsSync(CHROMIUM);
const eventually = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 50 });

/** The sample's threads, as its program printed them (resources/sample/threads.txt). */
const SAMPLE_TIDS = new Map(
  fs
    .readFileSync(path.join(ROOT, 'resources', 'sample', 'threads.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([, role, tid]) => [role, Number(tid)] as const),
);

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

/** A stripped copy of a program and, apart from it, a symbol folder with its debug file by build-id. */
function strippedWithSymbolFolder(): { exe: string; folder: string } {
  const full = compile('e2e-lockorder', LOCK_ORDER_DEADLOCK, { flags: ['-g', '-O0'] });
  const dir = fs.mkdtempSync(path.join(TEST_TMP, 'e2e-stripped-'));
  const id = /Build ID: ([0-9a-f]+)/.exec(spawnSync('readelf', ['-n', full], { encoding: 'utf8' }).stdout)?.[1];
  if (!id) throw new Error(`${full} has no build-id`);
  const folder = path.join(dir, 'symbols');
  fs.mkdirSync(path.join(folder, '.build-id', id.slice(0, 2)), { recursive: true });
  run('objcopy', ['--only-keep-debug', full, path.join(folder, '.build-id', id.slice(0, 2), `${id.slice(2)}.debug`)]);
  // short: the kernel keeps 15 characters of a process name
  const exe = path.join(dir, 'bin', 'stripped-lo');
  fs.mkdirSync(path.dirname(exe));
  run('strip', ['--strip-all', '-o', exe, full]);
  return { exe, folder };
}

async function dismissNotices(page: Page): Promise<void> {
  for (const b of await page.locator('.notices').getByRole('button', { name: 'Dismiss' }).all()) await b.click({ timeout: 500 }).catch(() => {});
  await page.locator('.notices').waitFor({ state: 'detached', timeout: 8000 }).catch(() => {});
}

describe.skipIf(!haveChromium)('the explorer window', () => {
  let server: ServeProcess;
  let roles: Captured;
  let stripped: Captured;
  let symbolFolder: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rec: Recorder;
  const selectedRow = () => page.getByTestId('threads-table').getByRole('row', { selected: true });

  beforeAll(async () => {
    ensureRendererBuilt();
    const s = strippedWithSymbolFolder();
    symbolFolder = s.folder;
    [server, roles, stripped] = await Promise.all([startServe(tempIndex()), captureCore(compile('roles', ROLES), { stackKb: 256 }), captureCore(s.exe, { settleMs: 300 })]);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme: 'light', deviceScaleFactor: 1 });
    ({ page, rec } = await recordedPage(context));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    roles?.remove();
    stripped?.remove();
    if (symbolFolder) fs.rmSync(path.dirname(symbolFolder), { recursive: true, force: true });
  });

  it('opens another dump first (search will find it from the sample)', async () => {
    await page.goto(server.url);
    await page.getByText('No dumps yet').waitFor();
    await page.keyboard.press('Control+o');
    await page.getByLabel('Dump path').fill(roles.core);
    await page.getByLabel('Dump path').press('Enter');
    await eventually(() => page.getByTestId('threads-table').locator('.dt-body [role=row]').count()).toBe(roles.tids.size);
  });

  it('opens the sample deadlock and lists every thread with its identities', async () => {
    await page.getByRole('tab', { name: /Dumps/ }).click();
    await page.getByRole('button', { name: 'Open the sample dump' }).first().click();
    const rows = page.getByTestId('threads-table').locator('.dt-body [role=row]');
    await eventually(() => rows.count()).toBe(SAMPLE_TIDS.size);
    const order = [...SAMPLE_TIDS.values()];
    for (const [role, tid] of SAMPLE_TIDS) {
      const row = rows.filter({ has: page.locator(`[data-col=tid]:text-is("${tid}")`) });
      const index = order.indexOf(tid) + 1;
      expect(await row.locator('[data-col=index]').textContent(), role).toBe(`#${index}`);
      expect(await row.locator('[data-col=dbg]').textContent(), role).toBe(String(index - 1));
      expect(await row.locator('[data-col=osid]').textContent(), role).toBe(tid.toString(16));
    }
    expect(await page.getByTestId('verdict').textContent()).toMatch(/^Deadlock/);
  });

  it("goes to a thread by OSID and shows its symbolized stack with a badge for how each frame was found", async () => {
    const audit = SAMPLE_TIDS.get('audit') as number;
    await page.keyboard.press('Control+g');
    await page.keyboard.type(`0x${audit.toString(16)}`);
    await page.keyboard.press('Enter');
    await eventually(() => selectedRow().locator('[data-col=tid]').textContent()).toBe(String(audit));
    await page.keyboard.press('Control+3');
    const frames = page.getByTestId('frames-table');
    await frames.locator('.dt-body [role=row]').first().waitFor();
    expect(await page.getByTestId('stack-thread').textContent()).toContain(`tid ${audit}`);
    const fnCells = await frames.locator('[data-col=function]').allTextContents();
    expect(fnCells[0]).toMatch(/^deadlock`__lll_lock_wait \+ \d+$/);
    expect(fnCells.some((f) => /^deadlock`audit \+ \d+$/.test(f))).toBe(true);
    expect(await frames.locator('[data-col=how]').first().textContent()).toBe('regs');
    expect((await frames.locator('[data-col=how]').allTextContents()).slice(1).every((h) => h === 'cfi')).toBe(true);
    expect((await frames.locator('[data-col=source]').allTextContents()).some((f) => /deadlock\.c:\d+$/.test(f))).toBe(true);
    expect(await page.getByTestId('stack-stop').textContent()).toContain('the walk reached the outermost frame');
  });

  it('disassembles around the selected frame, the pc marked as lldb does, the call in progress in callers', async () => {
    const frames = page.getByTestId('frames-table');
    const dis = page.getByTestId('disassembly');
    const pc0 = (await frames.locator('[role=row][aria-selected=true] [data-col=pc]').textContent()) as string;
    const current = dis.locator('[role=row][aria-current=true]');
    await eventually(() => current.getAttribute('data-address')).toBe(pc0);
    expect(await current.locator('.dl-marker').textContent()).toBe('->');
    expect(await dis.locator('.disasm-fn').textContent()).toBe('deadlock`__lll_lock_wait:');
    expect(await dis.locator('.disasm-meta').textContent()).toContain("decoded from the function's start");
    // instructions before and after the pc, with offsets from the function's start
    const addrs = await dis.locator('[role=row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-address')));
    const at = addrs.indexOf(pc0);
    expect(at).toBeGreaterThan(3);
    expect(addrs.length - at).toBeGreaterThan(3);
    expect(await current.locator('.dl-off').textContent()).toMatch(/^<\+\d+>:$/);
    await dismissNotices(page);
    await frames.focus(); // (dismissing took the focus)
    await screenshot(page, '20-stack-disassembly');
    // down to audit's frame: its pc is a return address, the call before it is the one in progress
    const auditRow = frames.locator('.dt-body [role=row]').filter({ hasText: 'deadlock`audit' });
    const auditIndex = Number((await auditRow.locator('[data-col=index]').textContent())?.slice(1));
    for (let i = 0; i < auditIndex; i++) await page.keyboard.press('ArrowDown');
    const pcAudit = (await auditRow.locator('[data-col=pc]').textContent()) as string;
    await eventually(() => current.getAttribute('data-address')).toBe(pcAudit);
    const call = dis.locator('.disasm-line.call-site');
    expect(await call.locator('.dl-mnemonic').textContent()).toBe('callq');
    expect(await call.locator('.dl-target').textContent()).toMatch(/; deadlock`__pthread_mutex_lock$/);
    expect(await page.getByTestId('status-thread').textContent()).toContain(`frame #${auditIndex}`);
    await screenshot(page, '21-stack-caller-frame');
    // Intel on request, remembered
    await page.getByRole('button', { name: 'Intel' }).click();
    await eventually(() => call.locator('.dl-mnemonic').textContent()).toBe('call');
    await page.getByRole('button', { name: 'AT&T' }).click();
    await eventually(() => call.locator('.dl-mnemonic').textContent()).toBe('callq');
  });

  it('draws the lock graph: the cycle in red under the verdict; hover shows the evidence; a click selects the thread everywhere', async () => {
    await page.getByRole('tab', { name: /Lock graph/ }).click();
    const graph = page.getByTestId('lock-graph');
    await graph.waitFor();
    expect(await page.getByTestId('verdict').textContent()).toMatch(/^Deadlock.*audit_lock.*accounts_lock/);
    const cycleEdges = graph.locator('[data-testid=graph-edge][data-cycle=true]');
    expect(await cycleEdges.count()).toBe(4);
    // (page code as strings: this file compiles without the DOM library)
    const danger = (await page.evaluate(`getComputedStyle(document.documentElement).getPropertyValue('--danger').trim()`)) as string;
    const stroke = await cycleEdges.first().locator('.ge-line').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }).getComputedStyle(el).stroke);
    expect(stroke).toBe(hexToRgb(danger));
    // main's join is not part of the cycle
    expect(await graph.locator('[data-testid=graph-edge][data-kind=joins]').getAttribute('data-cycle')).toBeNull();
    expect(await graph.locator('[data-testid=graph-node].cycle').count()).toBe(4);
    await screenshot(page, '22-lock-graph-clean');
    // hover a held-by edge: the memory read that proves it
    const held = graph.locator('[data-testid=graph-edge][data-kind=held-by]').first().locator('.ge-line');
    const box = await held.boundingBox();
    if (!box) throw new Error('no edge box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await eventually(() => page.getByTestId('graph-tip').textContent()).toMatch(/held by.*proven.*__owner \(mutex\+8\) = \d+/);
    await screenshot(page, '22-lock-graph-hover');
    // click the transfer thread's node: selected here, in the table, the details and the status bar
    const transfer = SAMPLE_TIDS.get('transfer') as number;
    await graph.locator(`[data-testid=graph-node][data-tid="${transfer}"]`).click();
    await eventually(() => page.getByTestId('status-thread').textContent()).toContain(`tid ${transfer}`);
    expect(await graph.locator(`[data-testid=graph-node][data-tid="${transfer}"]`).getAttribute('class')).toContain('selected');
    await page.getByRole('tab', { name: /Threads/ }).click();
    await eventually(() => selectedRow().locator('[data-col=tid]').textContent()).toBe(String(transfer));
    await eventually(() => page.getByTestId('thread-details').textContent()).toContain(`tid ${transfer}`);
  });

  it('groups threads with identical stacks, with counts', async () => {
    await page.getByRole('button', { name: 'Group by stack' }).click();
    const groups = page.getByTestId('stack-group');
    await eventually(() => groups.count()).toBe(3);
    expect(await page.getByTestId('stack-groups').locator('.sg-summary').textContent()).toContain('3 threads in 3 distinct stacks');
    await page.getByTestId('stack-groups').focus();
    await page.keyboard.press('ArrowRight');
    await eventually(() => page.getByTestId('stack-groups').locator('.sg-frames').count()).toBe(1);
    await screenshot(page, '23-stack-groups');
    await page.getByRole('button', { name: 'Group by stack' }).click();
  });

  it('searches every indexed dump and opens a hit in the other dump at its thread and frame', async () => {
    await dismissNotices(page);
    await page.keyboard.press('Control+Shift+f');
    await page.keyboard.type('COND_WAITER');
    const groups = page.getByTestId('search-group');
    await eventually(() => groups.count()).toBe(1);
    expect(await groups.first().textContent()).toContain(roles.core);
    const hit = groups.first().getByTestId('search-hit');
    const waiter = roles.tids.get('condwaiter') as number;
    expect(await hit.count()).toBe(1);
    expect(await hit.textContent()).toContain(`tid ${waiter}`);
    expect(await hit.locator('mark').first().textContent()).toBe('cond_waiter');
    await screenshot(page, '24-search');
    await page.keyboard.press('Enter');
    // the roles dump is open, at the thread, in the Stack view, with the matching frame selected
    await eventually(() => page.getByTestId('stack-thread').textContent()).toContain(`tid ${waiter}`);
    expect(await page.locator('.current-name').textContent()).toBe('roles');
    const selectedFrame = page.getByTestId('frames-table').locator('[role=row][aria-selected=true] [data-col=function]');
    await eventually(() => selectedFrame.textContent()).toMatch(/^roles`cond_waiter \+ \d+$/);
    // no match: said so
    await page.getByLabel('Search all dumps').fill('no such function anywhere');
    await eventually(() => page.getByText('No match', { exact: true }).count()).toBe(1);
    await page.getByLabel('Search all dumps').fill('');
  });

  it('names a stripped program\'s frames once a symbol folder with its debug file is added', async () => {
    await page.keyboard.press('Control+o');
    await page.getByLabel('Dump path').fill(stripped.core);
    await page.getByLabel('Dump path').press('Enter');
    await eventually(() => page.locator('.current-name').textContent()).toBe('stripped-lo');
    const first = stripped.tids.get('first') as number;
    await page.keyboard.press('Control+g');
    await page.keyboard.type(`tid:${first}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+3');
    const fns = () => page.getByTestId('frames-table').locator('[data-col=function]').allTextContents();
    await eventually(async () => (await fns()).length).toBeGreaterThan(3);
    expect((await fns()).some((f) => /`first\b/.test(f))).toBe(false);
    // the Modules view says why: no symbols for the executable
    await page.getByRole('tab', { name: /Modules/ }).click();
    const exeRow = page.getByTestId('modules-table').locator('.dt-body [role=row]').filter({ hasText: 'stripped-lo' }).first();
    await eventually(() => exeRow.locator('[data-col=quality]').textContent()).toMatch(/^(none|dynsym)$/);
    await dismissNotices(page);
    await screenshot(page, '25-modules-before-symbols');
    await page.getByLabel('Symbol folder path').fill(symbolFolder);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await eventually(() => page.getByTestId('symbol-folders').textContent(), 60_000).toContain(symbolFolder);
    await eventually(() => exeRow.locator('[data-col=quality]').textContent(), 60_000).toBe('dwarf');
    expect(await exeRow.locator('[data-col=symbolsFrom]').textContent()).toContain('a symbol folder');
    await exeRow.click();
    expect(await page.getByTestId('module-details').textContent()).toContain(symbolFolder);
    await screenshot(page, '26-modules-symbols');
    // the same thread, its frames named now
    await page.getByRole('tab', { name: /Threads/ }).click();
    await page.keyboard.press('Control+g');
    await page.keyboard.type(`tid:${first}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+3');
    await eventually(async () => (await fns()).some((f) => /^stripped-lo`first \+ \d+$/.test(f)), 60_000).toBe(true);
    expect((await page.getByTestId('frames-table').locator('[data-col=source]').allTextContents()).some((s) => /e2e-lockorder\.c:\d+$/.test(s))).toBe(true);
    await dismissNotices(page);
    await screenshot(page, '27-stack-resymbolized');
    // and removing the folder takes the names away again
    await page.getByRole('tab', { name: /Modules/ }).click();
    await page.getByRole('button', { name: `Remove ${symbolFolder}` }).click();
    await eventually(() => exeRow.locator('[data-col=quality]').textContent(), 60_000).toMatch(/^(none|dynsym)$/);
  });

  it('looks right in dark mode too', async () => {
    const dark = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme: 'dark' });
    const d = await recordedPage(dark);
    await d.page.goto(server.url);
    await d.page.getByTestId('dumps-table').locator('.dt-body [role=row]').filter({ hasText: 'deadlock' }).first().click();
    await d.page.keyboard.press('Enter'); // the Dumps table opens the selected dump (a double-click can split under load)
    await d.page.getByTestId('threads-table').getByRole('row', { selected: true }).waitFor();
    await d.page.keyboard.press('Control+g');
    await d.page.keyboard.type(`${SAMPLE_TIDS.get('audit')}`);
    await d.page.keyboard.press('Enter');
    await dismissNotices(d.page);
    await screenshot(d.page, '30-threads-dark');
    await d.page.keyboard.press('Control+3');
    await d.page.getByTestId('disassembly').locator('[aria-current=true]').waitFor();
    await d.page.keyboard.press('ArrowDown');
    await d.page.keyboard.press('ArrowDown');
    await d.page.waitForTimeout(300);
    await screenshot(d.page, '31-stack-dark');
    await d.page.getByRole('tab', { name: /Lock graph/ }).click();
    await d.page.getByTestId('lock-graph').waitFor();
    await d.page.waitForTimeout(300);
    await screenshot(d.page, '32-lock-graph-dark');
    await d.page.getByLabel('Search all dumps').fill('lock_wait');
    await d.page.getByTestId('search-group').first().waitFor();
    await screenshot(d.page, '33-search-dark');
    await d.page.getByRole('tab', { name: /Modules/ }).click();
    await d.page.getByTestId('modules-table').locator('.dt-body [role=row]').first().waitFor();
    await screenshot(d.page, '34-modules-dark');
    expect(outsideRequests(d.rec.requests, server.port)).toEqual([]);
    expect(d.rec.consoleErrors).toEqual([]);
    await dark.close();
  });

  it('made no request beyond 127.0.0.1 and logged no console error', () => {
    expect(outsideRequests(rec.requests, server.port)).toEqual([]);
    expect(rec.consoleErrors).toEqual([]);
  });
});

/** "#b4302a" → "rgb(180, 48, 42)", as getComputedStyle reports colors. */
function hexToRgb(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgb(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)})`;
}
