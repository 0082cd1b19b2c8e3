// The whole API surface: every door (Electron IPC, HTTP + WebSocket, CLI) exposes exactly this.
// Arguments and results are plain JSON data. main/api implements it once.
import { type DumpComparison, type DumpSummary, type ExportedReport, type LockGraph, type MappingInfo, type ModuleInfo, type ModuleSymbolStatus, type ProgressEvent, type ReportFormat, type ThreadInfo, type ThreadStack } from './types';
import { type Disassembly, type DisassemblySyntax, type SearchHitKind, type SearchResults } from './types';
import { type DebuggerHost, type DotnetAnalysis, type DotnetInfo, type EngineCommandResult, type EngineName, type EngineStatus, type TranscriptInfo, type TranscriptText } from './types';

export interface OpenDumpArgs {
  path: string;
  /** Client-chosen id that tags progress events and allows cancelling. */
  jobId?: string;
  /** Re-index even when the index is fresh. */
  force?: boolean;
  /** Open a truncated core and report what is missing instead of refusing it. */
  partial?: boolean;
}

export interface DumpRef {
  dumpId: number;
}

export interface StacksArgs {
  dumpId: number;
  /** One thread's stack (by tid); every thread's when absent. */
  tid?: number;
}

export interface DisassembleArgs {
  dumpId: number;
  /** The frame's pc ("0x…"). */
  pc: string;
  /** Instructions before and after the pc (default 8 and 8, at most 200 each). */
  before?: number;
  after?: number;
  /** AT&T (default, as lldb and gdb print) or Intel. */
  syntax?: DisassemblySyntax;
  /** The pc is a return address (a caller's frame): the call before it is marked as the call in progress. */
  returnAddress?: boolean;
}

export interface SearchArgs {
  /** A substring, matched case-insensitively; any text is safe (quotes, `*`, `NEAR(`…). */
  query: string;
  /** At most this many hits in all (default 200, at most 1000). */
  limit?: number;
  /** At most this many hits per dump (default 50). */
  perDump?: number;
  /** Only these kinds of rows (default all). */
  kinds?: SearchHitKind[];
}

/** A user symbol folder, scanned once and rescanned when it changes. */
export interface SymbolFolder {
  path: string;
  addedAt: string;
  scannedAt: string | null;
  fileCount: number;
  /** The scan stopped at its bounds (depth, file count). */
  truncated: boolean;
  warnings: string[];
}

export interface ListDirectoryArgs {
  /** Folder to list; the user's home folder when absent. */
  path?: string;
  /** Include names starting with a dot. */
  showHidden?: boolean;
}

/** One entry of a folder listing (browser mode has no native file dialog). */
export interface DirectoryEntry {
  name: string;
  path: string;
  kind: 'dir' | 'file' | 'link' | 'other';
  size: number;
  mtimeMs: number;
  /** What the file's first bytes say; null when unknown or not checked (large folders). */
  looksLike: 'core' | 'elf' | 'compressed' | null;
}

export interface DirectoryListing {
  path: string;
  /** null at the file-system root. */
  parent: string | null;
  home: string;
  /** Folders first, then files, each by name. */
  entries: DirectoryEntry[];
  /** True when the folder held more entries than a listing returns. */
  truncated: boolean;
}

// ---- Capture from a live process (main/core/capture) ----------------------------------------

export interface ListProcessesArgs {
  /** Case-insensitive text matched against pid, name, command line and user. */
  filter?: string;
  /** Only processes that run .NET (libcoreclr.so mapped). */
  dotnetOnly?: boolean;
  /** At most this many entries (default 2000). */
  limit?: number;
}

/** A live process, as the "Capture from running process" dialog lists it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  name: string;
  cmdline: string;
  uid: number | null;
  user: string | null;
  threads: number;
  /** libcoreclr.so is in /proc/<pid>/maps (unknown, so false, when the map is unreadable). */
  isDotnet: boolean;
  rssBytes: number | null;
  /** About how large a full dump would be (null when the memory map is unreadable). */
  estimatedDumpBytes: number | null;
  /** False when we may not read its memory map (another user's, non-dumpable): capturing it would fail. */
  accessible: boolean;
}

/** full: all memory (the default, as the article recommends). heap, mini, triage: .NET tools only. */
export type DumpType = 'full' | 'heap' | 'mini' | 'triage';
export type CaptureTool = 'gcore' | 'dotnet-dump' | 'createdump';

export interface CaptureDumpArgs {
  pid: number;
  /** Folder for the dump(s); default `captures/` next to the index. */
  outDir?: string;
  type?: DumpType;
  /** Take a second dump `intervalMs` after the first (to see which threads are stuck). */
  twice?: boolean;
  intervalMs?: number;
  /** Tags progress events ("capture", "waiting"; indexing under `<jobId>:index-N`) and allows cancelling. */
  jobId?: string;
}

