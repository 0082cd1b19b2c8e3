// Which compression a file uses, told by its first bytes (the extension only helps to explain a
// mismatch): systemd-coredump writes core.*.zst (or .xz / .lz4), people send .gz.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CompressionKind } from '../../../shared/types';
import { DumpscopeError } from '../errors';

export type { CompressionKind };

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

interface Magic {
  kind: CompressionKind | 'bzip2' | 'lz4-legacy' | 'zstd-skippable';
  bytes: number[];
  /** For skippable frames: the low nibble of the first byte is free. */
  mask?: number[];
}

const MAGICS: Magic[] = [
  { kind: 'gzip', bytes: [0x1f, 0x8b] },
  { kind: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { kind: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { kind: 'lz4', bytes: [0x04, 0x22, 0x4d, 0x18] },
  { kind: 'lz4-legacy', bytes: [0x02, 0x21, 0x4c, 0x18] },
  // Skippable frames (0x184D2A50..5F) are shared by zstd and lz4; zstd is what systemd writes.
  { kind: 'zstd-skippable', bytes: [0x50, 0x2a, 0x4d, 0x18], mask: [0xf0, 0xff, 0xff, 0xff] },
  { kind: 'bzip2', bytes: [0x42, 0x5a, 0x68] },
];

const EXTENSIONS: Record<string, CompressionKind | 'bzip2'> = {
  '.gz': 'gzip',
  '.gzip': 'gzip',
  '.zst': 'zstd',
  '.zstd': 'zstd',
  '.xz': 'xz',
  '.lz4': 'lz4',
  '.bz2': 'bzip2',
};

function matches(head: Uint8Array, m: Magic): boolean {
  if (head.length < m.bytes.length) return false;
  return m.bytes.every((b, i) => (head[i] & (m.mask?.[i] ?? 0xff)) === b);
}

function hex(head: Uint8Array): string {
  return Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Reads the first bytes of a file; null when it cannot be read (the analysis reports why). */
function readHead(file: string, n = 16): Uint8Array | null {
  let fd: number | null = null;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return null;
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(n);
    const got = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } catch {
    return null;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * The compression of `file`, or null for anything else (an ELF core, or a file the analysis
 * will reject with its own clear error). Throws UnsupportedCompression for a compression we do
 * not read, and for a file whose name promises a compression its bytes do not have.
 */
export function detectCompression(file: string): CompressionKind | null {
  const head = readHead(file);
  if (head === null || head.length === 0) return null;
  const found = MAGICS.find((m) => matches(head, m));
  const name = path.basename(file);
  if (found) {
    switch (found.kind) {
      case 'gzip':
      case 'zstd':
      case 'xz':
      case 'lz4':
        return found.kind;
      case 'zstd-skippable':
        return 'zstd';
      case 'bzip2':
        throw new DumpscopeError(
          'UnsupportedCompression',
          `${file}: is bzip2-compressed; dumpscope reads gzip, zstd, xz and lz4 cores: decompress it first (bunzip2 -k ${name})`,
          { file },
        );
      case 'lz4-legacy':
        throw new DumpscopeError(
          'UnsupportedCompression',
          `${file}: uses the legacy lz4 format (lz4 -l); dumpscope reads lz4 frames: decompress it first (lz4 -d ${name})`,
          { file },
        );
    }
  }
  const ext = path.extname(file).toLowerCase();
  const claimed = EXTENSIONS[ext];
  const isElf = ELF_MAGIC.every((b, i) => head[i] === b);
  if (claimed && !isElf) {
    throw new DumpscopeError(
      'UnsupportedCompression',
      `${file}: the name says ${claimed} but the file does not start like ${claimed} data or an ELF core (it starts with ${hex(head)})`,
      { file, offset: 0 },
    );
  }
  return null;
}

/** True when `bytes` starts like an ELF file. */
export function startsLikeElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
}

export function describeHead(bytes: Uint8Array): string {
  return hex(bytes);
}
