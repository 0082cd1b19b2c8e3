// The shell's wiring, driven through the electron stub: what it asks of Electron at start-up,
// on 'ready', and when the OS, the menu or a window talks to it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../shared/bridge';
import { APP_SCHEME_PRIVILEGES } from '../../../main/app/app-protocol';
import { CONTENT_SECURITY_POLICY, secureWebPreferences } from '../../../main/app/security';
import { startShell } from '../../../main/app/shell';
import { BrowserWindow, Menu, StubEvent, app, callsTo, dialog, ipcMain, protocol, resetElectronStub, session, type StubWebContents } from '../../helpers/electron-stub';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-shell-'));
const dump = path.join(tmp, 'core.3193');
const savedArgv = process.argv;
const savedIndex = process.env.DUMPSCOPE_INDEX;
const tick = () => new Promise((r) => setTimeout(r, 20));

function appCommands(wc: StubWebContents): unknown[] {
  return wc.sent.filter((s) => s.channel === IPC_EVENT_CHANNEL).map((s) => s.args[0]);
}

function window0(): BrowserWindow {
  const w = BrowserWindow.all[0];
  if (!w) throw new Error('no window');
  return w;
}

function menuItem(label: string): MenuItemConstructorOptions {
  const template = (Menu.applicationMenu?.template ?? []) as MenuItemConstructorOptions[];
  const stack = [...template];
  while (stack.length > 0) {
    const item = stack.shift() as MenuItemConstructorOptions;
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) stack.push(...item.submenu);
  }
  throw new Error(`no menu item ${label}`);
}

beforeAll(async () => {
  resetElectronStub();
  fs.writeFileSync(dump, 'not really a core');
  app.userData = path.join(tmp, 'userData');
  process.env.DUMPSCOPE_INDEX = path.join(tmp, 'index.sqlite');
  process.argv = ['/opt/dumpscope/dumpscope', dump, '--enable-logging'];
  startShell();
  process.argv = savedArgv;
});

