// Opens a core the way the app will: module files attached for the code the core lacks, tables
// from those files (or the dump's memory for the vDSO), every thread unwound.
import { attachModuleFiles, CoreDump } from '../../../main/core/elf';
import { moduleProviderForCore, unwindThreads, type CoreModuleProvider, type UnwindOptions, type UnwoundStack } from '../../../main/core/unwind';

export interface UnwoundCore {
  core: CoreDump;
  provider: CoreModuleProvider;
  stacks: { tid: number; stack: UnwoundStack }[];
  close(): void;
}

export function openAndUnwind(corePath: string, opts: UnwindOptions = {}): UnwoundCore {
  const core = CoreDump.open(corePath);
  const files = attachModuleFiles(core.memory, core.modules, (m) => (m.path.startsWith('/') && !m.deleted ? { path: m.path } : null));
  const provider = moduleProviderForCore(core);
  const stacks = unwindThreads(core.memory, provider, core.threads, opts);
  return {
    core,
    provider,
    stacks,
    close: () => {
      provider.close();
      for (const f of files) f.close();
      core.close();
    },
  };
}

export function hex(v: bigint | null | undefined): string {
  return v === null || v === undefined ? '-' : `0x${v.toString(16)}`;
}
