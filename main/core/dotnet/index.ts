// core/dotnet — the .NET layer's transcript side.
// Takes: text saved from a debugger session (dotnet-dump analyze / SOS, lldb, gdb; prompts or
// bare batch output). Produces: command blocks with their host and kind, typed results for the
// commands we understand (SOS clrthreads, pstacks, clrstack, syncblk, setthread, name2ee,
// dumpmt -md; dotnet-dump threads; lldb thread list / backtrace / thread select; gdb info
// threads / backtrace), CoreCLR thread State bits in words, and one identity row per OS thread
// joined by tid. On top of the parsers: the identity table merged with a dump's thread list,
// the CoreCLR rules and the runtime-aware wait-for graph, managed frames merged into native
// stacks by stack pointer, the symbol-server keys of the runtime's modules, and the managed
// assemblies read from PE headers in a dump's memory (given a memory reader). Everything here is
// pure or reads only through the interfaces it is given; it never throws on odd input.
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
export { mergeIdentities, type DumpThreadView, type MergeIdentityOptions } from './merge-identities';
export { analyzeDotnet, commandsOf, transcriptWarnings, stateLayoutOf, type DumpView, type DotnetAnalysisResult } from './analyze-dotnet';
export { buildRuntimeGraph, jitStateOf, type RuntimeThread, type RuntimeGraphInput, type RuntimeGraphResult, type MethodState } from './runtime-graph';
export { findSuspension, findNativeLockWait, findPrestub, findMonitorWait, findJit, findTypeLoad, isCooperative, type SuspendReason } from './runtime-rules';
export { fromDump, fromLldb, fromGdb, betterStack, bareFunction, type NativeStack, type RuleFrame } from './rule-frames';
export { mergeManagedFrames, mergeManagedStacks, type ResumeUnwind, type MergeStackOptions } from './merge-stack';
export { readPeHeader, readCliMetadata, rvaToAddress, type ReadMemory, type PeHeader, type PeSection, type CliMetadata, type PeResult } from './pe-image';
export { listManagedAssemblies, readyToRunTarget, DEFAULT_ASSEMBLY_LIMITS, type AssemblyLimits } from './assemblies';
export { symbolServerKeys, runtimeModules, keyBuildId } from './symbol-keys';
export { describeDotnet, type DumpForDotnet } from './dotnet-info';
export { openResume, type ResumeOptions, type ResumeHandle } from './resume-unwind';
export { readTranscriptFile, MAX_TRANSCRIPT_BYTES } from './read-transcript-file';
