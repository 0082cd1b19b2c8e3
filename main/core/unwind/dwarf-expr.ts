// A bounded DWARF expression evaluator (DWARF 5 section 2.5) for call frame information:
// DW_CFA_def_cfa_expression, DW_CFA_expression and DW_CFA_val_expression. Values are exact
// u64 bigints (wrapping like the target's arithmetic). Every evaluation has a step limit and a
// stack limit, so a crafted loop of DW_OP_skip/DW_OP_bra costs little and ends with BadCfi.
// Missing memory and unknown registers are results, not errors: the unwinder reports them.
import { ByteCursor } from './byte-cursor';
import { BadCfiError } from './errors';

export interface ExprContext {
  /** A register's value in the frame being unwound (DWARF numbering); null when unknown. */
  register(reg: number): bigint | null;
  /** `size` bytes (1, 2, 4 or 8) at `addr` as an unsigned value; null when not readable. */
  readMemory(addr: bigint, size: number): bigint | null;
}

export interface ExprLimits {
  maxSteps: number;
  maxStack: number;
}

export const DEFAULT_EXPR_LIMITS: ExprLimits = { maxSteps: 10_000, maxStack: 256 };

export type ExprResult =
  | { ok: true; value: bigint }
  | { ok: false; reason: 'missingMemory'; address: bigint; detail: string }
  | { ok: false; reason: 'unknownRegister'; register: number; detail: string };

const MASK = (1n << 64n) - 1n;
const u64 = (v: bigint): bigint => v & MASK;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

// Opcodes (DWARF 5, table 7.9).
export const DW_OP = {
  addr: 0x03,
  deref: 0x06,
  const1u: 0x08,
  const1s: 0x09,
  const2u: 0x0a,
  const2s: 0x0b,
  const4u: 0x0c,
  const4s: 0x0d,
  const8u: 0x0e,
  const8s: 0x0f,
  constu: 0x10,
  consts: 0x11,
  dup: 0x12,
  drop: 0x13,
  over: 0x14,
  pick: 0x15,
  swap: 0x16,
  rot: 0x17,
  xderef: 0x18,
  abs: 0x19,
  and: 0x1a,
  div: 0x1b,
  minus: 0x1c,
  mod: 0x1d,
  mul: 0x1e,
  neg: 0x1f,
  not: 0x20,
  or: 0x21,
  plus: 0x22,
  plus_uconst: 0x23,
  shl: 0x24,
  shr: 0x25,
  shra: 0x26,
  xor: 0x27,
  bra: 0x28,
  eq: 0x29,
  ge: 0x2a,
  gt: 0x2b,
  le: 0x2c,
  lt: 0x2d,
  ne: 0x2e,
  skip: 0x2f,
  lit0: 0x30,
  lit31: 0x4f,
  reg0: 0x50,
  reg31: 0x6f,
  breg0: 0x70,
  breg31: 0x8f,
  regx: 0x90,
  fbreg: 0x91,
  bregx: 0x92,
  piece: 0x93,
  deref_size: 0x94,
  xderef_size: 0x95,
  nop: 0x96,
  call_frame_cfa: 0x9c,
  stack_value: 0x9f,
} as const;

/**
 * Evaluates `expr` with `initial` on the stack (DW_CFA_expression and DW_CFA_val_expression push
 * the CFA first) and returns the value on top of the stack at the end.
 * Throws BadCfi for malformed or unsupported expressions and when a limit is hit.
 */
