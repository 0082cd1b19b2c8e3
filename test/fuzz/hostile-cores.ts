// Hand-made hostile variants of a real core, for the cases a byte-level mutation cannot reach
// (an NT_FILE note of a million entries needs megabytes of structure, not a flipped bit). Each
// keeps the real core whole and adds to it: the note segment is copied to the end of the file
// with an extra note after it, and the program header points there.
import * as fs from 'node:fs';
import { coreLayout, NT_FILE, PT_NOTE } from './layout';

const align4 = (n: number) => (n + 3) & ~3;

/** A note as the kernel lays it out: namesz, descsz, type, name (padded), descriptor (padded). */
export function note(name: string, type: number, desc: Buffer | number): Buffer {
  const descSize = typeof desc === 'number' ? desc : desc.length;
  const n = Buffer.from(`${name}\0`);
  const head = Buffer.alloc(12 + align4(n.length));
  head.writeUInt32LE(n.length, 0);
  head.writeUInt32LE(descSize, 4);
  head.writeUInt32LE(type, 8);
  n.copy(head, 12);
  if (typeof desc === 'number') return head; // the descriptor is left to a sparse hole
  return Buffer.concat([head, desc, Buffer.alloc(align4(desc.length) - desc.length)]);
}

/**
 * Writes `dst`: `src` with its notes and `extra` appended as its note segment. `sparseTail`
 * bytes of zeros follow `extra` as a hole (for a note whose descriptor is all zeros).
 */
export function withExtraNote(src: string, dst: string, extra: Buffer, sparseTail = 0): void {
  const bytes = fs.readFileSync(src);
  const layout = coreLayout(bytes);
  const ph = layout.phdrs.find((p) => p.type === PT_NOTE);
  if (!ph) throw new Error(`${src}: no PT_NOTE`);
  const notes = bytes.subarray(ph.fileOffset, ph.fileOffset + ph.filesz);
  const start = Math.ceil(bytes.length / 4096) * 4096;
  const tail = align4(sparseTail);
  const out = Buffer.concat([bytes, Buffer.alloc(start - bytes.length), notes, extra]);
  out.writeBigUInt64LE(BigInt(start), ph.offset + 8); // p_offset
  out.writeBigUInt64LE(BigInt(notes.length + extra.length + tail), ph.offset + 32); // p_filesz
  fs.writeFileSync(dst, out);
  if (tail > 0) fs.truncateSync(dst, out.length + tail);
}

/** An NT_FILE descriptor: `count` mappings from `entry(i)`. */
export function ntFile(count: number, entry: (i: number) => { start: bigint; end: bigint; pageOffset: bigint; name: string }): Buffer {
  const table = Buffer.alloc(16 + 24 * count);
  table.writeBigUInt64LE(BigInt(count), 0);
  table.writeBigUInt64LE(4096n, 8);
  const names: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const e = entry(i);
    table.writeBigUInt64LE(e.start, 16 + 24 * i);
    table.writeBigUInt64LE(e.end, 16 + 24 * i + 8);
    table.writeBigUInt64LE(e.pageOffset, 16 + 24 * i + 16);
    names.push(Buffer.from(`${e.name}\0`));
  }
  return Buffer.concat([table, ...names]);
}

export { NT_FILE };
