// Separate debug files: .gnu_debuglink (next to the module, in .debug/, under a debug dir)
// with its CRC-32 checked, build-id paths under a debug dir, and libc's debug file from
// libc6-dbg under /usr/lib/debug/.build-id.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { compile, haveTool, TEST_TMP } from '../../helpers/native';
import { clearSymbolFileCache, resolveModule } from '../../../main/core/symbols';
import { buildIdPaths, crc32, debugLinkCandidates, fileCrc32, verifyDebugCandidate } from '../../../main/core/symbols/debug-files';
import { gdbInfoLines, gdbInfoSymbols, moduleForFile, nm, readBuildId, splitDebug, SYMPROG_C } from './programs';

const hasTools = haveTool('gcc') && haveTool('objcopy') && haveTool('strip') && haveTool('gdb');

function freshDir(name: string): string {
  const d = path.join(TEST_TMP, 'symbols-debug-files', name);
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
  return d;
}

describe('crc32', () => {
  test('is the zlib/IEEE CRC-32 .gnu_debuglink uses', () => {
    expect(crc32(Buffer.from('hello'))).toBe(0x3610a686);
    expect(crc32(Buffer.from('lo'), crc32(Buffer.from('hel')))).toBe(0x3610a686);
  });

  test('debuglink candidate paths follow gdb', () => {
    expect(debugLinkCandidates('/opt/app/bin/app', 'app.debug', ['/usr/lib/debug'])).toEqual([
      '/opt/app/bin/app.debug',
      '/opt/app/bin/.debug/app.debug',
      '/usr/lib/debug/opt/app/bin/app.debug',
    ]);
    expect(buildIdPaths('/usr/lib/debug', 'abcdef0123')).toEqual({ debug: '/usr/lib/debug/.build-id/ab/cdef0123.debug', code: '/usr/lib/debug/.build-id/ab/cdef0123' });
  });
});

