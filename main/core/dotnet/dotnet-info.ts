// What a .NET dump holds about its runtime: the runtime (detected from libcoreclr.so by
// core/analysis), its native modules with their symbol-server keys, and the managed assemblies
// read from PE headers in memory.

import { type DotnetInfo, type RuntimeInfo } from '../../../shared/types';
import { type CoreModule, type FileMapping, type MemoryReader } from '../elf';
import { listManagedAssemblies } from './assemblies';
import { runtimeModules } from './symbol-keys';

export interface DumpForDotnet {
  modules: readonly CoreModule[];
  mappings: readonly FileMapping[];
  memory: MemoryReader;
}

export function describeDotnet(core: DumpForDotnet, runtime: RuntimeInfo): DotnetInfo {
  const { assemblies, warnings } = listManagedAssemblies(core.mappings, core.memory);
  const mods = runtimeModules(core.modules);
  if (runtime.version === null) warnings.push(`the runtime's version is not in the path of ${runtime.path} (a self-contained or custom layout)`);
  if (runtime.buildId === null) warnings.push('libcoreclr.so has no build-id in the dump: no symbol-server key can be made for it or its DAC');
  return { runtime, runtimeModules: mods, assemblies, warnings };
}