export function evaluateExpression(
  expr: Buffer,
  ctx: ExprContext,
  initial: readonly bigint[] = [],
  limits: ExprLimits = DEFAULT_EXPR_LIMITS,
  name = 'DWARF expression',
): ExprResult {
  const c: ByteCursor = new ByteCursor(expr, name);
  const stack: bigint[] = [...initial];
  const fail = (msg: string, at: number): never => {
    throw new BadCfiError(`${name}: ${msg} at offset ${at}`, { where: name, offset: at });
  };
  const pop = (at: number): bigint => {
    const v = stack.pop();
    if (v === undefined) fail('stack underflow', at);
    return v as bigint;
  };
  const push = (v: bigint, at: number): void => {
    if (stack.length >= limits.maxStack) fail(`stack deeper than ${limits.maxStack}`, at);
    stack.push(u64(v));
  };
  const peek = (depth: number, at: number): bigint => {
    if (depth < 0 || depth >= stack.length) fail(`stack underflow (pick ${depth})`, at);
    return stack[stack.length - 1 - depth];
  };
  const reg = (n: number): bigint | null => ctx.register(n);

  let steps = 0;
  while (!c.atEnd) {
    if (++steps > limits.maxSteps) fail(`more than ${limits.maxSteps} steps (a loop?)`, c.pos);
    const at = c.pos;
    const op = c.u8();
    if (op >= DW_OP.lit0 && op <= DW_OP.lit31) {
      push(BigInt(op - DW_OP.lit0), at);
      continue;
    }
    if (op >= DW_OP.breg0 && op <= DW_OP.breg31) {
      const r = op - DW_OP.breg0;
      const off = c.slebBig();
      const v = reg(r);
      if (v === null) return unknownRegister(r);
      push(v + off, at);
      continue;
    }
    if (op >= DW_OP.reg0 && op <= DW_OP.reg31) {
      fail(`DW_OP_reg${op - DW_OP.reg0} (a register location) is not allowed in call frame information`, at);
    }
    switch (op) {
      case DW_OP.addr:
        push(c.u64Big(), at);
        break;
      case DW_OP.deref:
      case DW_OP.deref_size: {
        const size = op === DW_OP.deref ? 8 : c.u8();
        if (size < 1 || size > 8) fail(`DW_OP_deref_size of ${size} bytes`, at);
        const addr = pop(at);
        const v = ctx.readMemory(addr, size);
        if (v === null) return { ok: false, reason: 'missingMemory', address: addr, detail: `memory at 0x${addr.toString(16)} is not in the dump` };
        push(v, at);
        break;
      }
      case DW_OP.const1u:
        push(BigInt(c.u8()), at);
        break;
      case DW_OP.const1s:
        push(BigInt(c.i8()), at);
        break;
      case DW_OP.const2u:
        push(BigInt(c.u16()), at);
        break;
      case DW_OP.const2s:
        push(BigInt(c.i16()), at);
        break;
      case DW_OP.const4u:
        push(BigInt(c.u32()), at);
        break;
      case DW_OP.const4s:
        push(BigInt(c.i32()), at);
        break;
      case DW_OP.const8u:
        push(c.u64Big(), at);
        break;
      case DW_OP.const8s:
        push(c.i64Big(), at);
        break;
      case DW_OP.constu:
        push(c.ulebBig(), at);
        break;
      case DW_OP.consts:
        push(c.slebBig(), at);
        break;
      case DW_OP.dup:
        push(peek(0, at), at);
        break;
      case DW_OP.drop:
        pop(at);
        break;
      case DW_OP.over:
        push(peek(1, at), at);
        break;
      case DW_OP.pick:
        push(peek(c.u8(), at), at);
        break;
      case DW_OP.swap: {
        const a = pop(at);
        const b = pop(at);
        stack.push(a, b);
        break;
      }
      case DW_OP.rot: {
        // Top three: [.. c b a] -> [.. a c b]
        const a = pop(at);
        const b = pop(at);
        const cc = pop(at);
        stack.push(a, cc, b);
        break;
      }
      case DW_OP.abs: {
        const a = s64(pop(at));
        push(a < 0n ? -a : a, at);
        break;
      }
      case DW_OP.neg:
        push(-pop(at), at);
        break;
      case DW_OP.not:
        push(~pop(at), at);
        break;
      case DW_OP.plus_uconst:
        push(pop(at) + c.ulebBig(), at);
        break;
      case DW_OP.and:
      case DW_OP.div:
      case DW_OP.minus:
      case DW_OP.mod:
      case DW_OP.mul:
      case DW_OP.or:
      case DW_OP.plus:
      case DW_OP.shl:
      case DW_OP.shr:
      case DW_OP.shra:
      case DW_OP.xor:
      case DW_OP.eq:
      case DW_OP.ge:
      case DW_OP.gt:
      case DW_OP.le:
      case DW_OP.lt:
      case DW_OP.ne: {
        const b = pop(at);
        const a = pop(at);
        push(binary(op, a, b, at, fail), at);
        break;
      }
      case DW_OP.skip: {
        const off = c.i16();
        jump(c, off, at, fail);
        break;
      }
      case DW_OP.bra: {
        const off = c.i16();
        if (pop(at) !== 0n) jump(c, off, at, fail);
        break;
      }
      case DW_OP.bregx: {
        const r = c.uleb();
        const off = c.slebBig();
        const v = reg(r);
        if (v === null) return unknownRegister(r);
        push(v + off, at);
        break;
      }
      case DW_OP.nop:
        break;
      case DW_OP.regx:
        fail('DW_OP_regx (a register location) is not allowed in call frame information', at);
        break;
      case DW_OP.fbreg:
        fail('DW_OP_fbreg needs a frame base, which call frame information has not', at);
        break;
      case DW_OP.call_frame_cfa:
        fail('DW_OP_call_frame_cfa is not allowed in call frame information', at);
        break;
      case DW_OP.piece:
      case DW_OP.xderef:
      case DW_OP.xderef_size:
      case DW_OP.stack_value:
        fail(`DW_OP 0x${op.toString(16)} is not supported in call frame information`, at);
        break;
      default:
        fail(`unknown DW_OP 0x${op.toString(16)}`, at);
    }
  }
  const top = stack.pop();
  if (top === undefined) fail('empty stack at the end', c.pos);
  return { ok: true, value: top as bigint };
}

