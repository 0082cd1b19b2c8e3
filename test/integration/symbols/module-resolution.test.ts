// Modules of real cores (gcore of programs built here) resolved to code and debug files in
// every place and layout we support, with function names and file:line compared to gdb's
// `info symbol` / `info line` for the same runtime pcs.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureCore, compile, haveTool, TEST_TMP, type Captured } from '../../helpers/native';
import { attachModuleFiles, CoreDump, ElfImage, type CoreModule } from '../../../main/core/elf';
import { DumpSymbols, SymbolFolderStore, symbolFolderMigration, type SqlDatabase, type SymbolLookup } from '../../../main/core/symbols';
import { buildIdPaths } from '../../../main/core/symbols/debug-files';
import { gdbInfoLines, gdbInfoSymbols, nm, readBuildId, splitDebug, SYMPROG_C } from '../../unit/symbols/programs';

const hasTools = haveTool('gcc') && haveTool('gcore') && haveTool('gdb') && haveTool('objcopy') && haveTool('strip');
const ROOT = path.join(TEST_TMP, 'symbols-integration');

type DatabaseCtor = new (file: string) => SqlDatabase & { close(): void };
const Database = createRequire(import.meta.url)('better-sqlite3') as DatabaseCtor;

interface Setup {
  original: string;
  id: string;
  stripped: string;
  debug: string;
  runDir: string;
  cap: Captured;
  core: CoreDump;
  exeModule: CoreModule;
}

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups.reverse()) c();
  fs.rmSync(ROOT, { recursive: true, force: true });
});

/** Runs a stripped copy of the program from its own folder and takes a core. */
async function setup(name: string, opts: { debuglink?: boolean; removeExe?: boolean } = {}): Promise<Setup> {
  const original = compile('symprog', SYMPROG_C, { flags: ['-g', '-O2'] });
  const id = readBuildId(original) as string;
  const runDir = path.join(ROOT, name);
  fs.rmSync(runDir, { recursive: true, force: true });
  const { stripped, debug } = splitDebug(original, path.join(runDir, 'bin'), { debuglink: opts.debuglink });
  const keep = path.join(runDir, 'debug-file');
  fs.renameSync(debug, keep);
  const cap = await captureCore(stripped, { outDir: path.join(runDir, 'core') });
  cleanups.push(() => cap.remove());
  const core = CoreDump.open(cap.core);
  cleanups.push(() => core.close());
  if (opts.removeExe) fs.rmSync(stripped);
  const exeModule = core.modules.find((m) => m.kind === 'executable') as CoreModule;
  expect(exeModule.buildId).toBe(id);
  expect(exeModule.buildIdSource).toBe('memory');
  return { original, id, stripped, debug: keep, runDir, cap, core, exeModule };
}

/** Runtime pcs inside the executable's own functions (start, middle, last byte). */
function exePcs(s: Setup): bigint[] {
  return nm(s.original)
    .filter((x) => /[Tt]/.test(x.type) && x.size > 4n && ['outer', 'main', 'real_fn', 'local_fn', 'blocker'].includes(x.name))
    .flatMap((x) => [x.address, x.address + x.size / 2n, x.address + x.size - 1n].map((a) => a + s.exeModule.loadBias));
}

/** Compares our lookups with gdb's on the core (gdb reads the unstripped file: same build-id). */
function expectSameAsGdb(s: Setup, pcs: bigint[], lookup: (pc: bigint) => SymbolLookup | null): void {
  const gl = gdbInfoLines(s.original, pcs, s.cap.core);
  const gs = gdbInfoSymbols(s.original, pcs, s.cap.core);
  const bad: unknown[] = [];
  pcs.forEach((pc, i) => {
    const l = lookup(pc);
    const innermost = l?.inlined[0] ?? l;
    const ok = l !== null && gs[i].name !== null && l.aliases.includes(gs[i].name as string) && Number(l.offset) === gs[i].offset && innermost?.line === gl[i].line && innermost?.file === gl[i].file;
    if (!ok) bad.push({ pc: `0x${pc.toString(16)}`, gdb: { ...gs[i], ...gl[i] }, ours: l && { fn: l.function, aliases: l.aliases, offset: l.offset, line: innermost?.line, file: innermost?.file } });
  });
  expect(bad).toEqual([]);
}

function put(src: string, dst: string): string {
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.copyFileSync(src, dst);
  return dst;
}

