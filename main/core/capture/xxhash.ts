// Streaming XXH32 and XXH64: the content checksums of lz4 frames (XXH32) and zstd frames (the
// low 32 bits of XXH64). The decompressors we use do not check them (fzstd never does, lz4js
// only decodes blocks), so a flipped byte inside a compressed core would otherwise come out as a
// silently wrong core. XXH64 is done on 32-bit halves: BigInt would be ~10x slower on GiB cores.

const P32_1 = 0x9e3779b1;
const P32_2 = 0x85ebca77;
const P32_3 = 0xc2b2ae3d;
const P32_4 = 0x27d4eb2f;
const P32_5 = 0x165667b1;

function rotl32(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

function u32le(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

function round32(acc: number, input: number): number {
  return Math.imul(rotl32((acc + Math.imul(input, P32_2)) >>> 0, 13), P32_1) >>> 0;
}

/** XXH32 over data pushed in pieces of any size. */
export class Xxh32 {
  private v1: number;
  private v2: number;
  private v3: number;
  private v4: number;
  private readonly seed: number;
  private readonly mem = new Uint8Array(16);
  private memLen = 0;
  private total = 0;

  constructor(seed = 0) {
    this.seed = seed >>> 0;
    this.v1 = (this.seed + P32_1 + P32_2) >>> 0;
    this.v2 = (this.seed + P32_2) >>> 0;
    this.v3 = this.seed;
    this.v4 = (this.seed - P32_1) >>> 0;
  }

  update(data: Uint8Array): this {
    let p = 0;
    const n = data.length;
    this.total += n;
    if (this.memLen > 0) {
      const take = Math.min(16 - this.memLen, n);
      this.mem.set(data.subarray(0, take), this.memLen);
      this.memLen += take;
      p = take;
      if (this.memLen < 16) return this;
      this.stripe(this.mem, 0);
      this.memLen = 0;
    }
    for (; p + 16 <= n; p += 16) this.stripe(data, p);
    if (p < n) {
      this.mem.set(data.subarray(p), 0);
      this.memLen = n - p;
    }
    return this;
  }

  private stripe(b: Uint8Array, i: number): void {
    this.v1 = round32(this.v1, u32le(b, i));
    this.v2 = round32(this.v2, u32le(b, i + 4));
    this.v3 = round32(this.v3, u32le(b, i + 8));
    this.v4 = round32(this.v4, u32le(b, i + 12));
  }

  digest(): number {
    let h =
      this.total >= 16
        ? (rotl32(this.v1, 1) + rotl32(this.v2, 7) + rotl32(this.v3, 12) + rotl32(this.v4, 18)) >>> 0
        : (this.seed + P32_5) >>> 0;
    h = (h + this.total) >>> 0; // the length modulo 2^32, as the reference does
    let p = 0;
    for (; p + 4 <= this.memLen; p += 4) h = Math.imul(rotl32((h + Math.imul(u32le(this.mem, p), P32_3)) >>> 0, 17), P32_4) >>> 0;
    for (; p < this.memLen; p++) h = Math.imul(rotl32((h + Math.imul(this.mem[p], P32_5)) >>> 0, 11), P32_1) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, P32_2) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, P32_3) >>> 0;
    h ^= h >>> 16;
    return h >>> 0;
  }
}

/** XXH32 of one buffer. */
export function xxh32(data: Uint8Array, seed = 0): number {
  return new Xxh32(seed).update(data).digest();
}

// ---- XXH64 on (hi, lo) pairs of uint32 ------------------------------------------------------

interface U64 {
  hi: number;
  lo: number;
}

const P64_1: U64 = { hi: 0x9e3779b1, lo: 0x85ebca87 };
const P64_2: U64 = { hi: 0xc2b2ae3d, lo: 0x27d4eb4f };
const P64_3: U64 = { hi: 0x165667b1, lo: 0x9e3779f9 };
const P64_4: U64 = { hi: 0x85ebca77, lo: 0xc2b2ae63 };
const P64_5: U64 = { hi: 0x27d4eb2f, lo: 0x165667c5 };

/** a = a * b mod 2^64, in place. */
function mul64(a: U64, b: U64): void {
  const al = a.lo;
  const bl = b.lo;
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + Math.floor(p01 / 0x10000) + Math.floor(p10 / 0x10000) + Math.floor(mid / 0x10000);
  a.hi = (carry + Math.imul(a.hi, bl) + Math.imul(al, b.hi)) >>> 0;
  a.lo = lo;
}

/** a = a + b mod 2^64, in place. */
function add64(a: U64, bHi: number, bLo: number): void {
  const lo = a.lo + bLo;
  a.hi = (a.hi + bHi + (lo > 0xffffffff ? 1 : 0)) >>> 0;
  a.lo = lo >>> 0;
}

/** a = rotl(a, r) for 0 < r < 32, in place. */
function rotl64(a: U64, r: number): void {
  const hi = a.hi;
  const lo = a.lo;
  a.hi = ((hi << r) | (lo >>> (32 - r))) >>> 0;
  a.lo = ((lo << r) | (hi >>> (32 - r))) >>> 0;
}

function xor64(a: U64, b: U64): void {
  a.hi = (a.hi ^ b.hi) >>> 0;
  a.lo = (a.lo ^ b.lo) >>> 0;
}

