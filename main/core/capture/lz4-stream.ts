// Streaming lz4 (frame format, as `lz4` and systemd-coredump write it). lz4js decodes a frame
// only when it is wholly in memory, so we parse the frame ourselves and give it one block at a
// time (a block is at most 4 MiB): memory stays at about two blocks plus the 64 KiB window of
// linked blocks. lz4js's block decoder does not check bounds, so the result is checked here and
// the frame's checksums (header, blocks, content: XXH32) are verified when present.
// Format: https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md
import { createRequire } from 'node:module';
import { DumpscopeError } from '../errors';
import { Xxh32, xxh32 } from './xxhash';

const WINDOW = 64 * 1024;
const BLOCK_SIZES: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

type State =
  | { s: 'magic' }
  | { s: 'descriptor'; need: number }
  | { s: 'blockSize' }
  | { s: 'blockData'; size: number; raw: boolean }
  | { s: 'blockChecksum'; size: number; raw: boolean }
  | { s: 'contentChecksum' }
  | { s: 'skipSize' }
  | { s: 'skipBody'; left: number };

interface Frame {
  independent: boolean;
  blockChecksum: boolean;
  contentChecksum: boolean;
  contentSize: number | null;
  maxBlock: number;
  hash: Xxh32;
  produced: number;
  startOffset: number;
  /** Window + one block: linked blocks refer back up to 64 KiB into earlier output. */
  dst: Uint8Array;
  windowLen: number;
}

/**
 * lz4js 0.2.0's block decoder: decodes `src[sIndex, sIndex + sLength)` into `dst` from `dIndex`
 * and returns the index after the last byte written. It checks no bounds: callers check.
 */
type DecompressBlock = (src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number) => number;

/** lz4js is plain CommonJS without types: loaded with require, typed here for the one function. */
function blockDecoder(): DecompressBlock {
  const mod = createRequire(import.meta.url)('lz4js') as { decompressBlock?: unknown };
  if (typeof mod.decompressBlock !== 'function') throw new Error('lz4js has no decompressBlock');
  return mod.decompressBlock as DecompressBlock;
}

export class Lz4StreamDecoder {
  private state: State = { s: 'magic' };
  private hdr: number[] = [];
  private frame: Frame | null = null;
  private frames = 0;
  private offset = 0;
  private block: Uint8Array = new Uint8Array(0);
  private blockLen = 0;
  private readonly decodeBlock = blockDecoder();

  constructor(
    private readonly file: string,
    private readonly out: (chunk: Uint8Array) => void,
  ) {}

