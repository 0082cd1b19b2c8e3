// Types for the piece of lz4js 0.2.0 (plain CommonJS, no types) that we use: its block decoder.
// Its frame decoder needs the whole frame in memory, so lz4-stream.ts parses frames itself and
// hands each block (at most 4 MiB) to this function.
declare module 'lz4js' {
  /**
   * Decodes one LZ4 block `src[sIndex, sIndex + sLength)` into `dst` from `dIndex`; returns the
   * index after the last byte written. Does no bounds checking: callers check the result.
   */
  export function decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
}
