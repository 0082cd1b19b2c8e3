// The shell's security settings in one place, so tests can assert every value: the CSP, the
// window's webPreferences, and the handlers that deny navigation, new windows, permissions and
// any request leaving the machine. Only electron *types* are imported: the functions take the
// objects to harden, so the test stub can stand in for them.
import type { BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';

/**
 * No remote origin anywhere: the renderer, Monaco and its worker are bundled and served from
 * app://dumpscope ('self'). Monaco injects <style> elements ('unsafe-inline' for styles only)
 * and may start its worker from a blob: URL. Nothing is allowed to frame us or be framed.
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['default-src', ["'none'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:', 'blob:']],
  ['font-src', ["'self'", 'data:']],
  ['connect-src', ["'self'"]],
  ['worker-src', ["'self'", 'blob:']],
  ['manifest-src', ["'self'"]],
  ['frame-src', ["'none'"]],
  ['child-src', ["'none'"]],
  ['object-src', ["'none'"]],
  ['media-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
];

export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');

/** Every renderer runs isolated and sandboxed, without Node, with web security on. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
    // A file dropped outside the app's drop zone must not navigate the window to file://.
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export interface WindowPlacement {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

export function windowOptions(placement: WindowPlacement, preloadPath: string, extra: { icon?: string; backgroundColor?: string } = {}): BrowserWindowConstructorOptions {
  return {
    ...placement,
    minWidth: 640,
    minHeight: 400,
    title: 'dumpscope',
    show: false, // shown on ready-to-show, so no white flash
    ...(extra.icon ? { icon: extra.icon } : {}),
    ...(extra.backgroundColor ? { backgroundColor: extra.backgroundColor } : {}),
    webPreferences: secureWebPreferences(preloadPath),
  };
}

/**
 * The renderer is a single page: it never navigates (in-page history and hash changes do not
 * fire these events), never opens windows and never embeds webviews.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Schemes a renderer may download from: only what the page itself made (report export). */
export function isAllowedDownloadUrl(url: string): boolean {
  return url.startsWith('blob:app://dumpscope/') || url.startsWith('data:');
}

/** URLs that would leave the machine; dumpscope works offline, so every one is cancelled. */
export const REMOTE_URL_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'];

/** Denies every permission (camera, notifications, clipboard-read, HID, serial…) and remote request. */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: REMOTE_URL_PATTERNS }, (_details, callback) => callback({ cancel: true }));
  // Exporting a report downloads a blob the page made; Electron then shows the native save
  // dialog because no save path is set. Anything else is refused.
  ses.on('will-download', (event, item) => {
    if (!isAllowedDownloadUrl(item.getURL())) event.preventDefault();
  });
}
