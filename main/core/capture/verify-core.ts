// Is a freshly written dump complete? Its ELF header and program headers must read, it must be
// a core, and every PT_LOAD's bytes must lie inside the file. A tool killed mid-write leaves a
// file that fails one of these; gcore even exits 0 after its target died mid-dump (its script
// only checks that the file exists), so we check ourselves before calling the dump done.
import { ElfConstants, readElfHeader, readProgramHeaders } from '../elf';
import { isDumpscopeError } from '../errors';
import { FileSource } from '../io';

export interface CoreCheck {
  ok: boolean;
  /** Why not, in a few words. */
  problem: string | null;
  loadSegments: number;
}

export function checkCoreComplete(file: string): CoreCheck {
  let src: FileSource | null = null;
  try {
    src = FileSource.open(file);
    const h = readElfHeader(src, { expectCore: true });
    const phdrs = readProgramHeaders(src, h);
    let loads = 0;
    for (const p of phdrs) {
      if (p.type !== ElfConstants.PT_LOAD) continue;
      loads++;
      if (p.offset + p.filesz > src.size) {
        return {
          ok: false,
          problem: `segment ${loads} ends at byte ${p.offset + p.filesz} but the file has ${src.size} bytes`,
          loadSegments: loads,
        };
      }
    }
    if (!phdrs.some((p) => p.type === ElfConstants.PT_NOTE)) return { ok: false, problem: 'it has no notes (no threads)', loadSegments: loads };
    return { ok: true, problem: null, loadSegments: loads };
  } catch (e) {
    return { ok: false, problem: isDumpscopeError(e) ? e.message : (e as Error).message, loadSegments: 0 };
  } finally {
    src?.close();
  }
}
