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
  /** The C library's version, when recognised (its lock layouts are read accordingly). */
  glibc: string | null;
  /** Threads whose stacks stopped early (missing memory, no unwind info…). */
  incompleteStacks: number;
  /** What the last indexing cost: bytes read from the dump and wall time. */
  indexStats: { bytesRead: number; elapsedMs: number } | null;
  /** Problems found while reading that do not stop the open (truncation, malformed notes…). */
  warnings: string[];
  openedAt: string;
  indexedAt: string;
  /** True when this open was answered from the index without parsing the dump. */
  fromIndex: boolean;
  /**
   * The file the user opened when it was compressed (core.*.zst from systemd-coredump, .gz, .xz,
   * .lz4); `path` is then the decompressed copy in the cache next to the index. Null otherwise.
   */
  originalPath?: string | null;
  /** How `originalPath` was compressed; null for a dump opened as it is. */
  compression?: CompressionKind | null;
  /**
   * Whether the file on disk is still the one indexed, as checked when this summary was made
   * (openDump, listDumps): `missing` when it is gone, `changed` when it was rewritten since (the
   * index then describes the old contents until the dump is opened again). Absent when not checked.
   */
  status?: DumpFileStatus;
}

export type CompressionKind = 'gzip' | 'zstd' | 'xz' | 'lz4';

export type DumpFileStatus = 'ok' | 'missing' | 'changed';

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
  /** What the thread waits on, with the holder when one is proven; null only when stacks were not analysed. */
  wait: WaitInfo | null;
  /** The first frame outside the C library and the dynamic loader: `module`function + offset`. */
  topFrame: string | null;
  /** Frames in the thread's stack (inline frames included). */
  frameCount: number;
  /** What .NET debugger transcripts attached to the dump say about this thread (SOS clrthreads, runtime rules); absent or null when nothing is known. */
  managed?: ManagedThreadInfo | null;
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

// ---- .NET: debugger transcripts, one thread identity, the runtime (main/core/dotnet) --------

/** Which debugger produced a transcript. `windbg` is recognised in pasted text, never run. */
export type DebuggerHost = 'dotnet-dump' | 'lldb' | 'gdb' | 'windbg' | 'unknown';

/** The debuggers dumpscope can run on a dump (main/core/engines). */
export type EngineName = 'dotnet-dump' | 'lldb' | 'gdb';

/** One command block of a transcript: what was typed (null for bare output) and what it is. */
export interface TranscriptCommand {
  index: number;
  command: string | null;
  /** clrthreads, pstacks, clrstack, syncblk, setthread, dotnet-dump-threads, name2ee, dumpmt, lldb-thread-list, lldb-backtrace, lldb-thread-select, gdb-info-threads, gdb-backtrace, unknown. */
  kind: string;
  host: DebuggerHost;
  /** 0-based line of the block in the transcript's text, and its number of lines. */
  startLine: number;
  lineCount: number;
}

export interface TranscriptInfo {
  id: number;
  /** The dump it is attached to; null for a transcript imported on its own. */
  dumpId: number | null;
  name: string;
  host: DebuggerHost;
  /**
   * Imported text, the engine dumpscope ran, or `console`: the built-in console's own commands
   * and answers (kept and searchable, never read as debugger evidence).
   */
  source: 'import' | 'console' | EngineName;
  /** `session`: an interactive console whose transcript grows with every command. */
  mode: 'text' | 'batch' | 'session';
  commands: TranscriptCommand[];
  lineCount: number;
  bytes: number;
  createdAt: string;
  updatedAt: string;
  /** What the parsers could not use, in words. */
  warnings: string[];
}

export interface TranscriptText extends TranscriptInfo {
  text: string;
}

/** What SOS says about a managed thread, and the role the runtime rules give it. */
export interface ManagedThreadInfo {
  /** SOS's ID column (the managed thread id). */
  managedId: number | null;
  /** "Cooperative" or "Preemptive" (old SOS: "Disabled" / "Enabled" preemptive GC). */
  gcMode: string | null;
  lockCount: number | null;
  apartment: string | null;
  /** SOS's parenthesised roles: "Finalizer", "Threadpool Worker", "GC"… */
  roles: string[];
  exception: { type: string; address: Hex | null } | null;
  /** The CoreCLR Thread::m_State word, and its bits in words. */
  state: Hex | null;
  stateWords: string[];
  threadObj: Hex | null;
  /** What the runtime rules say this thread does: "suspends the runtime for a ReJIT", "in cooperative mode, blocks the runtime suspension"… */
  runtimeRole: string | null;
}

