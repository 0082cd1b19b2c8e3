// A dump reopened to read its code: the core (headers and notes only; memory on demand), its
// symbols (the same folders the index used), and the module files whose build-id matches
// attached as memory providers, because gcore and the kernel leave file-backed text out of the
// core. A small LRU keeps the last few open; an evicted dump is closed (its file handles too).
import * as fs from 'node:fs';
import { type Disassembly, type DisassemblySyntax } from '../../../shared/types';
import { attachModuleFiles, CoreDump } from '../elf';
import { DumpscopeError } from '../errors';
import { type FileSource } from '../io';
import { DumpSymbols, type SymbolFileIndex } from '../symbols';
import { loadX86Decoder } from './capstone';
import { disassembleWindow, type FunctionAt } from './window';

export interface CodeViewSource {
  /** Names the dump and the symbol state it is opened with: a new key opens it afresh. */
  key: string;
  path: string;
  folders?: SymbolFileIndex | readonly string[];
  debugDirs?: readonly string[];
  /** The dump was indexed as a partial (truncated) core. */
  allowTruncated?: boolean;
  /** The file as indexed: a file changed since is refused (DumpChanged) rather than misread. */
  expect?: { size: number; mtimeMs: number };
}

export interface DisassembleRequest {
  pc: bigint;
  before: number;
  after: number;
  syntax: DisassemblySyntax;
  returnAddress: boolean;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

export class DumpCodeView {
  private constructor(
    readonly core: CoreDump,
    readonly symbols: DumpSymbols,
    private readonly opened: FileSource[],
  ) {}

  static open(src: CodeViewSource): DumpCodeView {
    if (src.expect) {
      let st: fs.Stats;
      try {
        st = fs.statSync(src.path);
      } catch {
        throw new DumpscopeError('DumpMissing', `${src.path}: the dump is no longer there`, { file: src.path });
      }
      if (st.size !== src.expect.size || st.mtimeMs !== src.expect.mtimeMs) {
        throw new DumpscopeError('DumpChanged', `${src.path}: the file changed since it was indexed: open it again`, { file: src.path });
      }
    }
    const core = CoreDump.open(src.path, { allowTruncated: src.allowTruncated ?? false, cachePages: 256 });
    try {
      const symbols = DumpSymbols.forCore(core, { folders: src.folders, debugDirs: src.debugDirs });
      const opened = attachModuleFiles(core.memory, core.modules, (m) => symbols.chooseCodeFile(m));
      return new DumpCodeView(core, symbols, opened);
    } catch (e) {
      core.close();
      throw e;
    }
  }

  async disassemble(req: DisassembleRequest): Promise<Disassembly> {
    const decoder = await loadX86Decoder();
    const { symbols, core } = this;
    const functionAt = (addr: bigint): FunctionAt | null => {
      const l = symbols.lookup(addr);
      if (!l || l.functionAddress === null) return null;
      return { start: l.functionAddress, name: l.function, module: l.module };
    };
    const w = disassembleWindow({
      ...req,
      read: (addr, length) => core.memory.readPartial(addr, length),
      functionAt,
      dataAt: (addr) => {
        const d = symbols.lookupData(addr);
        return d ? { name: d.name, start: d.start } : null;
      },
      decoder,
    });
    const at = req.returnAddress && req.pc > 0n ? req.pc - 1n : req.pc;
    const mod = symbols.moduleAt(at);
    const look = symbols.lookup(at, { returnAddress: false });
    const seg = core.memory.segmentAt(req.pc);
    const inDump = seg !== null && req.pc - seg.start < BigInt(seg.fileSize);
    const codeFile = mod ? symbols.forModule(mod).codeFilePath : null;
    return {
      pc: hex(req.pc),
      syntax: req.syntax,
      module: look?.module ?? mod?.name ?? null,
      function: w.fn?.name ?? null,
      functionAddress: w.fn ? hex(w.fn.start) : null,
      start: w.start,
      codeSource: w.unavailable ? null : inDump ? 'dump' : codeFile ? 'file' : null,
      codeFile: inDump ? null : codeFile,
      instructions: w.instructions,
      notes: w.notes,
      unavailable: w.unavailable,
    };
  }

  close(): void {
    for (const s of this.opened) s.close();
    this.core.close();
  }
}

/** The last few dumps opened for their code; the least recently used is closed first. */
export class OpenDumps {
  private readonly views = new Map<string, DumpCodeView>();

  constructor(private readonly max = 4) {}

  get size(): number {
    return this.views.size;
  }

  view(src: CodeViewSource): DumpCodeView {
    const hit = this.views.get(src.key);
    if (hit) {
      // most recently used last
      this.views.delete(src.key);
      this.views.set(src.key, hit);
      return hit;
    }
    const v = DumpCodeView.open(src);
    this.views.set(src.key, v);
    while (this.views.size > this.max) {
      const [oldest, view] = this.views.entries().next().value as [string, DumpCodeView];
      this.views.delete(oldest);
      view.close();
    }
    return v;
  }

  /** Closes the views whose key starts with `prefix` (a removed or re-indexed dump). */
  forget(prefix: string): void {
    for (const [k, v] of [...this.views]) {
      if (k.startsWith(prefix)) {
        this.views.delete(k);
        v.close();
      }
    }
  }

  close(): void {
    for (const v of this.views.values()) v.close();
    this.views.clear();
  }
}
