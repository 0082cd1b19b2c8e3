// Browser mode's door: the built renderer and the API on 127.0.0.1 only, behind a random token.
//   GET  /?token=T      sets an HttpOnly SameSite=Strict cookie and redirects to /
//   GET  /…             the renderer's files (cookie or Bearer token)
//   POST /api/<method>  JSON arguments -> {ok:true,value} | {ok:false,error:{code,message,where}}
//   WS   /events        {event, payload} for progress and indexChanged
import * as fs from 'node:fs';
import * as http from 'node:http';
import { type Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { type Api, type ApiEvents, type ApiEventName } from '../../shared/api';
import { dispatch } from './dispatch';
import { checkRequest, cookieName, isAllowedFetchSite, isAllowedHost, isAllowedOrigin, newToken, tokensEqual } from './guard';
import { rendererBuilt, resolveStatic } from './static-files';

export const MAX_BODY_BYTES = 1024 * 1024;
const LISTEN_HOST = '127.0.0.1';

export interface ServerOptions {
  api: Api;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (dist/renderer); null or unbuilt serves the API alone. */
  rendererDir: string | null;
  /** Fixed token for tests; random by default. */
  token?: string;
  /** Bugs (non-DumpscopeError exceptions) are reported here with their stack. */
  onInternalError?: (e: unknown) => void;
}

export interface RunningServer {
  port: number;
  token: string;
  /** The URL to open: it carries the token once, then the cookie does. */
  url: string;
  /** Sends an event to every connected WebSocket. */
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void;
  close(): Promise<void>;
}

export function securityHeaders(port: number): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'", // Monaco sets inline styles
    "worker-src 'self' blob:",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  let port = 0;

  const send = (res: http.ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer = '') => {
    res.writeHead(status, { ...securityHeaders(port), ...headers });
    res.end(body);
  };
  const sendJson = (res: http.ServerResponse, status: number, value: unknown) =>
    send(res, status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, JSON.stringify(value));
  const refuse = (res: http.ServerResponse, status: number, message: string, api: boolean) => {
    if (api) sendJson(res, status, { ok: false, error: { code: status === 401 ? 'Unauthorized' : 'BadRequest', message, where: 'server' } });
    else send(res, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, `${message}\n`);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isApi = url.pathname.startsWith('/api/');

    // The token in the URL, once: trade it for a cookie and drop it from the address bar.
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && !isApi && req.method === 'GET') {
      const site = req.headers['sec-fetch-site'];
      if (!isAllowedHost(req.headers.host, port) || !isAllowedOrigin(req.headers.origin, port) || !isAllowedFetchSite(typeof site === 'string' ? site : undefined)) {
        return refuse(res, 403, 'Request refused', false);
      }
      if (!tokensEqual(queryToken, token)) return refuse(res, 401, 'Wrong token: open the URL that `dumpscope serve` printed', false);
      url.searchParams.delete('token');
      return send(res, 303, {
        'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
    }

    const verdict = checkRequest(req.headers, port, token);
    if (!verdict.ok) return refuse(res, verdict.status, verdict.message, isApi);

    if (isApi) {
      if (req.method !== 'POST') return send(res, 405, { Allow: 'POST', 'Cache-Control': 'no-store' });
      const type = req.headers['content-type'] ?? '';
      if (!/^application\/json\b/i.test(type)) return refuse(res, 415, 'API calls take application/json', true);
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === null) return refuse(res, 413, `request body over ${MAX_BODY_BYTES} bytes`, true);
      let args: unknown;
      try {
        args = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'BadRequest', message: 'the request body is not JSON', where: 'server' } });
      }
      let method: string;
      try {
        method = decodeURIComponent(url.pathname.slice('/api/'.length));
      } catch {
        // A malformed escape (%E0%A4%A) names no method: the same answer as an unknown one.
        return sendJson(res, 404, { ok: false, error: { code: 'UnknownMethod', message: 'no such API method', where: 'server' } });
      }
      const out = await dispatch(opts.api, method, args, opts.onInternalError);
      return sendJson(res, out.status, out.body);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { Allow: 'GET, HEAD' });
    if (!rendererBuilt(opts.rendererDir)) {
      return send(res, 503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, 'The dumpscope UI is not built: run `npm run build`.\n');
    }
    const file = resolveStatic(opts.rendererDir as string, url.pathname);
    if (!file) return send(res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Not found\n');
    res.writeHead(200, { ...securityHeaders(port), 'Content-Type': file.type, 'Content-Length': String(file.size), 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file.file).on('error', () => res.destroy()).pipe(res);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      opts.onInternalError?.(e);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'Internal', message: 'Internal server error', where: 'server' } });
      else res.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(req.headers, port, token);
    const status = url.pathname !== '/events' ? 404 : verdict.ok ? 0 : verdict.status;
    if (status !== 0) {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      ws.on('message', () => {}); // the channel is one-way: client messages are ignored
    });
  });

  // Keeps connections alive through idle proxies and notices dead peers.
  const heartbeat = setInterval(() => {
    for (const ws of sockets) ws.ping();
  }, 30_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LISTEN_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    port,
    token,
    url: `http://${LISTEN_HOST}:${port}/?token=${token}`,
    emit(event, payload) {
      const data = JSON.stringify({ event, payload });
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(data);
    },
    async close() {
      clearInterval(heartbeat);
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The whole body, or null once it passes `limit` bytes (the rest is not read). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
