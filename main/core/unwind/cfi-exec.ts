// Runs a CIE's initial instructions and an FDE's instructions up to a pc and returns the row
// of the unwind table that applies there (DWARF 5 section 6.4.2): the CFA rule and a rule for
// each register the instructions mention. Registers not in the row are "unspecified".
// The loop is bounded by the instruction bytes (each instruction consumes at least one) and
// the remember/restore stack by MAX_STATE_DEPTH.
import { ByteCursor } from './byte-cursor';
import { basesFor, type CfiSection, type Cie, type Fde } from './cfi-parse';
import { BadCfiError } from './errors';
import { readEncoded } from './pointer-encoding';

export type CfaRule = { kind: 'regOffset'; reg: number; offset: number } | { kind: 'expression'; expr: Buffer };

export type RegisterRule =
  | { kind: 'undefined' }
  | { kind: 'sameValue' }
  /** Saved at CFA + offset. */
  | { kind: 'offset'; offset: number }
  /** The value is CFA + offset. */
  | { kind: 'valOffset'; offset: number }
  /** Saved in another register. */
  | { kind: 'register'; reg: number }
  /** Saved at the address the expression computes (CFA pushed first). */
  | { kind: 'expression'; expr: Buffer }
  /** The value is what the expression computes (CFA pushed first). */
  | { kind: 'valExpression'; expr: Buffer };

export interface CfiRow {
  /** Table-space addresses where this row applies: [start, end). */
  start: number;
  end: number;
  cfa: CfaRule;
  registers: Map<number, RegisterRule>;
  /** The CIE's return address column. */
  raRegister: number;
  /** The CIE has the 'S' augmentation: this frame is a signal trampoline. */
  isSignalFrame: boolean;
  /** DW_CFA_GNU_args_size in effect (bytes of outgoing arguments), 0 when none. */
  argsSize: number;
}

/** Highest DWARF register number we keep rules for (x86-64 defines up to ~130). */
export const MAX_REGISTER = 1023;
/** Deepest DW_CFA_remember_state nesting we accept. */
export const MAX_STATE_DEPTH = 64;

// DW_CFA opcodes (DWARF 5 table 7.29 and GNU extensions).
export const DW_CFA = {
  advance_loc: 0x40,
  offset: 0x80,
  restore: 0xc0,
  nop: 0x00,
  set_loc: 0x01,
  advance_loc1: 0x02,
  advance_loc2: 0x03,
  advance_loc4: 0x04,
  offset_extended: 0x05,
  restore_extended: 0x06,
  undefined: 0x07,
  same_value: 0x08,
  register: 0x09,
  remember_state: 0x0a,
  restore_state: 0x0b,
  def_cfa: 0x0c,
  def_cfa_register: 0x0d,
  def_cfa_offset: 0x0e,
  def_cfa_expression: 0x0f,
  expression: 0x10,
  offset_extended_sf: 0x11,
  def_cfa_sf: 0x12,
  def_cfa_offset_sf: 0x13,
  val_offset: 0x14,
  val_offset_sf: 0x15,
  val_expression: 0x16,
  MIPS_advance_loc8: 0x1d,
  GNU_window_save: 0x2d,
  GNU_args_size: 0x2e,
  GNU_negative_offset_extended: 0x2f,
} as const;

interface State {
  cfa: CfaRule;
  registers: Map<number, RegisterRule>;
  argsSize: number;
}

const NO_CFA: CfaRule = { kind: 'regOffset', reg: -1, offset: 0 };

/**
 * The row for table-space address `pc` (which must lie in [fde.pcBegin, fde.pcEnd)).
 * Throws BadCfi on malformed instructions.
 */
