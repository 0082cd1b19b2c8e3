// The Electron shell: app lifecycle, windows, menus, dialogs and the single instance. It only
// wires things together; the decisions live in the pure modules beside it (security,
// app-protocol, ipc, menu, dialogs, window-state, open-files, paths) where they are tested.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, screen, session, type IpcMainInvokeEvent } from 'electron';
import { type AppCommand } from '../../shared/bridge';
import { DumpscopeService, WorkerRunner } from '../api';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { openDialogOptions, type PickCommand } from './dialogs';
import { createEventForwarder, isTrustedSender, registerIpc, sendEvent } from './ipc';
import { aboutText, buildMenuTemplate, recentDumps, type MenuActions, type RecentDump } from './menu';
import { commandForFile, filesFromArgv } from './open-files';
import { appPaths, type AppPaths } from './paths';
import { hardenSession, hardenWebContents, windowOptions } from './security';
import { DEFAULT_SIZE, loadWindowState, placementOf, saveWindowState, type ThemeSource, type WindowState } from './window-state';

export const APP_ID = 'dev.dumpscope.app';
const APP_NAME = 'dumpscope';

class Shell {
  private readonly windows = new Map<number, BrowserWindow>();
  private lastFocused: BrowserWindow | null = null;
  private service: DumpscopeService | null = null;
  private pendingFiles: string[] = [];
  private state: WindowState;
  private closing = false;

  constructor(private readonly paths: AppPaths) {
    this.state = loadWindowState(paths.windowState, screen.getAllDisplays().map((d) => d.workArea));
  }

  get isReady(): boolean {
    return this.service !== null;
  }

  ready(): void {
    hardenSession(session.defaultSession);
    protocol.handle(APP_SCHEME, createAppProtocolHandler(this.paths.renderer));
    nativeTheme.themeSource = this.state.theme;
    try {
      this.service = new DumpscopeService({
        indexPath: this.paths.index,
        // Analysis of a 10 GiB dump must never block the window: it runs on a worker thread.
        runner: new WorkerRunner(this.paths.worker),
        emit: createEventForwarder(
          () => [...this.windows.values()].map((w) => w.webContents),
          (m) => {
            if (m.event === 'indexChanged') void this.refreshMenu();
          },
        ),
      });
    } catch (e) {
      dialog.showErrorBox('dumpscope cannot open its index', `${this.paths.index}: ${e instanceof Error ? e.message : String(e)}`);
      app.exit(1);
      return;
    }
    registerIpc<IpcMainInvokeEvent>(ipcMain, this.service, (event) => isTrustedSender(event, (id) => this.windows.has(id)));
    void this.refreshMenu();
    const win = this.createWindow();
    const files = this.pendingFiles.splice(0);
    if (files.length > 0) this.openFiles(files, win);
  }

