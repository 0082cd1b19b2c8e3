import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, hardenSession, hardenWebContents, isAllowedDownloadUrl, secureWebPreferences, windowOptions } from '../../../main/app/security';
import { StubEvent, StubWebContents, session } from '../../helpers/electron-stub';

function parseCsp(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...sources]) => [name, sources]));
}

describe('Content-Security-Policy', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);

  it('is the exact policy we mean', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; manifest-src 'self'; frame-src 'none'; child-src 'none'; object-src 'none'; " +
        "media-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(csp.size).toBe(CSP_DIRECTIVES.length);
  });

  it('allows no remote origin, no eval and no inline script anywhere', () => {
    const local = new Set(["'self'", "'none'", 'data:', 'blob:', "'unsafe-inline'"]);
    for (const [name, sources] of csp) {
      for (const s of sources) expect(local.has(s), `${name} ${s}`).toBe(true);
      expect(sources.some((s) => /^(https?|wss?):|\*/.test(s))).toBe(false);
    }
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|strict-dynamic/);
  });

  it("gives Monaco what it needs: inline styles and a blob: or 'self' worker", () => {
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('worker-src')).toEqual(["'self'", 'blob:']);
  });

  it('forbids framing, plugins, forms and base changes', () => {
    for (const d of ['frame-src', 'child-src', 'object-src', 'base-uri', 'form-action', 'frame-ancestors']) expect(csp.get(d)).toEqual(["'none'"]);
  });
});

describe('window options', () => {
  it('isolate, sandbox and strip Node from every renderer', () => {
    const prefs = secureWebPreferences('/app/dist/app/preload.cjs');
    expect(prefs).toEqual({
      preload: '/app/dist/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableWebSQL: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    });
    // The remote module is gone from Electron; make sure nothing tries to bring it back.
    expect(Object.keys(prefs)).not.toContain('enableRemoteModule');
  });

  it('carry the placement, stay hidden until ready and use the secure preferences', () => {
    const opts = windowOptions({ x: 10, y: 20, width: 1000, height: 700 }, '/p.cjs');
    expect(opts).toMatchObject({ x: 10, y: 20, width: 1000, height: 700, show: false, title: 'dumpscope' });
    expect(opts.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(windowOptions({ width: 800, height: 600 }, '/p.cjs')).not.toHaveProperty('x');
  });
});

describe('hardenWebContents', () => {
  it('denies navigation, frame navigation, redirects, webviews and new windows', () => {
    const wc = new StubWebContents();
    hardenWebContents(wc as unknown as WebContents);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(wc.fire(name, { url: 'https://evil.example/' }).defaultPrevented, name).toBe(true);
    }
    expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler?.({ url: 'app://dumpscope/index.html' })).toEqual({ action: 'deny' });
  });
});

describe('hardenSession', () => {
  const ses = session.defaultSession;
  hardenSession(ses as unknown as Session);

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      ses.permissionRequestHandler?.({}, permission, cb, {});
      expect(cb).toHaveBeenCalledWith(false);
      expect(ses.permissionCheckHandler?.({}, permission, 'app://dumpscope', {})).toBe(false);
    }
    expect(ses.devicePermissionHandler?.({ deviceType: 'usb' })).toBe(false);
  });

  it('cancels every request that would leave the machine', () => {
    const r = ses.webRequest.beforeRequest;
    expect(r?.filter).toEqual({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'] });
    const cb = vi.fn();
    r?.listener({ url: 'https://cdn.example/monaco.js' }, cb);
    expect(cb).toHaveBeenCalledWith({ cancel: true });
  });

  it('lets the page download only what it made itself (report export), never a remote file', () => {
    const item = (url: string) => ({ getURL: () => url });
    expect(ses.fire('will-download', item('blob:app://dumpscope/6f1c')).defaultPrevented).toBe(false);
    expect(ses.fire('will-download', item('https://evil.example/x.exe')).defaultPrevented).toBe(true);
    expect(ses.fire('will-download', item('file:///etc/shadow')).defaultPrevented).toBe(true);
    expect(isAllowedDownloadUrl('blob:https://evil.example/1')).toBe(false);
    expect(new StubEvent().defaultPrevented).toBe(false);
  });
});
