// Types for debugger transcripts (dotnet-dump / SOS, lldb, gdb) and what we parse out of them.
// Transcript data is text, so addresses stay as lowercase "0x…" strings (leading zeros dropped)
// and thread ids are numbers. OSIDs are lowercase hex without "0x", as SOS prints them.

/** Which debugger produced a piece of transcript. `windbg` is recognised (SOS output pasted from
 * WinDbg is common online) but dumpscope does not drive it. */
export type DebuggerHost = 'dotnet-dump' | 'lldb' | 'gdb' | 'windbg' | 'unknown';

/** What a command block is, decided from the command word or, without a prompt, from its shape. */
export type CommandKind =
  | 'clrthreads'
  | 'pstacks'
  | 'clrstack'
  | 'syncblk'
  | 'setthread'
  | 'dotnet-dump-threads'
  | 'name2ee'
  | 'dumpmt'
  | 'lldb-thread-list'
  | 'lldb-backtrace'
  | 'lldb-thread-select'
  | 'gdb-info-threads'
  | 'gdb-backtrace'
  | 'unknown';

/** Stable PascalCase warning codes. */
export type WarningCode =
  | 'InputTruncated'
  | 'LineTooLong'
  | 'TooManyLines'
  | 'MixedHosts'
  | 'UnparsedLine'
  | 'MissingHeader'
  | 'BadNumber'
  | 'DuplicateThread'
  | 'AmbiguousDbg'
  | 'ConflictingIdentity'
  | 'UnknownHost'
  | 'PagerPrompt'
  | 'CountMismatch'
  | 'AmbiguousStateLayout';

export interface ParseWarning {
  code: WarningCode;
  message: string;
  /** 0-based line number in the block (parsers) or in the normalized transcript (splitter). */
  line?: number;
}

export interface TranscriptLimits {
  /** Input longer than this (in UTF-16 code units) is cut, with an InputTruncated warning. */
  maxChars: number;
  /** At most this many lines are kept. */
  maxLines: number;
  /** A line longer than this is cut for parsing (the block keeps it whole). */
  maxLineLength: number;
}

/** One command and its output. `lines` holds every normalized input line of the block, prompt
 * line included, so joining all blocks' lines gives back the whole (normalized) input. */
export interface CommandBlock {
  index: number;
  host: DebuggerHost;
  /** The prompt as printed ("> ", "(lldb) ", "(gdb) ", "0:000> "), or null for bare output. */
  prompt: string | null;
  /** The command text after the prompt (trimmed), or null for bare output. */
  command: string | null;
  kind: CommandKind;
  detectedBy: 'command' | 'shape' | 'none';
  /** 0-based index of the block's first line in the normalized transcript. */
  startLine: number;
  lines: string[];
  /** The output lines handed to parsers: the prompt line and pager prompts removed. */
  output: string[];
  pagerPrompts: number;
}

export interface Transcript {
  /** The host most blocks came from. */
  host: DebuggerHost;
  hosts: DebuggerHost[];
  blocks: CommandBlock[];
  lineCount: number;
  warnings: ParseWarning[];
}

// ---------------------------------------------------------------------------------------------
// SOS clrthreads / threads

export interface ClrThreadsSummary {
  threadCount: number | null;
  unstartedThread: number | null;
  backgroundThread: number | null;
  pendingThread: number | null;
  deadThread: number | null;
  hostedRuntime: string | null;
}

export interface ClrException {
  type: string;
  /** Address of the exception object, when printed. */
  address: string | null;
}

export interface ClrThreadRow {
  /** The DBG column: the host debugger's thread index (0-based under dotnet-dump and WinDbg,
   * lldb's 1-based index under lldb). Null for `XXXX` (no OS thread any more). */
  dbg: number | null;
  dbgRaw: string;
  managedId: number | null;
  /** OS thread id, lowercase hex without 0x; null when SOS prints 0 or a placeholder. */
  osid: string | null;
  tid: number | null;
  threadObj: string | null;
  state: number | null;
  stateHex: string | null;
  gcMode: string | null;
  allocContext: { pointer: string; limit: string } | null;
  domain: string | null;
  lockCount: number | null;
  apartment: string | null;
  /** Parenthesised role text: "Finalizer", "Threadpool Worker", "GC", "Threadpool Completion Port"… */
  roles: string[];
  exception: ClrException | null;
  /** The raw text after the Apt column. */
  trailing: string;
  /** DBG printed as XXXX: the managed Thread object outlived its OS thread. */
  dead: boolean;
  line: number;
  raw: string;
}

