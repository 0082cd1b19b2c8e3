// unwind: from a thread's registers to its frames, as gdb would.
// Takes the dump's memory (core/elf's CoreMemory), a provider of per-module unwind tables
// (UnwindModuleProvider: module files, symbol folders or the dump's own memory) and each
// thread's registers (NT_PRSTATUS). Produces per thread the frames (pc, lookupPc, sp, CFA,
// how each was found: context|cfi|fp|scan, recovered registers) and why the walk stopped
// (ok|missingMemory|noCfi|loop|depthLimit). Others may implement UnwindModuleProvider /
// UnwindModule (e.g. to serve tables from a symbol folder) with cfiFromElfImage.
export { Unwinder, unwindThreads, type UnwindOptions, type InitialRegisters } from './unwinder';
export {
  type UnwoundFrame,
  type UnwoundStack,
  type UnwindStop,
  type FrameHow,
  type StopReason,
  type FrameRegisters,
  type DwarfRegName,
  type UnwindMemory,
  DWARF_REGS,
} from './types';
export {
  ModuleList,
  lazyModule,
  moduleProviderForCore,
  type UnwindModule,
  type UnwindModuleProvider,
  type CoreProviderOptions,
  type CoreModuleProvider,
} from './unwind-modules';
export { CfiTables, cfiFromElfImage, cfiFromMemory, cfiFromSections, type CfiTablesInit, type CfiLookup, type TableMemory, type MemoryModuleInfo } from './cfi-tables';
export { parseCie, parseFde, buildFdeIndex, type CfiSection, type CfiSectionKind, type Cie, type Fde, type FdeIndex } from './cfi-parse';
export { computeRow, type CfiRow, type CfaRule, type RegisterRule } from './cfi-exec';
export { EhFrameHdr } from './eh-frame-hdr';
export { evaluateExpression, DEFAULT_EXPR_LIMITS, type ExprContext, type ExprResult, type ExprLimits } from './dwarf-expr';
export { endsWithCall, SIGRETURN_BYTES } from './x86-call';
export { BadCfiError, isBadCfi } from './errors';
