// Finding and checking separate debug files, as gdb does:
// - by build-id: <debug dir>/.build-id/ab/cdef….debug (the debug file) and
//   <debug dir>/.build-id/ab/cdef… (the code file, where distributions install that link);
// - by .gnu_debuglink: <module dir>/<name>, <module dir>/.debug/<name>,
//   <debug dir>/<module dir>/<name>, with the CRC-32 in the link checked against the file.
// A candidate is only used when its build-id (if both sides have one) and CRC (for debuglink)
// match; every rejection is recorded with its reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ElfConstants as C, ElfImage } from '../elf';

export const DEFAULT_DEBUG_DIRS = ['/usr/lib/debug'];

export type ElfFileKind = 'executable' | 'shared' | 'debug-only';

/** What a quick look at an ELF file's headers tells (no section contents but notes and names). */
export interface ElfFileInfo {
  path: string;
  size: number;
  mtimeMs: number;
  buildId: string | null;
  kind: ElfFileKind;
  elfType: number;
  hasSymtab: boolean;
  hasDynsym: boolean;
  hasDwarf: boolean;
  /** Has .debug_line (file:line possible). */
  hasLines: boolean;
  /** The .gnu_debuglink name, when the file has one. */
  debugLink: string | null;
}

/** A file whose content cannot be code: ELF header plus at least one header table. */
const MIN_ELF_SIZE = 64;

/**
 * Reads an ELF file's headers, section names and build-id note; null when the file is not an
 * ELF64 little-endian executable, shared object or debug file (cores and objects are skipped).
 */
export function inspectElf(filePath: string): ElfFileInfo | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(filePath);
  } catch {
    return null;
  }
  if (!st.isFile() || st.size < MIN_ELF_SIZE) return null;
  let img: ElfImage;
  try {
    img = ElfImage.open(filePath);
  } catch {
    return null;
  }
  try {
    return infoOf(img, st);
  } catch {
    return null;
  } finally {
    img.close();
  }
}

/**
 * The same facts for an image already open. `allowRelocatable` admits ET_REL files, which is
 * what dwz writes its supplementary ("multifile") debug files as.
 */
export function infoOf(img: ElfImage, st: { size: number; mtimeMs: number }, allowRelocatable = false): ElfFileInfo | null {
  const h = img.header;
  if (h.type !== C.ET_EXEC && h.type !== C.ET_DYN && !(allowRelocatable && h.type === C.ET_REL)) return null;
  const present = (type: number) => img.sections.some((s) => s.type === type && s.size > 0);
  const hasCode =
    img.sections.length > 0
      ? img.sections.some((s) => (s.flags & C.SHF_EXECINSTR) !== 0n && s.type !== C.SHT_NOBITS && s.size > 0)
      : img.programHeaders.some((p) => p.type === C.PT_LOAD && (p.flags & C.PF_X) !== 0 && p.filesz > 0);
  const hasInterp = img.programHeaders.some((p) => p.type === C.PT_INTERP);
  const kind: ElfFileKind = !hasCode || h.type === C.ET_REL ? 'debug-only' : h.type === C.ET_EXEC || hasInterp ? 'executable' : 'shared';
  const hasDebug = (name: string) => img.hasSection(name) || img.hasSection(name.replace(/^\.debug_/, '.zdebug_'));
  let debugLink: string | null;
  try {
    debugLink = img.debugLink?.name ?? null;
  } catch {
    debugLink = null;
  }
  return {
    path: img.path,
    size: st.size,
    mtimeMs: st.mtimeMs,
    buildId: img.buildId,
    kind,
    elfType: h.type,
    hasSymtab: present(C.SHT_SYMTAB),
    hasDynsym: present(C.SHT_DYNSYM),
    hasDwarf: hasDebug('.debug_info'),
    hasLines: hasDebug('.debug_line'),
    debugLink,
  };
}

const crcCache = new Map<string, number>();

