// Where the shell finds its parts and keeps its state. Bundled files are located from
// app.getAppPath() (the checkout with `npm start`, resources/app.asar when packaged), whatever
// the working directory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveIndexPath } from '../core/index/location';
import { WINDOW_STATE_FILE } from './window-state';

export interface AppPaths {
  /** dist/app/preload.cjs: sandboxed preloads must be CommonJS. */
  preload: string;
  /** dist/renderer, served as app://dumpscope/. */
  renderer: string;
  /** dist/worker.mjs: analysis runs there, off the main process's event loop. */
  worker: string;
  /**
   * The SQLite index, shared with the CLI and browser mode so every door sees the same history:
   * $DUMPSCOPE_INDEX, else the user data folder (~/.local/share/dumpscope/index.sqlite on Linux).
   */
  index: string;
  windowState: string;
  /** A window icon for Linux in a checkout; packages set theirs through the desktop entry. */
  icon: string | undefined;
}

export function appPaths(appPath: string, userData: string, env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = fs.existsSync): AppPaths {
  const icon = path.join(appPath, 'build', 'icons', '256x256.png');
  return {
    preload: path.join(appPath, 'dist', 'app', 'preload.cjs'),
    renderer: path.join(appPath, 'dist', 'renderer'),
    worker: path.join(appPath, 'dist', 'worker.mjs'),
    index: resolveIndexPath(undefined, env),
    windowState: path.join(userData, WINDOW_STATE_FILE),
    icon: exists(icon) ? icon : undefined,
  };
}
