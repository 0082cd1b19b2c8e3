// Huge dumps without huge disks: a real core made to claim several GiB more memory, backed by a
// sparse hole. The program header table is copied to the end of the file with extra PT_LOAD
// entries (read-only memory at an address no module uses) whose bytes lie past the old end of
// the file; `truncate` then extends the file sparsely, so the disk holds no more than before.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../../helpers/cli';

const PT_LOAD = 1;
const PF_R = 4;
const PAGE = 4096;
/** Far from the executable (0x55…/0x56…), the libraries and stacks (0x7f…). */
export const SPARSE_BASE = 0x1000_0000_0000n;

const align = (n: number) => Math.ceil(n / PAGE) * PAGE;

export interface SparseVariant {
  path: string;
  /** Bytes the file claims (its apparent size). */
  size: number;
  /** Bytes the file takes on disk. */
  allocated: number;
}

/** Copies `src` to `dst` with `count` extra PT_LOAD segments of `bytes` each, all a sparse hole. */
export function makeSparseVariant(src: string, dst: string, count: number, bytes: number): SparseVariant {
  fs.copyFileSync(src, dst);
  const fd = fs.openSync(dst, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    const ehdr = Buffer.alloc(64);
    fs.readSync(fd, ehdr, 0, 64, 0);
    const phoff = Number(ehdr.readBigUInt64LE(32));
    const phnum = ehdr.readUInt16LE(56);
    if (phnum + count >= 0xffff) throw new Error('too many program headers for this simple rewrite');
    const old = Buffer.alloc(phnum * 56);
    fs.readSync(fd, old, 0, old.length, phoff);
    const table = Buffer.alloc((phnum + count) * 56);
    old.copy(table);
    const newPhoff = align(size);
    const dataStart = align(newPhoff + table.length);
    for (let i = 0; i < count; i++) {
      const o = (phnum + i) * 56;
      table.writeUInt32LE(PT_LOAD, o); // p_type
      table.writeUInt32LE(PF_R, o + 4); // p_flags
      table.writeBigUInt64LE(BigInt(dataStart + i * bytes), o + 8); // p_offset
      table.writeBigUInt64LE(SPARSE_BASE + BigInt(i) * BigInt(bytes + PAGE), o + 16); // p_vaddr
      table.writeBigUInt64LE(0n, o + 24); // p_paddr
      table.writeBigUInt64LE(BigInt(bytes), o + 32); // p_filesz
      table.writeBigUInt64LE(BigInt(bytes), o + 40); // p_memsz
      table.writeBigUInt64LE(BigInt(PAGE), o + 48); // p_align
    }
    fs.writeSync(fd, table, 0, table.length, newPhoff);
    ehdr.writeBigUInt64LE(BigInt(newPhoff), 32); // e_phoff
    ehdr.writeUInt16LE(phnum + count, 56); // e_phnum
    fs.writeSync(fd, ehdr, 0, 64, 0);
    fs.ftruncateSync(fd, dataStart + count * bytes);
    const st = fs.fstatSync(fd);
    return { path: dst, size: st.size, allocated: st.blocks * 512 };
  } finally {
    fs.closeSync(fd);
  }
}

export interface CliMeasure {
  code: number;
  stdout: string;
  stderr: string;
  maxRssKb: number;
  elapsedMs: number;
}

/** The built CLI in a fresh process that reports its own peak RSS (test/helpers/measure-cli.mjs). */
export function measureCli(args: string[]): CliMeasure {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-measure-')), 'out.json');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'test', 'helpers', 'measure-cli.mjs'), out, ...args], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`measure-cli failed (${r.status}): ${r.stderr}`);
  const m = JSON.parse(fs.readFileSync(out, 'utf8')) as CliMeasure;
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return m;
}