/**
 * CRC-32 (the zlib/IEEE polynomial .gnu_debuglink uses) of a whole file, read in 1 MiB
 * chunks; cached by path, size and mtime.
 */
export function fileCrc32(filePath: string): number {
  const st = fs.statSync(filePath);
  const key = `${filePath}\0${st.size}\0${st.mtimeMs}`;
  const hit = crcCache.get(key);
  if (hit !== undefined) return hit;
  const fd = fs.openSync(filePath, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let crc = 0;
    let pos = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      crc = crc32(buf.subarray(0, n), crc);
      pos += n;
    }
    if (crcCache.size > 4096) crcCache.clear();
    crcCache.set(key, crc);
    return crc;
  } finally {
    fs.closeSync(fd);
  }
}

let crcTable: Uint32Array | null = null;

/** CRC-32 with zlib's polynomial; uses zlib.crc32 when the runtime has it (Node >= 20.15). */
export function crc32(data: Buffer, value = 0): number {
  const native = (zlib as { crc32?: (d: Buffer, v?: number) => number }).crc32;
  if (typeof native === 'function') return native(data, value);
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = ~value >>> 0;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Paths a build-id maps to under one debug directory (or symbol folder). */
export function buildIdPaths(dir: string, buildId: string): { debug: string; code: string } {
  const head = buildId.slice(0, 2);
  const rest = buildId.slice(2);
  return { debug: path.join(dir, '.build-id', head, `${rest}.debug`), code: path.join(dir, '.build-id', head, rest) };
}

/**
 * Where gdb looks for a .gnu_debuglink target, in order: next to the module, in its .debug
 * subfolder, and under each global debug directory at the module's own folder path.
 */
export function debugLinkCandidates(modulePath: string, linkName: string, debugDirs: readonly string[]): string[] {
  if (linkName.length === 0 || linkName.includes('\0') || linkName.length > 4096) return [];
  const name = path.basename(linkName) === linkName ? linkName : path.normalize(linkName);
  const dir = path.dirname(modulePath);
  const out = [path.join(dir, name), path.join(dir, '.debug', name)];
  for (const d of debugDirs) out.push(path.join(d, dir, name));
  return [...new Set(out)];
}

export type CandidateVerdict = { ok: true; info: ElfFileInfo } | { ok: false; reason: string };

/**
 * Checks that `candidate` is a debug file for a module: an ELF file, with the expected build-id
 * when both have one, the expected CRC when one is given (debuglink), and with symbols or
 * DWARF. Never throws.
 */
export function verifyDebugCandidate(candidate: string, expect: { buildId: string | null; crc?: number; modulePath?: string }): CandidateVerdict {
  if (!fs.existsSync(candidate)) return { ok: false, reason: `${candidate}: no such file` };
  if (expect.modulePath !== undefined) {
    try {
      if (fs.realpathSync(candidate) === fs.realpathSync(expect.modulePath)) return { ok: false, reason: `${candidate}: is the module itself` };
    } catch {
      /* fall through to the checks below */
    }
  }
  const info = inspectElf(candidate);
  if (!info) return { ok: false, reason: `${candidate}: not an ELF executable, shared object or debug file` };
  if (expect.buildId && info.buildId && info.buildId !== expect.buildId) {
    return { ok: false, reason: `${candidate}: its build-id ${info.buildId} differs from the dump's ${expect.buildId}` };
  }
  if (expect.crc !== undefined) {
    let crc: number;
    try {
      crc = fileCrc32(candidate);
    } catch (e) {
      return { ok: false, reason: `${candidate}: cannot read it to check its CRC: ${(e as Error).message}` };
    }
    if (crc !== expect.crc) {
      return { ok: false, reason: `${candidate}: CRC-32 0x${hex8(crc)} does not match the .gnu_debuglink's 0x${hex8(expect.crc)}` };
    }
  }
  if (!info.hasSymtab && !info.hasDwarf) return { ok: false, reason: `${candidate}: has neither .symtab nor DWARF` };
  return { ok: true, info };
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