export interface ClrThreadsResult {
  summary: ClrThreadsSummary;
  rows: ClrThreadRow[];
  warnings: ParseWarning[];
  unparsed: string[];
}

// ---------------------------------------------------------------------------------------------
// SOS pstacks / parallelstacks

export interface PstacksNode {
  /** Frame text as printed, e.g. "System.Threading.Monitor.Enter(Object)". */
  frame: string;
  count: number;
  /** Leaf nodes carry the `~~~~` thread list: OS thread ids as printed, normalized to lowercase
   * hex without 0x. */
  threadIds: string[];
  /** True when the printed list ended with "..." (SOS shows only the first few). */
  threadIdsTruncated: boolean;
  children: PstacksNode[];
  line: number;
  /** Frames inside this one that were not kept because the stack was deeper than the tree's bound. */
  framesOmitted?: number;
}

export interface PstacksStack {
  threadIds: string[];
  threadIdsTruncated: boolean;
  count: number;
  /** Innermost frame first, root frame last. */
  frames: string[];
}

export interface PstacksResult {
  roots: PstacksNode[];
  /** One entry per `~~~~` group: the full stack its threads share. */
  stacks: PstacksStack[];
  /** From "==> N threads with M roots". */
  threadCount: number | null;
  rootCount: number | null;
  warnings: ParseWarning[];
  unparsed: string[];
}

// ---------------------------------------------------------------------------------------------
// SOS clrstack

export type ClrStackFrameKind = 'managed' | 'runtime' | 'native';

export interface ClrStackFrame {
  childSp: string | null;
  ip: string | null;
  kind: ClrStackFrameKind;
  /** For runtime frames: "PrestubMethodFrame", "GCFrame", "HelperMethodFrame_1OBJ"… */
  frameType: string | null;
  frameAddress: string | null;
  /** Method (with signature) as printed; for runtime frames, the method after the bracket. */
  method: string | null;
  /** "Module.dll" from `clrstack -f` style "Module.dll!Method + 59". */
  module: string | null;
  offset: number | null;
  file: string | null;
  line: number | null;
  /** PARAMETERS / LOCALS lines printed under the frame by `clrstack -a/-p/-l`. */
  details: string[];
  raw: string;
}

export interface ClrStackThread {
  osid: string | null;
  tid: number | null;
  /** The "(15)" after the OS thread id: the host debugger's thread index. */
  dbg: number | null;
  frames: ClrStackFrame[];
  /** e.g. "Failed to start stack walk: 80070057". */
  errors: string[];
  line: number;
}

export interface ClrStackResult {
  threads: ClrStackThread[];
  warnings: ParseWarning[];
  unparsed: string[];
}

// ---------------------------------------------------------------------------------------------
// SOS syncblk

export interface SyncBlockOwner {
  threadObj: string | null;
  osid: string | null;
  tid: number | null;
  /** Host debugger's thread index (the third sub-column). */
  dbg: number | null;
}

export interface SyncBlockEntry {
  index: number;
  syncBlock: string;
  monitorHeld: number;
  recursion: number;
  /** Null when SOS prints "none" (an orphaned lock: held by a thread that no longer exists). */
  owner: SyncBlockOwner | null;
  /** Approximate waiter count: MonitorHeld counts 1 for the owner and 2 per waiter. */
  waiters: number;
  objectAddress: string | null;
  objectType: string | null;
  line: number;
  raw: string;
}

export interface SyncBlkResult {
  entries: SyncBlockEntry[];
  total: number | null;
  free: number | null;
  ccw: number | null;
  rcw: number | null;
  comClassFactory: number | null;
  warnings: ParseWarning[];
  unparsed: string[];
}

// ---------------------------------------------------------------------------------------------
// dotnet-dump threads / setthread

export interface DotnetDumpThreadEntry {
  /** dotnet-dump's 0-based thread index. */
  index: number;
  current: boolean;
  osid: string;
  tid: number;
  line: number;
}

export interface DotnetDumpThreadsResult {
  threads: DotnetDumpThreadEntry[];
  warnings: ParseWarning[];
  unparsed: string[];
}