function unknownRegister(r: number): ExprResult {
  return { ok: false, reason: 'unknownRegister', register: r, detail: `register ${r} is not known in this frame` };
}

function jump(c: ByteCursor, off: number, at: number, fail: (msg: string, at: number) => never): void {
  const target = c.pos + off;
  if (target < 0 || target > c.end) fail(`branch to ${target} outside the expression`, at);
  c.pos = target;
}

function binary(op: number, a: bigint, b: bigint, at: number, fail: (msg: string, at: number) => never): bigint {
  switch (op) {
    case DW_OP.and:
      return a & b;
    case DW_OP.or:
      return a | b;
    case DW_OP.xor:
      return a ^ b;
    case DW_OP.plus:
      return a + b;
    case DW_OP.minus:
      return a - b;
    case DW_OP.mul:
      return a * b;
    case DW_OP.div: {
      // Signed division on the generic type.
      const sb = s64(b);
      if (sb === 0n) fail('division by zero', at);
      return s64(a) / sb;
    }
    case DW_OP.mod:
      if (b === 0n) fail('modulo by zero', at);
      return a % b;
    case DW_OP.shl:
      return b >= 64n ? 0n : a << b;
    case DW_OP.shr:
      return b >= 64n ? 0n : a >> b;
    case DW_OP.shra:
      return s64(a) >> (b >= 64n ? 63n : b);
    // Comparisons are signed on the generic type and push 1 or 0.
    case DW_OP.eq:
      return a === b ? 1n : 0n;
    case DW_OP.ne:
      return a !== b ? 1n : 0n;
    case DW_OP.ge:
      return s64(a) >= s64(b) ? 1n : 0n;
    case DW_OP.gt:
      return s64(a) > s64(b) ? 1n : 0n;
    case DW_OP.le:
      return s64(a) <= s64(b) ? 1n : 0n;
    case DW_OP.lt:
      return s64(a) < s64(b) ? 1n : 0n;
    default:
      return fail(`unknown binary DW_OP 0x${op.toString(16)}`, at);
  }
}
