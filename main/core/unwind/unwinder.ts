// Walks a thread's stack from its registers, as gdb does: call frame information first
// (.eh_frame / .debug_frame rows), signal trampolines through their CFI or their bytes, then
// the frame-pointer chain and a validated stack scan when a pc has no CFI.
//
// Bounded: at most maxDepth frames; a (pc, sp) pair seen twice or a stack pointer that does
// not grow (outside signal frames) stops the walk as a loop; expressions have step limits.
// Register values are exact u64 bigints; table lookups use numbers (see cfi-tables.ts).
import { type CfiLookup } from './cfi-tables';
import { type RegisterRule } from './cfi-exec';
import { DEFAULT_EXPR_LIMITS, evaluateExpression, type ExprContext, type ExprLimits, type ExprResult } from './dwarf-expr';
import { isBadCfi } from './errors';
import { PF_X } from '../elf/constants';
import {
  emptyRegs,
  entryStep,
  framePointerStep,
  isSigreturnAt,
  registersFromUcontext,
  stackScanStep,
  type FallbackContext,
  type RegState,
} from './fallbacks';
import {
  CALLEE_SAVED,
  DWARF_REGS,
  NUM_REGS,
  REG_RIP,
  REG_RSP,
  type DwarfRegName,
  type FrameHow,
  type FrameRegisters,
  type StopReason,
  type UnwindMemory,
  type UnwoundFrame,
  type UnwoundStack,
} from './types';
import { type UnwindModule, type UnwindModuleProvider } from './unwind-modules';

export interface UnwindOptions {
  /** Most frames per stack (default 512). */
  maxDepth?: number;
  /** Words a stack scan looks at per step (default 2048, i.e. 16 KiB). */
  maxScanWords?: number;
  /** Try the frame-pointer chain when a pc has no CFI (default true). */
  useFramePointers?: boolean;
  /** Try a validated stack scan when the rest fails (default true). */
  useStackScan?: boolean;
  exprLimits?: ExprLimits;
}

/** The registers a walk starts from: NT_PRSTATUS's X86Registers fit, or any subset by name. */
export type InitialRegisters = Partial<Record<DwarfRegName, bigint>>;

const MASK64 = (1n << 64n) - 1n;
const hex = (v: bigint): string => `0x${v.toString(16)}`;

type Step =
  | { kind: 'caller'; regs: RegState; how: FrameHow; cfa: bigint | null; isSignalFrame: boolean }
  | { kind: 'stop'; reason: StopReason; detail: string; cfa: bigint | null; isSignalFrame: boolean };

type ApplyResult =
  | { kind: 'ok'; regs: RegState; cfa: bigint }
  | { kind: 'outermost'; cfa: bigint }
  | { kind: 'missingMemory'; detail: string; cfa: bigint | null }
  | { kind: 'unknownRegister'; detail: string; cfa: bigint | null };

export class Unwinder {
  private readonly maxDepth: number;
  private readonly maxScanWords: number;
  private readonly useFramePointers: boolean;
  private readonly useStackScan: boolean;
  private readonly exprLimits: ExprLimits;
  private readonly fallback: FallbackContext;

  constructor(
    private readonly memory: UnwindMemory,
    private readonly modules: UnwindModuleProvider,
    opts: UnwindOptions = {},
  ) {
    this.maxDepth = opts.maxDepth ?? 512;
    this.maxScanWords = opts.maxScanWords ?? 2048;
    this.useFramePointers = opts.useFramePointers ?? true;
    this.useStackScan = opts.useStackScan ?? true;
    this.exprLimits = opts.exprLimits ?? DEFAULT_EXPR_LIMITS;
    this.fallback = {
      memory,
      modules,
      readCode: (addr, length) => this.readCode(addr, length),
    };
  }

