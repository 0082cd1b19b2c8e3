// The core-file model: threads (NT_PRSTATUS), process (NT_PRPSINFO), file mappings (NT_FILE),
// auxv (NT_AUXV), signal info (NT_SIGINFO), memory (PT_LOAD) and modules.
// Opening reads the headers and notes only; memory is read on demand through a page cache.
import { FileSource, type ByteSource } from '../io';
import { DumpFormatError } from '../errors';
import * as C from './constants';
import { readElfHeader, readProgramHeaders, scanNotes, cString, type ElfHeader, type ElfNote, type ProgramHeader, DEFAULT_ELF_LIMITS } from './elf-file';
import { CoreMemory, type MemorySegment } from './memory';
import { parseGregs, syscallNumber, type X86Registers } from './registers';
import { X86_64_SYSCALLS } from './syscall-table';
import { signalName } from './signals';
import { buildModules, type CoreModule } from './modules';

export interface SignalInfo {
  signo: number;
  errno: number;
  code: number;
  /** Faulting address for SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGTRAP. */
  addr: bigint | null;
  /** Sender for kill()/tgkill() style signals. */
  senderPid: number | null;
  senderUid: number | null;
}

export interface SyscallState {
  nr: number;
  name: string;
  /** rdi, rsi, rdx, r10, r8, r9. */
  args: [bigint, bigint, bigint, bigint, bigint, bigint];
}

export interface CoreThread {
  /** 1-based position in the dump's thread list (lldb's `#N`). */
  index: number;
  /** 0-based position (dotnet-dump's DBG). */
  dbg: number;
  tid: number;
  ppid: number;
  pgrp: number;
  sid: number;
  /** pr_cursig: the signal the thread stopped with (0 if none). */
  signal: number;
  signalName: string | null;
  sigpend: bigint;
  sighold: bigint;
  userTimeUs: number;
  systemTimeUs: number;
  registers: X86Registers;
  /** The system call the thread is stopped in, from orig_rax; null when not in one. */
  syscall: SyscallState | null;
  siginfo: SignalInfo | null;
  /** File offsets of the thread's FP/xstate notes (read on demand). */
  fpregsOffset: number | null;
  xstateOffset: number | null;
}

export interface ProcessInfo {
  state: number;
  stateChar: string;
  zombie: boolean;
  nice: number;
  flags: bigint;
  uid: number;
  gid: number;
  pid: number;
  ppid: number;
  pgrp: number;
  sid: number;
  /** pr_fname: the executable's name, at most 15 characters. */
  name: string;
  /** pr_psargs: the command line, at most 79 characters (truncated by the kernel). */
  args: string;
}

export interface FileMapping {
  start: bigint;
  end: bigint;
  /** Offset in the mapped file. */
  fileOffset: bigint;
  path: string;
}

export interface AuxvEntry {
  type: number;
  value: bigint;
}

export interface CoreOpenOptions {
  /** Open a core whose memory segments are cut short (the missing memory is reported). */
  allowTruncated?: boolean;
  maxNotes?: number;
  maxThreads?: number;
  maxMappings?: number;
  /** Page cache size in pages of 16 KiB (default 1024, i.e. 16 MiB). */
  cachePages?: number;
}

export interface NoteCounts {
  total: number;
  /** Notes we do not interpret (skipped, counted; never fatal). */
  unknown: number;
  byType: Record<string, number>;
}

const PRSTATUS_SIZE = 336;
/**
 * The largest NT_FILE the kernel writes: core_file_note_size_limit, 4 MiB by default and at
 * most 16 MiB (Linux 6.10's sysctl; a fixed 4 MiB before). gcore's is as large as the process's
 * file mappings (vm.max_map_count, 65530 by default), far below this.
 */
const MAX_NT_FILE_BYTES = 16 * 1024 * 1024;
/**
 * Most file mappings read from NT_FILE: 4 × the kernel's default vm.max_map_count (65530), what
 * Elasticsearch and some databases ask for. Each costs a few hundred bytes through to the index.
 */
const MAX_MAPPINGS = 262_144;
const PRPSINFO_SIZE = 136;

