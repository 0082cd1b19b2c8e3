// A bounds-checked little-endian reader over one unwind section (or expression). Every read
// checks the end first and fails with BadCfi naming the section and the offset, so a
// truncated or crafted table can never read past its buffer.
import { BoundedReader } from '../io';
import { BadCfiError } from './errors';

const TWO_32 = 4294967296;

export class ByteCursor extends BoundedReader {
  /**
   * @param buf   the bytes
   * @param name  section name for messages (".eh_frame of libc.so.6")
   * @param start first readable offset
   * @param end   one past the last readable offset
   */
  constructor(
    buf: Buffer,
    readonly name: string,
    start = 0,
    end = buf.length,
  ) {
    super(buf, start, end);
  }

  fail(what: string, at = this.pos): never {
    throw new BadCfiError(`${this.name}: ${what} at offset 0x${at.toString(16)}`, { where: this.name, offset: at });
  }

  i16(): number {
    this.need(2);
    const v = this.buf.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A u64 as an exact bigint. */
  u64Big(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  i64Big(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A u64 as a number; fails (BadCfi) above 2^53, where a number is no longer exact. */
  u64(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    if (hi >= 0x200000) this.fail(`64-bit value 0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')} is too large`);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  /** An i64 as a number; fails outside ±2^53. */
  i64(): number {
    const at = this.pos;
    const v = this.i64Big();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`64-bit value ${v} is too large`, at);
    return Number(v);
  }

  /** ULEB128 as a number (at most 2^53; longer encodings fail). */
  uleb(): number {
    let result = 0;
    let mul = 1;
    const start = this.pos;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
      if (this.pos - start >= 8 && mul > 2 ** 53) this.fail('ULEB128 value too large', start);
    }
    if (result > Number.MAX_SAFE_INTEGER) this.fail('ULEB128 value too large', start);
    return result;
  }

  /** SLEB128 as a number (within ±2^53). */
  sleb(): number {
    let result = 0;
    let mul = 1;
    let b: number;
    const start = this.pos;
    do {
      b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
      if (this.pos - start > 8 && (b & 0x80) !== 0) this.fail('SLEB128 value too large', start);
    } while ((b & 0x80) !== 0);
    if ((b & 0x40) !== 0) result -= mul;
    if (!Number.isSafeInteger(result)) this.fail('SLEB128 value too large', start);
    return result;
  }

  /** ULEB128 as an exact u64 bigint (for expression constants); at most 10 bytes. */
  ulebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    const start = this.pos;
    for (;;) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
      if (this.pos - start >= 10) this.fail('ULEB128 longer than 10 bytes', start);
    }
    return BigInt.asUintN(64, result);
  }

  /** SLEB128 as an exact i64 bigint; at most 10 bytes. */
  slebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    const start = this.pos;
    do {
      b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) !== 0 && this.pos - start >= 10) this.fail('SLEB128 longer than 10 bytes', start);
    } while ((b & 0x80) !== 0);
    if ((b & 0x40) !== 0) result -= 1n << shift;
    return BigInt.asIntN(64, result);
  }

  /** A NUL-terminated ASCII string of at most `max` bytes. */
  cString(max: number): string {
    const start = this.pos;
    const limit = Math.min(this.end, start + max);
    let i = start;
    while (i < limit && this.buf[i] !== 0) i++;
    if (i >= limit) this.fail(`unterminated string (more than ${max} bytes)`, start);
    this.pos = i + 1;
    return this.buf.toString('latin1', start, i);
  }
}
