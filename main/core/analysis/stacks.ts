// Every thread's stack as a debugger shows it: unwound from its registers (core/unwind) and
// symbolized (core/symbols), with inline frames expanded the way gdb prints them.
import { type ModuleSymbolStatus, type StackFrame, type ThreadStack } from '../../../shared/types';
import { attachModuleFiles, ElfImage, type CoreDump, type CoreModule } from '../elf';
import { DumpSymbols, type ModuleSymbols, type SymbolFileIndex, type SymbolLookup } from '../symbols';
import { moduleProviderForCore, Unwinder, type InitialRegisters, type UnwoundFrame } from '../unwind';
import { type FileSource } from '../io';

export interface StackOptions {
  /** User symbol folders (a persisted store or plain paths). */
  symbolFolders?: SymbolFileIndex | readonly string[];
  /** Global debug directories (default /usr/lib/debug). */
  debugDirs?: readonly string[];
  maxDepth?: number;
  onThread?: (done: number, total: number) => void;
  checkCancelled?: () => void;
}

/** A frame with what the wait analysis needs beyond the API shape: every name it goes by. */
export interface AnalyzedFrame extends StackFrame {
  /** Every name of the function at this pc: display, DWARF, aliases, inlined functions. */
  names: string[];
  pcValue: bigint;
}

