// `dumpscope serve` as a hostile page and as our own renderer would meet it: every request
// needs the token, our Host and our Origin; the API validates methods and arguments; events
// arrive over the WebSocket; the server is reachable on 127.0.0.1 only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { type ApiError } from '../../../shared/errors';
import { type DumpSummary, type ThreadInfo } from '../../../shared/types';
import { type DirectoryListing } from '../../../shared/api';
import { captureCore, compile, type Captured } from '../../helpers/native';
import { ROLES } from '../../helpers/programs';
import { tempIndex } from '../../helpers/cli';
import { apiCall, rawRequest, startServe, type ServeProcess } from './serve-process';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

describe('dumpscope serve', () => {
  let s: ServeProcess;
  let core: Captured;
  const index = tempIndex();
  const json = { 'Content-Type': 'application/json' };

  beforeAll(async () => {
    [s, core] = await Promise.all([startServe(index), captureCore(compile('roles', ROLES), { stackKb: 256 })]);
  });
  afterAll(async () => {
    expect(await s?.stop()).toBe(0);
    core?.remove();
  });

  describe('refuses requests that are not from our page', () => {
    it('answers 401 without a token, to the page and to the API', async () => {
      expect((await rawRequest(s.port, { path: '/' })).status).toBe(401);
      const r = await apiCall(s, 'listDumps', {}, json);
      expect(r.status).toBe(401);
      expect(r.json<Outcome<never>>()).toMatchObject({ ok: false, error: { code: 'Unauthorized' } });
    });

    it('answers 401 to a wrong token, in the URL, a header or a cookie', async () => {
      expect((await rawRequest(s.port, { path: '/?token=guess' })).status).toBe(401);
      expect((await apiCall(s, 'listDumps', {}, { ...json, Authorization: 'Bearer guess' })).status).toBe(401);
      expect((await apiCall(s, 'listDumps', {}, { ...json, Cookie: `dumpscope_${s.port}=guess` })).status).toBe(401);
      // a cookie of the right value under another port's name is not ours
      expect((await apiCall(s, 'listDumps', {}, { ...json, Cookie: `dumpscope_1=${s.token}` })).status).toBe(401);
    });

    it('answers 403 to another Origin, even with the token (CSRF)', async () => {
      for (const origin of ['http://evil.example', `http://127.0.0.1:${s.port + 1}`, 'null']) {
        const r = await apiCall(s, 'listDumps', {}, { ...json, Authorization: `Bearer ${s.token}`, Origin: origin });
        expect(r.status, origin).toBe(403);
      }
      const ok = await apiCall(s, 'listDumps', {}, { ...json, Authorization: `Bearer ${s.token}`, Origin: s.origin });
      expect(ok.status).toBe(200);
    });

    it('answers 403 to requests a browser marks as cross-site', async () => {
      const r = await apiCall(s, 'listDumps', {}, { ...json, Authorization: `Bearer ${s.token}`, 'Sec-Fetch-Site': 'same-site' });
      expect(r.status).toBe(403);
    });

    it('answers 403 to a Host that is not ours (DNS rebinding), even with the token', async () => {
      for (const host of ['evil.example', `evil.example:${s.port}`, `127.0.0.1:${s.port + 1}`, `0.0.0.0:${s.port}`]) {
        const r = await rawRequest(s.port, { method: 'POST', path: '/api/listDumps', headers: { ...json, Host: host, Authorization: `Bearer ${s.token}` }, body: '{}' });
        expect(r.status, host).toBe(403);
      }
      const viaLocalhost = await rawRequest(s.port, { method: 'POST', path: '/api/listDumps', headers: { ...json, Host: `localhost:${s.port}`, Authorization: `Bearer ${s.token}` }, body: '{}' });
      expect(viaLocalhost.status).toBe(200);
    });

    it('listens on 127.0.0.1 only', async () => {
      const refused = (host: string) =>
        new Promise<string>((resolve) => {
          const sock = net.connect({ host, port: s.port });
          sock.setTimeout(2000, () => (sock.destroy(), resolve('timeout')));
          sock.on('connect', () => (sock.destroy(), resolve('connected')));
          sock.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        });
      expect(await refused('127.0.0.1')).toBe('connected');
      const others = Object.values(os.networkInterfaces())
        .flat()
        .filter((a) => a && !a.internal)
        .map((a) => a!.address);
      for (const addr of [...others, '::1']) expect(await refused(addr), addr).not.toBe('connected');
    });
  });

  describe('with the token', () => {
    it('trades the token in the URL for an HttpOnly SameSite=Strict cookie and a redirect', async () => {
      const r = await rawRequest(s.port, { path: new URL(s.url).pathname + new URL(s.url).search });
      expect(r.status).toBe(303);
      expect(r.headers.location).toBe('/');
      const cookie = String(r.headers['set-cookie']);
      expect(cookie).toContain(`dumpscope_${s.port}=${s.token}`);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const withCookie = await apiCall(s, 'listDumps', {}, { ...json, Cookie: `dumpscope_${s.port}=${s.token}`, Origin: s.origin });
      expect(withCookie.status).toBe(200);
    });

    it('sets security headers: a CSP with no remote origin, nosniff, no referrer, no caching of the API', async () => {
      const r = await apiCall(s, 'listDumps', {});
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${s.port}`);
      expect(csp.replace(/ws:\/\/(127\.0\.0\.1|localhost):\d+/g, '')).not.toMatch(/https?:|wss?:|\*/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['cache-control']).toBe('no-store');
    });

    it('answers UnknownMethod for a method not in API_METHODS', async () => {
      for (const m of ['deleteEverything', 'constructor', '__proto__', 'toString']) {
        const r = await apiCall(s, m, {});
        expect(r.status, m).toBe(404);
        expect(r.json<Outcome<never>>(), m).toMatchObject({ ok: false, error: { code: 'UnknownMethod' } });
      }
    });

    it('answers BadRequest for bad arguments, bodies and content types', async () => {
      const wrongType = await apiCall(s, 'listThreads', { dumpId: 'one' });
      expect(wrongType.status).toBe(400);
      expect(wrongType.json<Outcome<never>>()).toMatchObject({ ok: false, error: { code: 'BadRequest' } });
      expect((await apiCall(s, 'listThreads', { dumpId: 1, extra: true })).json()).toMatchObject({ ok: false, error: { code: 'BadRequest' } });
      const notJson = await rawRequest(s.port, { method: 'POST', path: '/api/listDumps', headers: { Authorization: `Bearer ${s.token}`, ...json }, body: '{' });
      expect(notJson.status).toBe(400);
      const form = await rawRequest(s.port, { method: 'POST', path: '/api/listDumps', headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'text/plain' }, body: '{}' });
      expect(form.status).toBe(415);
      const huge = await rawRequest(s.port, {
        method: 'POST',
        path: '/api/openDump',
        headers: { Authorization: `Bearer ${s.token}`, ...json },
        body: JSON.stringify({ path: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(huge.status).toBe(413);
      expect((await rawRequest(s.port, { method: 'GET', path: '/api/listDumps', headers: { Authorization: `Bearer ${s.token}` } })).status).toBe(405);
    });

    it('answers a domain error as a value naming the file', async () => {
      const missing = path.join(core.dir, 'no-such-core');
      const r = await apiCall(s, 'openDump', { path: missing });
      expect(r.status).toBe(200);
      const out = r.json<Outcome<never>>();
      expect(out).toMatchObject({ ok: false, error: { code: 'FileNotFound' } });
      expect(out.ok === false && out.error.message).toContain(missing);
    });

    it('opens a real core on the worker thread, relaying progress and indexChanged over the WebSocket', async () => {
      const events: { event: string; payload: { jobId?: string; phase?: string } }[] = [];
      const ws = new WebSocket(`ws://127.0.0.1:${s.port}/events`, { headers: { Cookie: `dumpscope_${s.port}=${s.token}`, Origin: s.origin } });
      ws.on('message', (d) => events.push(JSON.parse(String(d))));
      await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));

      const r = await apiCall(s, 'openDump', { path: core.core, jobId: 'ui-1' });
      const out = r.json<Outcome<DumpSummary>>();
      if (!out.ok) throw new Error(out.error.message);
      expect(out.value.threadCount).toBe(6);
      const threads = (await apiCall(s, 'listThreads', { dumpId: out.value.id })).json<Outcome<ThreadInfo[]>>();
      if (!threads.ok) throw new Error(threads.error.message);
      expect(threads.value.map((t) => t.tid).sort()).toEqual([...core.tids.values()].sort());

      await waitFor(() => events.some((e) => e.event === 'indexChanged'));
      const progress = events.filter((e) => e.event === 'progress');
      expect(progress.length).toBeGreaterThan(1);
      expect(progress.every((e) => e.payload.jobId === 'ui-1')).toBe(true);
      expect(progress.at(-1)?.payload.phase).toBe('done');
      ws.close();
    });

    it('refuses WebSocket upgrades without the token or from another origin', async () => {
      const status = (headers: Record<string, string>, p = '/events') =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${s.port}${p}`, { headers });
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('open', () => (ws.close(), resolve(101)));
          ws.on('error', () => resolve(-1));
        });
      expect(await status({})).toBe(401);
      expect(await status({ Cookie: `dumpscope_${s.port}=${s.token}`, Origin: 'http://evil.example' })).toBe(403);
      expect(await status({ Cookie: `dumpscope_${s.port}=${s.token}`, Host: `evil.example:${s.port}` })).toBe(403);
      expect(await status({ Cookie: `dumpscope_${s.port}=${s.token}` }, '/other')).toBe(404);
      expect(await status({ Cookie: `dumpscope_${s.port}=${s.token}`, Origin: s.origin })).toBe(101);
    });

    it('lists folders for the file browser, marking cores by their ELF header', async () => {
      const r = (await apiCall(s, 'listDirectory', { path: core.dir })).json<Outcome<DirectoryListing>>();
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.path).toBe(core.dir);
      expect(r.value.parent).toBe(path.dirname(core.dir));
      const entry = r.value.entries.find((e) => e.path === core.core);
      expect(entry).toMatchObject({ kind: 'file', looksLike: 'core', size: fs.statSync(core.core).size });
      const missing = (await apiCall(s, 'listDirectory', { path: path.join(core.dir, 'nope') })).json<Outcome<never>>();
      expect(missing).toMatchObject({ ok: false, error: { code: 'FileNotFound' } });
    });

    it('opens the bundled sample: three threads, the executable unpacked beside the core', async () => {
      const r = (await apiCall(s, 'openSample', {})).json<Outcome<DumpSummary>>();
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.threadCount).toBe(3);
      expect(r.value.path.startsWith(path.dirname(index))).toBe(true);
      expect(fs.existsSync(path.join(path.dirname(r.value.path), 'deadlock'))).toBe(true);
      const again = (await apiCall(s, 'openSample', {})).json<Outcome<DumpSummary>>();
      expect(again.ok && again.value.fromIndex).toBe(true);
    });
  });
});

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
