// Positional, bounds-checked reads from one file, with a count of bytes read so tests and
// benchmarks can prove we never read a whole dump.
import * as fs from 'node:fs';
import { DumpFormatError, DumpscopeError } from '../errors';

export interface ByteSource {
  /** A name for messages (usually the path). */
  readonly name: string;
  readonly size: number;
  /** Exactly `length` bytes at `offset`, or a TruncatedFile error naming the file and offset. */
  read(offset: number, length: number): Buffer;
  /** Up to `length` bytes at `offset` (fewer at the end of the file; empty past it). */
  readUpTo(offset: number, length: number): Buffer;
}

export interface ReadStats {
  bytesRead: number;
  reads: number;
}

/** Largest single read we ever issue; parsers ask for far less. */
export const MAX_SINGLE_READ = 256 * 1024 * 1024;

export class FileSource implements ByteSource {
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly stats: ReadStats = { bytesRead: 0, reads: 0 };
  private fd: number | null;

  private constructor(path: string, fd: number, size: number, mtimeMs: number) {
    this.name = path;
    this.fd = fd;
    this.size = size;
    this.mtimeMs = mtimeMs;
  }

  /** Opens a regular file for reading; a clear typed error for anything else. */
  static open(path: string): FileSource {
    let st: fs.Stats;
    try {
      st = fs.statSync(path);
    } catch (e) {
      throw fsError(e, path);
    }
    if (st.isDirectory()) throw new DumpscopeError('NotAFile', `${path}: is a directory, not a dump file`, { file: path });
    if (!st.isFile()) throw new DumpscopeError('NotAFile', `${path}: is not a regular file`, { file: path });
    let fd: number;
    try {
      fd = fs.openSync(path, 'r');
    } catch (e) {
      throw fsError(e, path);
    }
    return new FileSource(path, fd, st.size, st.mtimeMs);
  }

  read(offset: number, length: number): Buffer {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new DumpFormatError('BadHeader', `${this.name}: bad read of ${length} bytes at offset ${offset}`, { file: this.name });
    }
    if (offset + length > this.size) {
      throw new DumpFormatError(
        'TruncatedFile',
        `${this.name}: file is truncated: needs ${length} bytes at offset 0x${offset.toString(16)} but the file has ${this.size} bytes`,
        { file: this.name, offset, expected: `${offset + length} bytes`, actual: `${this.size} bytes` },
      );
    }
    return this.readUpTo(offset, length);
  }

  readUpTo(offset: number, length: number): Buffer {
    if (this.fd === null) throw new DumpscopeError('ReadFailed', `${this.name}: read after close`, { file: this.name });
    if (offset >= this.size || length <= 0) return Buffer.alloc(0);
    const n = Math.min(length, this.size - offset);
    if (n > MAX_SINGLE_READ) {
      throw new DumpscopeError('LimitExceeded', `${this.name}: refusing a single read of ${n} bytes`, { file: this.name, offset });
    }
    const buf = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      let got: number;
      try {
        got = fs.readSync(this.fd, buf, done, n - done, offset + done);
      } catch (e) {
        throw new DumpscopeError('ReadFailed', `${this.name}: read failed at offset 0x${(offset + done).toString(16)}: ${(e as Error).message}`, {
          file: this.name,
          offset: offset + done,
        });
      }
      if (got === 0) break; // the file shrank under us
      done += got;
      this.stats.reads++;
      this.stats.bytesRead += got;
    }
    return done === n ? buf : buf.subarray(0, done);
  }

  close(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}

function fsError(e: unknown, path: string): DumpscopeError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DumpscopeError('FileNotFound', `${path}: no such file`, { file: path });
  if (code === 'EACCES' || code === 'EPERM') return new DumpscopeError('PermissionDenied', `${path}: permission denied`, { file: path });
  if (code === 'EISDIR') return new DumpscopeError('NotAFile', `${path}: is a directory, not a dump file`, { file: path });
  return new DumpscopeError('ReadFailed', `${path}: cannot open: ${(e as Error).message}`, { file: path });
}

/** A byte source over a buffer already in memory (a section, a test fixture). */
export class BufferSource implements ByteSource {
  constructor(
    readonly name: string,
    private readonly buf: Buffer,
  ) {}
  get size(): number {
    return this.buf.length;
  }
  read(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.buf.length) {
      throw new DumpFormatError('TruncatedFile', `${this.name}: needs ${length} bytes at offset 0x${offset.toString(16)} but has ${this.buf.length}`, {
        file: this.name,
        offset,
      });
    }
    return this.buf.subarray(offset, offset + length);
  }
  readUpTo(offset: number, length: number): Buffer {
    if (offset >= this.buf.length || length <= 0) return Buffer.alloc(0);
    return this.buf.subarray(offset, Math.min(this.buf.length, offset + length));
  }
}