export interface CapturedDump {
  path: string;
  tool: CaptureTool;
  type: DumpType;
  bytes: number;
  /** Time the tool took to write the dump. */
  elapsedMs: number;
  startedAt: string;
  /** What the user should know about this dump (a fallback tool, unreadable regions…). */
  notes: string[];
  /** The dump as indexed right after it was written. */
  dump: DumpSummary;
}

/** The compare feature's result (issue 7), passed through unchanged; null until that feature exists. */
export type CaptureComparison = DumpComparison;

export interface CaptureResult {
  pid: number;
  process: string;
  dumps: CapturedDump[];
  compare: CaptureComparison | null;
  notes: string[];
}

/** One entry of `coredumpctl list`: a core systemd-coredump kept (or meant to keep). */
export interface CoredumpEntry {
  /** When the journal recorded it (ISO 8601), when known. */
  time: string | null;
  pid: number | null;
  uid: number | null;
  gid: number | null;
  signal: number | null;
  signalName: string | null;
  /** coredumpctl's COREFILE column: present, missing, journal, none, truncated, inaccessible, error. */
  corefile: string | null;
  exe: string | null;
  size: number | null;
  /** The stored core (e.g. /var/lib/systemd/coredump/core.app.1000.<boot>.<pid>.<usec>.zst), when found. */
  path: string | null;
}

export interface CoredumpListing {
  /** False when coredumpctl is not installed (then `message` says so). */
  available: boolean;
  entries: CoredumpEntry[];
  message: string | null;
}

// ---- Compare two dumps, export a report (main/core/compare, main/core/report) ------------

export interface CompareDumpsArgs {
  /** The earlier dump (both must be open: see openDump). */
  dumpA: number;
  /** The later dump. */
  dumpB: number;
}

export interface ExportReportArgs {
  dumpId: number;
  /** Another open dump of the same process: the report then includes the comparison (the older dump is taken as A). */
  compareWith?: number;
  format: ReportFormat;
}

// ---- .NET: transcripts, thread identities, the runtime, debuggers (main/core/dotnet, main/core/engines)

export interface ImportTranscriptArgs {
  /** A saved debugger session, pasted output or a CI log (dotnet-dump / SOS, lldb, gdb). */
  text: string;
  /** A name to show, usually the file name. */
  name: string;
  /** The dump it belongs to: it is stored with it, and its threads are merged with the dump's. */
  dumpId?: number;
  /** The debugger that printed it, when the text does not say (bare output without prompts). */
  host?: DebuggerHost;
}

export interface ImportTranscriptFileArgs {
  /** A transcript file on the machine running the API (the desktop's Import Transcript… menu). */
  path: string;
  dumpId?: number;
  host?: DebuggerHost;
}

/** A transcript as stored, with the analysis of everything known about its dump (or of itself alone). */
export interface TranscriptImport extends DotnetAnalysis {
  transcript: TranscriptInfo;
}

export interface EngineRunArgs {
  dumpId: number;
  engine: EngineName;
  /** Tags the run so cancelJob can stop it. */
  jobId?: string;
  /** Default 120 s for a batch run, 60 s for one command. */
  timeoutMs?: number;
}

export interface EngineCommandArgs extends EngineRunArgs {
  /** One debugger command, as typed in its console. */
  command: string;
}

