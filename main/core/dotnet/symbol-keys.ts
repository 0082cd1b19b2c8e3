// The keys under which a symbol server (Microsoft's https://msdl.microsoft.com/download/symbols,
// or any server in the SSQP layout dotnet-symbol uses) stores the runtime's native modules, their
// debug symbols, and the files indexed under libcoreclr.so's build-id (the DAC and DBI a
// debugger needs to read the runtime's data structures).
//
// Folklore, written down (dotnet/symstore src/Microsoft.SymbolStore/KeyGenerators/
// ELFFileKeyGenerator.cs and KeyGenerator.cs, now in dotnet/diagnostics):
//   binary   <file>/elf-buildid-<id>/<file>                        file name lowercased
//   symbols  _.debug/elf-buildid-sym-<id>/_.debug                  the file name is not in it
//   CLR      <special>/elf-buildid-coreclr-<id>/<special>           for libcoreclr.so only, with
//            special = libmscordaccore.so, libmscordbi.so (and, for SOS, libsos.so, sos.netcore.dll;
//            for cross-OS debugging, mscordaccore.dll, mscordbi.dll)
// <id> is the GNU build-id in lowercase hex; a 16–19 byte build-id is padded with zero bytes to
// 20, and any other length gets no key. Example, from the triage dump in ../shared/fixtures:
// libcoreclr.so 8f39a52a756311ab365090bfe9edef7ee8c44503 ->
// libmscordaccore.so/elf-buildid-coreclr-8f39a52a756311ab365090bfe9edef7ee8c44503/libmscordaccore.so

import { type RuntimeModule, type SymbolServerKey } from '../../../shared/types';

interface ModuleLike {
  path: string;
  name: string;
  buildId: string | null;
  kind?: string;
}

/** The build-id as symstore keys it (20 bytes), or null when it cannot be a key. */
export function keyBuildId(buildId: string | null): string | null {
  if (buildId === null || !/^[0-9a-fA-F]+$/.test(buildId) || buildId.length % 2 !== 0) return null;
  const bytes = buildId.length / 2;
  if (bytes < 16 || bytes > 20) return null;
  return buildId.toLowerCase().padEnd(40, '0');
}

const CLR_SPECIAL: ReadonlyArray<readonly [string, SymbolServerKey['kind']]> = [
  ['libmscordaccore.so', 'dac'],
  ['libmscordbi.so', 'dbi'],
  ['libsos.so', 'sos'],
  ['sos.netcore.dll', 'sos'],
];

/** Every key of one ELF module (the CLR keys only for libcoreclr.so). */
export function symbolServerKeys(fileName: string, buildId: string | null): SymbolServerKey[] {
  const id = keyBuildId(buildId);
  if (id === null) return [];
  const file = fileName.toLowerCase();
  const keys: SymbolServerKey[] = [
    { key: `${file}/elf-buildid-${id}/${file}`, file: fileName, kind: 'binary' },
    { key: `_.debug/elf-buildid-sym-${id}/_.debug`, file: `${fileName}.dbg`, kind: 'symbols' },
  ];
  if (file === 'libcoreclr.so') {
    for (const [special, kind] of CLR_SPECIAL) keys.push({ key: `${special}/elf-buildid-coreclr-${id}/${special}`, file: special, kind });
  }
  return keys;
}

// Native modules that ship with the runtime or its host.
const RUNTIME_NAMES = /^(?:libcoreclr\.so|libclrjit\.so|libclrgc\w*\.so|libcoreclrtraceptprovider\.so|libhostfxr\.so|libhostpolicy\.so|libmscordaccore\.so|libmscordbi\.so|libSystem\.[\w.]+\.so|System\.[\w.]+\.so|libjitinterface\w*\.so|dotnet)$/;

const dirOf = (p: string) => {
  const clean = p.replace(/ \(deleted\)$/, '');
  const i = clean.lastIndexOf('/');
  return i >= 0 ? clean.slice(0, i) : '';
};

/** The runtime's native modules (beside libcoreclr.so, and the host's), with their keys. */
export function runtimeModules(modules: readonly ModuleLike[]): RuntimeModule[] {
  const clr = modules.find((m) => m.name === 'libcoreclr.so');
  if (!clr) return [];
  const clrDir = dirOf(clr.path);
  const out: RuntimeModule[] = [];
  const seen = new Set<string>();
  for (const m of modules) {
    if (m.kind === 'file' || m.kind === 'vdso' || seen.has(m.path)) continue;
    const beside = dirOf(m.path) === clrDir;
    if (!beside && !RUNTIME_NAMES.test(m.name)) continue;
    if (m.name === 'dotnet' && m.kind !== 'executable') continue;
    seen.add(m.path);
    out.push({ name: m.name, path: m.path, buildId: m.buildId, keys: symbolServerKeys(m.name, m.buildId) });
  }
  // libcoreclr.so first: its keys find the DAC.
  out.sort((a, b) => (a.name === 'libcoreclr.so' ? -1 : b.name === 'libcoreclr.so' ? 1 : a.name.localeCompare(b.name)));
  return out;
}
