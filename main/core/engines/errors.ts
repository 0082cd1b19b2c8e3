// Typed errors of the debugger runners. Codes are the API's (shared/errors.ts): EngineMissing,
// EngineFailed, Timeout, Cancelled.
import { type ErrorCode } from '../../../shared/errors';
import { type EngineName } from '../../../shared/types';
import { DumpscopeError } from '../errors';

/** A debugger run failed: it exited with an unexpected code, was killed, timed out or was cancelled. */
export class EngineError extends DumpscopeError {
  readonly tool: string;
  readonly args: readonly string[];
  /** The end of what the tool printed on stderr (or its merged output). */
  readonly stderr: string;
  readonly exitCode: number | null;

  constructor(code: ErrorCode, message: string, info: { tool: string; args: readonly string[]; stderr: string; exitCode?: number | null }) {
    super(code, message, { where: info.tool });
    this.name = 'EngineError';
    this.tool = info.tool;
    this.args = info.args;
    this.stderr = info.stderr;
    this.exitCode = info.exitCode ?? null;
  }
}

const HINTS: Readonly<Record<EngineName, string>> = {
  lldb: 'install it with your package manager (Debian/Ubuntu: sudo apt-get install lldb; Fedora: sudo dnf install lldb), or set DUMPSCOPE_LLDB to its path',
  gdb: 'install it with your package manager (Debian/Ubuntu: sudo apt-get install gdb; Fedora: sudo dnf install gdb), or set DUMPSCOPE_GDB to its path',
  'dotnet-dump':
    'install it with `dotnet tool install --global dotnet-dump` (needs the .NET SDK; it lands in ~/.dotnet/tools), or set DUMPSCOPE_DOTNET_DUMP to its path',
};

export function installHint(engine: EngineName): string {
  return HINTS[engine];
}

/** The debugger is not installed (or not where it was configured). */
export class EngineMissingError extends DumpscopeError {
  readonly engine: EngineName;

  constructor(engine: EngineName, detail?: string) {
    super('EngineMissing', `${engine} is not installed${detail ? ` (${detail})` : ''}: ${installHint(engine)}`, { where: engine });
    this.name = 'EngineMissingError';
    this.engine = engine;
  }
}
