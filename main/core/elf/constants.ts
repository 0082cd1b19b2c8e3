// ELF constants we use (from the gABI, <elf.h> and the Linux kernel's uapi headers).

export const ELFMAG = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;

export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export const EM_386 = 3;
export const EM_ARM = 40;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_GNU_EH_FRAME = 0x6474e550;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** e_phnum value meaning "the real count is in section 0's sh_info". */
export const PN_XNUM = 0xffff;
export const SHN_UNDEF = 0;
export const SHN_XINDEX = 0xffff;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;

export const SHF_ALLOC = 0x2n;
export const SHF_EXECINSTR = 0x4n;
export const SHF_COMPRESSED = 0x800n;

// Core-file notes (name "CORE" unless noted; "LINUX" for the x86 xstate).
export const NT_PRSTATUS = 1;
export const NT_FPREGSET = 2;
export const NT_PRPSINFO = 3;
export const NT_TASKSTRUCT = 4;
export const NT_AUXV = 6;
export const NT_SIGINFO = 0x53494749;
export const NT_FILE = 0x46494c45;
export const NT_X86_XSTATE = 0x202;
// GNU notes (name "GNU").
export const NT_GNU_BUILD_ID = 3;

export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EXECFN = 31;
export const AT_SYSINFO_EHDR = 33;

export const ELF64_EHDR_SIZE = 64;
export const ELF64_PHDR_SIZE = 56;
export const ELF64_SHDR_SIZE = 64;

export function machineName(machine: number): string {
  switch (machine) {
    case EM_386:
      return 'x86 (32-bit)';
    case EM_ARM:
      return 'ARM (32-bit)';
    case EM_X86_64:
      return 'x86-64';
    case EM_AARCH64:
      return 'AArch64';
    case EM_RISCV:
      return 'RISC-V';
    default:
      return `machine ${machine}`;
  }
}

export function elfTypeName(type: number): string {
  switch (type) {
    case ET_REL:
      return 'a relocatable object';
    case ET_EXEC:
      return 'an executable';
    case ET_DYN:
      return 'a shared object or PIE executable';
    case ET_CORE:
      return 'a core dump';
    default:
      return `an ELF file of type ${type}`;
  }
}
