// What the unwinder produces and what it needs, as plain types.

/** How a frame was found: the thread's context (frame 0, or a signal context), call frame
 * information, the frame-pointer chain, or a validated stack scan. */
export type FrameHow = 'context' | 'cfi' | 'fp' | 'scan';

/** Why a walk stopped. `ok`: the outermost frame was reached (rip undefined per CFI, or a
 * return address of 0). */
export type StopReason = 'ok' | 'missingMemory' | 'noCfi' | 'loop' | 'depthLimit';

/** x86-64 registers the unwinder tracks, by DWARF number 0..16. */
export type DwarfRegName =
  | 'rax' | 'rdx' | 'rcx' | 'rbx' | 'rsi' | 'rdi' | 'rbp' | 'rsp'
  | 'r8' | 'r9' | 'r10' | 'r11' | 'r12' | 'r13' | 'r14' | 'r15' | 'rip';

export const DWARF_REGS: readonly DwarfRegName[] = [
  'rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip',
];

export const REG_RSP = 7;
export const REG_RBP = 6;
export const REG_RIP = 16;
export const NUM_REGS = 17;

/** Registers a caller may rely on across a call (System V x86-64): rbx, rbp, r12-r15. */
export const CALLEE_SAVED: readonly number[] = [3, 6, 12, 13, 14, 15];

/** A frame's known registers (values we can vouch for; absent = not known). */
export type FrameRegisters = Partial<Record<DwarfRegName, bigint>>;

export interface UnwoundFrame {
  /** 0 for the innermost frame. */
  index: number;
  /** The frame's pc: rip for frame 0, the return address for callers (as gdb prints it). */
  pc: bigint;
  /** The address to symbolize: pc - 1 for return addresses (inside the call), pc for frame 0,
   * for a frame interrupted by a signal and for the signal trampoline itself. */
  lookupPc: bigint;
  /** rsp in this frame. */
  sp: bigint;
  /** The canonical frame address (the caller's rsp at the call), when computed. */
  cfa: bigint | null;
  how: FrameHow;
  /** The signal trampoline frame (gdb's "<signal handler called>"). */
  isSignalFrame: boolean;
  /** pc was read as a return address (the frame made a call and will resume there). */
  returnAddress: boolean;
  /** Name of the module containing lookupPc, when known. */
  module: string | null;
  registers: FrameRegisters;
}

export interface UnwindStop {
  reason: StopReason;
  detail: string;
}

export interface UnwoundStack {
  frames: UnwoundFrame[];
  stop: UnwindStop;
  /** Non-fatal problems met on the way (bad table entries, fallbacks used). */
  warnings: string[];
}

/** The dump memory the unwinder reads (CoreMemory satisfies it). */
export interface UnwindMemory {
  read(addr: bigint, length: number): Buffer | null;
  readU64(addr: bigint): bigint | null;
  segmentAt(addr: bigint): { start: bigint; end: bigint; flags: number } | null;
  readPartial?(addr: bigint, length: number): Buffer;
}
