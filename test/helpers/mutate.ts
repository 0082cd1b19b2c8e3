// Hostile inputs made from real cores: copies with bytes changed or cut.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function mutatedCopy(src: string, dir: string, name: string, edit: (buf: Buffer) => Buffer): string {
  const out = path.join(dir, name);
  fs.writeFileSync(out, edit(fs.readFileSync(src)));
  return out;
}

export function truncatedCopy(src: string, dir: string, name: string, length: number): string {
  const out = path.join(dir, name);
  const fd = fs.openSync(src, 'r');
  try {
    const buf = Buffer.alloc(length);
    fs.readSync(fd, buf, 0, length, 0);
    fs.writeFileSync(out, buf);
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/** Program headers of a core: [{type, offset, filesz}] read straight from the bytes. */
export function programHeaders(buf: Buffer): { type: number; offset: number; filesz: number; index: number }[] {
  const phoff = Number(buf.readBigUInt64LE(32));
  const phnum = buf.readUInt16LE(56);
  const out = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * 56;
    out.push({ index: i, type: buf.readUInt32LE(o), offset: Number(buf.readBigUInt64LE(o + 8)), filesz: Number(buf.readBigUInt64LE(o + 32)) });
  }
  return out;
}
