// The file browser behind listDirectory: browser mode has no native dialog, so the renderer
// lists folders of the machine the API runs on. Bounded: a huge folder costs one readdir and at
// most MAX_ENTRIES stats, and only the first MAX_SNIFFED files have their first bytes read.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type DirectoryEntry, type DirectoryListing, type ListDirectoryArgs } from '../../shared/api';
import { DumpscopeError } from '../core/errors';

const MAX_ENTRIES = 5000;
const MAX_SNIFFED = 1000;

export function listDirectory(args: ListDirectoryArgs): DirectoryListing {
  const home = os.homedir();
  const dir = path.resolve(args.path ?? home);
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw folderError(dir, e);
  }
  const visible = names.filter((d) => args.showHidden || !d.name.startsWith('.'));
  const truncated = visible.length > MAX_ENTRIES;
  visible.sort((a, b) => Number(isDirLike(b, dir)) - Number(isDirLike(a, dir)) || a.name.localeCompare(b.name));
  let sniffed = 0;
  const entries: DirectoryEntry[] = visible.slice(0, MAX_ENTRIES).map((d) => {
    const full = path.join(dir, d.name);
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(full); // follows links: a link to a folder browses like a folder
    } catch {
      /* dangling link or vanished entry: listed without size */
    }
    const kind: DirectoryEntry['kind'] = st?.isDirectory() ? 'dir' : st?.isFile() ? 'file' : d.isSymbolicLink() ? 'link' : 'other';
    const looksLike = kind === 'file' && st && st.size > 0 && sniffed++ < MAX_SNIFFED ? sniff(full) : null;
    return { name: d.name, path: full, kind, size: st?.size ?? 0, mtimeMs: st?.mtimeMs ?? 0, looksLike };
  });
  const parent = path.dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, home, entries, truncated };
}

function isDirLike(d: fs.Dirent, dir: string): boolean {
  if (d.isDirectory()) return true;
  if (!d.isSymbolicLink()) return false;
  try {
    return fs.statSync(path.join(dir, d.name)).isDirectory();
  } catch {
    return false;
  }
}

/** Reads 18 bytes: ELF magic and e_type (4 = ET_CORE), or a compressor's magic. */
function sniff(file: string): DirectoryEntry['looksLike'] {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(18);
    const n = fs.readSync(fd, b, 0, 18, 0);
    if (n >= 18 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46) {
      const type = b[5] === 2 ? b.readUInt16BE(16) : b.readUInt16LE(16);
      return type === 4 ? 'core' : 'elf';
    }
    if (n >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'compressed'; // gzip
    if (n >= 4 && b.readUInt32LE(0) === 0xfd2fb528) return 'compressed'; // zstd
    if (n >= 6 && b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'compressed'; // xz
    if (n >= 4 && b.readUInt32LE(0) === 0x184d2204) return 'compressed'; // lz4 frame
    return null;
  } catch {
    return null;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

function folderError(dir: string, e: unknown): DumpscopeError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DumpscopeError('FileNotFound', `${dir}: no such folder`, { file: dir });
  if (code === 'ENOTDIR') return new DumpscopeError('BadRequest', `${dir}: not a folder`, { file: dir });
  if (code === 'EACCES' || code === 'EPERM') return new DumpscopeError('PermissionDenied', `${dir}: permission denied`, { file: dir });
  return new DumpscopeError('ReadFailed', `${dir}: cannot list the folder: ${(e as Error).message}`, { file: dir });
}
