// Symbol folders: the four layouts scanned and classified, the SQLite store (migration, add,
// list, find, rescan only when a folder changed, remove), and the scan's bounds.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compile, haveTool, TEST_TMP } from '../../helpers/native';
import { scanSymbolFolder, symbolFolderMigration, SymbolFolderStore, folderFingerprint, type SqlDatabase } from '../../../main/core/symbols';
import { buildIdPaths } from '../../../main/core/symbols/debug-files';
import { classifyPath, probeFolder } from '../../../main/core/symbols/symbol-folders';
import { readBuildId, splitDebug, SYMPROG_C } from './programs';

const hasTools = haveTool('gcc') && haveTool('objcopy') && haveTool('strip');

type DatabaseCtor = new (file: string) => SqlDatabase & { close(): void; pragma(s: string): unknown };
const Database = createRequire(import.meta.url)('better-sqlite3') as DatabaseCtor;

const ROOT = path.join(TEST_TMP, 'symbols-folders');

/** Lays out one folder per layout holding the stripped executable and/or its debug file. */
function layouts(exe: string): { id: string; stripped: string; debug: string; folders: Record<string, string> } {
  fs.rmSync(ROOT, { recursive: true, force: true });
  const work = path.join(ROOT, 'work');
  const { stripped, debug } = splitDebug(exe, work);
  const id = readBuildId(exe) as string;
  const put = (src: string, dst: string) => {
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.copyFileSync(src, dst);
  };
  const flat = path.join(ROOT, 'flat');
  put(debug, path.join(flat, 'symprog.dbg'));
  put(stripped, path.join(flat, 'symprog'));
  fs.writeFileSync(path.join(flat, 'README.txt'), 'not ELF');
  const bid = path.join(ROOT, 'buildid');
  put(debug, buildIdPaths(bid, id).debug);
  put(stripped, buildIdPaths(bid, id).code);
  const symstore = path.join(ROOT, 'symstore');
  put(stripped, path.join(symstore, 'symprog', `elf-buildid-${id}`, 'symprog'));
  put(debug, path.join(symstore, 'symprog', `elf-buildid-sym-${id}`, '_.debug'));
  const debuginfod = path.join(ROOT, 'debuginfod');
  put(debug, path.join(debuginfod, id, 'debuginfo'));
  put(stripped, path.join(debuginfod, id, 'executable'));
  return { id, stripped, debug, folders: { flat, buildid: bid, symstore, debuginfod } };
}