export interface Api {
  /** Opens (indexing if needed) a dump; answered from the index when the file is unchanged. */
  openDump(args: OpenDumpArgs): Promise<DumpSummary>;
  /** Every dump in the index, most recently opened first. */
  listDumps(args: Record<string, never>): Promise<DumpSummary[]>;
  /** Removes a dump (and everything derived from it) from the index. The file is untouched. */
  removeDump(args: DumpRef): Promise<{ removed: boolean }>;
  listThreads(args: DumpRef): Promise<ThreadInfo[]>;
  listModules(args: DumpRef): Promise<ModuleInfo[]>;
  listMappings(args: DumpRef): Promise<MappingInfo[]>;
  /** Cancels a running job (e.g. an openDump); it fails with code Cancelled. */
  cancelJob(args: { jobId: string }): Promise<{ cancelled: boolean }>;
  /** Lists a folder on the machine running the API: the file browser of browser mode. */
  listDirectory(args: ListDirectoryArgs): Promise<DirectoryListing>;
  /** Opens the bundled sample dump (a lock-order deadlock), unpacked once next to the index. */
  openSample(args: { jobId?: string }): Promise<DumpSummary>;
  /** Live processes we could capture, for the capture dialog. */
  listProcesses(args: ListProcessesArgs): Promise<ProcessEntry[]>;
  /** Takes one (or, with `twice`, two) dumps of a live process and indexes them. */
  captureDump(args: CaptureDumpArgs): Promise<CaptureResult>;
  /** Cores known to systemd-coredump (`coredumpctl list`), when it is installed. */
  listCoredumps(args: Record<string, never>): Promise<CoredumpListing>;
  /** Symbolized stacks (native frames, inline frames, how each was found, why each walk stopped). */
  getStacks(args: StacksArgs): Promise<ThreadStack[]>;
  /** The wait-for graph with its cycles, chains and verdict. */
  getLocks(args: DumpRef): Promise<LockGraph>;
  /** Per module: where its code and symbols were found, their quality, and what was rejected. */
  listModuleSymbols(args: DumpRef): Promise<ModuleSymbolStatus[]>;
  listSymbolFolders(args: Record<string, never>): Promise<SymbolFolder[]>;
  /** Adds (and scans) a symbol folder; dumps opened afterwards are re-symbolized. */
  addSymbolFolder(args: { path: string }): Promise<SymbolFolder>;
  removeSymbolFolder(args: { path: string }): Promise<{ removed: boolean }>;
  /** The instructions around a pc, decoded from the dump's code (or the module file's), symbolized. Reopens the dump on demand. */
  disassemble(args: DisassembleArgs): Promise<Disassembly>;
  /** Every frame, module and transcript of every indexed dump that contains the text, grouped by dump. */
  search(args: SearchArgs): Promise<SearchResults>;
  /** Threads of two dumps matched: stuck, progressed, new, exited; persistent blockers; confirmed deadlocks; a verdict. */
  compareDumps(args: CompareDumpsArgs): Promise<DumpComparison>;
  /** A report of one dump (and its comparison with another) as HTML, Markdown or JSON, for a save dialog or a download. */
  exportReport(args: ExportReportArgs): Promise<ExportedReport>;
  /** Stores a debugger transcript (with a dump, or alone) and returns the merged thread identities and the runtime-aware wait-for graph. */
  importTranscript(args: ImportTranscriptArgs): Promise<TranscriptImport>;
  /** The same for a transcript file, read by the API (at most 32 MiB), named after the file. */
  importTranscriptFile(args: ImportTranscriptFileArgs): Promise<TranscriptImport>;
  /** Transcripts of a dump (imported, batch runs, console sessions); every stored transcript when dumpId is absent. */
  listTranscripts(args: { dumpId?: number }): Promise<TranscriptInfo[]>;
  getTranscript(args: { transcriptId: number }): Promise<TranscriptText>;
  /** Stored transcripts analysed together (e.g. a dotnet-dump and an lldb session of one process), with a dump's threads when dumpId is given. */
  analyzeTranscripts(args: { transcriptIds: number[]; dumpId?: number }): Promise<DotnetAnalysis>;
  removeTranscript(args: { transcriptId: number }): Promise<{ removed: boolean }>;
  /** Appends a built-in console command and its answer to the dump's console transcript. */
  recordConsole(args: { dumpId: number; command: string; output: string }): Promise<{ transcriptId: number }>;
  /** One identity row per thread (dump + every transcript of it) and the runtime-aware wait-for graph. */
  getDotnetAnalysis(args: DumpRef): Promise<DotnetAnalysis>;
  /** The .NET runtime of a dump: version, native runtime modules with their symbol-server keys, managed assemblies. */
  getDotnetInfo(args: DumpRef): Promise<DotnetInfo>;
  /** Which debuggers (dotnet-dump, lldb, gdb) are installed, and how to install the missing ones. */
  listEngines(args: Record<string, never>): Promise<EngineStatus[]>;
  /** Runs a debugger in batch on a dump (threads and stacks; SOS commands for dotnet-dump), stores and analyses the transcript. */
  runEngineBatch(args: EngineRunArgs): Promise<TranscriptImport>;
  /** Runs one command in the dump's interactive debugger session (started on first use); the session's transcript is stored. */
  runEngineCommand(args: EngineCommandArgs): Promise<EngineCommandResult>;
  closeEngineSession(args: { dumpId: number; engine: EngineName }): Promise<{ closed: boolean }>;
}

export type ApiMethod = keyof Api;
export type ApiArgs<M extends ApiMethod> = Parameters<Api[M]>[0];
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<Api[M]>>;

/** Every method name, at run time. The check below fails to compile if one is missing. */
export const API_METHODS = ['openDump', 'listDumps', 'removeDump', 'listThreads', 'listModules', 'listMappings', 'cancelJob', 'listDirectory', 'openSample', 'listProcesses', 'captureDump', 'listCoredumps', 'getStacks', 'getLocks', 'listModuleSymbols', 'listSymbolFolders', 'addSymbolFolder', 'removeSymbolFolder', 'disassemble', 'search', 'compareDumps', 'exportReport', 'importTranscript', 'importTranscriptFile', 'listTranscripts', 'getTranscript', 'analyzeTranscripts', 'removeTranscript', 'recordConsole', 'getDotnetAnalysis', 'getDotnetInfo', 'listEngines', 'runEngineBatch', 'runEngineCommand', 'closeEngineSession'] as const satisfies readonly ApiMethod[];

type MissingMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const _allMethodsListed: [MissingMethods] extends [never] ? true : MissingMethods = true;
void _allMethodsListed;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}

export interface ApiEvents {
  progress: ProgressEvent;
  /** The index changed (a dump was added, re-indexed or removed). */
  indexChanged: { dumpId: number | null };
}

export type ApiEventName = keyof ApiEvents;
export const API_EVENTS = ['progress', 'indexChanged'] as const satisfies readonly ApiEventName[];
