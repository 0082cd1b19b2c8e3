// What we do when no call frame information covers a pc:
// 1. a signal trampoline recognised by its bytes (`mov $0xf,%rax; syscall`): the interrupted
//    registers are in the ucontext_t the kernel pushed, at the trampoline frame's rsp;
// 2. the frame-pointer chain: [rbp] = caller's rbp, [rbp+8] = return address, validated;
// 3. a stack scan: the first word above rsp that is a return address into executable code of a
//    known module, just after a call instruction.
// Each returns the caller's registers, or null when it does not apply.
import { PF_R, PF_W, PF_X } from '../elf/constants';
import { NUM_REGS, REG_RBP, REG_RIP, REG_RSP, type UnwindMemory } from './types';
import { type UnwindModuleProvider } from './unwind-modules';
import { endsWithCall, SIGRETURN_BYTES } from './x86-call';

/** Register values by DWARF number, and whether each can be vouched for. */
export interface RegState {
  v: (bigint | undefined)[];
  trusted: boolean[];
}

export function emptyRegs(): RegState {
  return { v: new Array<bigint | undefined>(NUM_REGS).fill(undefined), trusted: new Array<boolean>(NUM_REGS).fill(false) };
}

export interface FallbackContext {
  memory: UnwindMemory;
  modules: UnwindModuleProvider;
  /** Code bytes from the dump or, failing that, the module file. */
  readCode(addr: bigint, length: number): Buffer | null;
}

// ucontext_t on x86-64 (<sys/ucontext.h>): uc_flags(8) uc_link(8) uc_stack(24), then
// uc_mcontext.gregs[23] at offset 40 in the order REG_R8 .. REG_CR2.
export const UC_MCONTEXT_GREGS = 40;
const NGREG = 23;
/** DWARF register number of gregs[i] for i in REG_R8..REG_RIP (-1: not a DWARF register). */
const GREG_TO_DWARF = [8, 9, 10, 11, 12, 13, 14, 15, 5, 4, 6, 3, 1, 0, 2, 7, 16];

/** True when the sigreturn trampoline's bytes are at pc (or pc is on its `syscall`). */
export function isSigreturnAt(ctx: FallbackContext, pc: bigint, alsoAtSyscall: boolean): boolean {
  const code = ctx.readCode(pc, SIGRETURN_BYTES.length);
  if (code && code.length === SIGRETURN_BYTES.length && code.equals(SIGRETURN_BYTES)) return true;
  if (alsoAtSyscall && pc >= 7n) {
    const c2 = ctx.readCode(pc - 7n, SIGRETURN_BYTES.length);
    if (c2 && c2.length === SIGRETURN_BYTES.length && c2.equals(SIGRETURN_BYTES)) return true;
  }
  return false;
}

/**
 * The interrupted registers from the ucontext_t at `ucontext` (the trampoline frame's rsp).
 * Null when that memory is not in the dump.
 */
export function registersFromUcontext(memory: UnwindMemory, ucontext: bigint): RegState | null {
  const gregs = memory.read(ucontext + BigInt(UC_MCONTEXT_GREGS), NGREG * 8);
  if (!gregs) return null;
  const out = emptyRegs();
  GREG_TO_DWARF.forEach((dw, i) => {
    out.v[dw] = gregs.readBigUInt64LE(i * 8);
    out.trusted[dw] = true;
  });
  return out;
}

/** Largest frame we believe the frame-pointer chain about (rbp - rsp). */
const MAX_FP_FRAME = 64n * 1024n * 1024n;

export interface ReturnAddressCheck {
  /** Require a known module at the address (stack scans); JIT code has none. */
  requireModule: boolean;
  /** Require readable code bytes to check for the call (stack scans). */
  requireCode: boolean;
}

/** Is `ra` plausibly a return address: executable, (in a module), just after a call? */
export function plausibleReturnAddress(ctx: FallbackContext, ra: bigint, check: ReturnAddressCheck): boolean {
  if (ra < 0x1000n || ra >= 1n << 56n) return false;
  const inCall = ra - 1n;
  const module = ctx.modules.moduleFor(inCall);
  if (check.requireModule && module === null) return false;
  // The dump's segment flags when the dump has the segment (JIT code, the vDSO); gcore leaves
  // file-backed text out of the core entirely, so for module code ask the module.
  const seg = ctx.memory.segmentAt(inCall);
  const executable = seg ? (seg.flags & PF_X) !== 0 : module?.isExecutable ? module.isExecutable(inCall) : module !== null;
  if (!executable) return false;
  const before = ctx.readCode(ra - 8n, 8);
  if (before && before.length === 8 && endsWithCall(before)) return true;
  // A signal handler "returns" to the sigreturn trampoline, which no call precedes.
  if (isSigreturnAt(ctx, ra, false)) return true;
  return (!before || before.length < 8) && !check.requireCode;
}

