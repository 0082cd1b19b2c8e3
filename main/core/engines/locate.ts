// Where each debugger is: a configured path (option or DUMPSCOPE_LLDB / DUMPSCOPE_GDB /
// DUMPSCOPE_DOTNET_DUMP), else PATH, else the folder `dotnet tool install -g` uses.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type EngineName, type EngineStatus } from '../../../shared/types';
import { EngineMissingError, installHint } from './errors';

export type EnginePaths = Partial<Record<EngineName, string>>;

export const ENGINES: readonly EngineName[] = ['dotnet-dump', 'lldb', 'gdb'];

const ENV_VAR: Readonly<Record<EngineName, string>> = { lldb: 'DUMPSCOPE_LLDB', gdb: 'DUMPSCOPE_GDB', 'dotnet-dump': 'DUMPSCOPE_DOTNET_DUMP' };

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const p = path.join(dir, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

/** The debugger's executable, or null. A configured path that is not executable counts as missing. */
export function findEngine(engine: EngineName, paths: EnginePaths = {}, env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = paths[engine] ?? env[ENV_VAR[engine]];
  if (configured !== undefined && configured !== '') return isExecutable(configured) ? path.resolve(configured) : null;
  const found = onPath(engine, env);
  if (found !== null) return found;
  if (engine === 'dotnet-dump') {
    const home = env.HOME ?? os.homedir();
    const tool = path.join(home, '.dotnet', 'tools', 'dotnet-dump');
    if (isExecutable(tool)) return tool;
  }
  return null;
}

/** The executable, or EngineMissing naming the tool and how to install it. */
export function requireEngine(engine: EngineName, paths: EnginePaths = {}, env: NodeJS.ProcessEnv = process.env): string {
  const p = findEngine(engine, paths, env);
  if (p !== null) return p;
  const configured = paths[engine] ?? env[ENV_VAR[engine]];
  throw new EngineMissingError(engine, configured ? `${configured} is not an executable file` : 'not on PATH');
}

export function engineStatus(paths: EnginePaths = {}, env: NodeJS.ProcessEnv = process.env): EngineStatus[] {
  return ENGINES.map((engine) => {
    const p = findEngine(engine, paths, env);
    return { engine, available: p !== null, path: p, installHint: installHint(engine) };
  });
}

/**
 * The environment lldb needs. Folklore, written down: Debian 12's lldb 14 (package lldb-14)
 * looks for its Python package in the wrong place and prints
 * `ModuleNotFoundError: No module named 'lldb.embedded_interpreter'` tracebacks between every
 * prompt; its package is in /usr/lib/llvm-14/lib/python3.11/dist-packages. We resolve lldb's
 * real path (/usr/bin/lldb -> /usr/lib/llvm-14/bin/lldb) and put that LLVM's dist-packages on
 * PYTHONPATH when it exists. Other installs are left alone.
 */
export function lldbEnvironment(lldbPath: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  let real: string;
  try {
    real = fs.realpathSync(lldbPath);
  } catch {
    return {};
  }
  const m = /^(\/usr\/lib\/llvm-\d+)\/bin\/lldb$/.exec(real);
  if (!m) return {};
  let dirs: string[];
  try {
    dirs = fs.readdirSync(path.join(m[1], 'lib')).filter((d) => /^python3(?:\.\d+)?$/.test(d));
  } catch {
    return {};
  }
  for (const d of dirs.sort().reverse()) {
    const pkg = path.join(m[1], 'lib', d, 'dist-packages');
    if (fs.existsSync(path.join(pkg, 'lldb'))) {
      const current = env.PYTHONPATH ?? '';
      if (current.split(path.delimiter).includes(pkg)) return {};
      return { PYTHONPATH: current === '' ? pkg : `${pkg}${path.delimiter}${current}` };
    }
  }
  return {};
}
