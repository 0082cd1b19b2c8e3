// Browser mode's guard, the gaps test/integration/server/serve.test.ts leaves: the token is only
// taken from a header or our cookie (never from an API or WebSocket URL); the token-for-cookie
// trade itself checks Host, Origin and fetch metadata; static files are guarded like the API;
// no CORS header is ever sent; and the listening socket is bound to 127.0.0.1 itself, so another
// interface, or another loopback address, cannot reach it whatever interfaces the machine has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as net from 'node:net';
import WebSocket from 'ws';
import { tempIndex } from '../../helpers/cli';
import { apiCall, rawRequest, startServe, type ServeProcess } from '../server/serve-process';

const json = { 'Content-Type': 'application/json' };

/** Local addresses of listening TCP sockets on `port`, from /proc/net/tcp and tcp6 (hex, as the kernel prints them). */
function listeningAddresses(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '0A') continue; // TCP_LISTEN
      const [addr, p] = f[1].split(':');
      if (parseInt(p, 16) === port) out.push(addr);
    }
  }
  return out;
}

function connects(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    sock.setTimeout(2000, () => (sock.destroy(), resolve('timeout')));
    sock.on('connect', () => (sock.destroy(), resolve('connected')));
    sock.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

function upgradeStatus(s: ServeProcess, headers: Record<string, string>, p = '/events'): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}${p}`, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => (ws.close(), resolve(101)));
    ws.on('error', () => resolve(-1));
  });
}

describe('browser mode refuses what is not our page', () => {
  let s: ServeProcess;
  const index = tempIndex('guard');

  beforeAll(async () => {
    s = await startServe(index);
  });
  afterAll(async () => {
    expect(await s?.stop()).toBe(0);
  });

  it('listens on 127.0.0.1 only: the socket is bound to that address, other loopback addresses are refused', async () => {
    expect(listeningAddresses(s.port)).toEqual(['0100007F']); // 127.0.0.1, and no IPv6 socket
    expect(await connects('127.0.0.1', s.port)).toBe('connected');
    for (const other of ['127.0.0.2', '127.1.2.3']) expect(await connects(other, s.port), other).toBe('ECONNREFUSED');
  });

  it('takes the token from a header or our cookie only, never from an API or WebSocket URL', async () => {
    expect((await rawRequest(s.port, { method: 'POST', path: `/api/listDumps?token=${s.token}`, headers: json, body: '{}' })).status).toBe(401);
    expect(await upgradeStatus(s, {}, `/events?token=${s.token}`)).toBe(401);
    // a near miss is a miss
    for (const t of [s.token.slice(0, -1), `${s.token}x`, s.token.toUpperCase(), ` ${s.token}x`]) {
      expect((await apiCall(s, 'listDumps', {}, { ...json, Authorization: `Bearer ${t}` })).status, t).toBe(401);
    }
  });

  it('trades the token for a cookie only for our Host and Origin, and not for a cross-site request', async () => {
    const trade = (headers: Record<string, string>) => rawRequest(s.port, { path: `/?token=${s.token}`, headers });
    expect((await trade({ Host: `evil.example:${s.port}` })).status).toBe(403);
    expect((await trade({ Origin: 'http://evil.example' })).status).toBe(403);
    expect((await trade({ 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    for (const r of [await trade({ Host: `evil.example:${s.port}` }), await trade({ Origin: 'http://evil.example' })]) expect(r.headers['set-cookie']).toBeUndefined();
    expect((await trade({})).status).toBe(303);
  });

  it('guards the UI files like the API: the token, our Host and our Origin', async () => {
    const cookie = `dumpscope_${s.port}=${s.token}`;
    expect((await rawRequest(s.port, { path: '/index.html' })).status).toBe(401);
    expect((await rawRequest(s.port, { path: '/index.html', headers: { Cookie: cookie, Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await rawRequest(s.port, { path: '/index.html', headers: { Cookie: cookie, Host: `evil.example:${s.port}` } })).status).toBe(403);
    expect((await rawRequest(s.port, { path: '/index.html', headers: { Cookie: cookie, 'Sec-Fetch-Site': 'same-site' } })).status).toBe(403);
  });

  it('refuses a request without a Host header, and sends no CORS header to anyone', async () => {
    const noHost = await new Promise<string>((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port: s.port }, () => sock.write(`POST /api/listDumps HTTP/1.0\r\nAuthorization: Bearer ${s.token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`));
      let out = '';
      sock.on('data', (d: Buffer) => (out += d.toString()));
      sock.on('close', () => resolve(out));
      sock.on('error', () => resolve(out));
    });
    expect(noHost).toMatch(/^HTTP\/1\.[01] 403 /);
    const preflight = await rawRequest(s.port, {
      method: 'OPTIONS',
      path: '/api/listDumps',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(403);
    const ok = await apiCall(s, 'listDumps', {}, { ...json, Authorization: `Bearer ${s.token}`, Origin: s.origin });
    expect(ok.status).toBe(200);
    for (const r of [preflight, ok]) {
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  // Found by this suite: a malformed %-escape in the method name once reached decodeURIComponent
  // unguarded and answered 500 Internal (with a stack on the serve console).
  it('answers a malformed method name with a 4xx, not 500 Internal', async () => {
    const r = await rawRequest(s.port, { method: 'POST', path: '/api/%E0%A4%A', headers: { ...json, Authorization: `Bearer ${s.token}` }, body: '{}' });
    expect([400, 404]).toContain(r.status);
  });
});
