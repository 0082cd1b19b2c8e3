// Demangling of C++ (Itanium ABI) and Rust (legacy and v0) symbol names. C++ goes through our
// own demangler (itanium-demangle.ts), which prints what c++filt prints; Rust goes through
// gecko-profiler-demangle's WebAssembly build of rustc-demangle.
//
// gecko-profiler-demangle is an ESM wasm-bindgen package whose entry point imports the .wasm
// file as a module, which plain Node cannot do. We import its JS glue (index_bg.js) and
// instantiate index_bg.wasm by hand, lazily, once. The wasm path is resolved through
// createRequire so this also works when esbuild bundles us into dist/*.mjs with node_modules
// external.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as glue from 'gecko-profiler-demangle/index_bg.js';
import { demangleItanium } from './itanium-demangle';

export type NameLanguage = 'c' | 'c++' | 'rust-legacy' | 'rust-v0';

/** Names longer than this are returned as they are (a hostile symbol table can hold huge names). */
export const MAX_DEMANGLE_INPUT = 16 * 1024;
const CACHE_LIMIT = 200_000;

/** The slice of the WebAssembly JS API we use (the ES2023 lib here carries no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}

let state: 'unloaded' | 'ready' | 'failed' = 'unloaded';
let loadError: string | null = null;
const cache = new Map<string, string>();

function load(): boolean {
  if (state === 'ready') return true;
  if (state === 'failed') return false;
  try {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('gecko-profiler-demangle/index_bg.wasm');
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const module = new wasm.Module(fs.readFileSync(wasmPath));
    const instance = new wasm.Instance(module, { './index_bg.js': glue as unknown as Record<string, unknown> });
    glue.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start === 'function') (start as () => void)();
    state = 'ready';
    return true;
  } catch (e) {
    state = 'failed';
    loadError = (e as Error).message;
    return false;
  }
}

/** Why the demangler is unavailable, or null when it works (or has not been needed yet). */
export function demanglerError(): string | null {
  return loadError;
}

/** The language a raw symbol name is mangled for, from its prefix. */
export function nameLanguage(raw: string): NameLanguage {
  const base = stripVersion(raw).name;
  if (base.startsWith('_R')) return 'rust-v0';
  if (base.startsWith('_ZN') && /17h[0-9a-f]{16}E(\.[\w.]*)?$/.test(base)) return 'rust-legacy';
  if (base.startsWith('_Z')) return 'c++';
  return 'c';
}

/** Splits an ELF symbol version suffix (`memcpy@GLIBC_2.2.5`, `foo@@VERS_1`). */
function stripVersion(raw: string): { name: string; version: string } {
  const at = raw.indexOf('@', 1);
  if (at < 0) return { name: raw, version: '' };
  return { name: raw.slice(0, at), version: raw.slice(at) };
}

/**
 * The demangled form of a symbol name; the name itself when it is not mangled or the
 * demangler cannot read it. GCC clone suffixes come out as c++filt prints them
 * (`f(int) [clone .isra.0]`); an ELF version suffix is kept (`f(int)@@V1`).
 */
export function demangle(raw: string): string {
  if (raw.length < 3 || raw.length > MAX_DEMANGLE_INPUT) return raw;
  const c0 = raw.charCodeAt(0);
  if (c0 !== 0x5f /* _ */) return raw;
  const c1 = raw.charCodeAt(1);
  if (c1 !== 0x5a /* Z */ && c1 !== 0x52 /* R */) return raw;
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  const { name, version } = stripVersion(raw);
  let out = raw;
  const lang = nameLanguage(raw);
  if (lang === 'c++') {
    const d = demangleItanium(name);
    if (d !== null) out = d + version;
  } else if (lang !== 'c' && load()) {
    try {
      const d = glue.demangle_any(name);
      // demangle_any also tries "one underscore too many" (Mach-O); a result that is just the
      // name without its first character means no demangler understood it.
      if (d !== name && d !== name.slice(1) && d.length > 0) out = d + version;
    } catch {
      // A trap inside the wasm leaves its allocator in an unknown state: reload next time.
      state = 'unloaded';
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(raw, out);
  return out;
}