export class CoreDump {
  readonly warnings: string[] = [];
  threads: CoreThread[] = [];
  process: ProcessInfo | null = null;
  mappings: FileMapping[] = [];
  auxv: AuxvEntry[] = [];
  /** The process-wide signal info (the first NT_SIGINFO; the kernel writes it for the crashing thread). */
  siginfo: SignalInfo | null = null;
  notes: NoteCounts = { total: 0, unknown: 0, byType: {} };
  modules: CoreModule[] = [];
  pageSize = 4096;
  /** Bytes the program headers say the core should have. */
  expectedSize = 0;
  readonly memory: CoreMemory;

  private constructor(
    readonly path: string,
    readonly source: FileSource,
    readonly header: ElfHeader,
    readonly programHeaders: ProgramHeader[],
    cachePages: number,
  ) {
    const segments: MemorySegment[] = programHeaders
      .filter((p) => p.type === C.PT_LOAD && p.memsz > 0n)
      .map((p) => ({ start: p.vaddr, end: p.vaddr + p.memsz, fileOffset: p.offset, fileSize: Math.min(p.filesz, Number(p.memsz)), flags: p.flags }));
    this.memory = new CoreMemory(source, segments, { maxPages: cachePages });
  }

  get size(): number {
    return this.source.size;
  }

  get mtimeMs(): number {
    return this.source.mtimeMs;
  }

  get bytesRead(): number {
    return this.source.stats.bytesRead;
  }

  /** Opens and parses a core file. Throws DumpFormatError with a clear message on bad input. */
  static open(path: string, opts: CoreOpenOptions = {}): CoreDump {
    const source = FileSource.open(path);
    try {
      return CoreDump.fromSource(path, source, opts);
    } catch (e) {
      source.close();
      throw e;
    }
  }

  private static fromSource(path: string, source: FileSource, opts: CoreOpenOptions): CoreDump {
    const header = readElfHeader(source, { expectCore: true });
    const phdrs = readProgramHeaders(source, header, DEFAULT_ELF_LIMITS);
    const core = new CoreDump(path, source, header, phdrs, opts.cachePages ?? 1024);
    core.checkSize(opts.allowTruncated ?? false);
    core.readAllNotes(opts);
    if (core.threads.length === 0) {
      throw new DumpFormatError('NoThreads', `${path}: the core has no thread (no NT_PRSTATUS note); it may be incomplete`, { file: path });
    }
    core.modules = buildModules(core);
    return core;
  }

  close(): void {
    this.source.close();
  }

  get executable(): CoreModule | null {
    return this.modules.find((m) => m.kind === 'executable') ?? null;
  }

  threadByTid(tid: number): CoreThread | undefined {
    return this.threads.find((t) => t.tid === tid);
  }

  auxvValue(type: number): bigint | null {
    const e = this.auxv.find((a) => a.type === type);
    return e ? e.value : null;
  }

  private checkSize(allowTruncated: boolean): void {
    let expected = 0;
    for (const p of this.programHeaders) {
      if (p.type === C.PT_LOAD || p.type === C.PT_NOTE) expected = Math.max(expected, p.offset + p.filesz);
    }
    this.expectedSize = expected;
    if (expected <= this.size) return;
    for (const p of this.programHeaders) {
      if (p.type === C.PT_NOTE && p.offset + p.filesz > this.size) {
        throw new DumpFormatError(
          'TruncatedFile',
          `${this.path}: core is truncated: its notes end at offset 0x${(p.offset + p.filesz).toString(16)} but the file has ${this.size} bytes`,
          { file: this.path, offset: p.offset, expected: `${expected} bytes`, actual: `${this.size} bytes` },
        );
      }
    }
    const missing = expected - this.size;
    const msg = `${this.path}: core is truncated: ${this.size} of ${expected} bytes (${missing} bytes of memory missing)`;
    if (!allowTruncated) {
      throw new DumpFormatError('TruncatedFile', `${msg}; open it with --partial to see what it holds`, {
        file: this.path,
        offset: this.size,
        expected: `${expected} bytes`,
        actual: `${this.size} bytes`,
      });
    }
    this.warnings.push(`${msg}; stacks may stop early`);
  }

