// The desktop window as close to Electron as this machine allows (the Electron binary cannot be
// installed here): the real renderer in headless Chromium, served by our app:// handler (over
// 127.0.0.1, same headers, same CSP), with window.dumpscope made by the real preload bridge and
// answered by the real IPC dispatch over a real service. Checks that the CSP breaks nothing
// (React, Monaco and its worker), that a dump opens, and that an AppCommand reaches the UI.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CALL_CHANNEL } from '../../../shared/bridge';
import { DumpscopeService } from '../../../main/api';
import { createAppProtocolHandler } from '../../../main/app/app-protocol';
import { createEventForwarder, dispatchCall } from '../../../main/app/ipc';
import { CONTENT_SECURITY_POLICY } from '../../../main/app/security';
import { CHROMIUM, ensureRendererBuilt, launchChromium } from '../../e2e/browser';

const root = path.resolve(__dirname, '../../..');
const haveChromium = fs.existsSync(CHROMIUM);
const haveSample = fs.existsSync(path.join(root, 'resources', 'sample', 'deadlock.core.gz'));

// Page-side globals, typed here because this file compiles without the DOM library.
interface PageGlobals {
  __dumpscopeEvent(channel: string, message: unknown): void;
  __violations: string[];
  dumpscope: object;
  document: { activeElement: { tagName: string } | null };
}

/** The page side of the fake IPC: the real createPreloadBridge over invoke/on shims. */
async function preloadScript(): Promise<string> {
  const r = await build({
    stdin: {
      contents: `
        import { createPreloadBridge } from './preload-bridge';
        const listeners: [string, (e: unknown, m: unknown) => void][] = [];
        const w = window as unknown as Record<string, unknown>;
        const invoke = w.__dumpscopeInvoke as (channel: string, ...args: unknown[]) => Promise<unknown>;
        w.__dumpscopeEvent = (channel: string, m: unknown) => { for (const [c, l] of listeners) if (c === channel) l({}, m); };
        w.__violations = [];
        document.addEventListener('securitypolicyviolation', (e) => (w.__violations as string[]).push(e.violatedDirective + ' ' + e.blockedURI));
        w.dumpscope = createPreloadBridge({ invoke: (channel, ...args) => invoke(channel, ...args), on: (channel, l) => listeners.push([channel, l]) }, (f) => '/dropped/' + f.name);
      `,
      resolveDir: path.join(root, 'main', 'app'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
  });
  return r.outputFiles[0]?.text ?? '';
}

describe.skipIf(!haveChromium || !haveSample)('the desktop window in Chromium', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-window-'));
  let server: http.Server;
  let origin = '';
  let browser: Browser;
  let page: Page;
  let service: DumpscopeService;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    const handler = createAppProtocolHandler(path.join(root, 'dist', 'renderer'));
    server = http.createServer((req, res) => {
      void handler({ url: `app://dumpscope${req.url ?? '/'}`, method: req.method ?? 'GET' }).then(async (r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('request', (r) => requests.push(r.url()));
    service = new DumpscopeService({
      indexPath: path.join(tmp, 'index.sqlite'),
      // Events cross the way the shell sends them: IPC_EVENT_CHANNEL with {event, payload}.
      emit: createEventForwarder(() => [{ send: (channel, message) => void page.evaluate(([c, m]) => (globalThis as unknown as PageGlobals).__dumpscopeEvent(c, m), [channel, message] as const) }]),
    });
    await page.exposeFunction('__dumpscopeInvoke', (channel: string, method: unknown, args: unknown) =>
      channel === IPC_CALL_CHANNEL ? dispatchCall(service, method, args) : { ok: false, error: { code: 'BadRequest', message: 'wrong channel' } },
    );
    await page.addInitScript({ content: await preloadScript() });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await new Promise((r) => server?.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('loads under the CSP header with no violation', async () => {
    const res = await page.goto(`${origin}/index.html`);
    expect(res?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    await page.getByRole('button', { name: 'Open the sample dump' }).first().waitFor();
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).dumpscope).sort())).toEqual(['call', 'getPathForFile', 'on']);
  });

  it('opens the sample through the IPC dispatch and shows its threads', async () => {
    await page.getByRole('button', { name: 'Open the sample dump' }).first().click();
    const rows = page.getByTestId('threads-table').locator('.dt-body [role=row]');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(3);
  });

  it('runs Monaco and its worker in the Transcript tab', async () => {
    await page.getByRole('tab', { name: 'Transcript' }).click();
    await page.locator('.monaco-editor .view-lines').waitFor();
    await expect.poll(() => page.locator('.monaco-editor .view-lines').textContent()).toContain('OSID');
    // Monaco's editor worker was fetched from our origin (a CSP refusal would fall back to the main thread).
    await expect.poll(() => requests.some((u) => u.startsWith(origin) && /worker/i.test(u))).toBe(true);
  });

  it('acts on an AppCommand from the menu (Edit > Filter Threads…)', async () => {
    await page.evaluate(() => (globalThis as unknown as PageGlobals).__dumpscopeEvent('dumpscope:event', { event: 'appCommand', payload: { command: 'focusFilter' } }));
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.tagName)).toBe('INPUT');
    await page.screenshot({ path: path.join(tmp, 'window.png') });
    if (process.env.DUMPSCOPE_KEEP_SCREENSHOT) fs.copyFileSync(path.join(tmp, 'window.png'), process.env.DUMPSCOPE_KEEP_SCREENSHOT);
  });

  it('reported no CSP violation, no console error, and asked nothing of any other origin', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__violations)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  });
});