/** One OS thread with every name it goes by, merged by tid from the dump and the transcripts. */
export interface ThreadIdentityRow {
  tid: number;
  /** The tid in hex without 0x, as SOS prints it. */
  osid: string;
  /** 1-based position in the dump's thread list (= lldb's `#N`); from lldb output when there is no dump. */
  index: number | null;
  /** 0-based position in the dump's thread list (= dotnet-dump's DBG); from dotnet-dump output when there is no dump. */
  dbg: number | null;
  /** As each debugger numbers the thread, when a transcript says so. */
  lldbIndex: number | null;
  dotnetDumpIndex: number | null;
  windbgIndex: number | null;
  gdbNumber: number | null;
  name: string | null;
  managedId: number | null;
  gcMode: string | null;
  lockCount: number | null;
  apartment: string | null;
  roles: string[];
  exception: { type: string; address: Hex | null } | null;
  state: Hex | null;
  stateWords: string[];
  threadObj: Hex | null;
  runtimeRole: string | null;
  /** True when the dump lists the thread, false when only a transcript names it; null without a dump. */
  inDump: boolean | null;
  /** What contributed: "dump", "clrthreads", "lldb-thread-list"… */
  sources: string[];
}

export interface ThreadIdentityTable {
  /** The debugger most transcript blocks came from. */
  host: DebuggerHost;
  threads: ThreadIdentityRow[];
  /** Managed Thread objects SOS lists without an OS thread (DBG `XXXX`): they have no tid. */
  deadManagedThreads: { managedId: number | null; threadObj: Hex | null; state: Hex | null; roles: string[] }[];
  warnings: string[];
}

/** A key under which a symbol server (Microsoft's, dotnet-symbol's SSQP layout) stores a file. */
export interface SymbolServerKey {
  /** "libcoreclr.so/elf-buildid-<id>/libcoreclr.so". */
  key: string;
  /** The file the key fetches. */
  file: string;
  /** The module itself, its debug symbols, or a file indexed under libcoreclr.so's build-id (DAC, DBI, SOS). */
  kind: 'binary' | 'symbols' | 'dac' | 'dbi' | 'sos';
}

/** A native module of the .NET runtime (libcoreclr.so, libclrjit.so, System.Native.so, the host…). */
export interface RuntimeModule {
  name: string;
  path: string;
  buildId: string | null;
  keys: SymbolServerKey[];
}

/** A managed assembly mapped into the process, read from its PE header in the dump's memory. */
export interface ManagedAssembly {
  /** The assembly's name from its metadata (Assembly table), else the file name without .dll. */
  name: string;
  nameSource: 'metadata' | 'file';
  /** Assembly version from the metadata ("4.2.0.0"), when read. */
  version: string | null;
  path: string;
  /** Every address where the file's PE header is mapped (CoreCLR maps an assembly flat and as an image). */
  bases: Hex[];
  /** Optional header SizeOfImage. */
  sizeOfImage: number | null;
  /** Bytes of the file mapped, over all its mappings. */
  mappedBytes: number;
  /** COFF TimeDateStamp: seconds since 1970 for classic builds; a hash for deterministic builds. */
  timestamp: number | null;
  timestampIso: string | null;
  /** PE32+ or PE32, and the COFF machine (0x8664 x64, 0x14c x86 / AnyCPU). */
  format: 'PE32' | 'PE32+' | null;
  machine: number | null;
  /** True when the image has a CLI header (it is managed code). */
  managed: boolean;
  /** The metadata's version string ("v4.0.30319"), when read. */
  metadataVersion: string | null;
  /** Why a field is missing (the page is not in the dump…). */
  notes: string[];
}

export interface DotnetInfo {
  runtime: RuntimeInfo | null;
  runtimeModules: RuntimeModule[];
  assemblies: ManagedAssembly[];
  warnings: string[];
}

/** The merged identity table and the runtime-aware wait-for graph of a dump and/or transcripts. */
export interface DotnetAnalysis {
  transcripts: TranscriptInfo[];
  threads: ThreadIdentityTable;
  locks: LockGraph;
}

export interface EngineStatus {
  engine: EngineName;
  available: boolean;
  /** The executable found (PATH, a configured path or a known folder). */
  path: string | null;
  /** How to install it, when it is missing. */
  installHint: string;
}

export interface EngineCommandResult {
  engine: EngineName;
  dumpId: number;
  command: string;
  /** What the debugger printed for the command (prompts removed). */
  output: string;
  durationMs: number;
  /** The session's transcript in the index (it grows with every command). */
  transcriptId: number;
}

// ---- Stacks -------------------------------------------------------------------------------

