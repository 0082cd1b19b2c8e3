// Names for addresses in the dumped process: a data symbol when one covers the address
// (`g_lock`, `bank::audit_mutex`, `registry+16`), else the region it lies in: a thread's
// stack, a module's data, the heap, or anonymous memory.
import { type CoreMemory, type CoreModule } from '../elf';

export interface DataSymbol {
  name: string;
  /** Runtime address of the symbol's start. */
  start: bigint;
  size: bigint;
}

export interface AddressName {
  name: string | null;
  /** True when the address is exactly a symbol's start. */
  exact: boolean;
  symbolSize: number | null;
}

export interface NamerInput {
  memory: CoreMemory;
  modules: readonly CoreModule[];
  /** Each thread's stack pointer, to recognise addresses on a thread's stack. */
  threads: readonly { index: number; tid: number; rsp: bigint }[];
  /** Data symbol lookup (runtime addresses); null when symbols are not loaded. */
  dataSymbol?: (addr: bigint) => DataSymbol | null;
}

export function makeAddressNamer(input: NamerInput): (addr: bigint) => AddressName {
  const stackOf = new Map<bigint, number>();
  for (const t of input.threads) {
    const seg = input.memory.segmentAt(t.rsp);
    if (seg && !stackOf.has(seg.start)) stackOf.set(seg.start, t.index);
  }
  const exe = input.modules.find((m) => m.kind === 'executable');
  const cache = new Map<bigint, AddressName>();
  return (addr) => {
    const hit = cache.get(addr);
    if (hit) return hit;
    let out: AddressName = { name: null, exact: false, symbolSize: null };
    const sym = input.dataSymbol?.(addr) ?? null;
    if (sym && addr >= sym.start && (addr < sym.start + (sym.size > 0n ? sym.size : 1n))) {
      const off = addr - sym.start;
      out = { name: off === 0n ? sym.name : `${sym.name}+${off}`, exact: off === 0n, symbolSize: Number(sym.size) };
    } else {
      const seg = input.memory.segmentAt(addr);
      const mod = input.modules.find((m) => addr >= m.start && addr < m.end && m.kind !== 'file');
      if (seg && stackOf.has(seg.start)) out.name = `stack of thread #${stackOf.get(seg.start)}`;
      else if (mod) out.name = `${mod.name}+0x${(addr - mod.base).toString(16)}`;
      else if (seg && exe && seg.start >= exe.end && seg.start - exe.end < 1n << 36n && addr < 0x7f0000000000n) out.name = 'heap';
      else if (seg) out.name = 'anonymous memory';
    }
    cache.set(addr, out);
    return out;
  };
}