  /** Unwinds one thread from its registers. Never throws for bad stacks or tables. */
  unwind(initial: InitialRegisters): UnwoundStack {
    const warnings: string[] = [];
    const frames: UnwoundFrame[] = [];
    let regs = emptyRegs();
    DWARF_REGS.forEach((name, i) => {
      const v = initial[name];
      if (v !== undefined) {
        regs.v[i] = v & MASK64;
        regs.trusted[i] = true;
      }
    });
    let how: FrameHow = 'context';
    let exactPc = true;
    let returnAddress = false;
    const seen = new Set<string>();
    for (;;) {
      const pc = regs.v[REG_RIP];
      const sp = regs.v[REG_RSP];
      if (pc === undefined || sp === undefined) {
        return { frames, stop: { reason: 'noCfi', detail: 'the thread has no rip or rsp' }, warnings };
      }
      const lookupPc = exactPc || pc === 0n ? pc : pc - 1n;
      const module = this.modules.moduleFor(lookupPc);
      const step = this.step(regs, pc, lookupPc, exactPc, module, frames.length === 0, warnings);
      frames.push({
        index: frames.length,
        pc,
        lookupPc: step.isSignalFrame ? pc : lookupPc,
        sp,
        cfa: step.cfa,
        how,
        isSignalFrame: step.isSignalFrame,
        returnAddress,
        module: module?.name ?? null,
        registers: exportRegisters(regs),
      });
      if (step.kind === 'stop') return { frames, stop: { reason: step.reason, detail: step.detail }, warnings };
      const next = step.regs;
      const npc = next.v[REG_RIP];
      const nsp = next.v[REG_RSP];
      if (npc === undefined) return { frames, stop: { reason: 'ok', detail: 'the return address is undefined (outermost frame)' }, warnings };
      // A zero return address ends the stack; a zero pc in a signal context is a crash (a call
      // through a NULL pointer) and that frame is shown, as gdb does.
      if (npc === 0n && !step.isSignalFrame) return { frames, stop: { reason: 'ok', detail: 'the return address is 0 (outermost frame)' }, warnings };
      if (nsp === undefined) return { frames, stop: { reason: 'noCfi', detail: `the stack pointer of the caller of ${hex(pc)} is unknown` }, warnings };
      if (frames.length >= this.maxDepth) {
        return { frames, stop: { reason: 'depthLimit', detail: `stopped after ${this.maxDepth} frames` }, warnings };
      }
      // A normal caller's frame lies above its callee's. Signal frames may switch stacks.
      if (!step.isSignalFrame && nsp <= sp) {
        return { frames, stop: { reason: 'loop', detail: `the stack pointer did not grow (${hex(sp)} -> ${hex(nsp)}): corrupt stack?` }, warnings };
      }
      const key = `${npc.toString(16)}:${nsp.toString(16)}`;
      if (seen.has(key)) return { frames, stop: { reason: 'loop', detail: `frame at pc ${hex(npc)}, sp ${hex(nsp)} repeats` }, warnings };
      seen.add(key);
      regs = next;
      how = step.how;
      // The frame a signal interrupted resumes at its exact pc: it made no call.
      exactPc = step.isSignalFrame;
      returnAddress = !step.isSignalFrame;
    }
  }

  /** Whether pc lies in executable memory: the dump's segment flags, else its module's. */
  private isCode(pc: bigint): boolean {
    const seg = this.memory.segmentAt(pc);
    if (seg) return (seg.flags & PF_X) !== 0;
    const m = this.modules.moduleFor(pc);
    return m !== null && (m.isExecutable ? m.isExecutable(pc) : true);
  }

  private readCode(addr: bigint, length: number): Buffer | null {
    const b = this.memory.read(addr, length);
    if (b) return b;
    const m = this.modules.moduleFor(addr);
    return m?.code ? m.code(addr, length) : null;
  }