describe.skipIf(!hasTools)('symbol folders', () => {
  let L: ReturnType<typeof layouts>;
  beforeAll(() => {
    L = layouts(compile('symprog', SYMPROG_C, { flags: ['-g', '-O2'] }));
  });

  test('each layout is recognized, with build-id, kind and symbols read from the files', () => {
    const expectLayout = (folder: string, layout: string, names: (string | null)[]) => {
      const s = scanSymbolFolder(folder);
      expect(s.truncated).toBe(false);
      expect(s.files.map((f) => f.layout)).toEqual(s.files.map(() => layout));
      expect(s.files.every((f) => f.buildId === L.id)).toBe(true);
      expect(s.files.map((f) => f.name).sort()).toEqual([...names].sort());
      const kinds = s.files.map((f) => f.kind).sort();
      expect(kinds).toEqual(['debug-only', 'executable']);
      const dbg = s.files.find((f) => f.kind === 'debug-only');
      expect(dbg).toMatchObject({ hasSymtab: true, hasDwarf: true, hasLines: true });
      const code = s.files.find((f) => f.kind === 'executable');
      expect(code).toMatchObject({ hasSymtab: false, hasDwarf: false });
    };
    expectLayout(L.folders.flat, 'flat', ['symprog', 'symprog']);
    expectLayout(L.folders.buildid, 'build-id', [null, null]);
    expectLayout(L.folders.symstore, 'symstore', ['symprog', 'symprog']);
    expectLayout(L.folders.debuginfod, 'debuginfod', [null, null]);
  });

  test('classifyPath and direct probes, without a scan', () => {
    expect(classifyPath('/s', '/s/libcoreclr.so.dbg')).toEqual({ layout: 'flat', name: 'libcoreclr.so' });
    expect(classifyPath('/s', '/s/libcoreclr.so/elf-buildid-sym-abcd/_.debug')).toEqual({ layout: 'symstore', name: 'libcoreclr.so' });
    expect(classifyPath('/s', '/s/abcdef0123456789/debuginfo')).toEqual({ layout: 'debuginfod', name: null });
    for (const [folder, layout] of [
      [L.folders.buildid, 'build-id'],
      [L.folders.symstore, 'symstore'],
      [L.folders.debuginfod, 'debuginfod'],
    ] as const) {
      const p = probeFolder(folder, L.id, 'symprog');
      expect(p.length).toBe(2);
      expect(p.every((x) => x.layout === layout)).toBe(true);
    }
  });

  test('the scan is bounded: file count, depth, and big non-ELF files cost one small read', () => {
    const dir = path.join(ROOT, 'bounded');
    fs.mkdirSync(path.join(dir, 'a', 'b', 'c', 'd', 'e'), { recursive: true });
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(dir, `f${i}.bin`), 'x');
    fs.copyFileSync(L.debug, path.join(dir, 'a', 'b', 'c', 'd', 'e', 'deep.debug'));
    const huge = path.join(dir, 'huge.core');
    const fd = fs.openSync(huge, 'w');
    fs.ftruncateSync(fd, 8 * 1024 * 1024 * 1024); // sparse: 8 GiB of nothing
    fs.closeSync(fd);
    const started = Date.now();
    const s = scanSymbolFolder(dir, { maxDepth: 3, maxFiles: 10, maxDirs: 100 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(s.truncated).toBe(true);
    expect(s.files).toEqual([]);
    const deep = scanSymbolFolder(dir, { maxDepth: 5, maxFiles: 1000, maxDirs: 100 });
    expect(deep.files.map((f) => path.basename(f.path))).toEqual(['deep.debug']);
  });

  describe('store (SQLite)', () => {
    let db: InstanceType<DatabaseCtor>;
    let store: SymbolFolderStore;
    beforeAll(() => {
      const file = path.join(ROOT, 'index.sqlite');
      fs.rmSync(file, { force: true });
      db = new Database(file);
      db.transaction(() => symbolFolderMigration.up(db))();
      store = new SymbolFolderStore(db);
    });
    afterAll(() => db.close());

    test('migration metadata', () => {
      expect(symbolFolderMigration.version).toBe(2);
      expect(symbolFolderMigration.name).toBe('symbol-folders');
    });

    test('add, list, find by build-id and by name', () => {
      for (const f of Object.values(L.folders)) store.add(f);
      const list = store.list();
      expect(list.map((f) => f.path)).toEqual(Object.values(L.folders));
      expect(list.every((f) => f.fileCount === 2 && f.scannedAt !== null && f.fingerprint !== null)).toBe(true);
      const byId = store.findByBuildId(L.id);
      expect(byId.length).toBe(8);
      expect(new Set(byId.map((r) => r.layout))).toEqual(new Set(['flat', 'build-id', 'symstore', 'debuginfod']));
      const byName = store.findByName('symprog');
      expect(byName.map((r) => r.layout).sort()).toEqual(['flat', 'flat', 'symstore', 'symstore']);
    });

    test('rescan only when a folder changed; a new file is found after it', () => {
      expect(store.rescanIfChanged().every((r) => !r.rescanned)).toBe(true);
      const fp = folderFingerprint(L.folders.buildid);
      const other = compile('symprog-other', SYMPROG_C.replace('counter += a;', 'counter += a + 1;'), { flags: ['-g', '-O2'] });
      const otherId = readBuildId(other) as string;
      const dst = buildIdPaths(L.folders.buildid, otherId).debug;
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.copyFileSync(other, dst);
      expect(folderFingerprint(L.folders.buildid)).not.toBe(fp);
      expect(store.findByBuildId(otherId)).toEqual([]);
      const r = store.rescanIfChanged();
      expect(r.find((x) => x.folder === L.folders.buildid)).toMatchObject({ rescanned: true, fileCount: 3, reread: 1 });
      expect(r.filter((x) => x.folder !== L.folders.buildid).every((x) => !x.rescanned)).toBe(true);
      expect(store.findByBuildId(otherId).map((x) => x.path)).toEqual([dst]);
    });

    test('remove', () => {
      expect(store.remove(L.folders.flat)).toBe(true);
      expect(store.remove(L.folders.flat)).toBe(false);
      expect(store.findByName('symprog').every((r) => r.layout === 'symstore')).toBe(true);
      expect(store.folders()).not.toContain(L.folders.flat);
    });
  });
});
