// Where the shell finds its parts and keeps its state. Bundled files are located from
// app.getAppPath() (the checkout with `npm start`, resources/app.asar when packaged), whatever
// the working directory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WINDOW_STATE_FILE } from './window-state';

export interface AppPaths {
  /** dist/app/preload.cjs: sandboxed preloads must be CommonJS. */
  preload: string;
  /** dist/renderer, served as app://dumpscope/. */
  renderer: string;
  /** dist/worker.mjs: analysis runs there, off the main process's event loop. */
  worker: string;
  /** The SQLite index: $DUMPSCOPE_INDEX, else <userData>/index.sqlite. */
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
    index: env.DUMPSCOPE_INDEX ? path.resolve(env.DUMPSCOPE_INDEX) : path.join(userData, 'index.sqlite'),
    windowState: path.join(userData, WINDOW_STATE_FILE),
    icon: exists(icon) ? icon : undefined,
  };
}
