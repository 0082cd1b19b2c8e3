// Resuming a native stack walk from a managed frame's SP/IP (clrstack's Child SP and IP), for
// stacks the native unwinder could not take through JIT code. Opens the dump's unwinding and
// symbols the way core/analysis/stacks.ts does, once, and unwinds from any (ip, sp) asked.
import { type StackFrame, type ThreadStack } from '../../../shared/types';
import { attachModuleFiles, CoreDump, ElfImage, type CoreModule } from '../elf';
import { DumpSymbols, type SymbolFileIndex } from '../symbols';
import { moduleProviderForCore, Unwinder } from '../unwind';
import { type FileSource } from '../io';
import { type ResumeUnwind } from './merge-stack';

export interface ResumeOptions {
  symbolFolders?: SymbolFileIndex | readonly string[];
  debugDirs?: readonly string[];
  maxDepth?: number;
}

export interface ResumeHandle {
  resume: ResumeUnwind;
  close(): void;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

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

/** Opens a dump for resumed walks. The caller closes the handle. */
export function openResume(dumpPath: string, opts: ResumeOptions = {}): ResumeHandle {
  const core = CoreDump.open(dumpPath);
  const symbols = DumpSymbols.forCore(core, { folders: opts.symbolFolders, debugDirs: opts.debugDirs });
  const opened: FileSource[] = attachModuleFiles(core.memory, core.modules, (m) => symbols.chooseCodeFile(m));
  const provider = moduleProviderForCore(core, {
    openImage: (m) => openIf(symbols.forModule(m).codeFilePath, m),
    openDebugImage: (m) => {
      const s = symbols.forModule(m);
      const p = s.resolution.symbolFile?.path;
      return p && p !== s.codeFilePath ? openIf(p, null) : null;
    },
  });
  const unwinder = new Unwinder(core.memory, provider, { maxDepth: opts.maxDepth ?? 256 });
  const resume: ResumeUnwind = (ip, sp) => {
    const u = unwinder.unwind({ rip: ip, rsp: sp });
    const frames: StackFrame[] = [];
    for (const f of u.frames) {
      const look = symbols.lookup(f.pc, { returnAddress: f.lookupPc !== f.pc });
      const common = { pc: hex(f.pc), sp: hex(f.sp), cfa: f.cfa === null ? null : hex(f.cfa), module: look?.module ?? f.module, how: f.how, signalFrame: f.isSignalFrame };
      for (const inl of look?.inlined ?? []) {
        frames.push({ ...common, index: frames.length, function: inl.function, rawFunction: inl.rawName !== inl.function ? inl.rawName : null, offset: null, file: inl.file, line: inl.line, column: inl.column, inline: true });
      }
      frames.push({
        ...common,
        index: frames.length,
        function: look?.function ?? null,
        rawFunction: look && look.rawName && look.rawName !== look.function ? look.rawName : null,
        offset: look?.offset != null ? Number(look.offset) : null,
        file: look?.file ?? null,
        line: look?.line ?? null,
        column: look?.column ?? null,
        inline: false,
      });
    }
    const stack: ThreadStack = { tid: 0, frames, stopReason: u.stop.reason, stopDetail: u.stop.reason === 'ok' ? null : u.stop.detail };
    return stack;
  };
  return {
    resume,
    close: () => {
      provider.close();
      for (const s of opened) s.close();
      core.close();
    },
  };
}
