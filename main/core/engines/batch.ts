// Running a debugger once on a dump and keeping what it printed as a transcript:
//   dotnet-dump analyze <dump> -c clrthreads -c pstacks -c "clrstack -all" -c syncblk -c exit
//   lldb --batch -c <core> [<exe>] -o 'thread list' -o 'bt all' [SOS commands when SOS is set up]
//   gdb -batch -nx -ex 'info threads' -ex 'thread apply all bt' [<exe>] <core>
// The text is parsed by core/dotnet like any imported transcript.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type DebuggerHost, type EngineName } from '../../../shared/types';
import { lldbEnvironment, requireEngine, type EnginePaths } from './locate';
import { runEngine } from './run-engine';

export interface BatchOptions {
  engine: EngineName;
  dump: string;
  /** The dumped program's executable, when it is on this machine (lldb and gdb load its symbols). */
  executable?: string | null;
  /** The dump is a .NET process (SOS commands are added where the debugger has them). */
  dotnet?: boolean;
  paths?: EnginePaths;
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export interface BatchResult {
  engine: EngineName;
  /** The executable that ran. */
  tool: string;
  args: string[];
  /** What it printed (stdout and stderr in order). */
  text: string;
  /** The host to parse the text as (batch output often has no prompts). */
  host: DebuggerHost;
  commands: string[];
  durationMs: number;
  truncated: boolean;
}

export const DOTNET_DUMP_COMMANDS = ['clrthreads', 'pstacks', 'clrstack -all', 'syncblk'];
export const LLDB_COMMANDS = ['thread list', 'bt all'];
export const LLDB_SOS_COMMANDS = ['clrthreads', 'clrstack -all', 'syncblk'];
export const GDB_COMMANDS = ['info threads', 'thread apply all bt'];

/** True when lldb loads the SOS plugin at start (`dotnet-sos install` writes that to ~/.lldbinit). */
export function lldbHasSos(env: NodeJS.ProcessEnv = process.env): boolean {
  const home = env.HOME ?? os.homedir();
  try {
    return /plugin load .*libsosplugin\.so/.test(fs.readFileSync(path.join(home, '.lldbinit'), 'utf8'));
  } catch {
    return false;
  }
}

/** The executable when it is a file on this machine (a dump copied from elsewhere often lacks it). */
export function usableExecutable(p: string | null | undefined): string | null {
  if (!p) return null;
  try {
    return fs.statSync(p).isFile() ? p : null;
  } catch {
    return null;
  }
}

export interface BatchPlan {
  tool: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  commands: string[];
  host: DebuggerHost;
}

/** The command line for one engine's batch run. */
export function batchPlan(opts: BatchOptions): BatchPlan {
  const env = opts.env ?? process.env;
  const tool = requireEngine(opts.engine, opts.paths, env);
  const exe = usableExecutable(opts.executable);
  switch (opts.engine) {
    case 'dotnet-dump': {
      const commands = [...DOTNET_DUMP_COMMANDS];
      return { tool, args: ['analyze', opts.dump, ...commands.flatMap((c) => ['-c', c]), '-c', 'exit'], env: {}, commands, host: 'dotnet-dump' };
    }
    case 'lldb': {
      // lldb --batch stops at the first command that fails: SOS commands go last.
      const commands = [...LLDB_COMMANDS, ...(opts.dotnet && lldbHasSos(env) ? LLDB_SOS_COMMANDS : [])];
      const args = ['--batch', '--no-lldbinit', '-c', opts.dump, ...(exe ? [exe] : []), ...commands.flatMap((c) => ['-o', c])];
      // With SOS set up, ~/.lldbinit must be read (it loads the plugin).
      if (commands.length > LLDB_COMMANDS.length) args.splice(args.indexOf('--no-lldbinit'), 1);
      return { tool, args, env: lldbEnvironment(tool, env), commands, host: 'lldb' };
    }
    case 'gdb': {
      const commands = [...GDB_COMMANDS];
      // gdb -batch does not echo commands; `echo` prints a prompt line before each so the
      // transcript splits by prompt like an interactive session.
      const args = ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'set width 0', '-ex', 'set style enabled off'];
      for (const c of commands) args.push('-ex', `echo (gdb) ${c}\\n`, '-ex', c);
      if (exe) args.push(exe, opts.dump);
      else args.push('-c', opts.dump);
      return { tool, args, env: {}, commands, host: 'gdb' };
    }
  }
}

/** Runs the engine once and returns its transcript. Throws EngineMissing / EngineError. */
export async function runBatch(opts: BatchOptions): Promise<BatchResult> {
  const plan = batchPlan(opts);
  const r = await runEngine({
    tool: plan.tool,
    args: plan.args,
    env: plan.env,
    timeoutMs: opts.timeoutMs ?? 120_000,
    signal: opts.signal,
    engine: opts.engine,
    mergeStderr: true,
    // gdb and lldb exit 1 when the dump lacks something they wanted; their output is still the transcript.
    successExitCodes: opts.engine === 'dotnet-dump' ? [0] : [0, 1],
  });
  return { engine: opts.engine, tool: plan.tool, args: plan.args, text: r.stdout, host: plan.host, commands: plan.commands, durationMs: r.durationMs, truncated: r.truncated };
}