/** How a frame was found: from the thread's registers, DWARF CFI, the frame-pointer chain, a stack scan, or a managed (.NET) frame from a transcript. */
export type FrameHow = 'context' | 'cfi' | 'fp' | 'scan' | 'managed';

/** Why a stack walk stopped. */
export type StopReason = 'ok' | 'missingMemory' | 'noCfi' | 'loop' | 'depthLimit';

export interface StackFrame {
  index: number;
  pc: Hex;
  sp: Hex;
  cfa: Hex | null;
  module: string | null;
  /** Demangled function name; null when no symbol covers the pc. */
  function: string | null;
  /** The symbol as stored (mangled), when it differs. */
  rawFunction: string | null;
  /** The function's name in the debug information, as gdb's backtrace shows it, when it differs. */
  debugFunction?: string | null;
  /** pc minus the function's start. */
  offset: number | null;
  file: string | null;
  line: number | null;
  column: number | null;
  /** True for a frame of a function inlined into the next (outer) frame; it shares that frame's pc. */
  inline: boolean;
  how: FrameHow;
  /** The frame was interrupted by a signal (its pc is exact, not a return address). */
  signalFrame: boolean;
  /** For managed frames: the runtime frame kind (e.g. PrestubMethodFrame) when it is one. */
  managedFrameKind?: string | null;
  /** Where the frame's name came from: the module's symbols, or a debugger transcript (a JIT frame named by clrstack). */
  nameSource?: 'symbols' | 'transcript';
}

export interface ThreadStack {
  tid: number;
  frames: StackFrame[];
  stopReason: StopReason;
  /** Words on why the walk stopped, e.g. "no unwind info for 0x7f… (no module)". */
  stopDetail: string | null;
}

// ---- Disassembly (main/core/disasm) --------------------------------------------------------

export type DisassemblySyntax = 'att' | 'intel';

export interface DisassembledInstruction {
  address: Hex;
  /** Bytes from the start of the function it is in, as lldb prints `<+28>`; null when unknown. */
  offset: number | null;
  /**
   * Set on the first instruction of a function other than the frame's, when the window runs into
   * it (lldb prints a `module`function:` line there): that function's name.
   */
  startsFunction?: string | null;
  /** The instruction's bytes as hex pairs: "89 d0". */
  bytes: string;
  mnemonic: string;
  operands: string;
  /**
   * A direct branch's or call's destination, or a rip-relative operand's address, with its
   * symbol when one is known (`<+21>` inside the same function).
   */
  target: { address: Hex; kind: 'branch' | 'data'; symbol: string | null } | null;
  /** The frame's pc: lldb's `->`. */
  current: boolean;
  /** In a caller's frame, the call in progress: the instruction that ends at the return address. */
  callSite: boolean;
  /** Bytes that do not decode (shown as `.byte`). */
  invalid: boolean;
}

export interface Disassembly {
  pc: Hex;
  syntax: DisassemblySyntax;
  module: string | null;
  function: string | null;
  functionAddress: Hex | null;
  /**
   * How instruction boundaries before the pc were found: decoding from the function's start
   * (exact), or guessed by decoding from a few bytes back until the decoding lands on the pc
   * (x86 cannot be decoded backwards), or not at all (only the pc and what follows).
   */
  start: 'function' | 'guessed' | 'pc';
  /** Where the code bytes came from: the dump itself, or the module file whose build-id matched. */
  codeSource: 'dump' | 'file' | null;
  codeFile: string | null;
  instructions: DisassembledInstruction[];
  notes: string[];
  /** Why nothing can be shown (the code is neither in the dump nor in a matching file); null otherwise. */
  unavailable: string | null;
}

// ---- Search across dumps (search_fts) ------------------------------------------------------

export type SearchHitKind = 'frame' | 'module' | 'transcript';

export interface SearchHit {
  kind: SearchHitKind;
  /** The indexed text that matched. */
  text: string;
  /** For a frame: the thread, with every identity. */
  thread: { tid: number; index: number; dbg: number; osid: string } | null;
  /** For a frame: the first frame of that thread's stack that matches, as a debugger prints it. */
  frame: { index: number; pc: Hex; module: string | null; function: string | null; offset: number | null; file: string | null; line: number | null; inline: boolean } | null;
  /** For a module: its index and name. */
  module: { index: number; name: string; path: string } | null;
  /** For a transcript: its id in the index. */
  transcriptId: string | null;
}

export interface SearchDumpGroup {
  dump: { id: number; path: string; originalPath: string | null; process: string; pid: number; threadCount: number; openedAt: string };
  /** Matches in this dump (frames count once per thread). */
  total: number;
  hits: SearchHit[];
}

