// What /proc says about a live process: identity (name, start time), owner, threads, memory,
// whether it runs .NET (libcoreclr.so mapped), and how large a dump of it would be. Parsers are
// pure functions of the text; readers bound every read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DumpscopeError } from '../errors';

export const MAX_PROC_TEXT = 64 * 1024;
export const MAX_MAPS_BYTES = 8 * 1024 * 1024;
const MAX_PASSWD_BYTES = 4 * 1024 * 1024;

export interface StatFields {
  comm: string;
  state: string;
  ppid: number;
  /** Field 22, in clock ticks since boot: with the pid, it names one process across pid reuse. */
  startTime: string;
}

/** Parses /proc/<pid>/stat. The name is in parentheses and may itself hold ") ". */
export function parseStat(text: string): StatFields | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state); starttime is field 22
  if (rest.length < 20) return null;
  return { comm: text.slice(open + 1, close), state: rest[0], ppid: Number(rest[1]), startTime: rest[19] };
}

export interface StatusFields {
  name: string | null;
  uid: number | null;
  threads: number | null;
  vmSizeBytes: number | null;
  vmRssBytes: number | null;
  rssAnonBytes: number | null;
}

/** Parses /proc/<pid>/status (the fields we use). */
export function parseStatus(text: string): StatusFields {
  const get = (key: string) => {
    const m = new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(text);
    return m ? m[1].trim() : null;
  };
  const kb = (key: string) => {
    const v = get(key);
    const m = v ? /^(\d+)\s*kB$/i.exec(v) : null;
    return m ? Number(m[1]) * 1024 : null;
  };
  const uidField = get('Uid');
  const threads = get('Threads');
  return {
    name: get('Name'),
    uid: uidField ? Number(uidField.split(/\s+/)[0]) : null,
    threads: threads ? Number(threads) : null,
    vmSizeBytes: kb('VmSize'),
    vmRssBytes: kb('VmRSS'),
    rssAnonBytes: kb('RssAnon'),
  };
}

export interface MapsSummary {
  /** Sum of every mapping's size. */
  totalBytes: number;
  /**
   * What gcore writes by default: everything but file-backed mappings it cannot have changed
   * (not writable), [vsyscall] and [vvar]. gcore writes reserved (---p) anonymous memory too:
   * a 16-thread program with 1 GiB of reserved malloc arenas gave a 1.06 GiB core (gdb 13.1).
   */
  dumpBytes: number;
  /** Everything but [vsyscall] and [vvar]: what `gcore -a` writes (file-backed mappings too). */
  allBytes: number;
  /** The path of libcoreclr.so when mapped: the process runs .NET (CoreCLR). */
  coreclrPath: string | null;
}

/** Parses /proc/<pid>/maps. Lines: start-end perms offset dev inode [path]. */
export function parseMaps(text: string): MapsSummary {
  let totalBytes = 0;
  let dumpBytes = 0;
  let allBytes = 0;
  let coreclrPath: string | null = null;
  const lines = text.split('\n');
  for (const line of lines) {
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S{4})\s+\S+\s+\S+\s+(\d+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const size = Number(BigInt(`0x${m[2]}`) - BigInt(`0x${m[1]}`));
    const perms = m[3];
    const inode = m[4];
    const file = m[5];
    totalBytes += size;
    if (file === '[vsyscall]' || file === '[vvar]' || file === '[vvar_vclock]') continue;
    allBytes += size;
    const fileBacked = inode !== '0' && file.startsWith('/');
    if (!fileBacked || perms[1] === 'w') dumpBytes += size;
    if (coreclrPath === null && fileBacked && path.basename(file.replace(/ \(deleted\)$/, '')) === 'libcoreclr.so') coreclrPath = file;
  }
  return { totalBytes, dumpBytes, allBytes, coreclrPath };
}

