// The instructions around a pc, as lldb shows them on `thread select`: some before, the pc, some
// after. x86 cannot be decoded backwards (an instruction is 1 to 15 bytes and any byte may start
// one), so the instructions before the pc are found by decoding forwards from a known boundary:
// the function's start when a symbol gives it (exact), else a few bytes back, trying each start
// until the decoding lands on the pc (x86 decodings resynchronise within a few instructions; the
// answer is marked `guessed`). The pc itself is always a boundary: an exact pc for the innermost
// frame, a return address (the instruction after a call) for the others. Pure: the bytes, the
// symbols and the decoder are passed in, so tests run it on real binaries against objdump.
import { type DisassembledInstruction, type Disassembly, type DisassemblySyntax } from '../../../shared/types';
import { type CsInstruction } from './capstone';

/** What decodes bytes (capstone's X86Decoder, or a stand-in). */
export interface InstructionDecoder {
  decode(bytes: Uint8Array, address: bigint, syntax: DisassemblySyntax, keepGoing: (insn: CsInstruction) => boolean): void;
}

export interface FunctionAt {
  /** Runtime address of the function's first byte. */
  start: bigint;
  name: string | null;
  module: string | null;
}

export interface WindowInput {
  pc: bigint;
  before: number;
  after: number;
  syntax: DisassemblySyntax;
  /** The pc is a return address: mark the call that ends there. */
  returnAddress: boolean;
  /** The bytes at [addr, addr + length) that are readable, from addr on (a prefix; empty when none). */
  read(addr: bigint, length: number): Uint8Array;
  /** The function holding an address (for the pc: pc - 1 when it is a return address), or null. */
  functionAt(addr: bigint): FunctionAt | null;
  /** A data object holding an address (for rip-relative operands), or null. */
  dataAt?(addr: bigint): { name: string; start: bigint } | null;
  decoder: InstructionDecoder;
}

export const MAX_INSTRUCTION_BYTES = 15;
/** Decode at most this far from a function's start to reach the pc; beyond it, guess. */
export const MAX_FUNCTION_SPAN = 256 * 1024;
/** How far back a guess starts, at most. */
const MAX_GUESS_BACK = 2048;

const hex = (v: bigint) => `0x${v.toString(16)}`;

type Window = Pick<Disassembly, 'instructions' | 'start' | 'notes' | 'unavailable'>;

