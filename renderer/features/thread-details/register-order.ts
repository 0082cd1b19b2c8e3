// The order a debugging engineer reads x86-64 registers in: where it is (rip, rsp, rbp), the
// syscall number and its arguments in calling-convention order, then the rest. Pure.

export const REGISTER_GROUPS: readonly { title: string; names: readonly string[] }[] = [
  { title: 'Where', names: ['rip', 'rsp', 'rbp'] },
  { title: 'System call', names: ['orig_rax', 'rax', 'rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9'] },
  { title: 'General', names: ['rbx', 'rcx', 'r11', 'r12', 'r13', 'r14', 'r15'] },
  { title: 'Segments and flags', names: ['eflags', 'fs_base', 'gs_base', 'cs', 'ss', 'ds', 'es', 'fs', 'gs'] },
];

/** The registers in reading order, grouped; names the API sends that no group lists go last. */
export function groupRegisters(regs: Record<string, string>): { title: string; entries: [string, string][] }[] {
  const seen = new Set<string>();
  const groups = REGISTER_GROUPS.map((g) => ({
    title: g.title,
    entries: g.names.filter((n) => n in regs).map((n): [string, string] => (seen.add(n), [n, regs[n]])),
  }));
  const rest = Object.keys(regs)
    .filter((n) => !seen.has(n))
    .sort()
    .map((n): [string, string] => [n, regs[n]]);
  if (rest.length) groups.push({ title: 'Other', entries: rest });
  return groups.filter((g) => g.entries.length > 0);
}

/** The syscall argument registers, in order (rdi, rsi, rdx, r10, r8, r9). */
export const SYSCALL_ARG_REGISTERS = ['rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9'] as const;
