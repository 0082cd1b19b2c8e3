// Who may talk to the browser-mode server. The server binds 127.0.0.1, but any web page the
// user visits can make the browser send requests there, so each request must also prove it
// comes from our page: the Host is ours (DNS rebinding), the Origin is ours (CSRF; SameSite
// alone does not separate two ports of one host), and it carries the random token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type IncomingHttpHeaders } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookies ignore ports: name ours by port so two servers on one machine do not clash. */
export function cookieName(port: number): string {
  return `dumpscope_${port}`;
}

export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Requests without Origin (navigations, same-origin GETs) pass; the token still gates them. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return origin === undefined || allowedOrigins(port).includes(origin);
}

/** Fetch metadata: browsers mark requests started by another site, even a same-host port. */
export function isAllowedFetchSite(site: string | undefined): boolean {
  return site === undefined || site === 'same-origin' || site === 'none';
}

export function tokensEqual(given: string, token: string): boolean {
  // Compare digests so neither length nor content leaks through timing.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** The token a request carries: `Authorization: Bearer …` or our cookie. */
export function requestToken(headers: IncomingHttpHeaders, port: number): string | null {
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const cookies = headers.cookie;
  if (!cookies) return null;
  const name = cookieName(port);
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function isAuthorized(headers: IncomingHttpHeaders, port: number, token: string): boolean {
  const given = requestToken(headers, port);
  return given !== null && tokensEqual(given, token);
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** The checks every request and WebSocket upgrade passes, in order. */
export function checkRequest(headers: IncomingHttpHeaders, port: number, token: string): GuardVerdict {
  if (!isAllowedHost(headers.host, port)) return { ok: false, status: 403, message: 'Host not allowed' };
  const origin = headers.origin;
  if (!isAllowedOrigin(origin, port)) return { ok: false, status: 403, message: 'Origin not allowed' };
  const site = headers['sec-fetch-site'];
  if (!isAllowedFetchSite(typeof site === 'string' ? site : undefined)) return { ok: false, status: 403, message: 'Cross-site request refused' };
  if (!isAuthorized(headers, port, token)) return { ok: false, status: 401, message: 'Missing or wrong token: open the URL that `dumpscope serve` printed' };
  return { ok: true };
}