export type SetThreadTarget =
  | { by: 'index'; value: number }
  | { by: 'tid'; value: number }
  /** A 0x-prefixed argument: old dotnet-dump (2019 docs: `setthread 0x1dc1d`) took the OS thread
   * id; newer ones read an index. The clrstack header that follows tells which. */
  | { by: 'hex'; value: number; osid: string }
  | { by: 'none' };

export interface SetThreadResult {
  target: SetThreadTarget;
  /** `setthread` without an argument lists threads like `threads`. */
  listing: DotnetDumpThreadEntry[];
  warnings: ParseWarning[];
  unparsed: string[];
}

// ---------------------------------------------------------------------------------------------
// SOS name2ee / dumpmt -md

export interface Name2EeEntry {
  module: string | null;
  assembly: string | null;
  token: string | null;
  methodDesc: string | null;
  methodTable: string | null;
  eeClass: string | null;
  name: string | null;
  /** true: "JITTED Code Address"; false: "Not JITTED yet"; null: not a method or not printed. */
  jitted: boolean | null;
  codeAddress: string | null;
  fields: Record<string, string>;
}

export interface Name2EeResult {
  entries: Name2EeEntry[];
  warnings: ParseWarning[];
  unparsed: string[];
}

export interface DumpMtMethod {
  entry: string;
  methodDesc: string;
  /** The JIT column as printed: NONE, JIT, PreJIT, FCALL, NGEN, … */
  jit: string;
  jitted: boolean;
  name: string;
  line: number;
}

export interface DumpMtResult {
  name: string | null;
  eeClass: string | null;
  module: string | null;
  mdToken: string | null;
  file: string | null;
  fields: Record<string, string>;
  methods: DumpMtMethod[];
  warnings: ParseWarning[];
  unparsed: string[];
}

// ---------------------------------------------------------------------------------------------
// lldb

export interface LldbFrame {
  index: number;
  current: boolean;
  pc: string;
  module: string | null;
  /** Everything between the backtick and the offset / location, as printed. */
  symbol: string | null;
  /** The function this frame executes: for `outer [inlined] inner(...)`, the inner one, without
   * its argument list. */
  function: string | null;
  offset: number | null;
  file: string | null;
  line: number | null;
  column: number | null;
  inlined: boolean;
  artificial: boolean;
  /** `___lldb_unnamed_symbol14084$$libcoreclr.so`: lldb had no symbol for the address. */
  unnamedSymbol: boolean;
  raw: string;
}

export interface LldbThreadListEntry {
  index: number;
  current: boolean;
  tid: number | null;
  tidRaw: string;
  pc: string | null;
  frame: LldbFrame | null;
  name: string | null;
  queue: string | null;
  stopReason: string | null;
  line: number;
}

export interface LldbThreadListResult {
  processId: number | null;
  threads: LldbThreadListEntry[];
  warnings: ParseWarning[];
  unparsed: string[];
}

export interface LldbBacktraceThread {
  index: number;
  current: boolean;
  tid: number | null;
  name: string | null;
  queue: string | null;
  stopReason: string | null;
  frames: LldbFrame[];
  /** The article style "[...]" marker: the paste was cut. */
  truncated: boolean;
  line: number;
}

export interface LldbDisassemblyLine {
  current: boolean;
  address: string;
  offset: number | null;
  text: string;
}

export interface LldbBacktraceResult {
  threads: LldbBacktraceThread[];
  /** Disassembly printed by `thread select` / `frame select`. */
  disassembly: LldbDisassemblyLine[];
  warnings: ParseWarning[];
  unparsed: string[];
}

// ---------------------------------------------------------------------------------------------
// gdb

export interface GdbFrame {
  index: number;
  pc: string | null;
  function: string | null;
  args: string | null;
  file: string | null;
  line: number | null;
  /** "from /lib/x86_64-linux-gnu/libc.so.6" */
  library: string | null;
  /** This frame was inlined into the next one. gdb prints the pc only on the innermost frame of
   * an inline chain, so a frame N > 0 without an address means frame N-1 is inlined into it. */
  inlined: boolean;
  signalHandler: boolean;
  /** "?? ()": gdb had no symbol. */
  unknownFunction: boolean;
  raw: string;
}

export interface GdbThreadEntry {
  number: number;
  current: boolean;
  targetId: string;
  tid: number | null;
  pthread: string | null;
  name: string | null;
  frame: GdbFrame | null;
  line: number;
}