/** acc = rotl(acc + lane * P2, 31) * P1; `lane` is used as scratch. */
function round64(acc: U64, lane: U64): void {
  mul64(lane, P64_2);
  add64(acc, lane.hi, lane.lo);
  rotl64(acc, 31);
  mul64(acc, P64_1);
}

/** XXH64 over data pushed in pieces of any size. */
export class Xxh64 {
  private readonly v: U64[];
  private readonly seed: U64;
  private readonly mem = new Uint8Array(32);
  private memLen = 0;
  private total = 0;
  private readonly lane: U64 = { hi: 0, lo: 0 };

  /** `seed` as a pair of 32-bit halves; 0 for zstd. */
  constructor(seedHi = 0, seedLo = 0) {
    this.seed = { hi: seedHi >>> 0, lo: seedLo >>> 0 };
    const v1 = { ...this.seed };
    add64(v1, P64_1.hi, P64_1.lo);
    add64(v1, P64_2.hi, P64_2.lo);
    const v2 = { ...this.seed };
    add64(v2, P64_2.hi, P64_2.lo);
    const v3 = { ...this.seed };
    const v4 = { ...this.seed };
    // v4 = seed - P1 = seed + (2^64 - P1)
    const negP1: U64 = { hi: ~P64_1.hi >>> 0, lo: ~P64_1.lo >>> 0 };
    add64(negP1, 0, 1);
    add64(v4, negP1.hi, negP1.lo);
    this.v = [v1, v2, v3, v4];
  }

  update(data: Uint8Array): this {
    let p = 0;
    const n = data.length;
    this.total += n;
    if (this.memLen > 0) {
      const take = Math.min(32 - this.memLen, n);
      this.mem.set(data.subarray(0, take), this.memLen);
      this.memLen += take;
      p = take;
      if (this.memLen < 32) return this;
      this.stripe(this.mem, 0);
      this.memLen = 0;
    }
    for (; p + 32 <= n; p += 32) this.stripe(data, p);
    if (p < n) {
      this.mem.set(data.subarray(p), 0);
      this.memLen = n - p;
    }
    return this;
  }

  private stripe(b: Uint8Array, i: number): void {
    const lane = this.lane;
    for (let k = 0; k < 4; k++) {
      lane.lo = u32le(b, i + k * 8);
      lane.hi = u32le(b, i + k * 8 + 4);
      round64(this.v[k], lane);
    }
  }

  /** The 64-bit digest as its high and low 32-bit halves. */
  digest(): U64 {
    const h: U64 = { hi: 0, lo: 0 };
    const t: U64 = { hi: 0, lo: 0 };
    if (this.total >= 32) {
      const [v1, v2, v3, v4] = this.v.map((x) => ({ ...x }));
      rotl64(v1, 1);
      rotl64(v2, 7);
      rotl64(v3, 12);
      rotl64(v4, 18);
      h.hi = v1.hi;
      h.lo = v1.lo;
      add64(h, v2.hi, v2.lo);
      add64(h, v3.hi, v3.lo);
      add64(h, v4.hi, v4.lo);
      for (const v of this.v) {
        // mergeRound: h = (h ^ round(0, v)) * P1 + P4
        t.hi = 0;
        t.lo = 0;
        const lane = { ...v };
        round64(t, lane);
        xor64(h, t);
        mul64(h, P64_1);
        add64(h, P64_4.hi, P64_4.lo);
      }
    } else {
      h.hi = this.seed.hi;
      h.lo = this.seed.lo;
      add64(h, P64_5.hi, P64_5.lo);
    }
    add64(h, Math.floor(this.total / 0x100000000) >>> 0, this.total >>> 0);
    const m = this.mem;
    let p = 0;
    for (; p + 8 <= this.memLen; p += 8) {
      t.hi = 0;
      t.lo = 0;
      const lane = { lo: u32le(m, p), hi: u32le(m, p + 4) };
      round64(t, lane);
      xor64(h, t);
      rotl64(h, 27);
      mul64(h, P64_1);
      add64(h, P64_4.hi, P64_4.lo);
    }
    if (p + 4 <= this.memLen) {
      const k = { hi: 0, lo: u32le(m, p) };
      mul64(k, P64_1);
      xor64(h, k);
      rotl64(h, 23);
      mul64(h, P64_2);
      add64(h, P64_3.hi, P64_3.lo);
      p += 4;
    }
    for (; p < this.memLen; p++) {
      const k = { hi: 0, lo: m[p] };
      mul64(k, P64_5);
      xor64(h, k);
      rotl64(h, 11);
      mul64(h, P64_1);
    }
    // avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32
    h.lo = (h.lo ^ (h.hi >>> 1)) >>> 0;
    mul64(h, P64_2);
    h.lo = (h.lo ^ ((h.lo >>> 29) | (h.hi << 3))) >>> 0;
    h.hi = (h.hi ^ (h.hi >>> 29)) >>> 0;
    mul64(h, P64_3);
    h.lo = (h.lo ^ h.hi) >>> 0;
    return h;
  }
}

/** XXH64 of one buffer, as 16 hex digits. */
export function xxh64Hex(data: Uint8Array): string {
  const d = new Xxh64().update(data).digest();
  return d.hi.toString(16).padStart(8, '0') + d.lo.toString(16).padStart(8, '0');
}
