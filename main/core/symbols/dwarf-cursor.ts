// A bounds-checked little-endian reader over one DWARF section (or a slice of one).
// Addresses are read as JS numbers: user-space link-time addresses fit in 2^53 with room to
// spare, and numbers keep the hot loops (line programs, DIE walks) fast. A u64 that does not
// fit (a tombstone like 0xffffffffffffffff or -2 for a discarded function) reads as
// `BAD_ADDRESS`, which callers treat as "no address".
import { DumpFormatError } from '../errors';
import { BoundedReader } from '../io';

/** An address that does not fit in 2^53, or a DWARF tombstone: never matches a pc. */
export const BAD_ADDRESS = -1;

const TWO32 = 4294967296;
const HI_LIMIT = 1 << 21; // hi word below 2^21 keeps lo + hi * 2^32 exact

export class DwarfCursor extends BoundedReader {
  constructor(
    buf: Buffer,
    /** Section name and file for messages. */
    readonly where: { section: string; file: string },
    start = 0,
    /** End of the readable region (exclusive); defaults to the buffer's end. */
    end = buf.length,
  ) {
    super(buf, start, end);
  }

  fail(message: string, at = this.pos): never {
    throw new DumpFormatError('BadDwarf', `${this.where.file}: ${this.where.section} at offset 0x${at.toString(16)}: ${message}`, {
      file: this.where.file,
      offset: at,
      where: this.where.section,
    });
  }

  u24(): number {
    this.need(3);
    const v = this.buf[this.pos] | (this.buf[this.pos + 1] << 8) | (this.buf[this.pos + 2] << 16);
    this.pos += 3;
    return v;
  }

  /** A u64 as a number; values past 2^53 read as BAD_ADDRESS. */
  u64(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return hi < HI_LIMIT ? hi * TWO32 + lo : BAD_ADDRESS;
  }

  /** An unsigned value of 1, 2, 4 or 8 bytes. */
  uN(size: number): number {
    switch (size) {
      case 1:
        return this.u8();
      case 2:
        return this.u16();
      case 4:
        return this.u32();
      case 8:
        return this.u64();
      default:
        return this.fail(`unsupported value size ${size}`);
    }
  }

  /** Unsigned LEB128 as a number; values past 2^53 (never valid offsets or counts) are an error. */
  uleb(): number {
    let result = 0;
    let mul = 1;
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('LEB128 runs past the end', start);
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (result > Number.MAX_SAFE_INTEGER) return BAD_ADDRESS;
        return result;
      }
      mul *= 128;
    }
    return this.fail('LEB128 longer than 10 bytes', start);
  }

  /** Signed LEB128 as a number (line-table advances and constants fit comfortably). */
  sleb(): number {
    let result = 0;
    let mul = 1;
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('LEB128 runs past the end', start);
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) {
        if (b & 0x40) result -= mul;
        return result;
      }
    }
    return this.fail('LEB128 longer than 10 bytes', start);
  }

  /** A NUL-terminated string of at most `max` bytes (longer ones are cut, not an error). */
  cstr(max = 4096): string {
    const start = this.pos;
    const idx = this.buf.indexOf(0, start);
    if (idx < 0 || idx >= this.end) this.fail('unterminated string', start);
    this.pos = idx + 1;
    return this.buf.toString('utf8', start, Math.min(idx, start + max));
  }

  /** DWARF initial length: returns the unit length and whether the unit uses 64-bit offsets. */
  initialLength(): { length: number; offsetSize: 4 | 8 } {
    const first = this.u32();
    if (first === 0xffffffff) {
      const len = this.u64();
      if (len === BAD_ADDRESS) this.fail('64-bit unit length too large');
      return { length: len, offsetSize: 8 };
    }
    if (first >= 0xfffffff0) this.fail(`reserved unit length 0x${first.toString(16)}`);
    return { length: first, offsetSize: 4 };
  }

  /** A section offset of the unit's offset size. */
  offset(offsetSize: 4 | 8): number {
    return offsetSize === 8 ? this.u64() : this.u32();
  }
}

/** A NUL-terminated string at `offset` of a string section, or null when out of range. */
export function stringAt(buf: Buffer | null, offset: number, max = 4096): string | null {
  if (!buf || offset < 0 || offset >= buf.length) return null;
  let end = buf.indexOf(0, offset);
  if (end < 0) end = buf.length;
  return buf.toString('utf8', offset, Math.min(end, offset + max));
}

/** Binary search: the last index i with arr[i] <= x, or -1. `arr` is sorted ascending. */
export function upperBound(arr: ArrayLike<number>, x: number, lo = 0, hi = arr.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
