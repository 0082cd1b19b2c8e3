// The DWARF expression evaluator on the expressions real binaries carry (the PLT's CFA
// expression, glibc's __restore_rt rules), then on synthetic bytes for operations no CFI on this
// machine uses (each byte commented), and on hostile input: loops, overflows, truncation.
import { describe, expect, it } from 'vitest';
import { ElfImage } from '../../../main/core/elf';
import { BadCfiError, cfiFromElfImage, evaluateExpression, type ExprContext } from '../../../main/core/unwind';
import { compile, haveTool } from '../../helpers/native';

const RSP = 0x7ffd_1234_5670n;

function ctxWith(regs: Record<number, bigint>, mem: Map<bigint, bigint> = new Map()): ExprContext {
  return {
    register: (r) => regs[r] ?? null,
    readMemory: (addr, size) => {
      const v = mem.get(addr);
      return v === undefined ? null : v & ((1n << BigInt(8 * size)) - 1n);
    },
  };
}

const PLT_PROGRAM = String.raw`
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) { printf("%zu\n", strlen(argv[0]) + (size_t)argc); puts("x"); return 0; }
`;

describe('DWARF expressions from real binaries', () => {
  it.skipIf(!haveTool('gcc'))("the PLT's DW_CFA_def_cfa_expression: CFA = rsp + 8, + 8 more past the push in each entry", () => {
    const exe = compile('plt-expression', PLT_PROGRAM, { flags: ['-O0'] });
    const image = ElfImage.open(exe);
    try {
      const tables = cfiFromElfImage(image, 0n);
      const plt = image.section('.plt');
      expect(tables).not.toBeNull();
      expect(plt).toBeDefined();
      if (!tables || !plt) return;
      const base = Number(plt.addr);
      // PLT0 (push GOT[1]; jmp *GOT[2]): plain offsets.
      expect(tables.rowAt(base)?.row.cfa).toEqual({ kind: 'regOffset', reg: 7, offset: 16 });
      expect(tables.rowAt(base + 6)?.row.cfa).toEqual({ kind: 'regOffset', reg: 7, offset: 24 });
      // The entries: one expression for all of them.
      let checked = 0;
      for (let pc = base + 16; pc < base + plt.size; pc++) {
        const found = tables.rowAt(pc);
        expect(found, `row at 0x${pc.toString(16)}`).not.toBeNull();
        const cfa = found?.row.cfa;
        if (cfa?.kind !== 'expression') throw new Error('expected a CFA expression');
        // DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and; DW_OP_lit11; DW_OP_ge; DW_OP_lit3; DW_OP_shl; DW_OP_plus
        expect([...cfa.expr]).toEqual([0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a, 0x3b, 0x2a, 0x33, 0x24, 0x22]);
        const r = evaluateExpression(cfa.expr, ctxWith({ 7: RSP, 16: BigInt(pc) }));
        const inEntry = (pc - base) % 16;
        expect(r).toEqual({ ok: true, value: RSP + 8n + (inEntry >= 11 ? 8n : 0n) });
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(16);
    } finally {
      image.close();
    }
  });

  it("glibc's __restore_rt: CFA and every register are expressions over the ucontext at rsp", () => {
    const image = ElfImage.open('/usr/lib/x86_64-linux-gnu/libc.so.6');
    try {
      const tables = cfiFromElfImage(image, 0n);
      const sig = tables?.listFdes('eh_frame').filter((f) => f.cie.isSignalFrame) ?? [];
      expect(sig.length).toBe(1);
      const fde = sig[0];
      expect(fde.cie.augmentation).toBe('zRS');
      // The FDE starts one byte before __restore_rt, so that pc - 1 of its return address finds it.
      const row = tables?.rowAt(fde.pcBegin + 1)?.row;
      expect(row?.isSignalFrame).toBe(true);
      if (!row || row.cfa.kind !== 'expression') throw new Error('expected a CFA expression');
      // DW_OP_breg7 160; DW_OP_deref: the interrupted rsp, uc_mcontext.gregs[REG_RSP].
      const interruptedRsp = 0x7ffd_0000_1000n;
      const mem = new Map([[RSP + 160n, interruptedRsp]]);
      expect(evaluateExpression(row.cfa.expr, ctxWith({ 7: RSP }, mem))).toEqual({ ok: true, value: interruptedRsp });
      // Register rules: the address of gregs[REG_xx] = rsp + 40 + 8 * REG_xx.
      const greg: Record<number, number> = { 8: 0, 9: 1, 10: 2, 11: 3, 12: 4, 13: 5, 14: 6, 15: 7, 5: 8, 4: 9, 6: 10, 3: 11, 1: 12, 0: 13, 2: 14, 7: 15, 16: 16 };
      for (const [reg, idx] of Object.entries(greg)) {
        const rule = row.registers.get(Number(reg));
        if (rule?.kind !== 'expression') throw new Error(`expected an expression for r${reg}`);
        const r = evaluateExpression(rule.expr, ctxWith({ 7: RSP }), [interruptedRsp]);
        expect(r, `r${reg}`).toEqual({ ok: true, value: RSP + 40n + 8n * BigInt(idx) });
      }
    } finally {
      image.close();
    }
  });
});

/** Evaluates synthetic bytes with rsp = RSP, rbp (6) = 0x1000, and optional memory. */
function run(bytes: number[], initial: bigint[] = [], mem?: Map<bigint, bigint>) {
  return evaluateExpression(Buffer.from(bytes), ctxWith({ 7: RSP, 6: 0x1000n }, mem), initial);
}
const value = (bytes: number[], initial: bigint[] = [], mem?: Map<bigint, bigint>): bigint => {
  const r = run(bytes, initial, mem);
  if (!r.ok) throw new Error(r.detail);
  return r.value;
};
const M64 = (1n << 64n) - 1n;

describe('DWARF expression operations (synthetic bytes)', () => {
  it('constants', () => {
    expect(value([0x08, 0xff])).toBe(0xffn); // const1u 255
    expect(value([0x09, 0xff])).toBe(M64); // const1s -1
    expect(value([0x0a, 0x34, 0x12])).toBe(0x1234n); // const2u
    expect(value([0x0b, 0xfe, 0xff])).toBe(M64 - 1n); // const2s -2
    expect(value([0x0c, 0x78, 0x56, 0x34, 0x12])).toBe(0x12345678n); // const4u
    expect(value([0x0d, 0x00, 0x00, 0x00, 0x80])).toBe(BigInt.asUintN(64, -0x80000000n)); // const4s
    expect(value([0x0e, 1, 2, 3, 4, 5, 6, 7, 0x88])).toBe(0x8807060504030201n); // const8u
    expect(value([0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe(M64); // const8s -1
    expect(value([0x10, 0xe5, 0x8e, 0x26])).toBe(624485n); // constu (LEB128 example from DWARF)
    expect(value([0x11, 0x7f])).toBe(M64); // consts -1
    expect(value([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).toBe(M64); // constu 2^64-1
    expect(value([0x30])).toBe(0n); // lit0
    expect(value([0x4f])).toBe(31n); // lit31
    expect(value([0x03, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11])).toBe(0x1122334455667788n); // addr
  });

  it('stack operations', () => {
    expect(value([0x31, 0x12, 0x22])).toBe(2n); // lit1 dup plus
    expect(value([0x31, 0x32, 0x13])).toBe(1n); // lit1 lit2 drop
    expect(value([0x31, 0x32, 0x14])).toBe(1n); // lit1 lit2 over
    expect(value([0x31, 0x32, 0x33, 0x15, 0x02])).toBe(1n); // lit1 lit2 lit3 pick 2
    expect(value([0x31, 0x32, 0x16])).toBe(1n); // lit1 lit2 swap -> top 1
    expect(value([0x31, 0x32, 0x16, 0x13])).toBe(2n); // ... drop -> 2
    // lit1 lit2 lit3 rot: [1 2 3] -> [3 1 2]
    expect(value([0x31, 0x32, 0x33, 0x17])).toBe(2n);
    expect(value([0x31, 0x32, 0x33, 0x17, 0x13])).toBe(1n);
    expect(value([0x31, 0x32, 0x33, 0x17, 0x13, 0x13])).toBe(3n);
  });

  it('arithmetic and logic wrap at 64 bits', () => {
    expect(value([0x11, 0x7b, 0x19])).toBe(5n); // consts -5, abs
    expect(value([0x3c, 0x3a, 0x1a])).toBe(8n); // lit12 lit10 and
    expect(value([0x11, 0x79, 0x32, 0x1b])).toBe(BigInt.asUintN(64, -3n)); // consts -7, lit2, div (signed, truncating)
    expect(value([0x35, 0x37, 0x1c])).toBe(M64 - 1n); // lit5 lit7 minus
    expect(value([0x37, 0x33, 0x1d])).toBe(1n); // lit7 lit3 mod
    expect(value([0x0e, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x32, 0x1e])).toBe(0n); // 2^63 * 2 wraps
    expect(value([0x31, 0x1f])).toBe(M64); // lit1 neg
    expect(value([0x30, 0x20])).toBe(M64); // lit0 not
    expect(value([0x3c, 0x33, 0x21])).toBe(15n); // lit12 lit3 or
    expect(value([0x31, 0x23, 0x80, 0x01])).toBe(129n); // lit1 plus_uconst 128
    expect(value([0x31, 0x34, 0x24])).toBe(16n); // lit1 lit4 shl
    expect(value([0x08, 0x80, 0x33, 0x25])).toBe(16n); // 128 >> 3
    expect(value([0x11, 0x70, 0x32, 0x26])).toBe(BigInt.asUintN(64, -4n)); // consts -16, lit2, shra
    expect(value([0x3c, 0x3a, 0x27])).toBe(6n); // 12 xor 10
    expect(value([0x31, 0x08, 0x40, 0x24])).toBe(0n); // shl by 64 -> 0
  });

  it('comparisons are signed and push 0 or 1', () => {
    expect(value([0x33, 0x33, 0x29])).toBe(1n); // eq
    expect(value([0x33, 0x34, 0x2e])).toBe(1n); // ne
    expect(value([0x11, 0x7f, 0x31, 0x2d])).toBe(1n); // -1 lt 1
    expect(value([0x11, 0x7f, 0x31, 0x2b])).toBe(0n); // -1 gt 1
    expect(value([0x33, 0x33, 0x2a])).toBe(1n); // ge
    expect(value([0x33, 0x33, 0x2c])).toBe(1n); // le
  });

  it('branches: a countdown loop with bra and skip', () => {
    // sum = 5 + 4 + 3 + 2 + 1 with an accumulator under a counter.
    // Written out with exact offsets (operands are 2-byte signed, relative to the next op):
    const bytes = [
      0x30, //  0 lit0            acc
      0x35, //  1 lit5            acc n
      0x12, //  2 dup             acc n n
      0x28, 0x04, 0x00, //  3 bra +4 -> 10 if n != 0
      0x13, //  6 drop            acc
      0x2f, 0x0a, 0x00, //  7 skip +10 -> 20 (end)
      0x12, // 10 dup             acc n n
      0x17, // 11 rot             n acc n
      0x22, // 12 plus            n acc'
      0x16, // 13 swap            acc' n
      0x31, // 14 lit1
      0x1c, // 15 minus           acc' n-1
      0x2f, 0xef, 0xff, // 16 skip -17 -> 2
      0x96, // 19 nop (never reached)
    ];
    expect(value(bytes)).toBe(15n);
  });

  it('registers and memory', () => {
    expect(value([0x77, 0x10])).toBe(RSP + 16n); // breg7 16
    expect(value([0x76, 0x78])).toBe(0x1000n - 8n); // breg6 -8
    expect(value([0x92, 0x07, 0x08])).toBe(RSP + 8n); // bregx 7 8
    const mem = new Map([[RSP + 8n, 0x1122334455667788n]]);
    expect(value([0x77, 0x08, 0x06], [], mem)).toBe(0x1122334455667788n); // breg7 8; deref
    expect(value([0x77, 0x08, 0x94, 0x04], [], mem)).toBe(0x55667788n); // deref_size 4
    expect(value([0x77, 0x08, 0x94, 0x01], [], mem)).toBe(0x88n); // deref_size 1
    expect(value([0x23, 0x08], [RSP])).toBe(RSP + 8n); // initial stack (CFA) plus_uconst 8
    expect(run([0x73, 0x00])).toMatchObject({ ok: false, reason: 'unknownRegister', register: 3 }); // breg3: rbx unknown
    expect(run([0x77, 0x20, 0x06])).toMatchObject({ ok: false, reason: 'missingMemory', address: RSP + 32n });
  });
});

describe('hostile expressions end quickly with BadCfi', () => {
  const bad = (bytes: number[], initial: bigint[] = []) => () => run(bytes, initial);
  it('an endless loop hits the step limit', () => {
    const t0 = performance.now();
    expect(bad([0x2f, 0xfd, 0xff])).toThrow(BadCfiError); // skip -3: jumps to itself
    expect(performance.now() - t0).toBeLessThan(500);
  });
  it('a growing stack hits the stack limit', () => {
    expect(bad([0x30, 0x12, 0x2f, 0xfc, 0xff])).toThrow(/stack deeper/); // lit0; dup; skip -4
  });
  it('underflow, register locations, unknown and unsupported ops, truncation, wild branches, division by zero', () => {
    expect(bad([0x22])).toThrow(BadCfiError); // plus on an empty stack
    expect(bad([])).toThrow(/empty stack/);
    expect(bad([0x57])).toThrow(/not allowed/); // reg7
    expect(bad([0x91, 0x00])).toThrow(/frame base/); // fbreg
    expect(bad([0x9c])).toThrow(/call_frame_cfa/);
    expect(bad([0xe0])).toThrow(/unknown DW_OP/);
    expect(bad([0x93, 0x08])).toThrow(/not supported/); // piece
    expect(bad([0x0c, 0x01, 0x02])).toThrow(/truncated/); // const4u with 2 bytes
    expect(bad([0x10, 0x80, 0x80])).toThrow(/truncated/); // unterminated LEB128
    expect(bad([0x2f, 0x00, 0x10])).toThrow(/outside the expression/); // skip +4096
    expect(bad([0x31, 0x30, 0x1b])).toThrow(/division by zero/);
    expect(bad([0x94, 0x09], [RSP])).toThrow(/deref_size/);
    expect(bad([0x15, 0x05], [1n])).toThrow(/underflow/); // pick 5 of 1
  });
});
