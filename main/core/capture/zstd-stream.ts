// Streaming zstd: a small walker over frame and block headers splits the input into frames and
// feeds each to its own fzstd Decompress, so that (1) each frame's content checksum (low 32 bits
// of XXH64, which fzstd skips) is checked, (2) a truncated file is told apart from a corrupt one,
// and (3) windows larger than we allow are refused before fzstd allocates them.
// Format: RFC 8878. Only headers are parsed here; fzstd decodes the blocks.
import { Decompress } from 'fzstd';
import { DumpscopeError, isDumpscopeError } from '../errors';
import { Xxh64 } from './xxhash';

/** fzstd allocates the whole window up front; refuse frames that need more than this. */
export const MAX_ZSTD_WINDOW = 512 * 1024 * 1024;
const MAX_BLOCK = 128 * 1024;

type State =
  | { s: 'magic' }
  | { s: 'fhd' }
  | { s: 'header'; need: number }
  | { s: 'blockHeader' }
  | { s: 'blockBody'; left: number; last: boolean }
  | { s: 'checksum' }
  | { s: 'skipSize' }
  | { s: 'skipBody'; left: number };

interface Frame {
  dec: Decompress;
  hash: Xxh64;
  checksum: boolean;
  contentSize: number | null;
  produced: number;
  startOffset: number;
}

export class ZstdStreamDecoder {
  private state: State = { s: 'magic' };
  /** Header bytes being collected (at most 18). */
  private hdr: number[] = [];
  private frame: Frame | null = null;
  private frames = 0;
  /** Offset in the compressed file of the next byte pushed. */
  private offset = 0;

  constructor(
    private readonly file: string,
    private readonly out: (chunk: Uint8Array) => void,
  ) {}

  private corrupt(what: string, at = this.offset): never {
    throw new DumpscopeError('UnsupportedCompression', `${this.file}: corrupt zstd data at offset 0x${at.toString(16)}: ${what}`, {
      file: this.file,
      offset: at,
    });
  }

  /** Pushes the next piece of the compressed file. The piece must not be reused by the caller. */
  push(chunk: Uint8Array): void {
    let i = 0;
    let segStart = this.frame ? 0 : -1;
    const n = chunk.length;
    while (i < n) {
      const st = this.state;
      switch (st.s) {
        case 'magic':
        case 'fhd':
        case 'header':
        case 'checksum':
        case 'skipSize': {
          const need = st.s === 'magic' || st.s === 'checksum' || st.s === 'skipSize' ? 4 : st.s === 'fhd' ? 5 : 5 + st.need;
          const take = Math.min(need - this.hdr.length, n - i);
          for (let k = 0; k < take; k++) this.hdr.push(chunk[i + k]);
          i += take;
          this.offset += take;
          if (this.hdr.length < need) break;
          if (st.s === 'magic') {
            this.onMagic();
          } else if (st.s === 'fhd' || st.s === 'header') {
            if (st.s === 'fhd') this.onDescriptor();
            else this.onHeaderBytes();
            // the header went to fzstd from `hdr`; this chunk's frame bytes start here
            if (this.frame) segStart = i;
          } else if (st.s === 'checksum') {
            this.endFrame(chunk.subarray(segStart, i), this.hdr.slice(0, 4));
            segStart = -1;
          } else {
            const size = (this.hdr[0] | (this.hdr[1] << 8) | (this.hdr[2] << 16) | (this.hdr[3] << 24)) >>> 0;
            this.hdr = [];
            this.state = size > 0 ? { s: 'skipBody', left: size } : { s: 'magic' };
          }
          break;
        }
        case 'blockHeader': {
          const take = Math.min(3 - this.hdr.length, n - i);
          for (let k = 0; k < take; k++) this.hdr.push(chunk[i + k]);
          i += take;
          this.offset += take;
          if (this.hdr.length < 3) break;
          const v = this.hdr[0] | (this.hdr[1] << 8) | (this.hdr[2] << 16);
          this.hdr = [];
          const last = (v & 1) === 1;
          const type = (v >> 1) & 3;
          const size = v >>> 3;
          if (type === 3) this.corrupt('reserved block type', this.offset - 3);
          if (type !== 1 && size > MAX_BLOCK) this.corrupt(`block of ${size} bytes (the limit is 128 KiB)`, this.offset - 3);
          const body = type === 1 ? 1 : size;
          if (body > 0) this.state = { s: 'blockBody', left: body, last };
          else this.afterBlock(last);
          if (this.state.s === 'magic') {
            // a frame without checksum ended with an empty last block
            this.endFrame(chunk.subarray(segStart, i), null);
            segStart = -1;
          }
          break;
        }
        case 'blockBody': {
          const take = Math.min(st.left, n - i);
          i += take;
          this.offset += take;
          st.left -= take;
          if (st.left > 0) break;
          this.afterBlock(st.last);
          if (this.state.s === 'magic') {
            this.endFrame(chunk.subarray(segStart, i), null);
            segStart = -1;
          }
          break;
        }
        case 'skipBody': {
          const take = Math.min(st.left, n - i);
          i += take;
          this.offset += take;
          st.left -= take;
          if (st.left === 0) this.state = { s: 'magic' };
          break;
        }
      }
    }
    if (this.frame && segStart >= 0 && segStart < n) this.feed(chunk.subarray(segStart), false);
  }