  createWindow(): BrowserWindow {
    const first = this.windows.size === 0;
    // Only the first window goes where the last one was; others open centred.
    const placement = first ? placementOf(this.state) : { ...(this.state.size ?? DEFAULT_SIZE) };
    const win = new BrowserWindow(
      windowOptions(placement, this.paths.preload, { icon: this.paths.icon, backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff' }),
    );
    const id = win.webContents.id;
    this.windows.set(id, win);
    this.lastFocused = win;
    win.once('ready-to-show', () => {
      if (first && this.state.maximized) win.maximize();
      win.show();
    });
    win.on('focus', () => {
      this.lastFocused = win;
    });
    win.on('close', () => this.rememberWindow(win));
    win.on('closed', () => {
      this.windows.delete(id);
      if (this.lastFocused === win) this.lastFocused = null;
    });
    win.webContents.on('render-process-gone', (_event, details) => console.error(`dumpscope: window renderer gone (${details.reason})`));
    void win.loadURL(APP_ENTRY_URL);
    return win;
  }

  private rememberWindow(win: BrowserWindow): void {
    const b = win.getNormalBounds();
    this.state = { ...this.state, position: { x: b.x, y: b.y }, size: { width: b.width, height: b.height }, maximized: win.isMaximized() };
    this.saveState();
  }

  private saveState(): void {
    try {
      saveWindowState(this.paths.windowState, this.state);
    } catch (e) {
      console.error('dumpscope: cannot save the window state:', e);
    }
  }

  /** The window a menu command or an opened file is for: focused, else last focused, else a new one. */
  targetWindow(): BrowserWindow {
    const focused = BrowserWindow.getFocusedWindow();
    if (focused && this.windows.has(focused.webContents.id)) return focused;
    if (this.lastFocused && !this.lastFocused.isDestroyed()) return this.lastFocused;
    const any = this.windows.values().next();
    return any.done ? this.createWindow() : any.value;
  }

  /** Sends an AppCommand once the page has loaded; the preload holds it until the UI subscribes. */
  sendCommand(win: BrowserWindow, payload: AppCommand): void {
    const contents = win.webContents;
    const deliver = () => sendEvent(contents, { event: 'appCommand', payload });
    if (contents.isLoading()) contents.once('did-finish-load', deliver);
    else deliver();
  }

  openFiles(files: readonly string[], target?: BrowserWindow): void {
    if (!this.isReady) {
      this.pendingFiles.push(...files);
      return;
    }
    const win = target ?? this.targetWindow();
    for (const file of files) {
      app.addRecentDocument(file);
      this.sendCommand(win, commandForFile(file));
    }
    if (win.isMinimized()) win.restore();
    win.focus();
  }

  async pick(command: PickCommand): Promise<void> {
    const win = this.targetWindow();
    const result = await dialog.showOpenDialog(win, openDialogOptions(command));
    const picked = result.filePaths[0];
    if (result.canceled || picked === undefined) return;
    this.sendCommand(win, { command, path: picked });
  }

  private setTheme(theme: ThemeSource): void {
    nativeTheme.themeSource = theme;
    this.state = { ...this.state, theme };
    this.saveState();
    void this.refreshMenu();
  }

  private about(): void {
    const text = aboutText(APP_NAME, app.getVersion(), process.versions);
    void dialog.showMessageBox(this.targetWindow(), { type: 'info', title: `About ${APP_NAME}`, buttons: ['OK'], ...text });
  }

  private readonly actions: MenuActions = {
    newWindow: () => void this.createWindow(),
    openDump: () => void this.pick('openDump'),
    openRecent: (file) => this.sendCommand(this.targetWindow(), { command: 'openDump', path: file }),
    importTranscript: () => void this.pick('importTranscript'),
    addSymbolFolder: () => void this.pick('addSymbolFolder'),
    compareWith: () => void this.pick('compareWith'),
    exportReport: () => this.sendCommand(this.targetWindow(), { command: 'exportReport' }),
    focusFilter: () => this.sendCommand(this.targetWindow(), { command: 'focusFilter' }),
    goToThread: () => this.sendCommand(this.targetWindow(), { command: 'goToThread' }),
    setTheme: (theme) => this.setTheme(theme),
    about: () => this.about(),
  };

  async refreshMenu(): Promise<void> {
    let recent: RecentDump[] = [];
    try {
      if (this.service) recent = recentDumps(await this.service.listDumps({}));
    } catch (e) {
      console.error('dumpscope: cannot list recent dumps:', e);
    }
    const template = buildMenuTemplate({ platform: process.platform, isDev: !app.isPackaged, appName: APP_NAME, recent, theme: this.state.theme }, this.actions);
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  focusOrCreate(): void {
    if (!this.isReady) return;
    const win = this.targetWindow();
    if (win.isMinimized()) win.restore();
    win.focus();
  }

  hasWindows(): boolean {
    return this.windows.size > 0;
  }

  /** Ends running analyses (their workers) and closes the index before the process exits. */
  async close(): Promise<void> {
    const service = this.service;
    this.service = null;
    await service?.close();
  }

  get isClosing(): boolean {
    return this.closing;
  }

  markClosing(): void {
    this.closing = true;
  }
}

/** How many argv entries precede the user's: the executable, plus the app path under `electron .`. */
function argvSkip(): number {
  return process.defaultApp ? 2 : 1;
}

/** Starts the desktop app. Called once by main.ts; the test stub of electron stands in for Electron. */
export function startShell(): void {
  // Must happen before 'ready'.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
  app.enableSandbox();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  // One process per user: a dump opened from a file manager or a terminal while the app runs
  // goes to the existing window.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const shell = new Shell(appPaths(app.getAppPath(), app.getPath('userData')));
  shell.openFiles(filesFromArgv(process.argv, { skip: argvSkip(), cwd: process.cwd() }));

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  // macOS hands files over by event, possibly before 'ready'.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    shell.openFiles([file]);
  });
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const files = filesFromArgv(argv, { skip: argvSkip(), cwd: workingDirectory });
    if (files.length > 0) shell.openFiles(files);
    else shell.focusOrCreate();
  });
  app.on('activate', () => {
    if (shell.isReady && !shell.hasWindows()) shell.createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (shell.isClosing) return;
    event.preventDefault();
    shell.markClosing();
    void shell.close().finally(() => app.quit());
  });

  void app.whenReady().then(() => shell.ready());
}
