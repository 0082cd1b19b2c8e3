// Real binaries for the disassembler's tests: their function symbols (nm), their bytes at
// link-time addresses (PT_LOAD segments), and objdump's listing to compare with.
import { spawnSync } from 'node:child_process';
import { ElfConstants, readElfHeader, readProgramHeaders } from '../../../main/core/elf';
import { FileSource } from '../../../main/core/io';

export interface FunctionSymbol {
  start: bigint;
  size: number;
  name: string;
}

/** Defined functions with a size, from nm (the dynamic table with `dynamic`). */
export function functionSymbols(file: string, dynamic = false): FunctionSymbol[] {
  const r = spawnSync('nm', [...(dynamic ? ['-D'] : []), '-S', '--defined-only', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`nm ${file}: ${r.stderr}`);
  const out: FunctionSymbol[] = [];
  const seen = new Set<bigint>();
  for (const line of r.stdout.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) ([TtWi]) (\S+)$/.exec(line);
    if (!m) continue;
    const start = BigInt(`0x${m[1]}`);
    const size = parseInt(m[2], 16);
    if (size === 0 || seen.has(start)) continue;
    seen.add(start);
    out.push({ start, size, name: m[4] });
  }
  return out.sort((a, b) => (a.start < b.start ? -1 : 1));
}

/** Reads bytes at link-time addresses from a file's PT_LOAD segments. */
export class LinkImage {
  private readonly src: FileSource;
  private readonly loads: { vaddr: bigint; offset: number; filesz: number }[];

  constructor(file: string) {
    this.src = FileSource.open(file);
    const h = readElfHeader(this.src);
    this.loads = readProgramHeaders(this.src, h)
      .filter((p) => p.type === ElfConstants.PT_LOAD)
      .map((p) => ({ vaddr: p.vaddr, offset: p.offset, filesz: p.filesz }));
  }

  read(addr: bigint, length: number): Uint8Array {
    const seg = this.loads.find((l) => addr >= l.vaddr && addr < l.vaddr + BigInt(l.filesz));
    if (!seg) return new Uint8Array(0);
    const rel = Number(addr - seg.vaddr);
    return this.src.readUpTo(seg.offset + rel, Math.min(length, seg.filesz - rel));
  }

  close(): void {
    this.src.close();
  }
}

export interface ObjdumpLine {
  address: bigint;
  /** Mnemonic with its prefixes (`lock cmpxchg`, `rep stos`, `bnd jmp`), lower case. */
  text: string;
}

/** objdump -d (Intel syntax) of [start, stop): one entry per instruction. */
export function objdumpRange(file: string, start: bigint, stop: bigint): ObjdumpLine[] {
  const r = spawnSync('objdump', ['-d', '-M', 'intel', '--no-show-raw-insn', '-w', `--start-address=0x${start.toString(16)}`, `--stop-address=0x${stop.toString(16)}`, file], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.status !== 0) throw new Error(`objdump ${file}: ${r.stderr}`);
  const out: ObjdumpLine[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t(.*)$/.exec(line);
    if (m) out.push({ address: BigInt(`0x${m[1]}`), text: m[2].trim().toLowerCase() });
  }
  return out;
}

const PREFIXES = new Set(['lock', 'rep', 'repz', 'repnz', 'repe', 'repne', 'data16', 'data32', 'addr32', 'cs', 'ds', 'es', 'ss', 'fs', 'gs', 'bnd', 'notrack', 'rex', 'rex.w', 'rex.b', 'rex.wb', 'rex.r', 'rex.x', 'xacquire', 'xrelease']);
const STRING_OPS = /^(movs|stos|lods|scas|cmps|ins|outs)[bwdq]?$/;
// Same instruction, two names (objdump, capstone).
const ALIASES: Record<string, string> = { movsxd: 'movsxd', movabs: 'mov', 'xchg ax,ax': 'nop', cwtl: 'cwde', cltq: 'cdqe', cltd: 'cdq', cqto: 'cqo', sysretq: 'sysret', iretq: 'iret', retq: 'ret', callq: 'call', jmpq: 'jmp', 'ret far': 'retf', 'call far': 'lcall', 'jmp far': 'ljmp', 'fwait': 'wait', 'fstp1': 'fstp', 'fxch4': 'fxch', 'fxch7': 'fxch', 'fcom2': 'fcom', 'fcomp3': 'fcomp', 'fcomp5': 'fcomp', 'fstp8': 'fstp', 'fstp9': 'fstp', 'ffreep': 'ffreep' };

/** The instruction's operation without prefixes or size suffixes, comparable between objdump and capstone. */
export function baseMnemonic(text: string): string {
  const t = text.toLowerCase().trim().replace(/\s+/g, ' ');
  if (t.startsWith('xchg ax,ax') || t.startsWith('xchg ax, ax')) return 'nop';
  const words = t.split(/\s+/);
  let i = 0;
  while (i < words.length - 1 && PREFIXES.has(words[i])) i++;
  let m = words[i] ?? '';
  if (m.endsWith(',')) m = m.slice(0, -1);
  if (STRING_OPS.test(m)) m = m.replace(/[bwdq]$/, '').replace(/^(movs|stos|lods|scas|cmps|ins|outs).*$/, '$1');
  if ((m === 'ret' || m === 'call' || m === 'jmp') && words[i + 1] === 'far') m = `${m} far`;
  return ALIASES[m] ?? m;
}
