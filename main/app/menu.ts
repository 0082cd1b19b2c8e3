// The native menu as a template built from plain data and callbacks, so tests can read every
// label, accelerator and action without Electron. shell.ts turns it into Menu objects and
// rebuilds it when the index changes (Open Recent).
import * as path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { type DumpSummary } from '../../shared/types';
import { THEME_SOURCES, type ThemeSource } from './window-state';

export interface RecentDump {
  path: string;
  label: string;
}

export interface MenuModel {
  platform: NodeJS.Platform;
  /** Reload and developer tools only when running from a checkout (`npm start`). */
  isDev: boolean;
  appName: string;
  recent: readonly RecentDump[];
  theme: ThemeSource;
}

export interface MenuActions {
  newWindow(): void;
  openDump(): void;
  openRecent(path: string): void;
  importTranscript(): void;
  addSymbolFolder(): void;
  compareWith(): void;
  exportReport(): void;
  focusFilter(): void;
  goToThread(): void;
  setTheme(theme: ThemeSource): void;
  about(): void;
}

export const MAX_RECENT = 10;

/** The most recently opened dumps (listDumps is newest first), labelled for a menu. */
export function recentDumps(summaries: readonly DumpSummary[], limit = MAX_RECENT): RecentDump[] {
  return summaries.slice(0, limit).map((d) => ({
    path: d.path,
    // '&' would become a mnemonic on Windows and Linux.
    label: `${path.basename(d.path)} — ${d.process} (pid ${d.pid})`.replaceAll('&', '&&'),
  }));
}

const THEME_LABELS: Record<ThemeSource, string> = { system: 'Follow System', light: 'Light', dark: 'Dark' };

export function buildMenuTemplate(model: MenuModel, actions: MenuActions): MenuItemConstructorOptions[] {
  const isMac = model.platform === 'darwin';
  const recent: MenuItemConstructorOptions[] =
    model.recent.length > 0
      ? model.recent.map((r) => ({ label: r.label, toolTip: r.path, click: () => actions.openRecent(r.path) }))
      : [{ label: 'No Recent Dumps', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Window', accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newWindow() },
      { type: 'separator' },
      { label: 'Open Dump…', accelerator: 'CmdOrCtrl+O', click: () => actions.openDump() },
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      { label: 'Import Transcript…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.importTranscript() },
      { label: 'Add Symbol Folder…', click: () => actions.addSymbolFolder() },
      { label: 'Compare With…', click: () => actions.compareWith() },
      { type: 'separator' },
      { label: 'Export Report…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportReport() },
      { type: 'separator' },
      { role: 'close' },
      ...(isMac ? [] : [{ role: 'quit' } as const]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      { label: 'Filter Threads…', accelerator: 'CmdOrCtrl+F', click: () => actions.focusFilter() },
      { label: 'Go to Thread…', accelerator: 'CmdOrCtrl+G', click: () => actions.goToThread() },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(model.isDev ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      {
        label: 'Theme',
        submenu: THEME_SOURCES.map((t) => ({
          label: THEME_LABELS[t],
          type: 'radio' as const,
          checked: model.theme === t,
          click: () => actions.setTheme(t),
        })),
      },
    ],
  };

  const about: MenuItemConstructorOptions = { label: `About ${model.appName}`, click: () => actions.about() };

  return [
    ...(isMac
      ? [
          {
            label: model.appName,
            submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    file,
    edit,
    view,
    { role: 'windowMenu' },
    { label: '&Help', role: 'help', submenu: [about] },
  ];
}

/** The About box's text: the version comes from package.json (app.getVersion()). */
export function aboutText(appName: string, version: string, versions: Partial<Record<'electron' | 'chrome' | 'node', string>>): { message: string; detail: string } {
  return {
    message: `${appName} ${version}`,
    detail: [
      'A dump explorer for Linux core dumps, native and .NET.',
      '',
      `Electron ${versions.electron ?? '?'} · Chromium ${versions.chrome ?? '?'} · Node ${versions.node ?? '?'}`,
    ].join('\n'),
  };
}