/** One step along the frame-pointer chain, or null when rbp does not look like a frame pointer. */
export function framePointerStep(ctx: FallbackContext, regs: RegState): { regs: RegState; cfa: bigint } | null {
  const rbp = regs.v[REG_RBP];
  const sp = regs.v[REG_RSP];
  if (rbp === undefined || sp === undefined) return null;
  if ((rbp & 7n) !== 0n || rbp < sp || rbp - sp > MAX_FP_FRAME) return null;
  const seg = ctx.memory.segmentAt(rbp);
  if (!seg || (seg.flags & (PF_R | PF_W)) !== (PF_R | PF_W)) return null;
  if (sp < seg.start || rbp + 16n > seg.end) return null;
  const savedRbp = ctx.memory.readU64(rbp);
  const ra = ctx.memory.readU64(rbp + 8n);
  if (savedRbp === null || ra === null) return null;
  if (savedRbp !== 0n && savedRbp <= rbp) return null;
  if (!plausibleReturnAddress(ctx, ra, { requireModule: false, requireCode: false })) return null;
  const out = emptyRegs();
  out.v[REG_RIP] = ra;
  out.trusted[REG_RIP] = true;
  out.v[REG_RSP] = rbp + 16n;
  out.trusted[REG_RSP] = true;
  out.v[REG_RBP] = savedRbp;
  out.trusted[REG_RBP] = true;
  return { regs: out, cfa: rbp + 16n };
}

/**
 * The function-entry rule for a pc that is not code: the return address at [rsp] (validated),
 * rsp + 8, all other registers unchanged.
 */
export function entryStep(ctx: FallbackContext, regs: RegState): { regs: RegState; cfa: bigint } | null {
  const sp = regs.v[REG_RSP];
  if (sp === undefined) return null;
  const ra = ctx.memory.readU64(sp);
  if (ra === null || !plausibleReturnAddress(ctx, ra, { requireModule: false, requireCode: false })) return null;
  const out: RegState = { v: [...regs.v], trusted: [...regs.trusted] };
  out.v[REG_RIP] = ra;
  out.trusted[REG_RIP] = true;
  out.v[REG_RSP] = sp + 8n;
  out.trusted[REG_RSP] = true;
  return { regs: out, cfa: sp + 8n };
}

/**
 * Scans up to `maxWords` stack words from rsp for a validated return address. The caller's
 * rsp is the slot after it; other registers are unknown.
 */
export function stackScanStep(ctx: FallbackContext, regs: RegState, maxWords: number): { regs: RegState; cfa: bigint; slot: bigint } | null {
  const sp = regs.v[REG_RSP];
  if (sp === undefined || (sp & 7n) !== 0n) return null;
  const seg = ctx.memory.segmentAt(sp);
  if (!seg || (seg.flags & PF_W) === 0) return null;
  const limit = seg.end - sp < BigInt(maxWords * 8) ? Number(seg.end - sp) : maxWords * 8;
  const CHUNK = 4096;
  for (let off = 0; off < limit; off += CHUNK) {
    const want = Math.min(CHUNK, limit - off);
    const addr = sp + BigInt(off);
    const buf = ctx.memory.read(addr, want) ?? ctx.memory.readPartial?.(addr, want) ?? null;
    if (!buf || buf.length < 8) return null;
    for (let i = 0; i + 8 <= buf.length; i += 8) {
      const v = buf.readBigUInt64LE(i);
      if (plausibleReturnAddress(ctx, v, { requireModule: true, requireCode: true })) {
        const slot = addr + BigInt(i);
        const out = emptyRegs();
        out.v[REG_RIP] = v;
        out.trusted[REG_RIP] = true;
        out.v[REG_RSP] = slot + 8n;
        out.trusted[REG_RSP] = true;
        return { regs: out, cfa: slot + 8n, slot };
      }
    }
    if (buf.length < want) return null;
  }
  return null;
}
