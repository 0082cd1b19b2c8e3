// engines: the optional external debuggers (dotnet-dump analyze, lldb, gdb) run on a dump.
// Takes a dump path (and its executable); produces transcripts — of one batch run, or of an
// interactive session that runs one command at a time — that core/dotnet parses. Running and
// parsing are apart: nothing here reads a debugger's output beyond cutting it into commands.
// Every run goes through runEngine (timeouts, cancellation, typed errors with the arguments and
// stderr); a missing debugger is EngineMissing with how to install it.
export { runEngine, type RunEngineOptions, type EngineRun } from './run-engine';
export { EngineError, EngineMissingError, installHint } from './errors';
export { findEngine, requireEngine, engineStatus, lldbEnvironment, ENGINES, type EnginePaths } from './locate';
export {
  runBatch,
  batchPlan,
  lldbHasSos,
  usableExecutable,
  DOTNET_DUMP_COMMANDS,
  LLDB_COMMANDS,
  LLDB_SOS_COMMANDS,
  GDB_COMMANDS,
  type BatchOptions,
  type BatchResult,
  type BatchPlan,
} from './batch';
export { EngineSession, sessionSpec, type SessionSpec, type SessionSpecOptions, type RunOptions, type CommandOutput } from './session';
