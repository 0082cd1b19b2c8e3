// A small seeded generator (mulberry32) so every fuzz input is a pure function of (seed, index):
// the same pair always yields the same mutation list.
export class Prng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** The generator for input `index` of a run seeded with `seed`. */
  static forInput(seed: number, index: number): Prng {
    // splitmix-style scramble so neighbouring indexes do not give correlated streams
    let z = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return new Prng((z ^ (z >>> 16)) >>> 0);
  }

  /** A uint32. */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (n <= 0) return 0;
    return n <= 0x1_0000_0000 ? this.next() % n : Math.floor((this.next() / 0x1_0000_0000) * n);
  }

  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A u64 as a bigint. */
  u64(): bigint {
    return (BigInt(this.next()) << 32n) | BigInt(this.next());
  }

  /** Values that break parsers more often than random ones: edges, powers of two, near-overflows. */
  interesting(width: 1 | 2 | 4 | 8): bigint {
    const max = (1n << BigInt(width * 8)) - 1n;
    const common = [0n, 1n, 2n, 3n, 4n, 7n, 8n, 12n, 16n, 24n, 56n, 64n, 0x7fn, 0x80n, 0xffn, 0x100n, 0xfffn, 0x1000n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n];
    const wide = [0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x1fffffffffffffn, 0x20000000000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xfffffffffffffff0n, max];
    const pool = [...common, ...wide.filter((v) => v <= max), max, max - 1n];
    const v = this.pick(pool);
    return this.chance(0.2) ? (v + BigInt(this.range(-2, 2))) & max : v & max;
  }
}