/** Reads at most `max` bytes of a /proc file (their stat size is 0, so read until the end). */
export function readProcText(file: string, max = MAX_PROC_TEXT): string {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    // Bounded by `max`.
    while (total < max) {
      const buf = Buffer.alloc(Math.min(64 * 1024, max - total));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

export interface ProcessDetails {
  pid: number;
  name: string;
  cmdline: string;
  state: string;
  ppid: number;
  startTime: string;
  uid: number | null;
  user: string | null;
  threads: number;
  vmSizeBytes: number | null;
  rssBytes: number | null;
  rssAnonBytes: number | null;
  /** Null when the memory map could not be read (permission): see `mapsError`. */
  maps: MapsSummary | null;
  mapsError: NodeJS.ErrnoException | null;
}

export interface ProcOptions {
  procRoot?: string;
  passwdFile?: string;
}

/** Reads a live process. NoSuchProcess when it does not exist (or is gone mid-read). */
export function readProcess(pid: number, opts: ProcOptions = {}): ProcessDetails {
  const root = opts.procRoot ?? '/proc';
  const dir = path.join(root, String(pid));
  let stat: StatFields | null;
  let status: StatusFields;
  try {
    stat = parseStat(readProcText(path.join(dir, 'stat')));
    status = parseStatus(readProcText(path.join(dir, 'status')));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') {
      throw new DumpscopeError('NoSuchProcess', `no process with pid ${pid} (nothing in ${dir})`, { where: `pid ${pid}` });
    }
    throw new DumpscopeError('PermissionDenied', `cannot read ${dir}: ${(e as Error).message}`, { where: `pid ${pid}` });
  }
  if (!stat) throw new DumpscopeError('NoSuchProcess', `no process with pid ${pid} (${dir}/stat is unreadable)`, { where: `pid ${pid}` });
  let cmdline = '';
  try {
    cmdline = readProcText(path.join(dir, 'cmdline'), 4096).replace(/\0+$/, '').replace(/\0/g, ' ');
  } catch {
    // exited meanwhile, or hidden: the name is enough
  }
  let maps: MapsSummary | null = null;
  let mapsError: NodeJS.ErrnoException | null = null;
  try {
    maps = parseMaps(readProcText(path.join(dir, 'maps'), MAX_MAPS_BYTES));
  } catch (e) {
    mapsError = e as NodeJS.ErrnoException;
  }
  return {
    pid,
    name: status.name ?? stat.comm,
    cmdline,
    state: stat.state,
    ppid: stat.ppid,
    startTime: stat.startTime,
    uid: status.uid,
    user: status.uid === null ? null : userName(status.uid, opts.passwdFile),
    threads: status.threads ?? 1,
    vmSizeBytes: status.vmSizeBytes,
    rssBytes: status.vmRssBytes,
    rssAnonBytes: status.rssAnonBytes,
    maps,
    mapsError,
  };
}

/**
 * True while the process that had `startTime` is still running. A zombie (exited, not yet
 * reaped) and a reused pid both count as gone.
 */
export function isSameProcessAlive(pid: number, startTime: string, procRoot = '/proc'): boolean {
  try {
    const s = parseStat(readProcText(path.join(procRoot, String(pid), 'stat')));
    return s !== null && s.startTime === startTime && s.state !== 'Z' && s.state !== 'X' && s.state !== 'x';
  } catch {
    return false;
  }
}

let passwdCache: { file: string; names: Map<number, string> } | null = null;

/** The user name of `uid` from /etc/passwd; null when not listed (e.g. a container's uid). */
export function userName(uid: number, passwdFile = '/etc/passwd'): string | null {
  if (!passwdCache || passwdCache.file !== passwdFile) {
    const names = new Map<number, string>();
    try {
      for (const line of readProcText(passwdFile, MAX_PASSWD_BYTES).split('\n')) {
        const f = line.split(':');
        if (f.length >= 3 && /^\d+$/.test(f[2]) && !names.has(Number(f[2]))) names.set(Number(f[2]), f[0]);
      }
    } catch {
      // no passwd file: numbers only
    }
    passwdCache = { file: passwdFile, names };
  }
  return passwdCache.names.get(uid) ?? null;
}

/** Numeric entries of /proc, at most `max`. */
export function listPids(procRoot = '/proc', max = 100_000): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    pids.push(Number(name));
    if (pids.length >= max) break;
  }
  return pids.sort((a, b) => a - b);
}
