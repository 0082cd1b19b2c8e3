// Where the index lives: --index FILE, else $DUMPSCOPE_INDEX, else the user's data directory.
import * as os from 'node:os';
import * as path from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'dumpscope');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'dumpscope');
  return path.join(env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share'), 'dumpscope');
}

export function resolveIndexPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.DUMPSCOPE_INDEX) return path.resolve(env.DUMPSCOPE_INDEX);
  return path.join(defaultDataDir(env), 'index.sqlite');
}
