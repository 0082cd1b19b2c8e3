// The whole API surface: every door (Electron IPC, HTTP + WebSocket, CLI) exposes exactly this.
// Arguments and results are plain JSON data. main/api implements it once.
import { type DumpSummary, type MappingInfo, type ModuleInfo, type ProgressEvent, type ThreadInfo } from './types';

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
}

export type ApiMethod = keyof Api;
export type ApiArgs<M extends ApiMethod> = Parameters<Api[M]>[0];
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<Api[M]>>;

/** Every method name, at run time. The check below fails to compile if one is missing. */
export const API_METHODS = ['openDump', 'listDumps', 'removeDump', 'listThreads', 'listModules', 'listMappings', 'cancelJob', 'listDirectory', 'openSample'] as const satisfies readonly ApiMethod[];

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