describe.skipIf(!hasTools)('module resolution on real cores', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup('buildid-folder');
  });

  test('a stripped executable whose debug file is only in a symbol folder (.build-id layout)', () => {
    const folder = path.join(s.runDir, 'syms');
    const dbg = put(s.debug, buildIdPaths(folder, s.id).debug);
    const ds = new DumpSymbols(s.core.modules, { folders: [folder], debugDirs: [], memory: s.core.memory });
    const m = ds.forModule(s.exeModule);
    expect(m.resolution.codeFile).toMatchObject({ path: s.stripped, foundBy: 'module-path', verified: true });
    expect(m.resolution.symbolFile).toMatchObject({ path: dbg, foundBy: 'symbol-folder', folder, layout: 'build-id', verified: true });
    expect(m.resolution.quality).toBe('dwarf');
    expect(m.codeFilePath).toBe(s.stripped);
    expectSameAsGdb(s, exePcs(s), (pc) => ds.lookup(pc));
  });

  test("threads' pcs in libc and the vDSO match gdb (libc's debug file from /usr/lib/debug)", () => {
    const ds = new DumpSymbols(s.core.modules, { memory: s.core.memory });
    const pcs = s.core.threads.map((t) => t.registers.rip);
    const libc = ds.moduleAt(pcs[0]) as CoreModule;
    expect(libc.name).toMatch(/^libc/);
    const res = ds.forModule(libc).resolution;
    if (res.quality === 'dwarf') expect(res.symbolFile?.foundBy).toBe('debug-dir-build-id');
    // The threads are blocked in system calls; gdb names the same functions.
    expectSameAsGdb(s, pcs, (pc) => ds.lookup(pc));
    const vdso = s.core.modules.find((m) => m.kind === 'vdso');
    if (vdso) {
      const v = ds.forModule(vdso);
      expect(v.resolution.codeFile?.foundBy).toBe('memory');
      const a = v.addressOf('__vdso_clock_gettime') ?? v.addressOf('clock_gettime');
      expect(a).not.toBeNull();
      const l = ds.lookup((a as bigint) + 1n);
      expect(l?.aliases).toEqual(expect.arrayContaining(['__vdso_clock_gettime']));
      expect(l?.module).toBe('[vdso]');
    }
  });

  test('each folder layout finds the debug file, and with the executable gone, the code file too', async () => {
    const gone = await setup('layouts', { removeExe: true });
    const stripped = path.join(gone.runDir, 'stripped-copy');
    // The executable was deleted after the core was taken: keep a copy to lay out.
    splitDebug(gone.original, path.join(gone.runDir, 'again'));
    fs.copyFileSync(path.join(gone.runDir, 'again', 'symprog'), stripped);
    const F = (n: string) => path.join(gone.runDir, 'folders', n);
    const cases: { layout: string; folder: string; debug: string; code: string | null }[] = [
      { layout: 'flat', folder: F('flat'), debug: put(gone.debug, path.join(F('flat'), 'symprog.dbg')), code: put(stripped, path.join(F('flat'), 'symprog')) },
      { layout: 'build-id', folder: F('bid'), debug: put(gone.debug, buildIdPaths(F('bid'), gone.id).debug), code: put(stripped, buildIdPaths(F('bid'), gone.id).code) },
      {
        layout: 'symstore',
        folder: F('symstore'),
        debug: put(gone.debug, path.join(F('symstore'), 'symprog', `elf-buildid-sym-${gone.id}`, '_.debug')),
        code: put(stripped, path.join(F('symstore'), 'symprog', `elf-buildid-${gone.id}`, 'symprog')),
      },
      {
        layout: 'debuginfod',
        folder: F('debuginfod'),
        debug: put(gone.debug, path.join(F('debuginfod'), gone.id, 'debuginfo')),
        code: put(stripped, path.join(F('debuginfod'), gone.id, 'executable')),
      },
    ];
    for (const c of cases) {
      const ds = new DumpSymbols(gone.core.modules, { folders: [c.folder], debugDirs: [], memory: gone.core.memory });
      const m = ds.forModule(gone.exeModule);
      expect(m.resolution.notes.join('\n')).toMatch(/not on this machine/);
      expect(m.resolution.codeFile, c.layout).toMatchObject({ path: c.code, foundBy: 'symbol-folder', layout: c.layout, verified: true });
      expect(m.resolution.symbolFile, c.layout).toMatchObject({ path: c.debug, foundBy: 'symbol-folder', layout: c.layout, verified: true });
      expect(m.codeFilePath).toBe(c.code);
      expectSameAsGdb(gone, exePcs(gone).slice(0, 6), (pc) => ds.lookup(pc));
    }
    // The dump's own folder is always searched (flat): a debug file copied next to the core.
    put(gone.debug, path.join(path.dirname(gone.cap.core), 'symprog.debug'));
    const ds = new DumpSymbols(gone.core.modules, { dumpDir: path.dirname(gone.cap.core), debugDirs: [], memory: gone.core.memory });
    expect(ds.forModule(gone.exeModule).resolution.symbolFile).toMatchObject({ foundBy: 'dump-folder', layout: 'flat', verified: true });
  });

  test('a debug file only findable by .gnu_debuglink (in .debug/ next to the executable)', async () => {
    const dl = await setup('debuglink', { debuglink: true });
    const target = put(dl.debug, path.join(path.dirname(dl.stripped), '.debug', 'symprog.debug'));
    const ds = new DumpSymbols(dl.core.modules, { debugDirs: [], memory: dl.core.memory });
    const m = ds.forModule(dl.exeModule);
    expect(m.resolution.symbolFile).toMatchObject({ path: target, foundBy: 'debuglink', verified: true });
    expectSameAsGdb(dl, exePcs(dl), (pc) => ds.lookup(pc));
  });

  test('a file whose build-id differs is never used, and the module says so', () => {
    const other = compile('symprog-other', SYMPROG_C.replace('counter += a;', 'counter += a + 1;'), { flags: ['-g', '-O2'] });
    const otherId = readBuildId(other) as string;
    expect(otherId).not.toBe(s.id);
    const folder = path.join(s.runDir, 'wrong');
    put(other, path.join(folder, 'symprog.debug'));
    put(other, path.join(folder, 'symprog', `elf-buildid-sym-${s.id}`, '_.debug')); // a lying key
    const ds = new DumpSymbols(s.core.modules, { folders: [folder], debugDirs: [], memory: s.core.memory });
    const m = ds.forModule(s.exeModule);
    expect(m.resolution.symbolFile).toBeNull();
    expect(m.resolution.quality).not.toBe('dwarf');
    const notes = m.resolution.notes.join('\n');
    expect(notes).toContain(`but its build-id ${otherId.slice(0, 12)}… differs from the dump's ${s.id.slice(0, 12)}…; not used`);
    expect(notes).toContain(`in ${folder}`);
    const l = ds.lookup(exePcs(s)[0]);
    expect(l?.line).toBeNull();
  });

  test('forCore: the dump folder and memory come from the dump; chosen code files feed attachModuleFiles', () => {
    const core = CoreDump.open(s.cap.core);
    try {
      const ds = DumpSymbols.forCore(core);
      const opened = attachModuleFiles(core.memory, core.modules, (m) => ds.chooseCodeFile(m));
      try {
        expect(opened.map((f) => f.name)).toContain(s.stripped);
        // gcore leaves read-only file-backed code out; the code file serves it now.
        const pc = exePcs(s)[0];
        const fromMemory = core.memory.read(pc, 16);
        const bytes = fs.readFileSync(s.stripped);
        const elf = ElfImage.open(s.stripped);
        const off = elf.fileOffsetOfVaddr(pc - s.exeModule.loadBias) as number;
        elf.close();
        expect(fromMemory).not.toBeNull();
        expect((fromMemory as Buffer).equals(bytes.subarray(off, off + 16))).toBe(true);
        const libc = core.modules.find((m) => m.name.startsWith('libc.so'));
        expect(libc && ds.chooseCodeFile(libc)?.path).toMatch(/libc\.so/);
      } finally {
        for (const f of opened) f.close();
      }
    } finally {
      core.close();
    }
  });

  test('a symbol folder rescanned after a file is added (SQLite store)', () => {
    const folder = path.join(s.runDir, 'store-folder');
    fs.mkdirSync(folder, { recursive: true });
    const dbFile = path.join(s.runDir, 'index.sqlite');
    fs.rmSync(dbFile, { force: true });
    const db = new Database(dbFile);
    try {
      db.transaction(() => symbolFolderMigration.up(db))();
      const store = new SymbolFolderStore(db);
      store.add(folder);
      const before = new DumpSymbols(s.core.modules, { folders: store, debugDirs: [], memory: s.core.memory });
      expect(before.forModule(s.exeModule).resolution.symbolFile).toBeNull();
      put(s.debug, path.join(folder, 'symprog.debug'));
      expect(store.rescanIfChanged()).toEqual([expect.objectContaining({ folder, rescanned: true, fileCount: 1 })]);
      const after = new DumpSymbols(s.core.modules, { folders: store, debugDirs: [], memory: s.core.memory });
      expect(after.forModule(s.exeModule).resolution.symbolFile).toMatchObject({ foundBy: 'symbol-folder', layout: 'flat', folder });
    } finally {
      db.close();
    }
  });
});