export interface SearchResults {
  query: string;
  /** fts: the trigram index (3 characters or more); like: a scan (shorter queries). */
  mode: 'fts' | 'like' | 'empty';
  groups: SearchDumpGroup[];
  /** Matches in all dumps. */
  total: number;
  /** True when more matched than `hits` hold (per dump or in all). */
  truncated: boolean;
  elapsedMs: number;
}

export type SymbolQuality = 'none' | 'dynsym' | 'symtab' | 'dwarf';

export interface ModuleSymbolStatus {
  path: string;
  name: string;
  buildId: string | null;
  /** Where the module's code (and unwind tables) came from, or null if nowhere. */
  codeFile: string | null;
  codeSource: 'dump-path' | 'symbol-folder' | 'dump-folder' | 'memory' | null;
  /** Where its symbols came from (the code file itself or a separate debug file). */
  symbolFile: string | null;
  symbolSource: 'module' | 'build-id' | 'debuglink' | 'symbol-folder' | 'dump-folder' | 'memory' | null;
  quality: SymbolQuality;
  /** Why something is missing or was rejected (e.g. a build-id mismatch). */
  notes: string[];
}

// ---- Waits and the wait-for graph ----------------------------------------------------------

export type WaitKind =
  | 'running'
  | 'mutex'
  | 'rwlock-read'
  | 'rwlock-write'
  | 'join'
  | 'condvar'
  | 'semaphore'
  | 'futex'
  | 'sleep'
  | 'io'
  | 'child'
  | 'signal'
  | 'syscall'
  | 'clr-suspend'
  | 'clr-jit'
  | 'clr-monitor'
  | 'unknown';

export interface Evidence {
  kind: 'frame' | 'memory' | 'register' | 'rule' | 'transcript';
  text: string;
  /** Frame index the evidence is about. */
  frame?: number;
  address?: Hex;
  value?: string;
}

export interface WaitInfo {
  kind: WaitKind;
  /** Plain words: "waits for mutex `b` (0x563a88a060c0) held by thread #3 (tid 2300)". */
  summary: string;
  /** True when the thread is blocked by something another thread must release. */
  isLockWait: boolean;
  /** The object waited on (futex word, lock address). */
  address: Hex | null;
  /** Its name: a symbol (`g_lock`), or where it lies ("heap", "stack of thread #3"). */
  objectName: string | null;
  /** The thread proven to hold it, from memory. */
  holderTid: number | null;
  /** A thread that probably holds it, when it cannot be proven. */
  likelyHolderTid: number | null;
  /** True when the recorded holder is not among the dump's threads (it exited). */
  holderExited: boolean;
  /** For a timed wait. */
  timeout: boolean;
  evidence: Evidence[];
}

export type GraphNodeKind = 'thread' | 'mutex' | 'rwlock' | 'condvar' | 'semaphore' | 'futex' | 'exited-thread' | 'runtime';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  tid?: number;
  address?: Hex;
  name?: string;
  label: string;
}

export type GraphEdgeKind = 'waits' | 'held-by' | 'joins' | 'likely-held-by' | 'waits-for-suspension';

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** False for edges that are likely, not proven. */
  proven: boolean;
  evidence: Evidence[];
}

export interface WaitChain {
  /** Thread tids from the first waiter to the end of the chain. */
  tids: number[];
  /** How the chain ends. */
  end: 'running' | 'sleeping' | 'io' | 'exited' | 'no-owner' | 'unknown';
  summary: string;
}

export interface LockVerdict {
  deadlock: boolean;
  /** A cycle exists only through edges that are likely, not proven (e.g. a mutex owner named by a rule, not read from memory). */
  likely?: boolean;
  summary: string;
  details: string[];
}

export interface LockGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Each proven cycle as the tids in order. */
  cycles: number[][];
  /** Cycles that close only through likely edges (`likely-held-by`), as tids in order. */
  likelyCycles?: number[][];
  chains: WaitChain[];
  verdict: LockVerdict;
}

// ---- Two dumps compared (main/core/compare) ------------------------------------------------

/** What became of a thread from dump A to dump B. */
export type ThreadCompareStatus = 'stuck' | 'progressed' | 'new' | 'exited';

export interface ComparedDump {
  dumpId: number;
  path: string;
  /** The file the user opened when it was compressed; null otherwise. */
  originalPath: string | null;
  process: string;
  args: string;
  pid: number;
  executable: string | null;
  threadCount: number;
  /** When the dump was written, as far as we know (the file's modification time, ms since the epoch). */
  capturedAtMs: number | null;
}

