// Serves memory the core lacks from module files: gcore and the kernel usually omit
// file-backed read-only pages (the code), so code bytes and unwind tables come from the file
// that was mapped — only when its build-id matches the one the dump records.
import { FileSource } from '../io';
import { type CoreMemory } from './memory';
import { type CoreModule } from './modules';

export interface ModuleFileChoice {
  /** The file whose bytes equal the mapped file's (same build-id). */
  path: string;
}

/**
 * Adds a memory provider per file-backed mapping of each module for which `choose` returns a
 * file. Returns the opened sources so the caller can close them with the dump.
 */
export function attachModuleFiles(memory: CoreMemory, modules: CoreModule[], choose: (m: CoreModule) => ModuleFileChoice | null): FileSource[] {
  const opened: FileSource[] = [];
  for (const m of modules) {
    if (m.kind === 'vdso' || !m.isElf) continue;
    const choice = choose(m);
    if (!choice) continue;
    let src: FileSource;
    try {
      src = FileSource.open(choice.path);
    } catch {
      continue;
    }
    opened.push(src);
    for (const map of m.mappings) {
      const fileStart = Number(map.fileOffset);
      const base = map.start;
      memory.addProvider({
        start: map.start,
        end: map.end,
        name: choice.path,
        read: (addr, length) => {
          const off = fileStart + Number(addr - base);
          const b = src.readUpTo(off, length);
          return b.length === 0 ? null : b;
        },
      });
    }
  }
  return opened;
}