  private step(regs: RegState, pc: bigint, lookupPc: bigint, exactPc: boolean, module: UnwindModule | null, isFirst: boolean, warnings: string[]): Step {
    let detail: string;
    if (module) {
      const tables = module.cfi();
      if (tables) {
        let lookup: CfiLookup | null = null;
        let bad: string | null = null;
        try {
          lookup = tables.rowAt(lookupPc);
        } catch (e) {
          if (!isBadCfi(e)) throw e;
          bad = e.message;
          warnings.push(e.message);
        }
        if (lookup) {
          const isSignalFrame = lookup.row.isSignalFrame;
          const r = this.applyRow(lookup, regs);
          switch (r.kind) {
            case 'ok':
              return { kind: 'caller', regs: r.regs, how: 'cfi', cfa: r.cfa, isSignalFrame };
            case 'outermost':
              return { kind: 'stop', reason: 'ok', detail: 'the return address is undefined (outermost frame)', cfa: r.cfa, isSignalFrame };
            case 'missingMemory':
              return { kind: 'stop', reason: 'missingMemory', detail: r.detail, cfa: r.cfa, isSignalFrame };
            case 'unknownRegister':
              detail = `CFI for ${hex(pc)} in ${module.name} needs ${r.detail}`;
              break;
          }
        } else {
          detail = bad !== null ? `bad unwind info for ${hex(pc)} in ${module.name}: ${bad}` : `no unwind info for ${hex(pc)} in ${module.name}`;
        }
      } else {
        detail = `no unwind info for ${hex(pc)} (${module.name} has no unwind tables)`;
      }
    } else {
      detail = `no unwind info for ${hex(pc)} (no module)`;
    }

    // A signal trampoline without CFI: the interrupted context is a ucontext_t at rsp.
    if (isSigreturnAt(this.fallback, pc, isFirst || exactPc)) {
      const sp = regs.v[REG_RSP] as bigint;
      const ctx = registersFromUcontext(this.memory, sp);
      if (!ctx) return { kind: 'stop', reason: 'missingMemory', detail: `signal context at ${hex(sp)} is not in the dump`, cfa: null, isSignalFrame: true };
      return { kind: 'caller', regs: ctx, how: 'context', cfa: ctx.v[REG_RSP] ?? null, isSignalFrame: true };
    }
    // A frame that is not in code at all (a call through a bad pointer faulted on the fetch):
    // nothing ran there, so the return address is at [rsp] and every other register is the
    // caller's. gdb's amd64 fallback makes the same assumption.
    if (exactPc && !this.isCode(pc)) {
      const entry = entryStep(this.fallback, regs);
      if (entry) return { kind: 'caller', regs: entry.regs, how: 'scan', cfa: entry.cfa, isSignalFrame: false };
    }
    if (this.useFramePointers) {
      const fp = framePointerStep(this.fallback, regs);
      if (fp) return { kind: 'caller', regs: fp.regs, how: 'fp', cfa: fp.cfa, isSignalFrame: false };
    }
    if (this.useStackScan) {
      const scan = stackScanStep(this.fallback, regs, this.maxScanWords);
      if (scan) return { kind: 'caller', regs: scan.regs, how: 'scan', cfa: scan.cfa, isSignalFrame: false };
    }
    const sp = regs.v[REG_RSP] as bigint;
    if (this.memory.read(sp, 8) === null) {
      return { kind: 'stop', reason: 'missingMemory', detail: `stack memory at ${hex(sp)} is not in the dump (${detail})`, cfa: null, isSignalFrame: false };
    }
    return { kind: 'stop', reason: 'noCfi', detail, cfa: null, isSignalFrame: false };
  }

  /** Applies a CFI row to the callee's registers and returns the caller's. */
  private applyRow(lookup: CfiLookup, regs: RegState): ApplyResult {
    const { row } = lookup;
    const name = lookup.section.name;
    const ctx: ExprContext = {
      register: (r) => (r < NUM_REGS ? (regs.v[r] ?? null) : null),
      readMemory: (addr, size) => this.readValue(addr, size),
    };
    const evaluate = (expr: Buffer, initial: bigint[]): ExprResult => evaluateExpression(expr, ctx, initial, this.exprLimits, `expression in ${name}`);

    // The CFA.
    let cfa: bigint;
    if (row.cfa.kind === 'regOffset') {
      const base = row.cfa.reg < NUM_REGS ? regs.v[row.cfa.reg] : undefined;
      if (base === undefined) return { kind: 'unknownRegister', detail: `register ${regName(row.cfa.reg)} for the CFA`, cfa: null };
      cfa = (base + BigInt(row.cfa.offset)) & MASK64;
    } else {
      let r: ExprResult;
      try {
        r = evaluate(row.cfa.expr, []);
      } catch (e) {
        if (!isBadCfi(e)) throw e;
        return { kind: 'unknownRegister', detail: `a valid CFA expression (${e.message})`, cfa: null };
      }
      if (!r.ok) {
        if (r.reason === 'missingMemory') return { kind: 'missingMemory', detail: `stack memory at ${hex(r.address)} is not in the dump (CFA expression)`, cfa: null };
        return { kind: 'unknownRegister', detail: `${r.detail} (CFA expression)`, cfa: null };
      }
      cfa = r.value;
    }

    // The return address decides whether there is a caller at all.
    const raRule = row.registers.get(row.raRegister);
    if (!raRule || raRule.kind === 'undefined') {
      if (!raRule) return { kind: 'unknownRegister', detail: 'a rule for the return address', cfa };
      return { kind: 'outermost', cfa };
    }

    const out = emptyRegs();
    for (let r = 0; r < NUM_REGS; r++) {
      // rip takes the return address column's rule (16 on x86-64 anyway).
      const rule: RegisterRule | undefined = r === REG_RIP ? raRule : row.registers.get(r);
      if (!rule) {
        if (r === REG_RSP) {
          out.v[r] = cfa;
          out.trusted[r] = true;
        } else {
          // Unspecified: gdb keeps the value ("same value"); only callee-saved ones are vouched for.
          out.v[r] = regs.v[r];
          out.trusted[r] = regs.trusted[r] && CALLEE_SAVED.includes(r);
        }
        continue;
      }
      const got = this.applyRule(rule, r, regs, cfa, evaluate);
      if (got.kind === 'missingMemory') return { kind: 'missingMemory', detail: got.detail, cfa };
      if (got.kind === 'unknownRegister') {
        if (r === REG_RIP || r === REG_RSP) return { kind: 'unknownRegister', detail: got.detail, cfa };
        out.v[r] = undefined;
        continue;
      }
      out.v[r] = got.value;
      out.trusted[r] = got.trusted;
    }
    return { kind: 'ok', regs: out, cfa };
  }

