// Opens a report file in headless Chromium (the system's, driven by playwright-core) on a fresh
// profile with networking extras off, and records every request, dialog and console error, so
// a test can assert the file loaded nothing and ran nothing.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.DUMPSCOPE_CHROMIUM ?? '/usr/bin/chromium';

export interface OpenedReport {
  page: Page;
  requests: string[];
  dialogs: string[];
  errors: string[];
  close(): Promise<void>;
}

export async function openReport(file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedReport> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it (apt-get install -y chromium) or set DUMPSCOPE_CHROMIUM`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-report-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const requests: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return {
    page,
    requests,
    dialogs,
    errors,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
