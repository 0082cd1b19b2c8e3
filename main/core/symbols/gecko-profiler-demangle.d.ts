// Types for the wasm-bindgen glue of gecko-profiler-demangle 0.4.0, which ships types only for
// its entry point (index.js). We load the glue directly and instantiate the wasm ourselves
// (see demangle.ts), so we declare the pieces we touch.
declare module 'gecko-profiler-demangle/index_bg.js' {
  export function __wbg_set_wasm(exports: Record<string, unknown>): void;
  export function demangle_any(name: string): string;
  export function __wbindgen_init_externref_table(): void;
}