export interface GdbInfoThreadsResult {
  threads: GdbThreadEntry[];
  warnings: ParseWarning[];
  unparsed: string[];
}

export interface GdbBacktraceThread {
  /** gdb's thread number; null for a plain `bt` without a "Thread N (…)" header. */
  number: number | null;
  tid: number | null;
  pthread: string | null;
  name: string | null;
  frames: GdbFrame[];
  /** "Backtrace stopped: …" */
  stopped: string | null;
  /** "(More stack frames follow...)" */
  truncated: boolean;
  line: number;
}

export interface GdbBacktraceResult {
  threads: GdbBacktraceThread[];
  warnings: ParseWarning[];
  unparsed: string[];
}

// ---------------------------------------------------------------------------------------------
// Thread state

export type ThreadStateLayout = 'coreclr' | 'runtime' | 'unknown';

export interface ThreadStateFlag {
  bit: number;
  /** CoreCLR enum name, e.g. "TS_Background". */
  name: string;
  /** Friendly words, e.g. "background". */
  word: string;
  /** False when the bit means different things in different runtime versions and the layout
   * was not given. */
  certain: boolean;
  /** The other meaning(s) when not certain. */
  alternatives: string[];
}

export interface DecodedThreadState {
  value: number;
  hex: string;
  layout: ThreadStateLayout;
  flags: ThreadStateFlag[];
  /** Words worth showing a user (noise such as "legal to join" left out). */
  words: string[];
  /** Bits no known layout names. */
  unknownBits: number;
}

// ---------------------------------------------------------------------------------------------
// Parsed transcript and thread identity

export type ParsedCommand =
  | { kind: 'clrthreads'; block: CommandBlock; result: ClrThreadsResult }
  | { kind: 'pstacks'; block: CommandBlock; result: PstacksResult }
  | { kind: 'clrstack'; block: CommandBlock; result: ClrStackResult }
  | { kind: 'syncblk'; block: CommandBlock; result: SyncBlkResult }
  | { kind: 'setthread'; block: CommandBlock; result: SetThreadResult }
  | { kind: 'dotnet-dump-threads'; block: CommandBlock; result: DotnetDumpThreadsResult }
  | { kind: 'name2ee'; block: CommandBlock; result: Name2EeResult }
  | { kind: 'dumpmt'; block: CommandBlock; result: DumpMtResult }
  | { kind: 'lldb-thread-list'; block: CommandBlock; result: LldbThreadListResult }
  | { kind: 'lldb-backtrace'; block: CommandBlock; result: LldbBacktraceResult }
  | { kind: 'lldb-thread-select'; block: CommandBlock; result: LldbBacktraceResult }
  | { kind: 'gdb-info-threads'; block: CommandBlock; result: GdbInfoThreadsResult }
  | { kind: 'gdb-backtrace'; block: CommandBlock; result: GdbBacktraceResult }
  | { kind: 'unknown'; block: CommandBlock };

export interface ParsedTranscript {
  host: DebuggerHost;
  hosts: DebuggerHost[];
  commands: ParsedCommand[];
  lineCount: number;
  warnings: ParseWarning[];
}

export interface ThreadIdentity {
  tid: number;
  /** Lowercase hex, no 0x. */
  osid: string;
  /** dotnet-dump's 0-based index (`setthread N`), from `threads` or SOS DBG under dotnet-dump. */
  dotnetDumpIndex: number | null;
  /** lldb's 1-based `thread #N`, from lldb output or SOS DBG under lldb. */
  lldbIndex: number | null;
  /** WinDbg's 0-based thread number, from SOS DBG under WinDbg. */
  windbgIndex: number | null;
  gdbNumber: number | null;
  /** SOS's ID column (the managed thread id). */
  managedId: number | null;
  name: string | null;
  gcMode: string | null;
  lockCount: number | null;
  apartment: string | null;
  roles: string[];
  exception: ClrException | null;
  state: number | null;
  stateWords: string[];
  threadObj: string | null;
  /** Which commands contributed ("clrthreads", "lldb-thread-list", …). */
  sources: CommandKind[];
}

export interface ThreadIdentityResult {
  host: DebuggerHost;
  threads: ThreadIdentity[];
  /** clrthreads rows without an OS thread (XXXX / OSID 0): they cannot be keyed by tid. */
  deadManagedThreads: ClrThreadRow[];
  warnings: ParseWarning[];
}
