// CIE/FDE parsing and the CFA interpreter against readelf on real binaries: for every FDE of
// libc, ld.so, libstdc++ and two compiled programs (one with .debug_frame only), the same
// initial location, range and CIE, and at every location readelf prints a row for, the same
// CFA rule and the same rule for every register column.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ElfImage } from '../../../main/core/elf';
import { cfiFromElfImage } from '../../../main/core/unwind';
import { compile, haveTool } from '../../helpers/native';
import { compareWithReadelf, runReadelfFrames } from './readelf-frames';

const LIBS = ['/usr/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6']
  .filter((p) => fs.existsSync(p))
  .map((p) => fs.realpathSync(p));

const CXX_EXCEPTIONS = String.raw`
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>
namespace demo {
template <typename T> struct Box { std::vector<T> items; T at(size_t i) const { if (i >= items.size()) throw std::out_of_range("box"); return items[i]; } };
}
int main(int argc, char **argv) {
  demo::Box<std::string> b{{"a", "b"}};
  try { std::puts(b.at(argc + 5).c_str()); } catch (const std::exception &e) { std::puts(e.what()); }
  (void)argv;
  return 0;
}
`;

const C_DEBUG_FRAME = String.raw`
#include <stdio.h>
#include <stdlib.h>
__attribute__((noinline)) long work(long *v, int n) { long s = 0; for (int i = 0; i < n; i++) s += v[i] * (i + 1); return s; }
__attribute__((noinline)) long with_alloca(int n) { long *v = __builtin_alloca(n * sizeof(long)); for (int i = 0; i < n; i++) v[i] = i; return work(v, n); }
int main(int argc, char **argv) { (void)argv; printf("%ld\n", with_alloca(argc * 16)); return 0; }
`;

describe.skipIf(!haveTool('readelf'))('CFI against readelf --debug-dump=frames-interp', () => {
  for (const lib of LIBS) {
    it(`${lib}: every CIE, FDE and row`, () => {
      const image = ElfImage.open(lib);
      try {
        const tables = cfiFromElfImage(image, 0n);
        expect(tables).not.toBeNull();
        if (!tables) return;
        expect(tables.hasEhFrameHdr).toBe(true);
        const stats = compareWithReadelf(tables, runReadelfFrames(lib));
        console.log(`${lib}: ${stats.fdes} FDEs, ${stats.rows} rows, ${stats.cells} register cells agree with readelf`);
        expect(stats.fdes).toBeGreaterThan(100);
      } finally {
        image.close();
      }
    });
  }

  it.skipIf(!haveTool('g++'))('a C++ program with exceptions (zPLR: personality, LSDA)', () => {
    const exe = compile('cfi-cxx-exceptions', CXX_EXCEPTIONS, { cxx: true, flags: ['-g', '-O2'] });
    const image = ElfImage.open(exe);
    try {
      const tables = cfiFromElfImage(image, 0n);
      expect(tables).not.toBeNull();
      if (!tables) return;
      const fdes = tables.listFdes('eh_frame');
      const withLsda = fdes.filter((f) => f.lsda !== null);
      expect(withLsda.length).toBeGreaterThan(0);
      expect(withLsda[0].cie.augmentation).toBe('zPLR');
      expect(withLsda[0].cie.personality).not.toBeNull();
      // The LSDA lies in .gcc_except_table.
      const get = image.section('.gcc_except_table');
      expect(get).toBeDefined();
      if (get) for (const f of withLsda) expect(f.lsda !== null && f.lsda >= Number(get.addr) && f.lsda < Number(get.addr) + get.size).toBe(true);
      compareWithReadelf(tables, runReadelfFrames(exe));
    } finally {
      image.close();
    }
  });

  it.skipIf(!haveTool('gcc'))('.debug_frame of a program built without unwind tables, alone and as a separate debug file', () => {
    const exe = compile('cfi-debug-frame', C_DEBUG_FRAME, { flags: ['-g', '-O1', '-fno-asynchronous-unwind-tables', '-fno-unwind-tables'] });
    const image = ElfImage.open(exe);
    try {
      const tables = cfiFromElfImage(image, 0n);
      expect(tables?.debugFrame).not.toBeNull();
      if (!tables) return;
      const stats = compareWithReadelf(tables, runReadelfFrames(exe));
      expect(stats.fdes).toBeGreaterThanOrEqual(3);
      // main, work and with_alloca are described by .debug_frame only.
      const dbgFdes = tables.listFdes('debug_frame');
      for (const f of dbgFdes) {
        const found = tables.findFde(f.pcBegin);
        expect(found?.section.kind).toBe('debug_frame');
      }
      // Split: the stripped file keeps .eh_frame (crt code only); .debug_frame comes from the debug file.
      const dir = `${exe}-split`;
      fs.mkdirSync(dir, { recursive: true });
      const dbg = `${dir}/debug`;
      const stripped = `${dir}/stripped`;
      expect(spawnSync('objcopy', ['--only-keep-debug', exe, dbg]).status).toBe(0);
      expect(spawnSync('objcopy', ['--strip-debug', exe, stripped]).status).toBe(0);
      const sImage = ElfImage.open(stripped);
      const dImage = ElfImage.open(dbg);
      try {
        const alone = cfiFromElfImage(sImage, 0n);
        const split = cfiFromElfImage(sImage, 0n, dImage);
        expect(split?.debugFrame).not.toBeNull();
        for (const f of dbgFdes) {
          expect(alone?.findFde(f.pcBegin) ?? null, 'stripped alone has no FDE for user code').toBeNull();
          expect(split?.findFde(f.pcBegin)?.fde.pcEnd).toBe(f.pcEnd);
        }
      } finally {
        sImage.close();
        dImage.close();
      }
    } finally {
      image.close();
    }
  });
});
