// analysis: what each thread is doing and waiting on, and the whole-dump record.
// Takes a CoreDump (and, later, stacks); produces DumpRecords for the index.
export { analyzeDump, recordOf, ENGINE_VERSION, hex, type AnalyzeOptions, type ProgressFn } from './analyze-dump';
export { syscallText, decodeFutex, futexOpText, type FutexCall } from './syscall-decode';
export { detectRuntime } from './runtime';
