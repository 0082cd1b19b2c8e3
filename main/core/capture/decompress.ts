// Decompresses one compressed core into a file, streaming: input is read in 1 MiB pieces and
// output written as it comes, so memory stays bounded whatever the core's size (zstd: its window,
// at most 512 MiB, usually 8 MiB; lz4: two 4 MiB blocks; xz: its dictionary; gzip: 32 KiB).
// Errors name the compressed file: TruncatedFile when it ends early, UnsupportedCompression when
// the data is corrupt (checksums are verified for all four formats) or uses what we cannot read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import * as xzModule from 'xz-decompress';
import { type CompressionKind } from '../../../shared/types';
import { DumpscopeError, isDumpscopeError } from '../errors';
import { describeHead, startsLikeElf } from './compression';
import { Lz4StreamDecoder } from './lz4-stream';
import { ZstdStreamDecoder } from './zstd-stream';

const READ_CHUNK = 1024 * 1024;

export interface DecompressProgress {
  /** Compressed bytes read so far, and the compressed file's size. */
  read: number;
  total: number;
  /** Decompressed bytes written so far. */
  written: number;
}

export interface DecompressOptions {
  onProgress?: (p: DecompressProgress) => void;
  signal?: AbortSignal;
  /** Refuse to write more than this many bytes (the free space of the cache folder, say). */
  maxOutputBytes?: number;
}

/** Writes decompressed pieces to a file descriptor, checking the first bytes look like a core. */
class CoreSink {
  written = 0;
  private head: number[] = [];

  constructor(
    private readonly fd: number,
    private readonly source: string,
    private readonly target: string,
    private readonly maxBytes: number,
  ) {}

