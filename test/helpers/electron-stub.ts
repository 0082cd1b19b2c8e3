// Stands in for the 'electron' module under vitest (see vitest.config.ts): the Electron binary
// cannot be installed on build machines. It records what the shell asks of Electron (window
// options, protocol handlers, IPC handlers, menus, session handlers, dialogs) so tests can
// assert it, and lets tests emit events. Only what main/app uses is here; extend as needed.
import { EventEmitter } from 'node:events';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

type Listener = (...args: unknown[]) => unknown;

/** One recorded call: which API, with what arguments. */
export interface RecordedCall {
  api: string;
  args: unknown[];
}

export const calls: RecordedCall[] = [];

function record(api: string, ...args: unknown[]): void {
  calls.push({ api, args });
}

export function callsTo(api: string): unknown[][] {
  return calls.filter((c) => c.api === api).map((c) => c.args);
}

/** A preventable event like Electron's. */
export class StubEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

class Emitter extends EventEmitter {
  /** Emits with a fresh StubEvent first, as Electron does; returns it to check preventDefault. */
  fire(name: string, ...args: unknown[]): StubEvent {
    const event = new StubEvent();
    this.emit(name, event, ...args);
    return event;
  }
}

let nextWebContentsId = 1;

export class StubWebContents extends Emitter {
  readonly id = nextWebContentsId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  loading = true;
  destroyed = false;
  loadedUrl: string | null = null;
  readonly mainFrame = { url: '', parent: null };

  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    record('webContents.setWindowOpenHandler', handler);
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isLoading(): boolean {
    return this.loading;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Test helper: the page finished loading. */
  finishLoad(): void {
    this.loading = false;
    this.emit('did-finish-load');
  }
}

export class BrowserWindow extends Emitter {
  static readonly all: BrowserWindow[] = [];
  static focused: BrowserWindow | null = null;

  readonly options: Record<string, unknown>;
  readonly webContents = new StubWebContents();
  destroyed = false;
  maximized = false;
  minimized = false;
  visible = false;
  bounds: { x: number; y: number; width: number; height: number };

  constructor(options: Record<string, unknown> = {}) {
    super();
    record('new BrowserWindow', options);
    this.options = options;
    this.bounds = { x: Number(options.x ?? 100), y: Number(options.y ?? 100), width: Number(options.width ?? 800), height: Number(options.height ?? 600) };
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', new StubEvent(), this.webContents);
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all.filter((w) => !w.destroyed);
  }
  static getFocusedWindow(): BrowserWindow | null {
    return BrowserWindow.focused;
  }
  loadURL(url: string): Promise<void> {
    record('BrowserWindow.loadURL', url);
    this.webContents.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  maximize(): void {
    this.maximized = true;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    BrowserWindow.focused = this;
    this.emit('focus');
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  close(): void {
    this.emit('close', new StubEvent());
    this.destroyed = true;
    this.webContents.destroyed = true;
    if (BrowserWindow.focused === this) BrowserWindow.focused = null;
    this.emit('closed');
  }
}

class StubApp extends Emitter {
  isPackaged = false;
  appPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  userData = path.join(os.tmpdir(), 'dumpscope-stub-userdata');
  version = '0.1.0';
  gotLock = true;
  private readyResolve: (() => void) | null = null;
  private ready = this.newReady();

  private newReady(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.readyResolve = resolve;
    });
  }
  /** Test helper: back to "not ready yet". */
  resetReady(): void {
    this.ready = this.newReady();
  }

  whenReady(): Promise<void> {
    return this.ready;
  }
  /** Test helper: Electron became ready. */
  becomeReady(): void {
    this.readyResolve?.();
  }
  getAppPath(): string {
    return this.appPath;
  }
  getPath(name: string): string {
    if (name === 'userData') return this.userData;
    return path.join(os.tmpdir(), `dumpscope-stub-${name}`);
  }
  getVersion(): string {
    return this.version;
  }
  requestSingleInstanceLock(): boolean {
    record('app.requestSingleInstanceLock');
    return this.gotLock;
  }
  enableSandbox(): void {
    record('app.enableSandbox');
  }
  setAppUserModelId(id: string): void {
    record('app.setAppUserModelId', id);
  }
  addRecentDocument(file: string): void {
    record('app.addRecentDocument', file);
  }
  quit(): void {
    record('app.quit');
  }
  exit(code?: number): void {
    record('app.exit', code);
  }
}

export const app = new StubApp();

export const protocol = {
  handlers: new Map<string, Listener>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    record('protocol.registerSchemesAsPrivileged', schemes);
  },
  handle(scheme: string, handler: Listener): void {
    record('protocol.handle', scheme, handler);
    protocol.handlers.set(scheme, handler);
  },
};

