// x86-64 general registers as the kernel lays out `struct user_regs_struct` in NT_PRSTATUS
// (27 u64 words), and their DWARF register numbers for the unwinder.

export const X86_64_GREGS = [
  'r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi', 'rdi',
  'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs',
] as const;

export type X86Reg = (typeof X86_64_GREGS)[number];
export type X86Registers = Record<X86Reg, bigint>;

/** DWARF register numbers for x86-64 (System V psABI, figure 3.36). */
export const DWARF_X86_64 = {
  rax: 0, rdx: 1, rcx: 2, rbx: 3, rsi: 4, rdi: 5, rbp: 6, rsp: 7,
  r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15,
  rip: 16,
} as const;

export const DWARF_REG_NAMES: readonly string[] = [
  'rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip',
];

export function parseGregs(buf: Buffer, offset: number): X86Registers {
  const regs = {} as X86Registers;
  X86_64_GREGS.forEach((name, i) => {
    regs[name] = buf.readBigUInt64LE(offset + i * 8);
  });
  return regs;
}

/** orig_rax as the kernel leaves it: -1 when the thread was not inside a system call. */
export function syscallNumber(regs: X86Registers): number | null {
  const v = BigInt.asIntN(64, regs.orig_rax);
  return v < 0n || v > 4096n ? null : Number(v);
}
