// XXH32 / XXH64 against the reference's published values and against checksums that the real
// zstd and lz4 tools stored in their frames (the low 32 bits of XXH64; XXH32).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Xxh32, Xxh64, xxh32, xxh64Hex } from '../../../main/core/capture';

const enc = (s: string) => new TextEncoder().encode(s);

describe('xxhash', () => {
  it('matches the reference values for short inputs', () => {
    expect(xxh64Hex(enc(''))).toBe('ef46db3751d8e999');
    expect(xxh64Hex(enc('abc'))).toBe('44bc2cf5ad770999');
    expect(xxh32(enc(''))).toBe(0x02cc5d05);
    expect(xxh32(enc('abc'))).toBe(0x32d153ff);
  });

  it('gives the same digest whatever the piece sizes', () => {
    const data = randomBytes(100_003);
    const whole64 = new Xxh64().update(data).digest();
    const whole32 = xxh32(data);
    for (const step of [1, 7, 31, 32, 33, 4096]) {
      const h64 = new Xxh64();
      const h32 = new Xxh32();
      for (let i = 0; i < data.length; i += step) {
        h64.update(data.subarray(i, i + step));
        h32.update(data.subarray(i, i + step));
      }
      expect(h64.digest()).toEqual(whole64);
      expect(h32.digest()).toBe(whole32);
    }
  });

  it('agrees with the checksums zstd and lz4 store', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-xxh-'));
    try {
      for (const size of [0, 5, 31, 32, 1000, 1_048_579]) {
        const file = path.join(dir, `data-${size}`);
        const data = randomBytes(size);
        fs.writeFileSync(file, data);
        // zstd: the frame ends with the low 32 bits of XXH64 of the content (--check is the default)
        expect(spawnSync('zstd', ['-q', '-f', '--check', file, '-o', `${file}.zst`]).status).toBe(0);
        const zst = fs.readFileSync(`${file}.zst`);
        expect(new Xxh64().update(data).digest().lo).toBe(zst.readUInt32LE(zst.length - 4));
        // lz4: the frame ends with XXH32 of the content after the EndMark
        expect(spawnSync('lz4', ['-q', '-f', file, `${file}.lz4`]).status).toBe(0);
        const lz = fs.readFileSync(`${file}.lz4`);
        expect(xxh32(data)).toBe(lz.readUInt32LE(lz.length - 4));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