  write(piece: Uint8Array): void {
    if (piece.length === 0) return;
    if (this.head.length < 16) {
      for (let k = 0; k < piece.length && this.head.length < 16; k++) this.head.push(piece[k]);
      if (this.head.length >= 4 && !startsLikeElf(Uint8Array.from(this.head))) {
        throw new DumpscopeError(
          'NotElf',
          `${this.source}: decompresses to something that is not an ELF core (it starts with ${describeHead(Uint8Array.from(this.head))})`,
          { file: this.source },
        );
      }
    }
    if (this.written + piece.length > this.maxBytes) {
      throw new DumpscopeError(
        'NotEnoughSpace',
        `${this.source}: decompressing needs more than the ${formatBytes(this.maxBytes)} free in ${this.target}'s folder`,
        { file: this.source },
      );
    }
    let off = 0;
    // writeSync may write less than asked; loop until the piece is out (bounded by its length)
    while (off < piece.length) {
      let n: number;
      try {
        n = fs.writeSync(this.fd, piece, off, piece.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' || code === 'EDQUOT') {
          throw new DumpscopeError(
            'NotEnoughSpace',
            `${this.source}: no space left while decompressing into ${this.target} (${formatBytes(this.written + off)} written)`,
            { file: this.source },
          );
        }
        throw new DumpscopeError('ReadFailed', `${this.source}: cannot write the decompressed copy ${this.target}: ${(e as Error).message}`, {
          file: this.source,
        });
      }
      if (n <= 0) throw new DumpscopeError('ReadFailed', `${this.source}: cannot write ${this.target}`, { file: this.source });
      off += n;
    }
    this.written += piece.length;
  }
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[u]}`;
}

function checkAborted(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted) throw new DumpscopeError('Cancelled', `${file}: decompression cancelled`, { file });
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/** Decompresses `source` (of the given kind) into `target`, which it creates or truncates. */
export async function decompressFile(source: string, target: string, kind: CompressionKind, opts: DecompressOptions = {}): Promise<number> {
  const total = fs.statSync(source).size;
  const fd = fs.openSync(target, 'w', 0o600);
  const sink = new CoreSink(fd, source, target, opts.maxOutputBytes ?? Number.MAX_SAFE_INTEGER);
  let read = 0;
  let lastReport = 0;
  // at most ten events a second: a 4 GiB core would otherwise send thousands over IPC
  const report = (final = false) => {
    const now = Date.now();
    if (!final && now - lastReport < 100) return;
    lastReport = now;
    opts.onProgress?.({ read, total, written: sink.written });
  };
  try {
    switch (kind) {
      case 'zstd':
      case 'lz4': {
        const dec = kind === 'zstd' ? new ZstdStreamDecoder(source, (p) => sink.write(p)) : new Lz4StreamDecoder(source, (p) => sink.write(p));
        const inFd = fs.openSync(source, 'r');
        try {
          // Bounded by the file's size: each pass reads at least one byte or ends.
          for (;;) {
            checkAborted(opts.signal, source);
            // a fresh buffer per read: the decoders may keep a view of it until the next push
            const buf = Buffer.allocUnsafe(READ_CHUNK);
            const got = fs.readSync(inFd, buf, 0, READ_CHUNK, read);
            if (got === 0) break;
            read += got;
            dec.push(buf.subarray(0, got));
            report();
            await yieldToLoop();
          }
          dec.finish();
        } finally {
          fs.closeSync(inFd);
        }
        break;
      }
      case 'gzip': {
        const input = fs.createReadStream(source, { highWaterMark: READ_CHUNK });
        const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
        const out = new Writable({
          write(chunk: Buffer, _enc, cb) {
            try {
              sink.write(chunk);
              read = input.bytesRead;
              report();
              cb();
            } catch (e) {
              cb(e as Error);
            }
          },
        });
        try {
          await pipeline(input, gunzip, out, { signal: opts.signal });
        } catch (e) {
          throw mapStreamError(e, source, 'gzip', opts.signal);
        }
        read = total;
        break;
      }
      case 'xz': {
        const Xz = xzReadableStream();
        const input = fs.createReadStream(source, { highWaterMark: READ_CHUNK });
        const reader = new Xz(Readable.toWeb(input) as ReadableStream<Uint8Array>).getReader();
        try {
          // Bounded: the stream ends when the input does.
          for (;;) {
            checkAborted(opts.signal, source);
            const { done, value } = await reader.read();
            if (done) break;
            sink.write(value);
            read = input.bytesRead;
            report();
          }
        } catch (e) {
          await reader.cancel().catch(() => undefined);
          input.destroy();
          throw mapStreamError(e, source, 'xz', opts.signal);
        }
        read = total;
        break;
      }
    }
    if (sink.written === 0) throw new DumpscopeError('EmptyFile', `${source}: decompresses to nothing`, { file: source });
    report(true);
    return sink.written;
  } finally {
    fs.closeSync(fd);
  }
}

type XzCtor = new (s: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;

/** xz-decompress is CommonJS: Node's ESM loader only gives its exports as `default`. */
function xzReadableStream(): XzCtor {
  const ns = xzModule as unknown as { XzReadableStream?: XzCtor; default?: { XzReadableStream?: XzCtor } };
  const ctor = ns.XzReadableStream ?? ns.default?.XzReadableStream;
  if (!ctor) throw new Error('xz-decompress has no XzReadableStream');
  return ctor;
}

// xz-embedded's return codes, as xz-decompress reports them ("... failed with error code N").
const XZ_CODES: Record<number, { code: 'TruncatedFile' | 'UnsupportedCompression'; what: string }> = {
  2: { code: 'UnsupportedCompression', what: 'uses an integrity check xz-embedded does not support' },
  3: { code: 'UnsupportedCompression', what: 'needs more memory than allowed' },
  4: { code: 'UnsupportedCompression', what: 'needs a larger dictionary than the xz decoder here allows' },
  5: { code: 'UnsupportedCompression', what: 'is not xz data' },
  6: { code: 'UnsupportedCompression', what: 'uses xz options (filters) that are not supported' },
  7: { code: 'UnsupportedCompression', what: 'is corrupt (the data or its check does not match)' },
  8: { code: 'TruncatedFile', what: 'ends early: the file is truncated' },
};

function mapStreamError(e: unknown, file: string, kind: 'gzip' | 'xz', signal?: AbortSignal): Error {
  if (isDumpscopeError(e)) return e;
  if (signal?.aborted) return new DumpscopeError('Cancelled', `${file}: decompression cancelled`, { file });
  const err = e as NodeJS.ErrnoException & { errno?: number };
  const msg = err instanceof Error ? err.message : String(e);
  if (kind === 'gzip') {
    if (err.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(msg)) {
      return new DumpscopeError('TruncatedFile', `${file}: the gzip data ends early: the file is truncated`, { file });
    }
    if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR') {
      return new DumpscopeError('ReadFailed', `${file}: cannot read: ${msg}`, { file });
    }
    return new DumpscopeError('UnsupportedCompression', `${file}: corrupt gzip data: ${msg}`, { file });
  }
  const m = /error code (\d+)/.exec(msg);
  const known = m ? XZ_CODES[Number(m[1])] : undefined;
  if (known) {
    // what xz itself can still read (a large dictionary, other filters): say how
    const hint = m && ['2', '3', '4', '6'].includes(m[1]) ? `: decompress it first with xz -dk ${path.basename(file)}` : '';
    return new DumpscopeError(known.code, `${file}: the xz data ${known.what}${hint}`, { file });
  }
  return new DumpscopeError('UnsupportedCompression', `${file}: cannot decompress the xz data: ${msg}`, { file });
}