/** Whether two dumps are of one process. ELF cores carry no start time, so load addresses stand in for it. */
export interface ProcessIdentity {
  /** False when the dumps are certainly of different processes (or different runs of one program). */
  same: boolean;
  /** Each difference found, in words: "pid 1298 in A, 1400 in B". */
  differences: string[];
  /** What was compared, and what could not be. */
  checks: string[];
}

export interface CompareInterval {
  /** B's capture time minus A's; negative when B is the older dump. */
  ms: number;
  source: 'file-mtime';
  /** File times can be changed by a copy, so a time from them is "about". */
  approximate: boolean;
  /** "about 12 s". */
  text: string;
}

/** One side of a compared thread, as the compare view's aligned tables show it. */
export interface ThreadSide {
  index: number;
  dbg: number;
  tid: number;
  osid: string;
  name: string | null;
  managedId: number | null;
  state: ThreadState;
  waitKind: WaitKind | null;
  waitSummary: string | null;
  isLockWait: boolean;
  topFrame: string | null;
  frameCount: number;
}

/** Where two stacks of one thread part, compared by pc from the outermost frame inwards. */
export interface StackDivergence {
  /** Frames both stacks share at their outer end (thread start, main…). */
  commonOuterFrames: number;
  /** The innermost shared frame, as text; null when even the outermost frames differ. */
  lastCommonFrame: string | null;
  /** Index (0 = innermost, as in `frames`) of the first differing frame on each side; null when that side has no frame there. */
  indexA: number | null;
  indexB: number | null;
  frameA: string | null;
  frameB: string | null;
}

export interface ThreadComparison {
  /** The thread's tid (in B for a thread matched by managed id across a changed tid). */
  tid: number;
  status: ThreadCompareStatus;
  /** How the two sides were matched; null for new and exited threads. */
  matchedBy: 'tid' | 'managedId' | null;
  a: ThreadSide | null;
  b: ThreadSide | null;
  /**
   * One line per frame, innermost first, without frame numbers (so a deeper stack does not
   * renumber every line): `0x… module\`function + offset at file:line`. Ready for a text diff;
   * control characters are shown escaped, so each frame stays one line.
   */
  framesA: string[];
  framesB: string[];
  /** For a progressed thread: where its two stacks part. */
  divergence: StackDivergence | null;
  /**
   * Dumps of different processes: the tid of a thread of the other dump whose stack is the same
   * by symbols (module`function + offset, frame for frame). Null otherwise.
   */
  sameStackAs: number | null;
  /** One sentence. */
  summary: string;
}

/** A wait-for edge found in both dumps: same waiter tid, same resource address, same holder tid. */
export interface PersistentEdge {
  waiterTid: number;
  /** The node waited for: a resource ("mutex:0x…") or, for a join, the joined thread ("thread:1300"). */
  resource: string;
  resourceKind: GraphNodeKind;
  address: Hex | null;
  name: string | null;
  /** The thread holding the resource (the joined thread for a join). */
  holderTid: number;
  kind: 'waits' | 'joins';
  /** Proven from memory in both dumps (not a likely holder in either). */
  proven: boolean;
  /** The waiter is at the same frames in both dumps. */
  waiterStuck: boolean;
  holderStuck: boolean;
  inConfirmedDeadlock: boolean;
  summary: string;
}

/** A cycle present in both dumps, with the same resources and every thread at the same frames. */
export interface ConfirmedDeadlock {
  tids: number[];
  /** Graph node ids of the resources in the cycle. */
  resources: string[];
  summary: string;
}

export interface CompareVerdict {
  sameProcess: boolean;
  deadlockConfirmed: boolean;
  summary: string;
  details: string[];
  counts: Record<ThreadCompareStatus, number>;
}

// A type alias, not an interface: it must be assignable to the capture result's
// `CaptureComparison` (a Record), which only object type aliases are.
export type DumpComparison = {
  dumpA: ComparedDump;
  dumpB: ComparedDump;
  sameProcess: ProcessIdentity;
  interval: CompareInterval | null;
  /** A's threads in A's order, then the threads new in B. */
  threads: ThreadComparison[];
  persistentEdges: PersistentEdge[];
  confirmedDeadlocks: ConfirmedDeadlock[];
  /** Cycles found in only one of the dumps (tids in wait order). */
  deadlocksOnlyInA: number[][];
  deadlocksOnlyInB: number[][];
  verdict: CompareVerdict;
};

// ---- Reports (main/core/report) ------------------------------------------------------------

export type ReportFormat = 'html' | 'md' | 'json';

export interface ExportedReport {
  /** A safe file name: letters, digits, dot, dash and underscore only. */
  filename: string;
  mime: string;
  content: string;
}