  private readAllNotes(opts: CoreOpenOptions): void {
    const notes: ElfNote[] = [];
    for (const p of this.programHeaders) {
      if (p.type !== C.PT_NOTE || p.filesz === 0) continue;
      scanNotes(this.source, p.offset, p.filesz, { align: p.align === 8n ? 8 : 4, maxNotes: opts.maxNotes ?? DEFAULT_ELF_LIMITS.maxNotes }, notes);
    }
    const maxThreads = opts.maxThreads ?? 1_000_000;
    let current: CoreThread | null = null;
    for (const n of notes) {
      this.notes.total++;
      const key = `${n.name}:0x${n.type.toString(16)}`;
      this.notes.byType[key] = (this.notes.byType[key] ?? 0) + 1;
      const isCore = n.name === 'CORE';
      if (isCore && n.type === C.NT_PRSTATUS) {
        if (this.threads.length >= maxThreads) {
          throw new DumpFormatError('LimitExceeded', `${this.path}: more than ${maxThreads} threads`, { file: this.path, offset: n.descOffset });
        }
        current = this.parsePrstatus(n);
        if (current) this.threads.push(current);
      } else if (isCore && n.type === C.NT_PRPSINFO) {
        this.process = this.parsePrpsinfo(n);
      } else if (isCore && n.type === C.NT_FILE) {
        this.mappings = this.parseNtFile(n, opts.maxMappings ?? MAX_MAPPINGS);
      } else if (isCore && n.type === C.NT_AUXV) {
        this.auxv = this.parseAuxv(n);
        const pagesz = this.auxvValue(C.AT_PAGESZ);
        if (pagesz !== null && pagesz > 0n && pagesz <= 1n << 30n) this.pageSize = Number(pagesz);
      } else if (isCore && n.type === C.NT_SIGINFO) {
        const si = this.parseSiginfo(n);
        if (si) {
          if (current && current.siginfo === null) current.siginfo = si;
          if (this.siginfo === null) this.siginfo = si;
        }
      } else if (isCore && n.type === C.NT_FPREGSET) {
        if (current) current.fpregsOffset = n.descOffset;
      } else if (n.name === 'LINUX' && n.type === C.NT_X86_XSTATE) {
        if (current) current.xstateOffset = n.descOffset;
      } else {
        this.notes.unknown++;
      }
    }
  }

  private noteWarning(n: ElfNote, what: string): void {
    this.warnings.push(`${this.path}: skipped a malformed ${what} note at offset 0x${n.descOffset.toString(16)} (${n.descSize} bytes)`);
  }

  private parsePrstatus(n: ElfNote): CoreThread | null {
    if (n.descSize < PRSTATUS_SIZE - 8) {
      this.noteWarning(n, 'NT_PRSTATUS');
      return null;
    }
    const d = this.source.read(n.descOffset, Math.min(n.descSize, PRSTATUS_SIZE));
    const tv = (o: number) => Number(d.readBigInt64LE(o)) * 1_000_000 + Number(d.readBigInt64LE(o + 8));
    const registers = parseGregs(d, 112);
    const index = this.threads.length + 1;
    const signal = d.readInt16LE(12);
    const nr = syscallNumber(registers);
    return {
      index,
      dbg: index - 1,
      tid: d.readInt32LE(32),
      ppid: d.readInt32LE(36),
      pgrp: d.readInt32LE(40),
      sid: d.readInt32LE(44),
      signal,
      signalName: signalName(signal),
      sigpend: d.readBigUInt64LE(16),
      sighold: d.readBigUInt64LE(24),
      userTimeUs: tv(48),
      systemTimeUs: tv(64),
      registers,
      syscall:
        nr === null
          ? null
          : {
              nr,
              name: X86_64_SYSCALLS.get(nr) ?? `syscall_${nr}`,
              args: [registers.rdi, registers.rsi, registers.rdx, registers.r10, registers.r8, registers.r9],
            },
      siginfo: null,
      fpregsOffset: null,
      xstateOffset: null,
    };
  }

  private parsePrpsinfo(n: ElfNote): ProcessInfo | null {
    if (n.descSize < PRPSINFO_SIZE) {
      this.noteWarning(n, 'NT_PRPSINFO');
      return null;
    }
    const d = this.source.read(n.descOffset, PRPSINFO_SIZE);
    const state = d.readInt8(0);
    return {
      state,
      stateChar: String.fromCharCode(d[1] || 0x3f),
      zombie: d[2] !== 0,
      nice: d.readInt8(3),
      flags: d.readBigUInt64LE(8),
      uid: d.readUInt32LE(16),
      gid: d.readUInt32LE(20),
      pid: d.readInt32LE(24),
      ppid: d.readInt32LE(28),
      pgrp: d.readInt32LE(32),
      sid: d.readInt32LE(36),
      name: cString(d, 40, 16),
      args: cString(d, 56, 80).trimEnd(),
    };
  }

