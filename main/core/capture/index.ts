// capture: dumps from live processes, and compressed cores made openable.
// Takes a pid (plus an output folder, a dump type, once or twice) and produces complete core
// files written by gcore, dotnet-dump or the runtime's createdump — each verified, renamed from
// `.partial` only when whole, and handed to the caller to index; lists live processes and the
// cores systemd-coredump kept. Takes a compressed core (.zst, .gz, .xz, .lz4, told by magic
// bytes) and produces its decompressed copy in a cache folder, reused on the next open.
// Others may implement the `compare` function of CaptureDeps (issue 7).
export { captureDumps, DEFAULT_INTERVAL_MS, NO_COMPARE_NOTE, type CaptureDeps, type CaptureRequest, type CaptureProgress, type CompareFn } from './capture-dump';
export { listProcesses, DEFAULT_PROCESS_LIMIT } from './list-processes';
export { listCoredumps, parseCoredumpList, parseStoredCoreName, attachStoredPaths, COREDUMP_DIR } from './coredumpctl';
export { parseInterval, formatInterval, MAX_INTERVAL_MS } from './interval';
export { prepareDumpFile, attributeToOriginal, discardFailedCopy, cachePathFor, isInCache, type PreparedDump, type PrepareOptions } from './decompress-cache';
export { detectCompression } from './compression';
export { decompressFile, formatBytes, type DecompressProgress } from './decompress';
export { DumpOrigins } from './origins';
export { runTool, findExecutable, ToolError, type RunToolOptions, type ToolResult } from './run-tool';
export { planCapture, findCaptureTools, type ToolPaths, type CaptureStep, type CaptureTarget } from './capture-plan';
export { estimateDumpSize, checkFreeSpace, type StatfsFn, type DumpEstimate } from './disk-space';
export { parseStat, parseStatus, parseMaps, readProcess, isSameProcessAlive } from './proc';
export { attachBlocker, yamaReason, readPtraceContext, type PtraceContext, type AttachTarget } from './ptrace-access';
export { checkCoreComplete } from './verify-core';
export { Xxh32, Xxh64, xxh32, xxh64Hex } from './xxhash';
