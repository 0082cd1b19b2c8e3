// Capstone (x86-64) through @alexaltea/capstone-js, an Emscripten build: a CommonJS factory that
// resolves to the module once its WebAssembly is instantiated.
//
// Loading it under Node ESM, bundled or not: the factory is CommonJS, so we load it through
// createRequire (esbuild keeps node_modules external, so the require stays a runtime lookup of
// the package). Its own wasm lookup uses `__dirname` of capstone.js, which holds when the package
// is required from node_modules, but we do not depend on it: we resolve dist/capstone.wasm the
// same way and hand the bytes over as `wasmBinary` (inside Electron's app.asar too, where
// fs.readFileSync reads archived files). The module loads lazily, once per process (~30 ms).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { DumpscopeError } from '../errors';

/** One decoded instruction as capstone-js returns it (the fields we read). */
export interface CsInstruction {
  id: number;
  address: bigint;
  size: number;
  bytes: number[];
  mnemonic: string;
  op_str: string;
}

interface CsHandle {
  option(option: number, value: number): void;
  disasm_iter(buffer: Uint8Array, address: bigint, callback: (insn: CsInstruction) => boolean | void): number;
  close(): void;
}

interface CsModule {
  ARCH_X86: number;
  MODE_64: number;
  OPT_SYNTAX: number;
  OPT_SYNTAX_ATT: number;
  OPT_SYNTAX_INTEL: number;
  OPT_SKIPDATA: number;
  OPT_ON: number;
  Capstone: new (arch: number, mode: number) => CsHandle;
}

type CsFactory = (moduleArg: { wasmBinary?: Uint8Array }) => Promise<CsModule>;

export type CapstoneSyntax = 'att' | 'intel';

/** An x86-64 decoder with one handle per syntax; invalid bytes come out as `.byte` (skipdata). */
export class X86Decoder {
  private readonly handles = new Map<CapstoneSyntax, CsHandle>();

  constructor(private readonly cs: CsModule) {}

  private handle(syntax: CapstoneSyntax): CsHandle {
    let h = this.handles.get(syntax);
    if (!h) {
      h = new this.cs.Capstone(this.cs.ARCH_X86, this.cs.MODE_64);
      h.option(this.cs.OPT_SYNTAX, syntax === 'att' ? this.cs.OPT_SYNTAX_ATT : this.cs.OPT_SYNTAX_INTEL);
      h.option(this.cs.OPT_SKIPDATA, this.cs.OPT_ON);
      this.handles.set(syntax, h);
    }
    return h;
  }

  /**
   * Decodes `bytes` placed at `address`, in order, until `keepGoing` returns false or the bytes
   * run out. Instructions are copied out of the WebAssembly heap.
   */
  decode(bytes: Uint8Array, address: bigint, syntax: CapstoneSyntax, keepGoing: (insn: CsInstruction) => boolean): void {
    if (bytes.length === 0) return;
    this.handle(syntax).disasm_iter(bytes, address, (insn) => keepGoing({ id: insn.id, address: BigInt(insn.address), size: insn.size, bytes: insn.bytes, mnemonic: insn.mnemonic, op_str: insn.op_str }));
  }

  close(): void {
    for (const h of this.handles.values()) h.close();
    this.handles.clear();
  }
}

let loading: Promise<X86Decoder> | null = null;

/** The process's decoder, loaded on first use. */
export function loadX86Decoder(): Promise<X86Decoder> {
  loading ??= (async () => {
    try {
      const require = createRequire(import.meta.url);
      const factory = require('@alexaltea/capstone-js') as CsFactory;
      const wasmPath = require.resolve('@alexaltea/capstone-js/dist/capstone.wasm');
      const cs = await factory({ wasmBinary: fs.readFileSync(wasmPath) });
      return new X86Decoder(cs);
    } catch (e) {
      loading = null;
      throw new DumpscopeError('Internal', `the disassembler (capstone) could not be loaded: ${(e as Error).message}`, { where: 'disasm' });
    }
  })();
  return loading;
}
