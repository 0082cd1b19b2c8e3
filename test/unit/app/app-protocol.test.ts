import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, contentTypeOf, createAppProtocolHandler, isAppUrl, resolveAppPath } from '../../../main/app/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../main/app/security';

let tmp: string;
let root: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-proto-'));
  root = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>dumpscope</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'TOP SECRET');
  fs.mkdirSync(path.join(tmp, 'renderer-evil'));
  fs.writeFileSync(path.join(tmp, 'renderer-evil', 'x.js'), 'TOP SECRET');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('resolveAppPath', () => {
  it('maps app://dumpscope/ URLs into the renderer folder', () => {
    expect(resolveAppPath(root, 'app://dumpscope/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://dumpscope/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://dumpscope/assets/index-abc.js?v=1#x')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath(root, 'app://dumpscope/assets/a%20b.js')).toBe(path.join(root, 'assets', 'a b.js'));
  });

  it('refuses every way out of the folder', () => {
    const escapes = [
      'app://dumpscope/..%2fsecret.txt',
      'app://dumpscope/assets/..%2f..%2fsecret.txt',
      'app://dumpscope/..%5csecret.txt',
      'app://dumpscope/assets%5c..%5c..%5csecret.txt',
      'app://dumpscope/index.html%00.js',
      'app://dumpscope/%E0%A4%A',
    ];
    for (const url of escapes) expect(resolveAppPath(root, url), url).toBeNull();
  });

  it('never resolves outside the folder, even when URL parsing removed the dots itself', () => {
    const urls = [
      'app://dumpscope/../secret.txt',
      'app://dumpscope/../../../../etc/passwd',
      'app://dumpscope/../renderer-evil/x.js',
      'app://dumpscope/%2e%2e/secret.txt',
      'app://dumpscope/%2E%2E/%2E%2E/etc/passwd',
      'app://dumpscope/a/.%2e/.%2e/secret.txt',
      'app://dumpscope//etc/passwd',
      'app://dumpscope/C:/Windows/win.ini',
    ];
    for (const url of urls) {
      const p = resolveAppPath(root, url);
      expect(p === null || p.startsWith(root + path.sep), url).toBe(true);
    }
  });

  it('refuses other schemes and hosts', () => {
    for (const url of ['file:///etc/passwd', 'https://dumpscope/index.html', 'app://evil/index.html', 'app:index.html', 'not a url']) {
      expect(resolveAppPath(root, url), url).toBeNull();
    }
  });
});

describe('isAppUrl', () => {
  it('accepts only our origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://dumpscope/#/threads')).toBe(true);
    expect(isAppUrl('app://dumpscope.evil/index.html')).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/')).toBe(false);
    expect(isAppUrl('about:blank')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });
});

describe('the app:// protocol handler', () => {
  const handle = () => createAppProtocolHandler(root);

  it('serves files with the CSP and the other security headers', async () => {
    const res = await handle()({ url: 'app://dumpscope/index.html', method: 'GET' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>dumpscope</title>');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    const js = await handle()({ url: 'app://dumpscope/assets/index-abc.js', method: 'GET' });
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers 403 to traversal and never returns the file outside', async () => {
    for (const url of ['app://dumpscope/..%2fsecret.txt', 'app://dumpscope/..%5csecret.txt', 'app://dumpscope/..%2f..%2frenderer-evil%2fx.js']) {
      const res = await handle()({ url, method: 'GET' });
      expect(res.status, url).toBe(403);
      expect(await res.text()).not.toContain('TOP SECRET');
    }
    // The URL parser turns these into /secret.txt inside the folder, where there is no such file.
    for (const url of ['app://dumpscope/../secret.txt', 'app://dumpscope/%2e%2e/secret.txt', 'app://dumpscope/../renderer-evil/x.js']) {
      const res = await handle()({ url, method: 'GET' });
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain('TOP SECRET');
    }
  });

  it('answers 404 for missing files, 405 for other methods', async () => {
    expect((await handle()({ url: 'app://dumpscope/nope.js', method: 'GET' })).status).toBe(404);
    expect((await handle()({ url: 'app://dumpscope/assets', method: 'GET' })).status).toBe(404);
    expect((await handle()({ url: 'app://dumpscope/index.html', method: 'POST' })).status).toBe(405);
  });

  it('shows a "not built" page, still under the CSP, when dist/renderer is missing', async () => {
    const res = await createAppProtocolHandler(path.join(tmp, 'missing'))({ url: 'app://dumpscope/index.html', method: 'GET' });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/npm run build/);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('knows the content types Vite emits', () => {
    expect(contentTypeOf('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('codicon.ttf')).toBe('font/ttf');
    expect(contentTypeOf('x.wasm')).toBe('application/wasm');
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