export interface StackAnalysis {
  stacks: { tid: number; frames: AnalyzedFrame[]; stopReason: ThreadStack['stopReason']; stopDetail: string | null }[];
  symbols: DumpSymbols;
  moduleStatus(): ModuleSymbolStatus[];
  close(): void;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** A dump's symbols and unwinder, set up once; walks stacks from any registers. */
export interface StackWalker {
  symbols: DumpSymbols;
  /** Unwinds and symbolizes from a register set (a thread's, or a managed frame's ip/sp). */
  walk(regs: InitialRegisters): { frames: AnalyzedFrame[]; stopReason: ThreadStack['stopReason']; stopDetail: string | null };
  close(): void;
}

export function openStackWalker(core: CoreDump, opts: Pick<StackOptions, 'symbolFolders' | 'debugDirs' | 'maxDepth'> = {}): StackWalker {
  const symbols = DumpSymbols.forCore(core, { folders: opts.symbolFolders, debugDirs: opts.debugDirs });
  // Code bytes the core lacks come from files whose build-id matches (gcore omits file-backed text).
  const opened: FileSource[] = attachModuleFiles(core.memory, core.modules, (m) => symbols.chooseCodeFile(m));
  const provider = moduleProviderForCore(core, {
    openImage: (m) => openIf(symbols.forModule(m).codeFilePath, m),
    openDebugImage: (m) => {
      const s = symbols.forModule(m);
      const p = s.resolution.symbolFile?.path;
      return p && p !== s.codeFilePath ? openIf(p, null) : null;
    },
  });
  const unwinder = new Unwinder(core.memory, provider, { maxDepth: opts.maxDepth ?? 512 });
  return {
    symbols,
    walk: (regs) => {
      const u = unwinder.unwind(regs);
      const frames: AnalyzedFrame[] = [];
      for (const f of u.frames) expandFrame(f, symbols, frames);
      return { frames, stopReason: u.stop.reason, stopDetail: u.stop.reason === 'ok' ? null : u.stop.detail };
    },
    close: () => {
      provider.close();
      for (const s of opened) s.close();
    },
  };
}

export function analyzeStacks(core: CoreDump, opts: StackOptions = {}): StackAnalysis {
  const walker = openStackWalker(core, opts);
  const stacks: StackAnalysis['stacks'] = [];
  const total = core.threads.length;
  core.threads.forEach((t, i) => {
    opts.checkCancelled?.();
    stacks.push({ tid: t.tid, ...walker.walk(t.registers) });
    if (opts.onThread && (i % 16 === 15 || i === total - 1)) opts.onThread(i + 1, total);
  });
  return {
    stacks,
    symbols: walker.symbols,
    moduleStatus: () => core.modules.filter((m) => m.isElf).map((m) => statusOf(m, walker.symbols.forModule(m))),
    close: () => walker.close(),
  };
}

/** The API's frame: what the wait analysis keeps beside it (names, the pc as a number) removed. */
export function apiFrame(f: AnalyzedFrame): StackFrame {
  const { names: _names, pcValue: _pc, ...frame } = f;
  return frame;
}

function openIf(p: string | null, m: CoreModule | null): ElfImage | null {
  if (!p) return null;
  try {
    const img = ElfImage.open(p);
    if (m && m.buildId !== null && img.buildId !== null && img.buildId !== m.buildId) {
      img.close();
      return null;
    }
    return img;
  } catch {
    return null;
  }
}

/** One unwound frame becomes its inline frames (innermost first) plus the real one. */
function expandFrame(f: UnwoundFrame, symbols: DumpSymbols, out: AnalyzedFrame[]): void {
  const look: SymbolLookup | null = symbols.lookup(f.pc, { returnAddress: f.lookupPc !== f.pc });
  const common = {
    pc: hex(f.pc),
    pcValue: f.pc,
    sp: hex(f.sp),
    cfa: f.cfa === null ? null : hex(f.cfa),
    module: look?.module ?? f.module,
    how: f.how,
    signalFrame: f.isSignalFrame,
  };
  const names = look ? [...new Set([look.function, look.debugFunction, ...look.aliases].filter((n): n is string => !!n))] : [];
  for (const inl of look?.inlined ?? []) {
    out.push({
      ...common,
      index: out.length,
      function: inl.function,
      rawFunction: inl.rawName !== inl.function ? inl.rawName : null,
      offset: null,
      file: inl.file,
      line: inl.line,
      column: inl.column,
      inline: true,
      names: inl.function ? [inl.function] : [],
    });
  }
  out.push({
    ...common,
    index: out.length,
    function: look?.function ?? (f.isSignalFrame ? '<signal handler called>' : null),
    rawFunction: look && look.rawName && look.rawName !== look.function ? look.rawName : null,
    debugFunction: look && look.debugFunction && look.debugFunction !== look.function ? look.debugFunction : null,
    offset: look?.offset !== null && look?.offset !== undefined ? Number(look.offset) : null,
    file: look?.file ?? null,
    line: look?.line ?? null,
    column: look?.column ?? null,
    inline: false,
    names,
  });
}

function statusOf(m: CoreModule, s: ModuleSymbols): ModuleSymbolStatus {
  const r = s.resolution;
  const codeSource = (): ModuleSymbolStatus['codeSource'] => {
    switch (r.codeFile?.foundBy) {
      case 'module-path':
        return 'dump-path';
      case 'symbol-folder':
        return 'symbol-folder';
      case 'dump-folder':
        return 'dump-folder';
      case 'memory':
        return 'memory';
      default:
        return null;
    }
  };
  const symbolSource = (): ModuleSymbolStatus['symbolSource'] => {
    switch (r.symbolFile?.foundBy) {
      case undefined:
        return null;
      case 'code-file':
      case 'module-path':
        return 'module';
      case 'debug-dir-build-id':
        return 'build-id';
      case 'debuglink':
        return 'debuglink';
      case 'symbol-folder':
        return 'symbol-folder';
      case 'dump-folder':
        return 'dump-folder';
      case 'memory':
        return 'memory';
    }
  };
  const notes = [...r.notes];
  if (r.codeFileMissing) notes.unshift(r.codeFileMissing);
  if (r.symbolFileMissing) notes.unshift(r.symbolFileMissing);
  return {
    path: m.path,
    name: m.name,
    buildId: m.buildId,
    codeFile: r.codeFile?.path ?? null,
    codeSource: codeSource(),
    symbolFile: r.symbolFile?.path ?? null,
    symbolSource: symbolSource(),
    quality: r.quality,
    notes,
  };
}

/** `module`function + offset`, as lldb prints a frame. */
export function frameText(f: Pick<StackFrame, 'module' | 'function' | 'offset' | 'pc'>): string {
  const mod = f.module ?? '?';
  if (!f.function) return `${mod}\`${f.pc}`;
  return f.offset !== null && f.offset !== 0 ? `${mod}\`${f.function} + ${f.offset}` : `${mod}\`${f.function}`;
}