export function disassembleWindow(input: WindowInput): Window & { fn: FunctionAt | null } {
  const { pc, before, after } = input;
  const notes: string[] = [];
  const fn = input.functionAt(input.returnAddress && pc > 0n ? pc - 1n : pc);
  const end = pc + BigInt((after + 1) * MAX_INSTRUCTION_BYTES);

  const here = input.read(pc, MAX_INSTRUCTION_BYTES);
  if (here.length === 0) {
    return { fn, instructions: [], start: 'pc', notes, unavailable: `the code at ${hex(pc)} is not in the dump, and no file with the module's build-id was found to read it from` };
  }

  let decoded: CsInstruction[] | null = null;
  let start: Window['start'] = 'pc';
  if (fn && fn.start <= pc && pc - fn.start <= BigInt(MAX_FUNCTION_SPAN)) {
    const bytes = input.read(fn.start, Number(end - fn.start));
    const got = bytes.length > 0 ? decodeTo(input, bytes, fn.start, pc, after) : null;
    if (got && got.hitPc) {
      decoded = got.insns;
      start = 'function';
    } else if (bytes.length === 0) {
      notes.push(`the function's start ${hex(fn.start)} is not readable: the instructions before the pc are guessed`);
    } else {
      notes.push(`decoding from the function's start ${hex(fn.start)} does not land on the pc (data in code, or a wrong symbol): the instructions before the pc are guessed`);
    }
  } else if (fn && pc - fn.start > BigInt(MAX_FUNCTION_SPAN)) {
    notes.push(`the pc is ${pc - fn.start} bytes into ${fn.name ?? 'its function'}: the instructions before it are guessed`);
  } else if (!fn && before > 0) {
    notes.push('no symbol covers the pc: the instructions before it are guessed by decoding from a few bytes back');
  }

  if (!decoded && before > 0) {
    // Try each start in a 16-byte run far enough back; keep the first whose decoding lands on pc.
    const back = BigInt(Math.min(MAX_GUESS_BACK, before * 8 + 32));
    const floor = fn && fn.start <= pc ? fn.start : 0n;
    let first = pc > back ? pc - back : 0n;
    if (first < floor) first = floor;
    for (let s = first; s < first + 16n && s < pc; s++) {
      const bytes = input.read(s, Number(end - s));
      if (bytes.length === 0) continue;
      const got = decodeTo(input, bytes, s, pc, after);
      if (got.hitPc) {
        decoded = got.insns;
        start = s === fn?.start ? 'function' : 'guessed';
        break;
      }
    }
  }
  if (!decoded) {
    const bytes = input.read(pc, Number(end - pc));
    decoded = decodeTo(input, bytes, pc, pc, after).insns;
    start = 'pc';
  }

  const at = decoded.findIndex((i) => i.address === pc);
  const from = Math.max(0, at - before);
  const chosen = decoded.slice(from, at + after + 1);
  const fnStart = fn && fn.start <= pc ? fn.start : null;
  let lastStart = fnStart;
  const instructions: DisassembledInstruction[] = chosen.map((i, k) => {
    const next = i.address + BigInt(i.size);
    // Offsets are from the start of the function each instruction is in: a window that runs past
    // the frame's function into the next counts from that one's start, as lldb does.
    const own = i.address > pc || fnStart === null ? input.functionAt(i.address) : null;
    const start = own && own.start <= i.address ? own.start : fnStart !== null && i.address >= fnStart ? fnStart : null;
    const startsFunction = own && own.start === i.address && own.start !== lastStart && own.start !== fnStart ? `${own.module ? `${own.module}\`` : ''}${own.name ?? '??'}` : null;
    if (start !== null) lastStart = start;
    return {
      address: hex(i.address),
      offset: start !== null ? Number(i.address - start) : null,
      startsFunction,
      bytes: i.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' '),
      mnemonic: i.mnemonic,
      operands: i.op_str,
      target: targetOf(i, next, input, fn),
      current: i.address === pc,
      callSite: input.returnAddress && next === pc && from + k === at - 1 && isCall(i.mnemonic),
      invalid: i.mnemonic === '.byte',
    };
  });
  if (input.returnAddress && !instructions.some((i) => i.callSite)) notes.push('the instruction before the return address is not a call (a tail call, a signal frame, or a guessed frame)');
  return { fn, instructions, start, notes, unavailable: null };
}

/** Decodes from `start` until `after` instructions past the pc; says whether an instruction starts exactly at the pc. */
function decodeTo(input: WindowInput, bytes: Uint8Array, start: bigint, pc: bigint, after: number): { insns: CsInstruction[]; hitPc: boolean } {
  const insns: CsInstruction[] = [];
  let hitPc = false;
  let past = 0;
  input.decoder.decode(bytes, start, input.syntax, (insn) => {
    if (insn.address > pc && !hitPc) return false; // stepped over the pc: this start is wrong
    insns.push(insn);
    if (insn.address === pc) {
      hitPc = true;
      return after > 0;
    }
    return !hitPc || ++past < after;
  });
  return { insns, hitPc };
}

const BRANCH = /^(?:(?:bnd|notrack)\s+)*(call|jmp|j[a-z]{1,3}|loop[a-z]*|jrcxz|jecxz|xbegin)[lqw]?$/;

function isCall(mnemonic: string): boolean {
  return /(?:^|\s)call[lqw]?$/.test(mnemonic);
}

/** A direct branch's target, or a rip-relative operand's address, with its symbol. */
function targetOf(i: CsInstruction, next: bigint, input: WindowInput, fn: FunctionAt | null): DisassembledInstruction['target'] {
  const ops = i.op_str.trim();
  if (BRANCH.test(i.mnemonic)) {
    const m = /^\$?(0x[0-9a-f]+)$/i.exec(ops);
    if (!m) return null;
    const addr = BigInt(m[1]);
    return { address: hex(addr), kind: 'branch', symbol: codeSymbol(addr, input, fn) };
  }
  // Intel: [rip + 0x2ee2] / [rip - 0x10]; AT&T: 0x2ee2(%rip) / -0x10(%rip)
  const intel = /\[rip ([+-]) (0x[0-9a-f]+)\]/i.exec(ops);
  const att = /(-?)(0x[0-9a-f]+)\(%rip\)/i.exec(ops);
  let disp: bigint | null = null;
  if (intel) disp = (intel[1] === '-' ? -1n : 1n) * BigInt(intel[2]);
  else if (att) disp = (att[1] === '-' ? -1n : 1n) * BigInt(att[2]);
  if (disp === null) return null;
  const addr = (next + disp) & 0xffff_ffff_ffff_ffffn;
  const data = input.dataAt?.(addr) ?? null;
  if (data) return { address: hex(addr), kind: 'data', symbol: data.start === addr ? data.name : `${data.name} + ${addr - data.start}` };
  return { address: hex(addr), kind: 'data', symbol: codeSymbol(addr, input, null) };
}

function codeSymbol(addr: bigint, input: WindowInput, fn: FunctionAt | null): string | null {
  const f = input.functionAt(addr);
  if (!f || f.start > addr) return null;
  if (fn && f.start === fn.start) return `<+${addr - f.start}>`;
  if (!f.name) return null;
  const off = addr - f.start;
  return `${f.module ? `${f.module}\`` : ''}${f.name}${off > 0n ? ` + ${off}` : ''}`;
}