  private corrupt(what: string, at = this.offset): never {
    throw new DumpscopeError('UnsupportedCompression', `${this.file}: corrupt lz4 data at offset 0x${at.toString(16)}: ${what}`, {
      file: this.file,
      offset: at,
    });
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      const st = this.state;
      if (st.s === 'blockData') {
        const take = Math.min(st.size - this.blockLen, n - i);
        this.block.set(chunk.subarray(i, i + take), this.blockLen);
        this.blockLen += take;
        i += take;
        this.offset += take;
        if (this.blockLen === st.size) {
          if (this.frame?.blockChecksum) this.state = { s: 'blockChecksum', size: st.size, raw: st.raw };
          else this.decode(st.size, st.raw);
        }
        continue;
      }
      if (st.s === 'skipBody') {
        const take = Math.min(st.left, n - i);
        i += take;
        this.offset += take;
        st.left -= take;
        if (st.left === 0) this.state = { s: 'magic' };
        continue;
      }
      const need = st.s === 'descriptor' ? st.need : 4;
      const take = Math.min(need - this.hdr.length, n - i);
      for (let k = 0; k < take; k++) this.hdr.push(chunk[i + k]);
      i += take;
      this.offset += take;
      if (this.hdr.length < need) continue;
      const h = this.hdr;
      const word = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
      switch (st.s) {
        case 'magic':
          this.onMagic(word);
          break;
        case 'descriptor':
          this.onDescriptor();
          break;
        case 'blockSize':
          this.hdr = [];
          this.onBlockSize(word);
          break;
        case 'blockChecksum': {
          this.hdr = [];
          const actual = xxh32(this.block.subarray(0, st.size));
          if (actual !== word) this.corrupt(`block checksum mismatch (stored 0x${word.toString(16)}, computed 0x${actual.toString(16)})`);
          this.decode(st.size, st.raw);
          break;
        }
        case 'contentChecksum': {
          this.hdr = [];
          const f = this.frame;
          const actual = f?.hash.digest() ?? 0;
          if (actual !== word) {
            this.corrupt(`content checksum mismatch (stored 0x${word.toString(16)}, computed 0x${actual.toString(16)})`);
          }
          this.endFrame();
          break;
        }
        case 'skipSize':
          this.hdr = [];
          this.state = word > 0 ? { s: 'skipBody', left: word } : { s: 'magic' };
          break;
      }
    }
  }

  finish(): void {
    if (this.state.s !== 'magic' || this.hdr.length > 0) {
      throw new DumpscopeError(
        'TruncatedFile',
        `${this.file}: the lz4 data ends early at offset 0x${this.offset.toString(16)} (inside ${this.frame ? 'a frame' : 'a frame header'}): the file is truncated`,
        { file: this.file, offset: this.offset },
      );
    }
    if (this.frames === 0) this.corrupt('no lz4 frame in the file', 0);
  }

  private onMagic(word: number): void {
    if (word === 0x184d2204) {
      // FLG, BD, then optional content size and dictionary id, then HC: length known after FLG
      this.state = { s: 'descriptor', need: 4 + 3 };
      return;
    }
    this.hdr = [];
    if ((word & 0xfffffff0) === 0x184d2a50) {
      this.state = { s: 'skipSize' };
      return;
    }
    if (word === 0x184c2102) {
      throw new DumpscopeError('UnsupportedCompression', `${this.file}: uses the legacy lz4 format (lz4 -l): decompress it first with lz4 -d`, {
        file: this.file,
        offset: this.offset - 4,
      });
    }
    this.corrupt(this.frames === 0 ? 'not an lz4 frame' : `data after frame ${this.frames} is not an lz4 frame`, this.offset - 4);
  }

  private onDescriptor(): void {
    const h = this.hdr;
    const flg = h[4];
    const full = 4 + 2 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0) + 1;
    if (h.length < full) {
      this.state = { s: 'descriptor', need: full };
      return;
    }
    const at = this.offset - full;
    if (flg >> 6 !== 1) this.corrupt(`frame version ${flg >> 6} (only version 1 exists)`, at + 4);
    if (flg & 0x02) this.corrupt('reserved bit set in the frame descriptor', at + 4);
    const bd = h[5];
    const maxBlock = BLOCK_SIZES[(bd >> 4) & 7];
    if ((bd & 0x8f) !== 0 || maxBlock === undefined) this.corrupt(`bad block-size byte 0x${bd.toString(16)}`, at + 5);
    if (flg & 0x01) {
      throw new DumpscopeError('UnsupportedCompression', `${this.file}: the lz4 frame needs a dictionary: decompress it first with lz4 -d -D <dictionary>`, {
        file: this.file,
        offset: at,
      });
    }
    const hc = h[full - 1];
    const expected = (xxh32(Uint8Array.from(h.slice(4, full - 1))) >>> 8) & 0xff;
    if (hc !== expected) this.corrupt(`frame header checksum mismatch (stored 0x${hc.toString(16)}, computed 0x${expected.toString(16)})`, at);
    let contentSize: number | null = null;
    if (flg & 0x08) {
      contentSize = 0;
      for (let k = 0; k < 8; k++) contentSize += h[6 + k] * 2 ** (8 * k);
    }
    const independent = (flg & 0x20) !== 0;
    this.frame = {
      independent,
      blockChecksum: (flg & 0x10) !== 0,
      contentChecksum: (flg & 0x04) !== 0,
      contentSize,
      maxBlock,
      hash: new Xxh32(),
      produced: 0,
      startOffset: at,
      dst: new Uint8Array((independent ? 0 : WINDOW) + maxBlock),
      windowLen: 0,
    };
    if (this.block.length < maxBlock) this.block = new Uint8Array(maxBlock);
    this.frames++;
    this.hdr = [];
    this.state = { s: 'blockSize' };
  }

  private onBlockSize(word: number): void {
    const f = this.frame;
    if (!f) return;
    if (word === 0) {
      // EndMark
      if (f.contentChecksum) this.state = { s: 'contentChecksum' };
      else this.endFrame();
      return;
    }
    const raw = (word & 0x80000000) !== 0;
    const size = word & 0x7fffffff;
    if (size > f.maxBlock) this.corrupt(`block of ${size} bytes in a frame of ${f.maxBlock}-byte blocks`, this.offset - 4);
    this.blockLen = 0;
    this.state = { s: 'blockData', size, raw };
  }

  private decode(size: number, raw: boolean): void {
    const f = this.frame;
    if (!f) return;
    const start = f.windowLen;
    let end: number;
    if (raw) {
      f.dst.set(this.block.subarray(0, size), start);
      end = start + size;
    } else {
      end = this.decodeBlock(this.block, f.dst, 0, size, start);
      // lz4js writes past the end silently (a typed array drops those writes): check instead
      if (!Number.isSafeInteger(end) || end < start || end > start + f.maxBlock) {
        this.corrupt(`a block decodes to ${Number.isSafeInteger(end) ? end - start : 'an invalid number of'} bytes (at most ${f.maxBlock})`);
      }
    }
    const piece = f.dst.subarray(start, end);
    f.produced += piece.length;
    if (f.contentChecksum) f.hash.update(piece);
    this.out(piece);
    if (!f.independent) {
      // keep the last 64 KiB of output at the start of dst for the next (linked) block
      const keep = Math.min(WINDOW, end);
      f.dst.copyWithin(0, end - keep, end);
      f.windowLen = keep;
    }
    this.state = { s: 'blockSize' };
  }

  private endFrame(): void {
    const f = this.frame;
    this.frame = null;
    this.hdr = [];
    this.state = { s: 'magic' };
    if (f && f.contentSize !== null && f.produced !== f.contentSize) {
      this.corrupt(`the frame at 0x${f.startOffset.toString(16)} declares ${f.contentSize} bytes but holds ${f.produced}`);
    }
  }
}