export function computeRow(section: CfiSection, fde: Fde, pc: number): CfiRow {
  const cie = fde.cie;
  const state: State = { cfa: NO_CFA, registers: new Map(), argsSize: 0 };
  const run = new Runner(section, cie, fde, pc);
  // CIE initial instructions: they set the rules at the start of every FDE.
  run.exec(cie.instructions.start, cie.instructions.end, state, null);
  const initial = new Map(state.registers);
  const end = run.exec(fde.instructions.start, fde.instructions.end, state, initial);
  if (state.cfa === NO_CFA) {
    throw new BadCfiError(`${section.name}: FDE at 0x${fde.offset.toString(16)} defines no CFA rule`, { where: section.name, offset: fde.offset });
  }
  return {
    start: run.rowStart,
    end: end ?? fde.pcEnd,
    cfa: state.cfa,
    registers: state.registers,
    raRegister: cie.raRegister,
    isSignalFrame: cie.isSignalFrame,
    argsSize: state.argsSize,
  };
}

class Runner {
  loc: number;
  rowStart: number;

  constructor(
    private readonly section: CfiSection,
    private readonly cie: Cie,
    private readonly fde: Fde,
    private readonly target: number,
  ) {
    this.loc = fde.pcBegin;
    this.rowStart = fde.pcBegin;
  }