  /** Call at the end of the file: a frame left open means the file was cut short. */
  finish(): void {
    if (this.state.s !== 'magic' || this.hdr.length > 0) {
      throw new DumpscopeError(
        'TruncatedFile',
        `${this.file}: the zstd data ends early at offset 0x${this.offset.toString(16)} (inside ${this.frame ? 'a frame' : 'a frame header'}): the file is truncated`,
        { file: this.file, offset: this.offset },
      );
    }
    if (this.frames === 0) this.corrupt('no zstd frame in the file', 0);
  }

  private onMagic(): void {
    const h = this.hdr;
    const m = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
    if (m === 0xfd2fb528) {
      // hdr keeps the magic: fzstd needs the whole frame, and onHeaderBytes feeds the header
      this.state = { s: 'fhd' };
      return;
    }
    if ((m & 0xfffffff0) === 0x184d2a50) {
      this.hdr = [];
      this.state = { s: 'skipSize' };
      return;
    }
    this.corrupt(
      this.frames === 0
        ? 'not a zstd frame'
        : `data after frame ${this.frames} is not a zstd frame (bytes ${h.map((b) => b.toString(16).padStart(2, '0')).join(' ')})`,
      this.offset - 4,
    );
  }

  private onDescriptor(): void {
    const fhd = this.hdr[4];
    if (fhd & 0x08) this.corrupt('reserved bit set in the frame header', this.offset - 1);
    const single = (fhd >> 5) & 1;
    const dictFlag = fhd & 3;
    const fcsFlag = fhd >> 6;
    const dictBytes = [0, 1, 2, 4][dictFlag];
    const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
    const rest = (single ? 0 : 1) + dictBytes + fcsBytes;
    if (rest === 0) this.onHeaderBytes();
    else this.state = { s: 'header', need: rest };
  }

  private onHeaderBytes(): void {
    const h = this.hdr;
    const fhd = h[4];
    const single = (fhd >> 5) & 1;
    const dictFlag = fhd & 3;
    const fcsFlag = fhd >> 6;
    let p = 5;
    let window = 0;
    if (!single) {
      const wd = h[p++];
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    const dictBytes = [0, 1, 2, 4][dictFlag];
    let dictId = 0;
    for (let k = 0; k < dictBytes; k++) dictId += h[p++] * 2 ** (8 * k);
    const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
    let contentSize: number | null = null;
    if (fcsBytes > 0) {
      contentSize = 0;
      for (let k = 0; k < fcsBytes; k++) contentSize += h[p++] * 2 ** (8 * k);
      if (fcsBytes === 2) contentSize += 256;
    }
    if (single) window = contentSize ?? 0;
    const at = this.offset - h.length;
    if (dictId !== 0) {
      throw new DumpscopeError(
        'UnsupportedCompression',
        `${this.file}: zstd frame at offset 0x${at.toString(16)} needs dictionary ${dictId}, which dumpscope does not have: decompress it with zstd -D <dictionary> first`,
        { file: this.file, offset: at },
      );
    }
    if (window > MAX_ZSTD_WINDOW) {
      const mib = Math.ceil(window / 1048576);
      throw new DumpscopeError(
        'UnsupportedCompression',
        `${this.file}: zstd frame needs a ${mib} MiB window (more than the ${MAX_ZSTD_WINDOW / 1048576} MiB dumpscope allows): decompress it first with zstd -d --memory=${mib}MB`,
        { file: this.file, offset: at },
      );
    }
    const frame: Frame = {
      dec: new Decompress(),
      hash: new Xxh64(),
      checksum: ((fhd >> 2) & 1) === 1,
      contentSize,
      produced: 0,
      startOffset: at,
    };
    frame.dec.ondata = (data: Uint8Array) => {
      if (data.length === 0) return;
      frame.produced += data.length;
      frame.hash.update(data);
      this.out(data);
    };
    this.frame = frame;
    this.frames++;
    // The header bytes (collected across pushes) go to fzstd as one piece of their own.
    this.feed(Uint8Array.from(h), false);
    this.hdr = [];
    this.state = { s: 'blockHeader' };
  }

  private afterBlock(last: boolean): void {
    if (!last) this.state = { s: 'blockHeader' };
    else if (this.frame?.checksum) this.state = { s: 'checksum' };
    else this.state = { s: 'magic' };
  }

  private feed(piece: Uint8Array, final: boolean): void {
    const f = this.frame;
    if (!f) return;
    try {
      f.dec.push(piece, final);
    } catch (e) {
      // our own errors (from the output sink) pass through fzstd's callback unchanged
      if (isDumpscopeError(e)) throw e;
      this.corrupt(`cannot decode the frame that starts at 0x${f.startOffset.toString(16)}: ${(e as Error).message}`);
    }
  }

  private endFrame(tail: Uint8Array, checksum: number[] | null): void {
    const f = this.frame;
    if (!f) return;
    this.feed(tail.slice(), true);
    this.frame = null;
    this.hdr = [];
    this.state = { s: 'magic' };
    if (f.contentSize !== null && f.produced !== f.contentSize) {
      this.corrupt(`the frame at 0x${f.startOffset.toString(16)} declares ${f.contentSize} bytes but holds ${f.produced}`);
    }
    if (checksum) {
      const expected = (checksum[0] | (checksum[1] << 8) | (checksum[2] << 16) | (checksum[3] << 24)) >>> 0;
      const actual = f.hash.digest().lo;
      if (expected !== actual) {
        this.corrupt(
          `content checksum mismatch in the frame at 0x${f.startOffset.toString(16)} (stored 0x${expected.toString(16)}, computed 0x${actual.toString(16)})`,
        );
      }
    }
  }
}
