// Streaming decompression of files made by the real gzip, zstd, xz and lz4 tools (content: a
// real ELF file, /bin/true, and incompressible bytes after an ELF magic), in the variants those
// tools can write: multi-frame and multi-member files, linked and checksummed lz4 blocks, huge
// zstd windows; and what corruption and truncation give.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decompressFile, detectCompression, prepareDumpFile } from '../../../main/core/capture';
import { DumpscopeError } from '../../../main/core/errors';

let dir: string;
let elf: Buffer;
let noise: Buffer;

function sh(cmd: string): void {
  const r = spawnSync('sh', ['-c', cmd], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
}

async function decompressError(file: string, kind: 'gzip' | 'zstd' | 'xz' | 'lz4'): Promise<DumpscopeError> {
  try {
    await decompressFile(path.join(dir, file), path.join(dir, 'out.bin'), kind);
  } catch (e) {
    if (e instanceof DumpscopeError) return e;
    throw e;
  }
  throw new Error(`${file} decompressed without error`);
}

async function roundTrip(file: string, kind: 'gzip' | 'zstd' | 'xz' | 'lz4'): Promise<Buffer> {
  const out = path.join(dir, `${file}.out`);
  await decompressFile(path.join(dir, file), out, kind);
  return fs.readFileSync(out);
}

function flipByteAt(file: string, ratio: number): string {
  const b = fs.readFileSync(path.join(dir, file));
  const at = Math.floor(b.length * ratio);
  b[at] ^= 0x55;
  const name = `flipped-${file}`;
  fs.writeFileSync(path.join(dir, name), b);
  return name;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-decompress-'));
  elf = fs.readFileSync('/bin/true');
  // incompressible: zstd stores it in raw blocks, lz4 in uncompressed blocks
  noise = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), randomBytes(3 * 1024 * 1024)]);
  fs.writeFileSync(path.join(dir, 'elf'), elf);
  fs.writeFileSync(path.join(dir, 'noise'), noise);
  sh('gzip -k -f elf noise && zstd -q -f elf noise && xz -k -f elf noise && lz4 -q -f elf elf.lz4 && lz4 -q -f noise noise.lz4');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('decompressFile', () => {
  it('restores every format exactly', async () => {
    for (const [ext, kind] of [['gz', 'gzip'], ['zst', 'zstd'], ['xz', 'xz'], ['lz4', 'lz4']] as const) {
      expect((await roundTrip(`elf.${ext}`, kind)).equals(elf), ext).toBe(true);
      expect((await roundTrip(`noise.${ext}`, kind)).equals(noise), ext).toBe(true);
      expect(detectCompression(path.join(dir, `elf.${ext}`))).toBe(kind);
    }
  });

  it('reads concatenated zstd frames and gzip members, and linked or checksummed lz4 blocks', async () => {
    sh('cat elf.zst noise.zst > both.zst && cat elf.gz noise.gz > both.gz');
    const both = Buffer.concat([elf, noise]);
    expect((await roundTrip('both.zst', 'zstd')).equals(both)).toBe(true);
    expect((await roundTrip('both.gz', 'gzip')).equals(both)).toBe(true);
    // -BD: blocks refer back into earlier blocks; -BX: block checksums; -B4: 64 KiB blocks
    sh('lz4 -q -f -BD -B4 elf linked.lz4 && lz4 -q -f -BX -B4 noise blocksum.lz4 && lz4 -q -f --content-size elf sized.lz4');
    expect((await roundTrip('linked.lz4', 'lz4')).equals(elf)).toBe(true);
    expect((await roundTrip('blocksum.lz4', 'lz4')).equals(noise)).toBe(true);
    expect((await roundTrip('sized.lz4', 'lz4')).equals(elf)).toBe(true);
  });

  it('catches a flipped byte that fzstd alone would pass: the zstd content checksum', async () => {
    // In a raw block the byte is copied as is; only the frame's XXH64 can tell. (Not at 0.5:
    // 3 MiB of 128 KiB blocks puts a block header exactly there.)
    const e = await decompressError(flipByteAt('noise.zst', 0.47), 'zstd');
    expect(e.code).toBe('UnsupportedCompression');
    expect(e.message).toMatch(/flipped-noise\.zst: corrupt zstd data at offset 0x[0-9a-f]+: content checksum mismatch in the frame at 0x0 \(stored 0x[0-9a-f]+, computed 0x[0-9a-f]+\)$/);
  });

  it('catches a flipped byte in every format', async () => {
    for (const [ext, kind] of [['gz', 'gzip'], ['zst', 'zstd'], ['xz', 'xz'], ['lz4', 'lz4']] as const) {
      const e = await decompressError(flipByteAt(`noise.${ext}`, 0.6), kind);
      expect(e.code, ext).toBe('UnsupportedCompression');
      expect(e.message, ext).toContain(`flipped-noise.${ext}`);
    }
    const b = await decompressError(flipByteAt('blocksum.lz4', 0.5), 'lz4');
    expect(b.message).toMatch(/block checksum mismatch/);
  });

  it('says TruncatedFile for a file cut short, in every format', async () => {
    for (const [ext, kind] of [['gz', 'gzip'], ['zst', 'zstd'], ['xz', 'xz'], ['lz4', 'lz4']] as const) {
      const whole = fs.readFileSync(path.join(dir, `noise.${ext}`));
      fs.writeFileSync(path.join(dir, `cut.${ext}`), whole.subarray(0, Math.floor(whole.length * 0.7)));
      const e = await decompressError(`cut.${ext}`, kind);
      expect(e.code, ext).toBe('TruncatedFile');
      expect(e.message, ext).toMatch(new RegExp(`cut\\.${ext}: the ${ext === 'gz' ? 'gzip' : kind} data ends early.*the file is truncated$`));
    }
  });

  it('refuses a zstd window larger than it allows, before allocating it', async () => {
    // Streamed input: zstd cannot shrink the window to the content, so the header says 2 GiB.
    sh('cat elf | zstd -q --long=31 -c > long.zst');
    const e = await decompressError('long.zst', 'zstd');
    expect(e.code).toBe('UnsupportedCompression');
    expect(e.message).toMatch(/long\.zst: zstd frame needs a 2048 MiB window .* zstd -d --memory=2048MB$/);
  });

  it('refuses an xz dictionary larger than the decoder allows, saying how to proceed', async () => {
    sh('cat noise | xz --lzma2=dict=256MiB -c > bigdict.xz');
    const e = await decompressError('bigdict.xz', 'xz');
    expect(e.code).toBe('UnsupportedCompression');
    expect(e.message).toMatch(/bigdict\.xz: the xz data needs a larger dictionary than the xz decoder here allows: decompress it first with xz -dk bigdict\.xz$/);
  });

  it('refuses what does not decompress to an ELF file', async () => {
    sh('echo "just some text, not a core" > text && zstd -q -f text');
    const e = await decompressError('text.zst', 'zstd');
    expect(e.code).toBe('NotElf');
    expect(e.message).toMatch(/text\.zst: decompresses to something that is not an ELF core \(it starts with 6a 75 73 74/);
  });
});

describe('detectCompression', () => {
  it('goes by the bytes, not the name', () => {
    fs.copyFileSync(path.join(dir, 'elf.zst'), path.join(dir, 'core.1234'));
    expect(detectCompression(path.join(dir, 'core.1234'))).toBe('zstd');
    fs.copyFileSync(path.join(dir, 'elf'), path.join(dir, 'plain.zst'));
    expect(detectCompression(path.join(dir, 'plain.zst'))).toBeNull();
    expect(detectCompression(path.join(dir, 'no-such-file'))).toBeNull();
  });

  it('names what it cannot read and a name that lies', () => {
    sh('bzip2 -k -f elf && lz4 -q -f -l elf legacy.lz4 && echo hello > lies.gz');
    const err = (f: string) => {
      try {
        detectCompression(path.join(dir, f));
      } catch (e) {
        return e as DumpscopeError;
      }
      throw new Error(`${f}: no error`);
    };
    expect(err('elf.bz2').message).toMatch(/elf\.bz2: is bzip2-compressed; dumpscope reads gzip, zstd, xz and lz4 cores: decompress it first \(bunzip2 -k elf\.bz2\)$/);
    expect(err('legacy.lz4').message).toMatch(/legacy\.lz4: uses the legacy lz4 format \(lz4 -l\)/);
    expect(err('lies.gz').message).toMatch(/lies\.gz: the name says gzip but the file does not start like gzip data or an ELF core \(it starts with 68 65 6c 6c 6f 0a\)$/);
    expect(err('lies.gz').code).toBe('UnsupportedCompression');
  });
});

describe('prepareDumpFile', () => {
  it('decompresses once and leaves no partial file behind on failure', async () => {
    const cacheDir = path.join(dir, 'cache');
    const first = await prepareDumpFile(path.join(dir, 'noise.xz'), { cacheDir });
    expect(first).toMatchObject({ compression: 'xz', reused: false, originalPath: path.join(dir, 'noise.xz') });
    expect(fs.readFileSync(first.path).equals(noise)).toBe(true);
    const again = await prepareDumpFile(path.join(dir, 'noise.xz'), { cacheDir });
    expect(again).toEqual({ ...first, reused: true });
    await expect(prepareDumpFile(path.join(dir, 'cut.xz'), { cacheDir })).rejects.toMatchObject({ code: 'TruncatedFile' });
    expect(fs.readdirSync(cacheDir)).toEqual([path.basename(first.path)]);
    const plain = await prepareDumpFile(path.join(dir, 'elf'), { cacheDir });
    expect(plain).toEqual({ path: path.join(dir, 'elf'), originalPath: path.join(dir, 'elf'), compression: null, reused: false });
  });

  it('refuses when the cache folder has no room, before writing much', async () => {
    const cacheDir = path.join(dir, 'cache-small');
    await expect(
      prepareDumpFile(path.join(dir, 'noise.gz'), { cacheDir, reserveBytes: 0, statfs: () => ({ bavail: 256, bsize: 4096 }) }),
    ).rejects.toMatchObject({ code: 'NotEnoughSpace', message: expect.stringMatching(/noise\.gz: decompressing needs more than the 1.00 MiB free/) });
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });
});
