// Data objects (STT_OBJECT) of a symbol table, for naming the locks threads wait on:
// `pthread_mutex_t a` is the symbol `a`; `bank::audit_mutex` is `_ZN4bank11audit_mutexE`.
import { ElfConstants as C, cString, type ElfImage } from '../elf';
import { demangle } from './demangle';
import { upperBound } from './dwarf-cursor';

const STT_OBJECT = 1;
const SYM_SIZE = 24;
const SHN_LORESERVE = 0xff00;

export interface DataSymbolMatch {
  name: string;
  rawName: string;
  /** Link-time address. */
  address: bigint;
  size: bigint;
  offset: bigint;
}

export class DataSymbolTable {
  private constructor(
    private readonly addrs: Float64Array,
    private readonly sizes: Float64Array,
    private readonly names: string[],
  ) {}

  get size(): number {
    return this.names.length;
  }

  /** Reads STT_OBJECT symbols of the file's .symtab (else .dynsym); null when there are none. */
  static fromImage(img: ElfImage, maxSymbols = 4_000_000): DataSymbolTable | null {
    const sec = img.sections.find((s) => s.type === C.SHT_SYMTAB) ?? img.sections.find((s) => s.type === C.SHT_DYNSYM);
    if (!sec || sec.size === 0) return null;
    const strSec = img.sections[sec.link];
    if (!strSec || strSec.type !== C.SHT_STRTAB) return null;
    const symData = img.readSection(sec);
    const strData = img.readSection(strSec);
    const count = Math.min(Math.floor(symData.length / SYM_SIZE), maxSymbols);
    const raws: { a: number; s: number; n: string }[] = [];
    for (let i = 1; i < count; i++) {
      const o = i * SYM_SIZE;
      const type = symData[o + 4] & 0xf;
      if (type !== STT_OBJECT) continue; // STT_TLS offsets are per thread, not addresses
      const shndx = symData.readUInt16LE(o + 6);
      if (shndx === 0 || shndx >= SHN_LORESERVE) continue;
      const hi = symData.readUInt32LE(o + 12);
      if (hi >= 1 << 21) continue;
      const a = hi * 4294967296 + symData.readUInt32LE(o + 8);
      if (a === 0) continue;
      const sHi = symData.readUInt32LE(o + 20);
      const s = sHi >= 1 << 21 ? 0 : sHi * 4294967296 + symData.readUInt32LE(o + 16);
      let n = cString(strData, symData.readUInt32LE(o), 4096);
      const at = n.indexOf('@', 1);
      if (at > 0) n = n.slice(0, at);
      if (n.length > 0) raws.push({ a, s, n });
    }
    if (raws.length === 0) return null;
    // Prefer the larger object at one address (a struct over its first member's alias).
    raws.sort((x, y) => x.a - y.a || y.s - x.s);
    return new DataSymbolTable(
      Float64Array.from(raws, (r) => r.a),
      Float64Array.from(raws, (r) => r.s),
      raws.map((r) => r.n),
    );
  }

  /** The object containing a link-time address (size-0 objects match only their start). */
  lookup(address: bigint): DataSymbolMatch | null {
    if (address < 0n || address > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    const a = Number(address);
    let i = upperBound(this.addrs, a);
    for (let k = 0; i >= 0 && k < 8; k++, i--) {
      const start = this.addrs[i];
      const size = this.sizes[i];
      if (a === start || a < start + size) {
        // The first entry at this address is the largest; step back to it.
        while (i > 0 && this.addrs[i - 1] === start) i--;
        const raw = this.names[i];
        return { name: demangle(raw), rawName: raw, address: BigInt(start), size: BigInt(this.sizes[i]), offset: address - BigInt(start) };
      }
    }
    return null;
  }
}
