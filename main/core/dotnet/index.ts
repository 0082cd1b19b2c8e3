// core/dotnet — the .NET layer's transcript side.
// Takes: text saved from a debugger session (dotnet-dump analyze / SOS, lldb, gdb; prompts or
// bare batch output). Produces: command blocks with their host and kind, typed results for the
// commands we understand (SOS clrthreads, pstacks, clrstack, syncblk, setthread, name2ee,
// dumpmt -md; dotnet-dump threads; lldb thread list / backtrace / thread select; gdb info
// threads / backtrace), CoreCLR thread State bits in words, and one identity row per OS thread
// joined by tid. All functions are pure: no I/O, never throw on odd input (warnings instead).
// Running the debuggers belongs to core/engines.

export { splitTranscript, type SplitOptions } from './split-transcript';
export { parseTranscript, parseBlock } from './parse-transcript';
export { normalizeTranscript, DEFAULT_LIMITS } from './text';
export { kindOfCommand, kindOfShape } from './command-kind';
export { parseClrThreads } from './parse-clrthreads';
export { parsePstacks } from './parse-pstacks';
export { parseClrStack } from './parse-clrstack';
export { parseSyncBlk } from './parse-syncblk';
export { parseDotnetDumpThreads, parseSetThread } from './parse-dotnet-dump-threads';
export { parseName2Ee } from './parse-name2ee';
export { parseDumpMt } from './parse-dumpmt';
export { parseLldbThreadList, parseLldbBacktrace, parseLldbFrameLine } from './parse-lldb';
export { parseGdbInfoThreads, parseGdbBacktrace, parseGdbFrameText } from './parse-gdb';
export { decodeThreadState } from './thread-state';
export { buildThreadIdentities, type IdentityOptions } from './thread-identity';
export type * from './types';
