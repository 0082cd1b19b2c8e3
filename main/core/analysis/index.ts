// analysis: what each thread is doing and waiting on, and the whole-dump record.
// Takes a CoreDump (and, later, stacks); produces DumpRecords for the index.
export { analyzeDump, recordOf, ENGINE_VERSION, hex, type AnalyzeOptions, type ProgressFn, type DumpRecord } from './analyze-dump';
export { analyzeStacks, frameText, type StackAnalysis, type AnalyzedFrame } from './stacks';
export { classifyWait, threadLabel, type WaitEnv, type ThreadView, type FrameView } from './waits';
export { buildLockGraph, type GraphThread } from './graph';
export { detectGlibcVersion, type GlibcVersion } from './glibc-version';
export { syscallText, decodeFutex, futexOpText, type FutexCall } from './syscall-decode';
export { detectRuntime } from './runtime';
