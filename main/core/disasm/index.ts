// disasm: x86-64 instructions around a pc, as a debugger shows them when a frame is selected.
// Takes a dump (reopened on demand: core/elf for its memory and module files, core/symbols for
// function starts and names) and a pc; produces a Disassembly: the instructions before and after
// the pc, decoded by capstone (WebAssembly) from the function's start when a symbol gives it,
// in AT&T or Intel syntax, with branch targets and rip-relative operands symbolized. Another
// decoder may implement InstructionDecoder.
export { loadX86Decoder, X86Decoder, type CsInstruction, type CapstoneSyntax } from './capstone';
export { disassembleWindow, MAX_FUNCTION_SPAN, MAX_INSTRUCTION_BYTES, type InstructionDecoder, type FunctionAt, type WindowInput } from './window';
export { DumpCodeView, OpenDumps, type CodeViewSource, type DisassembleRequest } from './dump-code';
