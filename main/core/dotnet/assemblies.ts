// The managed assemblies mapped into a .NET process, from the dump's file mappings (NT_FILE) and
// the PE headers in its memory. Reads a few small pieces per mapping (headers, metadata root,
// one table row, one string): never the assembly itself.

import { type ManagedAssembly } from '../../../shared/types';
import { type FileMapping, type MemoryReader } from '../elf';
import { readCliMetadata, readPeHeader, type CliMetadata, type PeHeader } from './pe-image';

export interface AssemblyLimits {
  /** Most mappings looked at (a process can map thousands of files). */
  maxMappings: number;
  maxAssemblies: number;
}

export const DEFAULT_ASSEMBLY_LIMITS: AssemblyLimits = { maxMappings: 20_000, maxAssemblies: 5_000 };

const hex = (v: bigint) => `0x${v.toString(16)}`;

function baseName(p: string): string {
  const clean = p.replace(/ \(deleted\)$/, '');
  const i = clean.lastIndexOf('/');
  return i >= 0 ? clean.slice(i + 1) : clean;
}

/** Files a .NET process maps that may be assemblies: by extension, or any file whose first mapped page is "MZ". */
function maybeAssembly(path: string): boolean {
  return /\.(?:dll|exe|winmd|ni\.dll)$/i.test(path.replace(/ \(deleted\)$/, ''));
}

/** Lists managed assemblies. `memory` serves the dump's address space. */
export function listManagedAssemblies(mappings: readonly FileMapping[], memory: MemoryReader, limits: AssemblyLimits = DEFAULT_ASSEMBLY_LIMITS): { assemblies: ManagedAssembly[]; warnings: string[] } {
  const warnings: string[] = [];
  const read = (addr: bigint, length: number): Uint8Array | null => memory.read(addr, length);
  const byPath = new Map<string, { headers: PeHeader[]; mapped: number; notes: string[]; meta: CliMetadata | null }>();
  const list = mappings.slice(0, limits.maxMappings);
  if (mappings.length > list.length) warnings.push(`only the first ${list.length} of ${mappings.length} file mappings were searched for assemblies`);
  for (const m of list) {
    if (!maybeAssembly(m.path)) continue;
    let entry = byPath.get(m.path);
    if (entry === undefined) {
      if (byPath.size >= limits.maxAssemblies) continue;
      entry = { headers: [], mapped: 0, notes: [], meta: null };
      byPath.set(m.path, entry);
    }
    entry.mapped += Number(m.end - m.start);
    if (m.fileOffset !== 0n) continue;
    const h = readPeHeader(read, m.start);
    if (!h.ok) {
      if (!entry.notes.includes(h.reason)) entry.notes.push(h.reason);
      continue;
    }
    entry.headers.push(h.value);
  }
  const assemblies: ManagedAssembly[] = [];
  for (const [path, e] of byPath) {
    const h = e.headers[0] ?? null;
    let meta: CliMetadata | null = null;
    const metaNotes: string[] = [];
    for (const hh of e.headers) {
      const r = readCliMetadata(read, hh);
      if (r.ok) {
        if (meta === null || (meta.assemblyName === null && r.value.assemblyName !== null)) meta = r.value;
        if (meta.assemblyName !== null) break;
      } else if (!metaNotes.includes(r.reason)) metaNotes.push(r.reason);
    }
    const file = baseName(path);
    const notes = h === null ? e.notes : [];
    if (h !== null && meta === null) notes.push(...metaNotes.map((n) => `metadata: ${n}`));
    if (meta !== null && meta.note !== null) notes.push(`metadata: ${meta.note}`);
    const r2r = h === null ? null : readyToRunTarget(h.machine);
    if (r2r !== null) notes.push(r2r);
    const name = meta?.assemblyName ?? file.replace(/\.(?:ni\.)?(?:dll|exe|winmd)$/i, '');
    assemblies.push({
      name,
      nameSource: meta?.assemblyName != null ? 'metadata' : 'file',
      version: meta?.assemblyVersion ?? null,
      path,
      bases: e.headers.map((x) => hex(x.base)),
      sizeOfImage: h?.sizeOfImage ?? null,
      mappedBytes: e.mapped,
      timestamp: h?.timestamp ?? null,
      timestampIso: h === null ? null : new Date(h.timestamp * 1000).toISOString(),
      format: h?.format ?? null,
      machine: h?.machine ?? null,
      managed: h !== null && h.cli !== null,
      metadataVersion: meta?.version ?? null,
      notes,
    });
  }
  assemblies.sort((a, b) => a.name.localeCompare(b.name));
  return { assemblies, warnings };
}

// Folklore, written down: ReadyToRun (crossgen) images compiled for a non-Windows OS store
// Machine XOR an OS constant (dotnet/runtime src/coreclr/inc/pedecoder.h,
// IMAGE_FILE_MACHINE_NATIVE_OS_OVERRIDE): Linux 0x7B79, Apple 0x4644, FreeBSD 0xADC4,
// NetBSD 0x1993. The framework assemblies of the triage dump say 0xfd1d = 0x8664 ^ 0x7b79.
const OS_OVERRIDE: ReadonlyArray<readonly [number, string]> = [
  [0x7b79, 'Linux'],
  [0x4644, 'macOS'],
  [0xadc4, 'FreeBSD'],
  [0x1993, 'NetBSD'],
];
const MACHINES: Readonly<Record<number, string>> = { 0x8664: 'x64', 0x14c: 'x86', 0xaa64: 'arm64', 0x1c4: 'arm' };

/** "ReadyToRun code for Linux x64 (Machine 0xfd1d)" for an OS-overridden Machine; null otherwise. */
export function readyToRunTarget(machine: number): string | null {
  if (MACHINES[machine] !== undefined) return null;
  for (const [xor, os] of OS_OVERRIDE) {
    const cpu = MACHINES[(machine ^ xor) & 0xffff];
    if (cpu !== undefined) return `ReadyToRun code for ${os} ${cpu} (Machine 0x${machine.toString(16)} = 0x${((machine ^ xor) & 0xffff).toString(16)} ^ 0x${xor.toString(16)})`;
  }
  return null;
}
