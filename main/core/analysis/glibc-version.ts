// Which glibc the process ran: from the library's file name (libc-2.19.so) or from the banner
// in its read-only data ("GNU C Library (…) stable release version 2.36."), read through the
// dump's memory (which serves the mapped file's bytes when the core omits them). The layouts
// in glibc.ts hold from 2.25 on for rwlocks and condition variables.
import { type CoreDump } from '../elf';

export interface GlibcVersion {
  version: string;
  major: number;
  minor: number;
  source: 'file-name' | 'banner';
}

const BANNER = /release version (\d+)\.(\d+)/;

export function detectGlibcVersion(core: CoreDump): GlibcVersion | null {
  const libc = core.modules.find((m) => /^libc(-[\d.]+)?\.so(\.6)?$/.test(m.name));
  if (!libc) return null;
  const byName = /^libc-(\d+)\.(\d+)\.so$/.exec(libc.name);
  if (byName) return { version: `${byName[1]}.${byName[2]}`, major: Number(byName[1]), minor: Number(byName[2]), source: 'file-name' };
  // Scan the read-only, non-executable segments (where .rodata lives), bounded.
  for (const s of libc.segments) {
    if ((s.flags & 1) !== 0 || (s.flags & 2) !== 0) continue;
    const start = s.vaddr + libc.loadBias;
    const len = Number(s.memsz < 4n * 1024n * 1024n ? s.memsz : 4n * 1024n * 1024n);
    for (let off = 0; off < len; off += 256 * 1024) {
      const chunk = core.memory.readPartial(start + BigInt(off), Math.min(256 * 1024 + 64, len - off));
      if (chunk.length === 0) break;
      const at = chunk.indexOf('stable release version ');
      const at2 = at >= 0 ? at : chunk.indexOf('release version ');
      if (at2 >= 0) {
        const m = BANNER.exec(chunk.toString('latin1', at2, at2 + 40));
        if (m) return { version: `${m[1]}.${m[2]}`, major: Number(m[1]), minor: Number(m[2]), source: 'banner' };
      }
    }
  }
  return null;
}

/** True when the 2.25+ rwlock/condvar layouts apply (unknown version: assume a current glibc, and say so). */
export function hasModernRwlocks(v: GlibcVersion | null): boolean {
  return v === null || v.major > 2 || (v.major === 2 && v.minor >= 25);
}
