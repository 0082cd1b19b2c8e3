// Resuming a native stack walk from a managed frame's SP/IP (clrstack's Child SP and IP), for
// stacks the native unwinder could not take through JIT code. Opens the dump's unwinding and
// symbols the way core/analysis/stacks.ts does, once, and unwinds from any (ip, sp) asked.
import { type ThreadStack } from '../../../shared/types';
import { CoreDump } from '../elf';
import { type SymbolFileIndex } from '../symbols';
import { apiFrame, openStackWalker } from '../analysis/stacks';
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

/** Opens a dump for resumed walks. The caller closes the handle. */
export function openResume(dumpPath: string, opts: ResumeOptions = {}): ResumeHandle {
  const core = CoreDump.open(dumpPath);
  const walker = openStackWalker(core, { symbolFolders: opts.symbolFolders, debugDirs: opts.debugDirs, maxDepth: opts.maxDepth ?? 256 });
  const resume: ResumeUnwind = (ip, sp) => {
    const w = walker.walk({ rip: ip, rsp: sp });
    const stack: ThreadStack = { tid: 0, frames: w.frames.map(apiFrame), stopReason: w.stopReason, stopDetail: w.stopDetail };
    return stack;
  };
  return {
    resume,
    close: () => {
      walker.close();
      core.close();
    },
  };
}
