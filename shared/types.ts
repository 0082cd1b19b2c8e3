// Domain types as they cross the API: plain JSON data. Addresses are "0x…" strings
// (JSON numbers cannot hold a u64); tids and counts are numbers.

export type Hex = string;

export const JSON_SCHEMA_VERSION = 1;

export interface RuntimeInfo {
  kind: 'coreclr';
  /** e.g. "3.1.32" from the runtime's folder name; null when unknown. */
  version: string | null;
  /** libcoreclr.so's path and build-id. */
  path: string;
  buildId: string | null;
}

export interface DumpSummary {
  /** Row id in the index. */
  id: number;
  path: string;
  size: number;
  mtimeMs: number;
  /** Detects a changed file: a hash of its size, headers and notes. */
  fingerprint: string;
  process: string;
  args: string;
  pid: number;
  uid: number | null;
  arch: 'x86_64';
  /** The signal that stopped the process (from the first thread or NT_SIGINFO); null if none. */
  signal: number | null;
  signalName: string | null;
  threadCount: number;
  moduleCount: number;
  runtime: RuntimeInfo | null;
  /** Path of the main executable (from the mappings), when known. */
  executable: string | null;
  /** Notes in the core, and how many were of types we skip. */
  notes: { total: number; unknown: number };
  /** What the last indexing cost: bytes read from the dump and wall time. */
  indexStats: { bytesRead: number; elapsedMs: number } | null;
  /** Problems found while reading that do not stop the open (truncation, malformed notes…). */
  warnings: string[];
  openedAt: string;
  indexedAt: string;
  /** True when this open was answered from the index without parsing the dump. */
  fromIndex: boolean;
}

export interface SyscallInfo {
  nr: number;
  name: string;
  /** rdi, rsi, rdx, r10, r8, r9 as hex. */
  args: Hex[];
  /** The call as strace would print it, arguments decoded where we know them. */
  text: string;
}

export type ThreadState = 'running' | 'syscall';

export interface ThreadInfo {
  index: number;
  dbg: number;
  tid: number;
  osid: string;
  /** Thread name when known (the main thread carries the process name). */
  name: string | null;
  signal: number;
  signalName: string | null;
  state: ThreadState;
  syscall: SyscallInfo | null;
  registers: Record<string, Hex>;
}

export type ModuleKind = 'executable' | 'interpreter' | 'shared' | 'vdso' | 'file';

export interface ModuleInfo {
  index: number;
  path: string;
  name: string;
  kind: ModuleKind;
  start: Hex;
  end: Hex;
  base: Hex;
  loadBias: Hex;
  buildId: string | null;
  /** Where the build-id was read: the dump's memory, or the file on disk (unverified). */
  buildIdSource: 'memory' | 'file' | null;
  deleted: boolean;
}

export interface MappingInfo {
  start: Hex;
  end: Hex;
  fileOffset: Hex;
  path: string;
}

export interface ProgressEvent {
  jobId: string;
  phase: string;
  /** Units done and total in this phase (total 0 when unknown). */
  done: number;
  total: number;
  message: string;
}
