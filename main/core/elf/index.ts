// elf: reads ELF64 little-endian x86-64 core files and module files.
// Takes a path; produces a CoreDump (threads with registers and syscall state, process info,
// file mappings, auxv, signal info, modules with build-ids) and a MemoryReader over the
// dumped address space. Never reads a whole dump: headers and notes at open, memory on demand.
export * as ElfConstants from './constants';
export {
  readElfHeader,
  readProgramHeaders,
  readSectionHeaders,
  scanNotes,
  parseNotesBuffer,
  buildIdFromNotes,
  cString,
  u64ToNumber,
  DEFAULT_ELF_LIMITS,
  type ElfHeader,
  type ProgramHeader,
  type SectionHeader,
  type ElfNote,
  type ElfLimits,
} from './elf-file';
export {
  CoreDump,
  readStatsOf,
  type CoreThread,
  type ProcessInfo,
  type FileMapping,
  type AuxvEntry,
  type SignalInfo,
  type SyscallState,
  type CoreOpenOptions,
  type NoteCounts,
} from './core-file';
export { CoreMemory, type MemoryReader, type MemorySegment, type MemoryProvider } from './memory';
export { buildModules, readElfFromMemory, readElfFromFile, type CoreModule, type ModuleKind, type BuildIdSource, type ModuleSegment } from './modules';
export { X86_64_GREGS, DWARF_X86_64, DWARF_REG_NAMES, parseGregs, syscallNumber, type X86Reg, type X86Registers } from './registers';
export { X86_64_SYSCALLS } from './syscall-table';
export { signalName } from './signals';
export { ElfImage, MAX_SECTION_BYTES, type DebugLink } from './elf-image';
export { attachModuleFiles, type ModuleFileChoice } from './module-files';
export { fingerprintFile } from './fingerprint';
