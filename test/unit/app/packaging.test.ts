// What can be checked about the installers without internet access: the electron-builder
// config against electron-builder's own schema, the app folder it would pack (with a stand-in
// Electron binary, as real packaging downloads Electron), the SQLite binding choice, the
// prebuilt binaries, and the icons.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteModuleName } from '../../../main/core/index/sqlite';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-pack-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// electron-builder's own modules (devDependencies of ours through electron-builder).
const builderRequire = createRequire(createRequire(path.join(root, 'package.json')).resolve('electron-builder'));
const yaml = builderRequire('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const asar = builderRequire('@electron/asar') as { listPackage(file: string, opts?: object): string[] };

interface FileAssociation {
  ext: string;
  mimeType?: string;
  role?: string;
}
interface BuilderConfig {
  appId: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: { from: string; to: string }[];
  fileAssociations: FileAssociation[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  mac: { target: { target: string; arch: string[] }[]; icon: string };
  win: { target: { target: string }[]; icon: string };
}

const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("matches electron-builder's configuration schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator does reject mistakes (so the check above means something).
    await expect(validateConfiguration({ ...config, linux: { targett: ['deb'] } }, new DebugLogger(false))).rejects.toThrow(/configuration/);
  });

  it('builds AppImage and deb, dmg, and NSIS, with our icons', () => {
    expect(config.appId).toBe('dev.dumpscope.app');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) expect(fs.existsSync(path.join(root, icon)), icon).toBe(true);
  });

  it('associates .core and .dmp (Linux also by content: application/x-core)', () => {
    expect(config.fileAssociations.map((a) => a.ext)).toEqual(['core', 'dmp']);
    expect(config.fileAssociations[0]?.mimeType).toBe('application/x-core');
    for (const a of config.fileAssociations) expect(a.role).toBe('Viewer');
  });

  it('never rebuilds native modules and unpacks them from the asar', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.files).toContain('!node_modules/better-sqlite3/**');
    expect(config.extraResources).toEqual([{ from: 'resources/sample', to: 'sample', filter: ['**/*'] }]);
  });

  it('flips the fuses that keep the packaged app from running foreign code', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });
});