  private parseNtFile(n: ElfNote, maxMappings: number): FileMapping[] {
    // count, page_size, then count × {start, end, page offset}, then count NUL-terminated names.
    if (n.descSize < 16) {
      this.noteWarning(n, 'NT_FILE');
      return [];
    }
    if (n.descSize > MAX_NT_FILE_BYTES) {
      this.warnings.push(
        `${this.path}: the NT_FILE note at offset 0x${n.descOffset.toString(16)} is ${n.descSize} bytes, more than a kernel writes (${MAX_NT_FILE_BYTES >> 20} MiB); its file mappings are ignored`,
      );
      return [];
    }
    const d = this.source.read(n.descOffset, n.descSize);
    const count = d.readBigUInt64LE(0);
    const pageSize = d.readBigUInt64LE(8);
    if (count > BigInt(maxMappings)) {
      this.warnings.push(`${this.path}: the NT_FILE note lists ${count} file mappings, more than the limit of ${maxMappings}; they are ignored`);
      return [];
    }
    if (16n + count * 24n > BigInt(d.length)) {
      this.noteWarning(n, 'NT_FILE');
      return [];
    }
    const cnt = Number(count);
    const out: FileMapping[] = [];
    let namePos = 16 + cnt * 24;
    let invalid = 0;
    for (let i = 0; i < cnt; i++) {
      const o = 16 + i * 24;
      let end = namePos;
      while (end < d.length && d[end] !== 0) end++;
      const path = d.toString('utf8', namePos, end);
      namePos = end + 1;
      const start = d.readBigUInt64LE(o);
      const stop = d.readBigUInt64LE(o + 8);
      // The kernel and gcore list file-backed mappings only: a range and a path, always. An
      // entry without them (a zeroed note claiming a million mappings) costs work and says nothing.
      if (stop <= start || path === '') invalid++;
      else out.push({ start, end: stop, fileOffset: d.readBigUInt64LE(o + 16) * pageSize, path });
      if (namePos > d.length && i < cnt - 1) {
        this.warnings.push(`${this.path}: NT_FILE names end early; ${cnt - i - 1} mappings have no name`);
        break;
      }
    }
    if (invalid > 0) this.warnings.push(`${this.path}: skipped ${invalid} NT_FILE entries without an address range or a file name`);
    return out;
  }

  private parseAuxv(n: ElfNote): AuxvEntry[] {
    const d = this.source.read(n.descOffset, Math.min(n.descSize, 64 * 1024));
    const out: AuxvEntry[] = [];
    for (let o = 0; o + 16 <= d.length; o += 16) {
      const type = Number(d.readBigUInt64LE(o));
      if (type === C.AT_NULL) break;
      out.push({ type, value: d.readBigUInt64LE(o + 8) });
    }
    return out;
  }

  private parseSiginfo(n: ElfNote): SignalInfo | null {
    if (n.descSize < 24) {
      this.noteWarning(n, 'NT_SIGINFO');
      return null;
    }
    const d = this.source.read(n.descOffset, Math.min(n.descSize, 128));
    const signo = d.readInt32LE(0);
    const code = d.readInt32LE(8);
    // Faults carry si_addr; signals sent by a process (si_code <= 0: SI_USER, SI_TKILL…) carry si_pid/si_uid.
    const fault = code > 0 && [4, 5, 7, 8, 11].includes(signo);
    return {
      signo,
      errno: d.readInt32LE(4),
      code,
      addr: fault && d.length >= 24 ? d.readBigUInt64LE(16) : null,
      senderPid: code <= 0 ? d.readInt32LE(16) : null,
      senderUid: code <= 0 ? d.readUInt32LE(20) : null,
    };
  }
}

/** For tests and tools: the byte source's read statistics. */
export function readStatsOf(core: CoreDump): { bytesRead: number; reads: number } {
  return { ...core.source.stats };
}

export type { ByteSource };
