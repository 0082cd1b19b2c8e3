// A little-endian reader over one buffer region: every read checks the region's end first, so
// no table or expression can read past it. Subclasses say how a failure is reported (BadDwarf
// for debug info, BadCfi for unwind tables) and add the encodings of their format.

export abstract class BoundedReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start: number,
    /** One past the last readable offset (never past the buffer). */
    public end: number,
  ) {
    this.pos = start;
    if (this.end > buf.length) this.end = buf.length;
  }

  /** Throws the format's typed error; `at` is the offset the problem is at. */
  abstract fail(message: string, at?: number): never;

  get remaining(): number {
    return this.end - this.pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) this.fail(`truncated: needs ${n} bytes, has ${Math.max(0, this.end - this.pos)}`);
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('truncated: needs 1 byte, has 0');
    return this.buf[this.pos++];
  }

  i8(): number {
    const v = this.u8();
    return v >= 0x80 ? v - 0x100 : v;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
}