describe('the packed app (electron-builder --dir with a stand-in Electron)', () => {
  it.skipIf(process.platform !== 'linux')('holds the bundles and the Node-API SQLite for the target arch, unpacked, and not the Node-20 one', () => {
    expect(fs.existsSync(path.join(root, 'dist', 'app', 'main.mjs')), 'run node scripts/build.mjs first').toBe(true);
    // A fake Electron: a script carrying the fuse sentinel, so electron-builder can flip the fuses.
    const dist = path.join(tmp, 'electron-dist');
    fs.mkdirSync(dist, { recursive: true });
    const sentinel = Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n# dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 9]), Buffer.from('101001100\n')]);
    fs.writeFileSync(path.join(dist, 'electron'), sentinel, { mode: 0o755 });
    fs.writeFileSync(path.join(dist, 'version'), '45.5.0');
    const out = path.join(tmp, 'release');
    const cli = builderRequire.resolve('electron-builder/cli.js');
    const r = spawnSync(process.execPath, [cli, '--linux', 'dir', '--x64', `-c.electronDist=${dist}`, `-c.directories.output=${out}`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const resources = path.join(out, 'linux-unpacked', 'resources');
    const files = asar.listPackage(path.join(resources, 'app.asar'));
    for (const f of ['/package.json', '/dist/app/main.mjs', '/dist/app/preload.cjs', '/dist/worker.mjs']) expect(files, f).toContain(f);
    // Nothing of the checkout but the bundles: no sources, tests, docs or scripts.
    expect(files.filter((f) => !f.startsWith('/node_modules') && !f.startsWith('/dist'))).toEqual(['/package.json']);
    expect(files.some((f) => f.endsWith('.map'))).toBe(false);
    expect(files.some((f) => f.startsWith('/node_modules/better-sqlite3/'))).toBe(false);
    expect(files.some((f) => f.startsWith('/node_modules/better-sqlite3-napi/deps/'))).toBe(false);
    const prebuilds = '/node_modules/better-sqlite3-napi/prebuilds';
    expect(files.filter((f) => f.endsWith('.node')).sort()).toEqual([`${prebuilds}/darwin-x64.node`, `${prebuilds}/linux-x64.node`, `${prebuilds}/win32-x64.node`]);
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3-napi', 'prebuilds');
    expect(fs.readdirSync(unpacked).sort()).toEqual(['darwin-x64.node', 'linux-x64.node', 'win32-x64.node']);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/app/main.mjs');
    if (fs.existsSync(path.join(root, 'resources', 'sample'))) expect(fs.existsSync(path.join(resources, 'sample'))).toBe(true);
  });
});

describe('SQLite inside Electron', () => {
  it('loads better-sqlite3-napi (13.x) under Node-API >= 10 (Electron 45 = Node 24) and 12.x under Node 20', () => {
    const napi = Object.getOwnPropertyDescriptor(process.versions, 'napi');
    try {
      Object.defineProperty(process.versions, 'napi', { value: '10', configurable: true, enumerable: true });
      expect(sqliteModuleName()).toBe('better-sqlite3-napi');
      Object.defineProperty(process.versions, 'napi', { value: '9', configurable: true, enumerable: true });
      expect(sqliteModuleName()).toBe('better-sqlite3');
    } finally {
      if (napi) Object.defineProperty(process.versions, 'napi', napi);
    }
  });

  it('resolves from the bundled main and is 13.x; the main bundle keeps it external', () => {
    const fromMain = createRequire(path.join(root, 'dist', 'app', 'main.mjs'));
    const pkg = fromMain('better-sqlite3-napi/package.json') as { version: string };
    expect(pkg.version).toMatch(/^13\./);
    // The main bundle and the shared chunks it imports (scripts/build.mjs code-splits).
    const mainFile = path.join(root, 'dist', 'app', 'main.mjs');
    const main = fs.readFileSync(mainFile, 'utf8');
    const chunks = [...main.matchAll(/from\s*"(\.\.?\/chunks\/[^"]+)"/g)].map((m) => fs.readFileSync(path.resolve(path.dirname(mainFile), m[1]), 'utf8'));
    const bundle = [main, ...chunks].join('\n');
    expect(bundle).toContain('better-sqlite3-napi');
    expect(bundle).not.toMatch(/Database\.prototype\.prepare\s*=/); // the package itself is not inlined
  });

  it('ships a prebuilt binary for linux, darwin and win32 on x64 and arm64, each for its OS and CPU', () => {
    const dir = path.join(root, 'node_modules', 'better-sqlite3-napi', 'prebuilds');
    const cpu = (file: string): string => {
      const b = fs.readFileSync(path.join(dir, file));
      if (b.readUInt32BE(0) === 0x7f454c46) return `elf-${b.readUInt16LE(18) === 0x3e ? 'x64' : b.readUInt16LE(18) === 0xb7 ? 'arm64' : '?'}`;
      if (b.readUInt32LE(0) === 0xfeedfacf) return `macho-${b.readUInt32LE(4) === 0x01000007 ? 'x64' : b.readUInt32LE(4) === 0x0100000c ? 'arm64' : '?'}`;
      if (b.toString('latin1', 0, 2) === 'MZ') {
        const pe = b.readUInt32LE(0x3c);
        const machine = b.readUInt16LE(pe + 4);
        return `pe-${machine === 0x8664 ? 'x64' : machine === 0xaa64 ? 'arm64' : '?'}`;
      }
      return 'unknown';
    };
    const expected: Record<string, string> = {
      'linux-x64.node': 'elf-x64',
      'linux-arm64.node': 'elf-arm64',
      'darwin-x64.node': 'macho-x64',
      'darwin-arm64.node': 'macho-arm64',
      'win32-x64.node': 'pe-x64',
      'win32-arm64.node': 'pe-arm64',
    };
    for (const [file, kind] of Object.entries(expected)) expect(cpu(file), file).toBe(kind);
  });
});

describe('icons', () => {
  const png = (file: string) => {
    const b = fs.readFileSync(file);
    expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(b.toString('ascii', 12, 16)).toBe('IHDR');
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), colorType: b[25] };
  };

  it('has a Linux set of square RGBA PNGs named NxN.png', () => {
    const dir = path.join(root, 'build', 'icons');
    const names = fs.readdirSync(dir).filter((f) => f.endsWith('.png'));
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const name of names) {
      const n = Number(name.split('x')[0]);
      expect(png(path.join(dir, name)), name).toEqual({ width: n, height: n, colorType: 6 });
    }
    expect(names).toContain('512x512.png');
  });

  it('has a well-formed ICNS (PNG entries up to 1024 px) and ICO (16…256 px)', () => {
    const icns = fs.readFileSync(path.join(root, 'build', 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let off = 8; off < icns.length; off += icns.readUInt32BE(off + 4)) {
      types.push(icns.toString('ascii', off, off + 4));
      expect(icns.subarray(off + 8, off + 12).toString('hex')).toBe('89504e47');
    }
    expect(types).toEqual(expect.arrayContaining(['ic07', 'ic08', 'ic09', 'ic10']));

    const ico = fs.readFileSync(path.join(root, 'build', 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const e = 6 + 16 * i;
      sizes.push(ico[e] || 256);
      expect(ico.readUInt32LE(e + 8) + ico.readUInt32LE(e + 12)).toBeLessThanOrEqual(ico.length);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('are reproduced byte for byte by build/make-icons.mjs', () => {
    const out = path.join(tmp, 'icons');
    const r = spawnSync(process.execPath, [path.join(root, 'build', 'make-icons.mjs'), out], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['icon.png', 'icon.icns', 'icon.ico', 'icons/16x16.png', 'icons/256x256.png', 'icons/1024x1024.png']) {
      expect(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(root, 'build', f))), f).toBe(true);
    }
  });
});
