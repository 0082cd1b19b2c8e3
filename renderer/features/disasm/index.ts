// disasm: the instructions around a frame's pc (the disassemble method), lldb-style.
export { useDisasm, type DisasmRequest } from './disasm-store';
export { DisassemblyView, DisasmControls } from './disassembly-view';
