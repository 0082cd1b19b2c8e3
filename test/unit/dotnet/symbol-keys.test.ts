// Symbol-server keys (dotnet/symstore's ELFFileKeyGenerator conventions). Build-ids are the
// triage dump's (../shared/fixtures/README.md) and its other modules' as dumpscope reads them.
import { describe, expect, it } from 'vitest';
import { keyBuildId, runtimeModules, symbolServerKeys } from '../../../main/core/dotnet/index';

const CLR = '8f39a52a756311ab365090bfe9edef7ee8c44503';

describe('symbolServerKeys', () => {
  it("libcoreclr.so: the binary, its symbols, and the DAC/DBI/SOS indexed under its build-id", () => {
    expect(symbolServerKeys('libcoreclr.so', CLR)).toEqual([
      { key: `libcoreclr.so/elf-buildid-${CLR}/libcoreclr.so`, file: 'libcoreclr.so', kind: 'binary' },
      { key: `_.debug/elf-buildid-sym-${CLR}/_.debug`, file: 'libcoreclr.so.dbg', kind: 'symbols' },
      { key: `libmscordaccore.so/elf-buildid-coreclr-${CLR}/libmscordaccore.so`, file: 'libmscordaccore.so', kind: 'dac' },
      { key: `libmscordbi.so/elf-buildid-coreclr-${CLR}/libmscordbi.so`, file: 'libmscordbi.so', kind: 'dbi' },
      { key: `libsos.so/elf-buildid-coreclr-${CLR}/libsos.so`, file: 'libsos.so', kind: 'sos' },
      { key: `sos.netcore.dll/elf-buildid-coreclr-${CLR}/sos.netcore.dll`, file: 'sos.netcore.dll', kind: 'sos' },
    ]);
  });

  it('other modules: the file name lowercased, no CLR keys', () => {
    expect(symbolServerKeys('System.Native.so', '3c22124b073eeb90746d6f6eab1ae2bf4097eb70').map((k) => k.key)).toEqual([
      'system.native.so/elf-buildid-3c22124b073eeb90746d6f6eab1ae2bf4097eb70/system.native.so',
      '_.debug/elf-buildid-sym-3c22124b073eeb90746d6f6eab1ae2bf4097eb70/_.debug',
    ]);
  });

  it('pads a 16–19 byte build-id with zero bytes to 20; any other length has no key', () => {
    expect(keyBuildId('00112233445566778899AABBCCDDEEFF')).toBe('00112233445566778899aabbccddeeff00000000');
    expect(keyBuildId('0011223344556677')).toBeNull();
    expect(keyBuildId(`${CLR}00`)).toBeNull();
    expect(keyBuildId('xyz')).toBeNull();
    expect(keyBuildId(null)).toBeNull();
    expect(symbolServerKeys('libcoreclr.so', null)).toEqual([]);
  });
});

describe('runtimeModules', () => {
  it("lists the modules beside libcoreclr.so and the host's, libcoreclr.so first", () => {
    const dir = '/usr/share/dotnet/shared/Microsoft.NETCore.App/2.0.0-preview3-25510-01';
    const mods = runtimeModules([
      { path: '/usr/share/dotnet/dotnet', name: 'dotnet', buildId: '0daf3f635a7a5bbeebafca9e882cbf1d6753a4bc', kind: 'executable' },
      { path: `${dir}/libclrjit.so`, name: 'libclrjit.so', buildId: '6a07d364d4c12c6da664170ed80107db11808025', kind: 'shared' },
      { path: `${dir}/libcoreclr.so`, name: 'libcoreclr.so', buildId: CLR, kind: 'shared' },
      { path: `${dir}/System.Runtime.dll`, name: 'System.Runtime.dll', buildId: null, kind: 'file' },
      { path: '/lib/x86_64-linux-gnu/libc-2.19.so', name: 'libc-2.19.so', buildId: '3217ca3a53a930c7bb1e5c83789d09b30b0f3b39', kind: 'shared' },
    ]);
    expect(mods.map((m) => m.name)).toEqual(['libcoreclr.so', 'dotnet', 'libclrjit.so']);
    expect(runtimeModules([{ path: '/lib/libc.so.6', name: 'libc.so.6', buildId: null }])).toEqual([]);
  });
});