describe.skipIf(!hasTools)('separate debug files', () => {
  let exe: string;
  let noId: string;
  beforeAll(() => {
    clearSymbolFileCache();
    exe = compile('symprog', SYMPROG_C, { flags: ['-g', '-O2'] });
    noId = compile('symprog-noid', SYMPROG_C, { flags: ['-g', '-O2', '-Wl,--build-id=none'] });
  });

  const outerAddress = (file: string) => (nm(file).find((s) => s.name === 'outer')?.address ?? 0n) + 4n;

  test('by .gnu_debuglink in the .debug/ subfolder, CRC checked', () => {
    const dir = freshDir('debuglink-dotdebug');
    const { stripped, debug } = splitDebug(exe, dir, { debuglink: true });
    fs.mkdirSync(path.join(dir, '.debug'));
    fs.renameSync(debug, path.join(dir, '.debug', path.basename(debug)));
    const syms = resolveModule(moduleForFile(stripped), { debugDirs: [] });
    expect(syms.resolution.codeFile?.foundBy).toBe('module-path');
    expect(syms.resolution.symbolFile).toMatchObject({ path: path.join(dir, '.debug', path.basename(debug)), foundBy: 'debuglink', verified: true });
    expect(syms.resolution.quality).toBe('dwarf');
    const l = syms.lookup(outerAddress(exe));
    expect(l.function).toBe('outer');
    expect(l.line).toBe(gdbInfoLines(exe, [outerAddress(exe)])[0].line);
  });

  test('a debug file whose CRC differs from the debuglink is rejected, and the module says why', () => {
    const dir = freshDir('debuglink-badcrc');
    const { stripped, debug } = splitDebug(noId, dir, { debuglink: true });
    expect(readBuildId(stripped)).toBeNull();
    // Same ELF, one byte more: a different file than the one the link was made for.
    fs.appendFileSync(debug, Buffer.from([0]));
    const v = verifyDebugCandidate(debug, { buildId: null, crc: 0x12345678 });
    expect(v.ok).toBe(false);
    const syms = resolveModule(moduleForFile(stripped, 0n, { buildId: null }), { debugDirs: [] });
    expect(syms.resolution.symbolFile).toBeNull();
    expect(syms.resolution.notes.join('\n')).toMatch(/CRC-32 0x[0-9a-f]{8} does not match the \.gnu_debuglink's 0x[0-9a-f]{8}/);
    expect(syms.resolution.quality).not.toBe('dwarf');
    expect(syms.lookup(outerAddress(noId)).line).toBeNull();
  });

  test('without a build-id, the CRC alone verifies a debuglink match', () => {
    const dir = freshDir('debuglink-noid');
    const { stripped, debug } = splitDebug(noId, dir, { debuglink: true });
    expect(fileCrc32(debug)).toBeGreaterThanOrEqual(0);
    const syms = resolveModule(moduleForFile(stripped, 0n, { buildId: null }), { debugDirs: [] });
    expect(syms.resolution.symbolFile).toMatchObject({ path: debug, foundBy: 'debuglink', verified: true });
    expect(syms.resolution.notes.join('\n')).toMatch(/no build-id/);
    expect(syms.lookup(outerAddress(noId)).function).toBe('outer');
  });

  test('by .gnu_debuglink under a global debug dir at the module folder path', () => {
    const dir = freshDir('debuglink-global');
    const root = freshDir('debuglink-global-root');
    const { stripped, debug } = splitDebug(exe, dir, { debuglink: true });
    const target = path.join(root, dir, path.basename(debug));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(debug, target);
    const syms = resolveModule(moduleForFile(stripped), { debugDirs: [root] });
    expect(syms.resolution.symbolFile).toMatchObject({ path: target, foundBy: 'debuglink' });
  });

  test('by build-id under a debug dir (.build-id/ab/cdef….debug)', () => {
    const dir = freshDir('buildid');
    const root = freshDir('buildid-root');
    const { stripped, debug } = splitDebug(exe, dir);
    const id = readBuildId(exe) as string;
    const target = buildIdPaths(root, id).debug;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(debug, target);
    const syms = resolveModule(moduleForFile(stripped), { debugDirs: [root] });
    expect(syms.resolution.symbolFile).toMatchObject({ path: target, foundBy: 'debug-dir-build-id', buildId: id, verified: true });
    expect(syms.lookup(outerAddress(exe)).function).toBe('outer');
  });

  test('a stripped module with no debug file degrades to .dynsym and says what would help', () => {
    const dir = freshDir('nodebug');
    const { stripped } = splitDebug(exe, dir);
    fs.rmSync(path.join(dir, `${path.basename(exe)}.debug`));
    const syms = resolveModule(moduleForFile(stripped), { debugDirs: [] });
    expect(syms.resolution.symbolFile).toBeNull();
    expect(['dynsym', 'none']).toContain(syms.resolution.quality);
    expect(syms.resolution.symbolFileMissing).toMatch(new RegExp(readBuildId(exe) as string));
    const l = syms.lookup(outerAddress(exe));
    expect(l.function).toBeNull();
    expect(l.moduleOffset).toBe(outerAddress(exe));
  });
});

const LIBC = '/lib/x86_64-linux-gnu/libc.so.6';
const libcId = fs.existsSync(LIBC) && haveTool('readelf') ? readBuildId(LIBC) : null;
const libcDebug = libcId ? buildIdPaths('/usr/lib/debug', libcId).debug : '';
const haveLibcDbg = libcId !== null && fs.existsSync(libcDebug);

describe('libc from libc6-dbg', () => {
  test.skipIf(haveLibcDbg)('SKIPPED: libc6-dbg is not installed (apt-get install libc6-dbg): no /usr/lib/debug/.build-id file for libc', () => {
    expect(haveLibcDbg).toBe(false);
  });

  test.skipIf(!haveLibcDbg || !haveTool('gdb'))('libc resolves to /usr/lib/debug/.build-id, with DWARF lines and inline frames matching gdb', () => {
    const syms = resolveModule(moduleForFile(LIBC, 0x7f0000000000n), {});
    expect(syms.resolution.symbolFile).toMatchObject({ path: libcDebug, foundBy: 'debug-dir-build-id', verified: true });
    expect(syms.resolution.quality).toBe('dwarf');
    const lock = syms.addressOf('pthread_mutex_lock') as bigint;
    expect(lock).not.toBeNull();
    const link = lock - 0x7f0000000000n;
    // Every instruction of the first 120 bytes of pthread_mutex_lock.
    const addrs = Array.from({ length: 120 }, (_, i) => link + BigInt(i));
    const g = gdbInfoLines(LIBC, addrs);
    const gs = gdbInfoSymbols(LIBC, addrs);
    let inlined = 0;
    addrs.forEach((a, i) => {
      const l = syms.lookup(a + 0x7f0000000000n);
      expect(l.function).toBe('pthread_mutex_lock');
      expect(l.aliases).toContain(gs[i].name);
      expect(Number(l.offset)).toBe(gs[i].offset);
      const innermost = l.inlined[0] ?? l;
      expect({ line: innermost.line, file: innermost.file }).toEqual(g[i]);
      if (l.inlined.length > 0) inlined++;
    });
    expect(g.some((x) => x.file === './nptl/pthread_mutex_lock.c')).toBe(true);
    expect(inlined).toBeGreaterThan(0);
  });
});


