import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { type DumpSummary } from '../../../shared/types';
import { openDialogOptions } from '../../../main/app/dialogs';
import { aboutText, buildMenuTemplate, recentDumps, type MenuActions, type MenuModel } from '../../../main/app/menu';
import { appPaths } from '../../../main/app/paths';

function actions(): MenuActions & Record<keyof MenuActions, ReturnType<typeof vi.fn>> {
  const names: (keyof MenuActions)[] = ['newWindow', 'openDump', 'openRecent', 'importTranscript', 'addSymbolFolder', 'compareWith', 'exportReport', 'focusFilter', 'goToThread', 'setTheme', 'about'];
  return Object.fromEntries(names.map((n) => [n, vi.fn()])) as unknown as MenuActions & Record<keyof MenuActions, ReturnType<typeof vi.fn>>;
}

const model = (over: Partial<MenuModel> = {}): MenuModel => ({ platform: 'linux', isDev: false, appName: 'dumpscope', recent: [], theme: 'system', ...over });

function sub(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return Array.isArray(item?.submenu) ? item.submenu : [];
}
function top(t: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | undefined {
  return t.find((i) => i.label === label || i.role === label);
}
function find(list: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const item = list.find((i) => i.label === label || i.role === label);
  if (!item) throw new Error(`no menu item ${label} in ${list.map((i) => i.label ?? i.role).join(', ')}`);
  return item;
}
function click(item: MenuItemConstructorOptions): void {
  (item.click as () => void)();
}

describe('the native menu', () => {
  it('has File, Edit, View, Window and Help on Linux and Windows', () => {
    const t = buildMenuTemplate(model(), actions());
    expect(t.map((i) => i.label ?? i.role)).toEqual(['&File', '&Edit', '&View', 'windowMenu', '&Help']);
    const mac = buildMenuTemplate(model({ platform: 'darwin' }), actions());
    expect(mac.map((i) => i.label ?? i.role)).toEqual(['dumpscope', '&File', '&Edit', '&View', 'windowMenu', '&Help']);
    expect(sub(top(mac, '&File')).some((i) => i.role === 'quit')).toBe(false);
    expect(sub(mac[0]).some((i) => i.role === 'quit')).toBe(true);
  });

  it('File menu items call their actions; Open Dump is Ctrl/Cmd+O', () => {
    const a = actions();
    const file = sub(top(buildMenuTemplate(model(), a), '&File'));
    expect(find(file, 'Open Dump…').accelerator).toBe('CmdOrCtrl+O');
    const expected: [string, keyof MenuActions][] = [
      ['New Window', 'newWindow'],
      ['Open Dump…', 'openDump'],
      ['Import Transcript…', 'importTranscript'],
      ['Add Symbol Folder…', 'addSymbolFolder'],
      ['Compare With…', 'compareWith'],
      ['Export Report…', 'exportReport'],
    ];
    for (const [label, action] of expected) {
      click(find(file, label));
      expect(a[action], label).toHaveBeenCalledTimes(1);
    }
    expect(file.some((i) => i.role === 'quit')).toBe(true);
  });

  it('Open Recent lists dumps from listDumps, newest first, or says there are none', () => {
    const a = actions();
    const none = find(sub(top(buildMenuTemplate(model(), a), '&File')), 'Open Recent');
    expect(sub(none)).toEqual([{ label: 'No Recent Dumps', enabled: false }]);
    const summaries = [
      { path: '/dumps/core.3193', process: 'dotnet', pid: 3193 },
      { path: '/dumps/a&b/core', process: 'svc&co', pid: 12 },
    ] as DumpSummary[];
    const recent = recentDumps(summaries);
    expect(recent).toEqual([
      { path: '/dumps/core.3193', label: 'core.3193 — dotnet (pid 3193)' },
      { path: '/dumps/a&b/core', label: 'core — svc&&co (pid 12)' },
    ]);
    const list = sub(find(sub(top(buildMenuTemplate(model({ recent }), a), '&File')), 'Open Recent'));
    click(list[1] as MenuItemConstructorOptions);
    expect(a.openRecent).toHaveBeenCalledWith('/dumps/a&b/core');
    expect(recentDumps(Array.from({ length: 30 }, (_, i) => ({ path: `/d/core.${i}`, process: 'p', pid: i }) as DumpSummary))).toHaveLength(10);
  });

  it('Edit has the clipboard roles plus Filter and Go to Thread', () => {
    const a = actions();
    const edit = sub(top(buildMenuTemplate(model(), a), '&Edit'));
    expect(edit.filter((i) => i.role).map((i) => i.role)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    click(find(edit, 'Filter Threads…'));
    click(find(edit, 'Go to Thread…'));
    expect(a.focusFilter).toHaveBeenCalled();
    expect(a.goToThread).toHaveBeenCalled();
  });

  it('View offers reload and developer tools only in development', () => {
    const roles = (isDev: boolean) => sub(top(buildMenuTemplate(model({ isDev }), actions()), '&View')).map((i) => i.role).filter(Boolean);
    expect(roles(false)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    expect(roles(true)).toEqual(['reload', 'forceReload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('Theme follows the system by default and switches on click', () => {
    const a = actions();
    const theme = sub(find(sub(top(buildMenuTemplate(model({ theme: 'system' }), a), '&View')), 'Theme'));
    expect(theme.map((i) => [i.label, i.type, i.checked])).toEqual([
      ['Follow System', 'radio', true],
      ['Light', 'radio', false],
      ['Dark', 'radio', false],
    ]);
    click(find(theme, 'Dark'));
    expect(a.setTheme).toHaveBeenCalledWith('dark');
  });

  it('Help has About with the version from package.json', () => {
    const a = actions();
    const help = sub(top(buildMenuTemplate(model(), a), '&Help'));
    click(find(help, 'About dumpscope'));
    expect(a.about).toHaveBeenCalled();
    const text = aboutText('dumpscope', '0.1.0', { electron: '45.5.0', chrome: '156.0', node: '24.1.0' });
    expect(text.message).toBe('dumpscope 0.1.0');
    expect(text.detail).toContain('Electron 45.5.0');
  });
});

describe('open dialogs', () => {
  it('show all files first: dumps are named core or core.<pid>, without extension', () => {
    expect(openDialogOptions('openDump').filters?.[0]).toEqual({ name: 'All Files', extensions: ['*'] });
    expect(openDialogOptions('compareWith').filters?.[0]).toEqual({ name: 'All Files', extensions: ['*'] });
    expect(openDialogOptions('openDump').properties).toEqual(['openFile']);
    expect(openDialogOptions('importTranscript').filters?.[0]?.extensions).toEqual(['txt', 'log']);
    expect(openDialogOptions('addSymbolFolder').properties).toEqual(['openDirectory']);
  });
});

describe('appPaths', () => {
  it('finds the bundles under the app path, keeps window state in userData and shares the CLI index', () => {
    const p = appPaths('/opt/dumpscope/resources/app.asar', '/home/u/.config/dumpscope', { XDG_DATA_HOME: '/home/u/.local/share' }, () => false);
    expect(p).toEqual({
      preload: '/opt/dumpscope/resources/app.asar/dist/app/preload.cjs',
      renderer: '/opt/dumpscope/resources/app.asar/dist/renderer',
      worker: '/opt/dumpscope/resources/app.asar/dist/worker.mjs',
      index: '/home/u/.local/share/dumpscope/index.sqlite',
      windowState: '/home/u/.config/dumpscope/window-state.json',
      icon: undefined,
    });
    expect(appPaths('/a', '/u', { DUMPSCOPE_INDEX: '/data/idx.sqlite' }).index).toBe('/data/idx.sqlite');
  });
});
