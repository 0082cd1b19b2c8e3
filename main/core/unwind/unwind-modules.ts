// Where unwind tables come from: one UnwindModule per loaded module, found by pc. The
// integrator decides where a module's tables live (the file on disk, a symbol folder, the
// dump's memory); `moduleProviderForCore` is the default for a CoreDump: the mapped file when
// its build-id matches, else the dump's memory (the vDSO always).
import * as fs from 'node:fs';
import { ElfImage, type CoreModule } from '../elf';
import { PF_X } from '../elf/constants';
import { cfiFromElfImage, cfiFromMemory, type CfiTables, type TableMemory } from './cfi-tables';

export interface UnwindModule {
  name: string;
  /** [start, end): runtime addresses of the module's mappings. */
  start: bigint;
  end: bigint;
  /** Runtime address minus link-time address. */
  loadBias: bigint;
  /** The module's unwind tables, loaded on first call and cached; null when it has none. */
  cfi(): CfiTables | null;
  /** Code bytes at a runtime address, when the dump's memory lacks them (optional). */
  code?(addr: bigint, length: number): Buffer | null;
  /**
   * Whether a runtime address lies in one of the module's executable segments (optional).
   * Needed because gcore leaves file-backed text out of the core's program headers entirely,
   * so the dump alone cannot say that a return address points into code.
   */
  isExecutable?(addr: bigint): boolean;
}

export interface UnwindModuleProvider {
  moduleFor(pc: bigint): UnwindModule | null;
}

/** A sorted list of modules, searched by binary search. */
export class ModuleList implements UnwindModuleProvider {
  readonly modules: UnwindModule[];

  constructor(modules: UnwindModule[]) {
    this.modules = [...modules].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  moduleFor(pc: bigint): UnwindModule | null {
    const ms = this.modules;
    let lo = 0;
    let hi = ms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = ms[mid];
      if (pc < m.start) hi = mid - 1;
      else if (pc >= m.end) lo = mid + 1;
      else return m;
    }
    return null;
  }
}

/**
 * A module whose tables come from `load`, called once on first use. A load that throws is
 * recorded in `warnings` and treated as "no tables" (a corrupt file must not stop the walk).
 */
export function lazyModule(
  info: { name: string; start: bigint; end: bigint; loadBias: bigint; isExecutable?: (addr: bigint) => boolean },
  load: () => CfiTables | null,
  warnings?: string[],
): UnwindModule {
  let loaded = false;
  let tables: CfiTables | null = null;
  return {
    ...info,
    cfi(): CfiTables | null {
      if (!loaded) {
        loaded = true;
        try {
          tables = load();
          if (tables) for (const w of tables.warnings) warnings?.push(w);
        } catch (e) {
          warnings?.push(`${info.name}: unwind tables unreadable: ${(e as Error).message}`);
          tables = null;
        }
      }
      return tables;
    },
  };
}

export interface CoreProviderOptions {
  /**
   * The file to read a module's tables from; default: the mapped path when it exists and its
   * build-id equals the one the dump records (or the dump records none). Return null for none.
   */
  openImage?: (m: CoreModule) => ElfImage | null;
  /** A separate debug file for .debug_frame (e.g. from a symbol folder); default none. */
  openDebugImage?: (m: CoreModule) => ElfImage | null;
  /** Read tables from the dump's memory when there is no file (default true). */
  fromMemory?: boolean;
}

export interface CoreModuleProvider extends UnwindModuleProvider {
  readonly modules: UnwindModule[];
  readonly warnings: string[];
  /** Closes the files opened for tables. */
  close(): void;
}

/** The default provider for a core: file tables when the file matches, else memory tables. */
export function moduleProviderForCore(core: { modules: CoreModule[]; memory: TableMemory }, opts: CoreProviderOptions = {}): CoreModuleProvider {
  const warnings: string[] = [];
  const opened: ElfImage[] = [];
  const openImage = opts.openImage ?? defaultOpenImage;
  const list = new ModuleList(
    core.modules
      .filter((m) => m.isElf)
      .map((m) =>
        lazyModule(
          { name: m.name, start: m.start, end: m.end, loadBias: m.loadBias, isExecutable: executableTest(m) },
          () => {
            if (m.kind !== 'vdso') {
              const image = openImage(m);
              if (image) {
                opened.push(image);
                const dbg = opts.openDebugImage?.(m) ?? null;
                if (dbg) opened.push(dbg);
                const t = cfiFromElfImage(image, m.loadBias, dbg);
                if (t) return t;
              }
            }
            return opts.fromMemory === false ? null : cfiFromMemory(core.memory, { name: m.name, base: m.base, loadBias: m.loadBias });
          },
          warnings,
        ),
      ),
  );
  return {
    modules: list.modules,
    warnings,
    moduleFor: (pc) => list.moduleFor(pc),
    close: () => {
      for (const img of opened.splice(0)) img.close();
    },
  };
}

/** From the module's own program headers (PF_X segments), when they were read. */
function executableTest(m: CoreModule): ((addr: bigint) => boolean) | undefined {
  const exec = m.segments.filter((s) => (s.flags & PF_X) !== 0).map((s) => ({ start: s.vaddr + m.loadBias, end: s.vaddr + m.loadBias + s.memsz }));
  if (m.segments.length === 0) return undefined;
  return (addr) => exec.some((s) => addr >= s.start && addr < s.end);
}

function defaultOpenImage(m: CoreModule): ElfImage | null {
  if (m.deleted || !m.path.startsWith('/')) return null;
  try {
    if (!fs.statSync(m.path).isFile()) return null;
    const image = ElfImage.open(m.path);
    if (m.buildId !== null && image.buildId !== m.buildId) {
      image.close();
      return null;
    }
    return image;
  } catch {
    return null;
  }
}