  private applyRule(
    rule: RegisterRule,
    r: number,
    regs: RegState,
    cfa: bigint,
    evaluate: (expr: Buffer, initial: bigint[]) => ExprResult,
  ): { kind: 'value'; value: bigint | undefined; trusted: boolean } | { kind: 'missingMemory'; detail: string } | { kind: 'unknownRegister'; detail: string } {
    const load = (addr: bigint): { kind: 'value'; value: bigint; trusted: boolean } | { kind: 'missingMemory'; detail: string } => {
      const v = this.memory.readU64(addr);
      if (v === null) return { kind: 'missingMemory', detail: `stack memory at ${hex(addr)} is not in the dump (saved ${regName(r)})` };
      return { kind: 'value', value: v, trusted: true };
    };
    const run = (expr: Buffer): { kind: 'ok'; value: bigint } | { kind: 'missingMemory'; detail: string } | { kind: 'unknownRegister'; detail: string } => {
      let res: ExprResult;
      try {
        res = evaluate(expr, [cfa]);
      } catch (e) {
        if (!isBadCfi(e)) throw e;
        return { kind: 'unknownRegister', detail: `a valid expression for ${regName(r)} (${e.message})` };
      }
      if (res.ok) return { kind: 'ok', value: res.value };
      if (res.reason === 'missingMemory') return { kind: 'missingMemory', detail: `stack memory at ${hex(res.address)} is not in the dump (${regName(r)} expression)` };
      return { kind: 'unknownRegister', detail: res.detail };
    };
    switch (rule.kind) {
      case 'undefined':
        return { kind: 'value', value: undefined, trusted: false };
      case 'sameValue':
        return { kind: 'value', value: regs.v[r], trusted: regs.trusted[r] };
      case 'offset':
        return load((cfa + BigInt(rule.offset)) & MASK64);
      case 'valOffset':
        return { kind: 'value', value: (cfa + BigInt(rule.offset)) & MASK64, trusted: true };
      case 'register': {
        const v = rule.reg < NUM_REGS ? regs.v[rule.reg] : undefined;
        if (v === undefined) return { kind: 'unknownRegister', detail: `register ${regName(rule.reg)} (holding ${regName(r)})` };
        return { kind: 'value', value: v, trusted: regs.trusted[rule.reg] };
      }
      case 'expression': {
        const a = run(rule.expr);
        return a.kind === 'ok' ? load(a.value) : a;
      }
      case 'valExpression': {
        const a = run(rule.expr);
        return a.kind === 'ok' ? { kind: 'value', value: a.value, trusted: true } : a;
      }
    }
  }

  private readValue(addr: bigint, size: number): bigint | null {
    if (size === 8) return this.memory.readU64(addr);
    const b = this.memory.read(addr, size);
    if (!b) return null;
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    return v;
  }
}

function regName(r: number): string {
  return r >= 0 && r < DWARF_REGS.length ? DWARF_REGS[r] : `r${r}`;
}

function exportRegisters(regs: RegState): FrameRegisters {
  const out: FrameRegisters = {};
  for (let i = 0; i < NUM_REGS; i++) {
    const v = regs.v[i];
    if (v !== undefined && regs.trusted[i]) out[DWARF_REGS[i]] = v;
  }
  return out;
}

/** Unwinds every thread of a dump with one Unwinder (tables and rows are shared and cached). */
export function unwindThreads(
  memory: UnwindMemory,
  modules: UnwindModuleProvider,
  threads: readonly { tid: number; registers: InitialRegisters }[],
  opts: UnwindOptions = {},
): { tid: number; stack: UnwoundStack }[] {
  const u = new Unwinder(memory, modules, opts);
  return threads.map((t) => ({ tid: t.tid, stack: u.unwind(t.registers) }));
}
