// The renderer is served from app://dumpscope/, a privileged custom scheme, because Chromium
// refuses Vite's module scripts from file:// and because a real origin lets the CSP say 'self'.
// Everything here is pure (no electron import) so the path checks and headers are unit-tested.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTENT_SECURITY_POLICY } from './security';

export const APP_SCHEME = 'app';
export const APP_HOST = 'dumpscope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `standard` gives the scheme real origins (so 'self', relative URLs and localStorage work),
 * `secure` makes it a secure context, `supportFetchAPI` lets module scripts and workers load.
 * No `bypassCSP`: our own policy must apply. No service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
  allowServiceWorkers: false,
  bypassCSP: false,
} as const;

/** True for a URL of our renderer (app://dumpscope/…), the only origin allowed to call the API. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Maps an app:// URL to a file under `root`, or null when the URL is not ours or would leave
 * `root` (`..`, encoded `%2e%2e`/`%2f`/`%5c`, NUL bytes, absolute drive paths).
 */
export function resolveAppPath(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  // URL parsing already removed literal dot segments; decoding can bring them back.
  if (rel.split('/').some((seg) => seg === '..')) return null;
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const base = path.resolve(root);
  const full = path.resolve(base, '.' + path.posix.normalize('/' + rel));
  if (full !== base && !full.startsWith(base + path.sep)) return null;
  return full;
}

const HTML = 'text/html; charset=utf-8';
const CONTENT_TYPES: Record<string, string> = {
  '.html': HTML,
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every app:// response: the CSP travels with each document, not in a meta tag. */
export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

export type ReadFile = (file: string) => Promise<Uint8Array>;

export interface AppRequest {
  url: string;
  method: string;
}

/** Shown when dist/renderer has not been built yet (e.g. `node scripts/build.mjs --no-renderer`). */
const NOT_BUILT_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>dumpscope</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3em"><h1>The window is not built</h1>
<p>dist/renderer/index.html is missing. Run <code>npm run build</code>, then reload.</p></body></html>`;

/** The protocol.handle() callback for app://: files under `root`, with the security headers. */
export function createAppProtocolHandler(root: string, readFile: ReadFile = readFileBytes): (request: AppRequest) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method Not Allowed');
    const file = resolveAppPath(root, request.url);
    if (file === null) return plain(403, 'Forbidden');
    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && file === path.join(path.resolve(root), 'index.html')) {
        return new Response(NOT_BUILT_PAGE, { status: 200, headers: securityHeaders(HTML) });
      }
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return plain(404, 'Not Found');
      return plain(500, 'Internal Server Error');
    }
    // Copy into a plain ArrayBuffer-backed view: Response wants BufferSource, not Node's Buffer pool slices.
    const bytes = new Uint8Array(body.byteLength);
    bytes.set(body);
    return new Response(request.method === 'HEAD' ? null : bytes, { status: 200, headers: securityHeaders(contentTypeOf(file)) });
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}

async function readFileBytes(file: string): Promise<Uint8Array> {
  return fs.promises.readFile(file);
}
