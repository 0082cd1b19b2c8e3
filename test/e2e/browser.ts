// Headless Chromium for end-to-end tests (playwright-core drives the system's chromium; no
// browser download), the renderer built once when its sources are newer than dist/renderer,
// and a record of every request and console message so tests can assert nothing left the
// machine and nothing went wrong.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../helpers/cli';

export const CHROMIUM = process.env.DUMPSCOPE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/**
 * Builds dist/renderer unless it is newer than everything it is built from. E2E files run in
 * parallel: one builds while the others wait on a lock folder, then find the build fresh.
 */
export function ensureRendererBuilt(): void {
  const out = path.join(ROOT, 'dist', 'renderer', 'index.html');
  const sources = ['renderer', 'shared', 'vite.config.ts'].map((p) => path.join(ROOT, p));
  const fresh = () => fs.existsSync(out) && fs.statSync(out).mtimeMs > Math.max(...sources.map(newestMtime));
  if (fresh()) return;
  const lock = path.join(ROOT, 'dist', '.renderer-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // another test file is building: wait for it (a lock older than 3 minutes is stale)
      const st = fs.statSync(lock, { throwIfNoEntry: false });
      if (!st) continue;
      if (Date.now() > deadline || Date.now() - st.mtimeMs > 180_000) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (fresh()) return;
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    });
    if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Each launch runs on a fresh profile: playwright passes chromium a new temporary --user-data-dir. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Recorder {
  requests: string[];
  consoleErrors: string[];
}

/** A page whose every request, WebSocket and console error is recorded. */
export async function recordedPage(context: BrowserContext): Promise<{ page: Page; rec: Recorder }> {
  const rec: Recorder = { requests: [], consoleErrors: [] };
  context.on('request', (r) => rec.requests.push(r.url()));
  const page = await context.newPage();
  page.on('websocket', (ws) => rec.requests.push(ws.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') rec.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => rec.consoleErrors.push(`pageerror: ${e.message}`));
  return { page, rec };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Requests that went anywhere but our server (data: URLs stay in the page). */
export function outsideRequests(requests: readonly string[], port: number): string[] {
  const ours = [`http://127.0.0.1:${port}/`, `ws://127.0.0.1:${port}/`];
  return requests.filter((u) => !u.startsWith('data:') && !ours.some((o) => u.startsWith(o)));
}