  /**
   * Executes [start, end) until the location would move past the target.
   * Returns the location where the next row starts when it stopped early, else null.
   * `initial` is null while running the CIE's own instructions.
   */
  exec(start: number, end: number, st: State, initial: Map<number, RegisterRule> | null): number | null {
    const c: ByteCursor = new ByteCursor(this.section.data, this.section.name, start, end);
    const cie = this.cie;
    const stack: State[] = [];
    const reg = (): number => {
      const at = c.pos;
      const r = c.uleb();
      if (r > MAX_REGISTER) c.fail(`register number ${r} is out of range`, at);
      return r;
    };
    const expr = (): Buffer => {
      const len = c.uleb();
      c.need(len);
      const b = c.buf.subarray(c.pos, c.pos + len);
      c.pos += len;
      return b;
    };
    const restore = (r: number): void => {
      const rule = initial?.get(r);
      if (rule) st.registers.set(r, rule);
      else st.registers.delete(r);
    };
    const advance = (delta: number): boolean => {
      const next = this.loc + delta * cie.codeAlign;
      if (next > this.target) return true;
      this.loc = next;
      this.rowStart = next;
      return false;
    };
    const setCfaOffset = (offset: number): void => {
      // Only meaningful with a register rule; GCC never emits it after an expression.
      if (st.cfa.kind === 'regOffset') st.cfa = { kind: 'regOffset', reg: st.cfa.reg, offset };
      else c.fail('DW_CFA_def_cfa_offset after DW_CFA_def_cfa_expression');
    };
    const setCfaRegister = (r: number): void => {
      if (st.cfa.kind === 'regOffset') st.cfa = { kind: 'regOffset', reg: r, offset: st.cfa.offset };
      else c.fail('DW_CFA_def_cfa_register after DW_CFA_def_cfa_expression');
    };

    while (!c.atEnd) {
      const at = c.pos;
      const byte = c.u8();
      const high = byte & 0xc0;
      const low = byte & 0x3f;
      if (high === DW_CFA.advance_loc) {
        if (advance(low)) return this.loc + low * cie.codeAlign;
        continue;
      }
      if (high === DW_CFA.offset) {
        st.registers.set(low, { kind: 'offset', offset: c.uleb() * cie.dataAlign });
        continue;
      }
      if (high === DW_CFA.restore) {
        restore(low);
        continue;
      }
      switch (byte) {
        case DW_CFA.nop:
          break;
        case DW_CFA.set_loc: {
          const v = readEncoded(c, cie.fdeEncoding, basesFor(this.section, this.fde.pcBegin));
          if (v.indirect) c.fail('indirect DW_CFA_set_loc is not supported', at);
          if (v.value > this.target) return v.value;
          this.loc = v.value;
          this.rowStart = v.value;
          break;
        }
        case DW_CFA.advance_loc1: {
          const d = c.u8();
          if (advance(d)) return this.loc + d * cie.codeAlign;
          break;
        }
        case DW_CFA.advance_loc2: {
          const d = c.u16();
          if (advance(d)) return this.loc + d * cie.codeAlign;
          break;
        }
        case DW_CFA.advance_loc4: {
          const d = c.u32();
          if (advance(d)) return this.loc + d * cie.codeAlign;
          break;
        }
        case DW_CFA.MIPS_advance_loc8: {
          const d = c.u64();
          if (advance(d)) return this.loc + d * cie.codeAlign;
          break;
        }
        case DW_CFA.offset_extended: {
          const r = reg();
          st.registers.set(r, { kind: 'offset', offset: c.uleb() * cie.dataAlign });
          break;
        }
        case DW_CFA.offset_extended_sf: {
          const r = reg();
          st.registers.set(r, { kind: 'offset', offset: c.sleb() * cie.dataAlign });
          break;
        }
        case DW_CFA.GNU_negative_offset_extended: {
          const r = reg();
          st.registers.set(r, { kind: 'offset', offset: -c.uleb() * cie.dataAlign });
          break;
        }
        case DW_CFA.restore_extended:
          restore(reg());
          break;
        case DW_CFA.undefined:
          st.registers.set(reg(), { kind: 'undefined' });
          break;
        case DW_CFA.same_value:
          st.registers.set(reg(), { kind: 'sameValue' });
          break;
        case DW_CFA.register: {
          const r = reg();
          st.registers.set(r, { kind: 'register', reg: reg() });
          break;
        }
        case DW_CFA.remember_state:
          if (stack.length >= MAX_STATE_DEPTH) c.fail(`DW_CFA_remember_state nested deeper than ${MAX_STATE_DEPTH}`, at);
          // GCC and gdb save the CFA rule with the register rules (the epilogue idiom relies on it).
          stack.push({ cfa: st.cfa, registers: new Map(st.registers), argsSize: st.argsSize });
          break;
        case DW_CFA.restore_state: {
          const saved = stack.pop();
          if (!saved) c.fail('DW_CFA_restore_state without DW_CFA_remember_state', at);
          st.cfa = saved.cfa;
          st.registers = saved.registers;
          st.argsSize = saved.argsSize;
          break;
        }
        case DW_CFA.def_cfa: {
          const r = reg();
          st.cfa = { kind: 'regOffset', reg: r, offset: c.uleb() };
          break;
        }
        case DW_CFA.def_cfa_sf: {
          const r = reg();
          st.cfa = { kind: 'regOffset', reg: r, offset: c.sleb() * cie.dataAlign };
          break;
        }
        case DW_CFA.def_cfa_register:
          setCfaRegister(reg());
          break;
        case DW_CFA.def_cfa_offset:
          setCfaOffset(c.uleb());
          break;
        case DW_CFA.def_cfa_offset_sf:
          setCfaOffset(c.sleb() * cie.dataAlign);
          break;
        case DW_CFA.def_cfa_expression:
          st.cfa = { kind: 'expression', expr: expr() };
          break;
        case DW_CFA.expression: {
          const r = reg();
          st.registers.set(r, { kind: 'expression', expr: expr() });
          break;
        }
        case DW_CFA.val_expression: {
          const r = reg();
          st.registers.set(r, { kind: 'valExpression', expr: expr() });
          break;
        }
        case DW_CFA.val_offset: {
          const r = reg();
          st.registers.set(r, { kind: 'valOffset', offset: c.uleb() * cie.dataAlign });
          break;
        }
        case DW_CFA.val_offset_sf: {
          const r = reg();
          st.registers.set(r, { kind: 'valOffset', offset: c.sleb() * cie.dataAlign });
          break;
        }
        case DW_CFA.GNU_args_size:
          st.argsSize = c.uleb();
          break;
        default:
          c.fail(`unknown DW_CFA instruction 0x${byte.toString(16)}`, at);
      }
    }
    return null;
  }
}