afterAll(() => {
  process.argv = savedArgv;
  if (savedIndex === undefined) delete process.env.DUMPSCOPE_INDEX;
  else process.env.DUMPSCOPE_INDEX = savedIndex;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('before ready', () => {
  it('registers app:// as privileged, enables the sandbox everywhere and takes the single-instance lock', () => {
    expect(callsTo('protocol.registerSchemesAsPrivileged')).toEqual([[[{ scheme: 'app', privileges: { ...APP_SCHEME_PRIVILEGES } }]]]);
    expect(callsTo('app.enableSandbox')).toHaveLength(1);
    expect(callsTo('app.requestSingleInstanceLock')).toHaveLength(1);
    expect(BrowserWindow.all).toHaveLength(0);
  });
});

describe('on ready', () => {
  beforeAll(async () => {
    app.becomeReady();
    await tick();
  });

  it('opens one window with the secure options on app://dumpscope/index.html', () => {
    expect(BrowserWindow.all).toHaveLength(1);
    const opts = window0().options;
    expect(opts.webPreferences).toEqual(secureWebPreferences(path.join(app.getAppPath(), 'dist', 'app', 'preload.cjs')));
    expect(opts).toMatchObject({ show: false, width: 1280, height: 820 });
    expect(callsTo('BrowserWindow.loadURL')).toEqual([['app://dumpscope/index.html']]);
  });

  it('serves app:// with the CSP in the response headers', async () => {
    const handler = protocol.handlers.get('app');
    expect(handler).toBeDefined();
    const res = (await handler?.({ url: 'app://dumpscope/index.html', method: 'GET' })) as Response;
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const escape = (await handler?.({ url: 'app://dumpscope/..%2f..%2fpackage.json', method: 'GET' })) as Response;
    expect(escape.status).toBe(403);
  });

  it('hardens every webContents and the session', () => {
    const wc = window0().webContents;
    expect(wc.fire('will-navigate', 'https://evil.example/').defaultPrevented).toBe(true);
    expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const ses = session.defaultSession;
    expect(ses.permissionCheckHandler?.(null, 'media')).toBe(false);
    expect(ses.webRequest.beforeRequest).not.toBeNull();
  });

  it('answers API calls from its window and refuses others', async () => {
    const handler = ipcMain.handlers.get(IPC_CALL_CHANNEL);
    const wc = window0().webContents;
    const ours = { sender: { id: wc.id }, senderFrame: { url: 'app://dumpscope/index.html', parent: null } };
    expect(await handler?.(ours, 'listDumps', {})).toEqual({ ok: true, value: [] });
    expect(await handler?.(ours, 'listThreads', { dumpId: 12345 })).toMatchObject({ ok: false });
    const foreign = { sender: { id: wc.id + 100 }, senderFrame: { url: 'app://dumpscope/index.html', parent: null } };
    expect(await handler?.(foreign, 'listDumps', {})).toMatchObject({ ok: false, error: { code: 'Unauthorized' } });
    expect(fs.existsSync(path.join(tmp, 'index.sqlite'))).toBe(true); // DUMPSCOPE_INDEX wins over userData
  });

  it('sets the menu, with Open Recent from the index', () => {
    expect(menuItem('Open Recent').submenu).toEqual([{ label: 'No Recent Dumps', enabled: false }]);
  });

  it('opens a dump named on the command line once the page has loaded', () => {
    const wc = window0().webContents;
    expect(appCommands(wc)).toEqual([]);
    wc.finishLoad();
    expect(appCommands(wc)).toEqual([{ event: 'appCommand', payload: { command: 'openDump', path: dump } }]);
    expect(callsTo('app.addRecentDocument')).toEqual([[dump]]);
  });

  it('opens files from a second instance and from macOS open-file in the existing window', () => {
    const wc = window0().webContents;
    wc.sent.length = 0;
    app.fire('second-instance', ['/opt/dumpscope/dumpscope', 'core.3193'], tmp);
    const openFile = app.fire('open-file', dump);
    expect(openFile.defaultPrevented).toBe(true);
    expect(appCommands(wc)).toEqual([
      { event: 'appCommand', payload: { command: 'openDump', path: dump } },
      { event: 'appCommand', payload: { command: 'openDump', path: dump } },
    ]);
    expect(BrowserWindow.all).toHaveLength(1);
  });

  it('File > Open Dump shows a native dialog and sends the pick to the window', async () => {
    const wc = window0().webContents;
    wc.sent.length = 0;
    dialog.openResult = { canceled: false, filePaths: ['/dumps/core'] };
    (menuItem('Open Dump…').click as () => void)();
    await tick();
    expect(callsTo('dialog.showOpenDialog')).toHaveLength(1);
    dialog.openResult = { canceled: true, filePaths: [] };
    (menuItem('Compare With…').click as () => void)();
    await tick();
    (menuItem('Export Report…').click as () => void)();
    expect(appCommands(wc)).toEqual([
      { event: 'appCommand', payload: { command: 'openDump', path: '/dumps/core' } },
      { event: 'appCommand', payload: { command: 'exportReport' } },
    ]);
  });

  it('remembers the window bounds in userData when it closes', () => {
    const w = window0();
    w.bounds = { x: 40, y: 30, width: 1000, height: 700 };
    w.close();
    const saved = JSON.parse(fs.readFileSync(path.join(tmp, 'userData', 'window-state.json'), 'utf8')) as unknown;
    expect(saved).toEqual({ bounds: { x: 40, y: 30, width: 1000, height: 700 }, maximized: false, theme: 'system' });
  });

  it('closes the index before quitting', async () => {
    const e = app.fire('will-quit');
    expect(e.defaultPrevented).toBe(true);
    await tick();
    expect(callsTo('app.quit').length).toBeGreaterThan(0);
    expect(app.fire('will-quit').defaultPrevented).toBe(false);
  });
});

describe('a second launch', () => {
  it('quits at once when another instance holds the lock', () => {
    resetElectronStub();
    app.gotLock = false;
    startShell();
    expect(callsTo('app.quit')).toHaveLength(1);
    expect(app.listenerCount('ready')).toBe(0);
    expect(app.listenerCount('second-instance')).toBe(0);
    expect(new StubEvent().defaultPrevented).toBe(false);
  });
});