class StubSession extends Emitter {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  devicePermissionHandler: Listener | null = null;
  readonly webRequest = {
    beforeRequest: null as { filter: unknown; listener: Listener } | null,
    onBeforeRequest: (filter: unknown, listener: Listener): void => {
      record('session.webRequest.onBeforeRequest', filter, listener);
      this.webRequest.beforeRequest = { filter, listener };
    },
  };
  setPermissionRequestHandler(handler: Listener): void {
    record('session.setPermissionRequestHandler', handler);
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener): void {
    record('session.setPermissionCheckHandler', handler);
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Listener): void {
    record('session.setDevicePermissionHandler', handler);
    this.devicePermissionHandler = handler;
  }
}

export const session = { defaultSession: new StubSession() };

export const ipcMain = {
  handlers: new Map<string, Listener>(),
  handle(channel: string, listener: Listener): void {
    if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    record('ipcMain.handle', channel);
    ipcMain.handlers.set(channel, listener);
  },
  removeHandler(channel: string): void {
    ipcMain.handlers.delete(channel);
  },
};

class StubIpcRenderer extends EventEmitter {
  /** What invoke() answers; tests replace it. */
  responder: (channel: string, ...args: unknown[]) => unknown = () => undefined;
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve(this.responder(channel, ...args));
  }
}

export const ipcRenderer = new StubIpcRenderer();

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    record('contextBridge.exposeInMainWorld', key, api);
    contextBridge.exposed.set(key, api);
  },
};

export const webUtils = {
  getPathForFile(file: { name: string }): string {
    return `/dropped/${file.name}`;
  },
};

export const Menu = {
  applicationMenu: null as { template: unknown[] } | null,
  buildFromTemplate(template: unknown[]): { template: unknown[] } {
    return { template };
  },
  setApplicationMenu(menu: { template: unknown[] } | null): void {
    record('Menu.setApplicationMenu', menu);
    Menu.applicationMenu = menu;
  },
};

export const dialog = {
  /** What showOpenDialog answers; tests replace it. */
  openResult: { canceled: true, filePaths: [] as string[] },
  showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    record('dialog.showOpenDialog', ...args);
    return Promise.resolve(dialog.openResult);
  },
  showMessageBox(...args: unknown[]): Promise<{ response: number }> {
    record('dialog.showMessageBox', ...args);
    return Promise.resolve({ response: 0 });
  },
  showErrorBox(title: string, content: string): void {
    record('dialog.showErrorBox', title, content);
  },
};

export const nativeTheme = { themeSource: 'system', shouldUseDarkColors: false };

export const screen = {
  displays: [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1050 }, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getAllDisplays(): { id: number; workArea: { x: number; y: number; width: number; height: number } }[] {
    return screen.displays;
  },
};

/** Forgets every recorded call, window and handler (the app's listeners included). */
export function resetElectronStub(): void {
  calls.length = 0;
  BrowserWindow.all.length = 0;
  BrowserWindow.focused = null;
  app.removeAllListeners();
  app.resetReady();
  app.isPackaged = false;
  app.gotLock = true;
  protocol.handlers.clear();
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked.length = 0;
  ipcRenderer.responder = () => undefined;
  contextBridge.exposed.clear();
  Menu.applicationMenu = null;
  dialog.openResult = { canceled: true, filePaths: [] };
  nativeTheme.themeSource = 'system';
  const ses = session.defaultSession;
  ses.removeAllListeners();
  ses.permissionRequestHandler = ses.permissionCheckHandler = ses.devicePermissionHandler = null;
  ses.webRequest.beforeRequest = null;
}

export default { app, BrowserWindow, protocol, session, ipcMain, ipcRenderer, contextBridge, webUtils, Menu, dialog, nativeTheme, screen };
