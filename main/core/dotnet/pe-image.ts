// PE/COFF headers and the CLI metadata's Assembly row of a managed assembly, read through a
// memory reader (a dump's memory: pages may be missing). Bounded: every count and offset is
// checked before it is used; a missing page or a bad field gives a reason, never an exception.
//
// Layout (PE/COFF spec; ECMA-335 II.24-II.25):
//   DOS header  "MZ" ... e_lfanew (u32 at +0x3c) -> "PE\0\0"
//   COFF header Machine u16, NumberOfSections u16, TimeDateStamp u32, PointerToSymbolTable u32,
//               NumberOfSymbols u32, SizeOfOptionalHeader u16, Characteristics u16
//   Optional    Magic u16 (0x10b PE32, 0x20b PE32+), ..., SizeOfImage u32 at +56, SizeOfHeaders
//               u32 at +60, NumberOfRvaAndSizes at +92 (PE32) / +108 (PE32+), then the data
//               directories; entry 14 is the CLI header (IMAGE_COR20_HEADER).
//   CLI header  cb u32, runtime version u16 u16, MetaData {rva u32, size u32}, ...
//   Metadata    "BSJB", major u16, minor u16, reserved u32, length u32, version (length bytes),
//               flags u16, streams u16, then {offset u32, size u32, name (NUL, padded to 4)}.
//   #~ stream   reserved u32, major u8, minor u8, HeapSizes u8, reserved u8, Valid u64,
//               Sorted u64, a row count u32 per present table, then the tables in order.
// The Assembly table (0x20) comes after 32 tables whose row sizes depend on the row counts
// (table and coded indexes are 2 or 4 bytes) and on HeapSizes (string/guid/blob indexes).
//
// Folklore, written down: CoreCLR on Linux maps each assembly twice — once flat (the file as it
// is, to check it) and once as an image with each section at its RVA (PAL's MAPMapPEFile) — so
// the same header shows at two bases; RVAs are tried as image offsets first, then through the
// section table as file offsets. Deterministic builds (the default since .NET Core 2.1 SDKs)
// put a hash, not a time, in TimeDateStamp.

export type ReadMemory = (addr: bigint, length: number) => Uint8Array | null;

export interface PeSection {
  name: string;
  virtualSize: number;
  virtualAddress: number;
  sizeOfRawData: number;
  pointerToRawData: number;
}

export interface PeHeader {
  base: bigint;
  machine: number;
  timestamp: number;
  format: 'PE32' | 'PE32+';
  sizeOfImage: number;
  sizeOfHeaders: number;
  sections: PeSection[];
  /** The CLI header's data directory, when the image has one (a managed assembly). */
  cli: { rva: number; size: number } | null;
}

export type PeResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_LFANEW = 0x10000;
const MAX_SECTIONS = 96;
const MAX_VERSION = 255;
const MAX_STREAMS = 16;
const MAX_NAME = 1024;
const MAX_ROWS = 1 << 24;

const hex = (v: bigint | number) => `0x${v.toString(16)}`;

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Reads the DOS, COFF and optional headers and the section table at `base`. */
export function readPeHeader(read: ReadMemory, base: bigint): PeResult<PeHeader> {
  const dos = read(base, 0x40);
  if (dos === null) return { ok: false, reason: `the page at ${hex(base)} is not in the dump` };
  if (dos[0] !== 0x4d || dos[1] !== 0x5a) return { ok: false, reason: `no MZ signature at ${hex(base)}` };
  const lfanew = view(dos).getUint32(0x3c, true);
  if (lfanew < 0x40 || lfanew > MAX_LFANEW) return { ok: false, reason: `e_lfanew ${hex(lfanew)} is out of range` };
  const nt = read(base + BigInt(lfanew), 24);
  if (nt === null) return { ok: false, reason: `the PE header at ${hex(base + BigInt(lfanew))} is not in the dump` };
  const v = view(nt);
  if (v.getUint32(0, true) !== 0x00004550) return { ok: false, reason: `no "PE\\0\\0" signature at ${hex(base + BigInt(lfanew))}` };
  const machine = v.getUint16(4, true);
  const nsec = v.getUint16(6, true);
  const timestamp = v.getUint32(8, true);
  const optSize = v.getUint16(20, true);
  if (nsec > MAX_SECTIONS) return { ok: false, reason: `${nsec} sections is more than a PE file may have` };
  if (optSize < 96 || optSize > 1024) return { ok: false, reason: `SizeOfOptionalHeader ${optSize} is not plausible` };
  const optAt = base + BigInt(lfanew + 24);
  const opt = read(optAt, optSize);
  if (opt === null) return { ok: false, reason: 'the optional header is not in the dump' };
  const o = view(opt);
  const magic = o.getUint16(0, true);
  if (magic !== 0x10b && magic !== 0x20b) return { ok: false, reason: `optional header magic ${hex(magic)} is neither PE32 nor PE32+` };
  const format = magic === 0x20b ? 'PE32+' : 'PE32';
  const sizeOfImage = o.getUint32(56, true);
  const sizeOfHeaders = o.getUint32(60, true);
  const nDirAt = format === 'PE32+' ? 108 : 92;
  const dirsAt = nDirAt + 4;
  const nDirs = Math.min(o.getUint32(nDirAt, true), 16);
  let cli: PeHeader['cli'] = null;
  if (nDirs > 14 && dirsAt + 15 * 8 <= optSize) {
    const rva = o.getUint32(dirsAt + 14 * 8, true);
    const size = o.getUint32(dirsAt + 14 * 8 + 4, true);
    if (rva !== 0 && size >= 72) cli = { rva, size };
  }
  const secBytes = read(optAt + BigInt(optSize), nsec * 40);
  const sections: PeSection[] = [];
  if (secBytes !== null) {
    const s = view(secBytes);
    for (let i = 0; i < nsec; i++) {
      const at = i * 40;
      let name = '';
      for (let j = 0; j < 8 && secBytes[at + j] !== 0; j++) name += String.fromCharCode(secBytes[at + j]);
      sections.push({
        name,
        virtualSize: s.getUint32(at + 8, true),
        virtualAddress: s.getUint32(at + 12, true),
        sizeOfRawData: s.getUint32(at + 16, true),
        pointerToRawData: s.getUint32(at + 20, true),
      });
    }
  }
  return { ok: true, value: { base, machine, timestamp, format, sizeOfImage, sizeOfHeaders, sections, cli } };
}

/** An RVA as an address, for an image mapped section by section ('image') or as the file ('flat'). */
export function rvaToAddress(h: PeHeader, rva: number, layout: 'image' | 'flat'): bigint | null {
  if (layout === 'image') return h.base + BigInt(rva);
  if (rva < h.sizeOfHeaders) return h.base + BigInt(rva);
  for (const s of h.sections) {
    const span = Math.max(s.virtualSize, s.sizeOfRawData);
    if (rva >= s.virtualAddress && rva < s.virtualAddress + span) {
      const off = rva - s.virtualAddress;
      if (off >= s.sizeOfRawData) return null;
      return h.base + BigInt(s.pointerToRawData + off);
    }
  }
  return null;
}

export interface CliMetadata {
  /** The metadata's version string ("v4.0.30319"). */
  version: string;
  assemblyName: string | null;
  /** "Major.Minor.Build.Revision" from the Assembly row. */
  assemblyVersion: string | null;
  layout: 'image' | 'flat';
  /** Why the Assembly row was not read, when it was not. */
  note: string | null;
}

function cString(b: Uint8Array, start: number, max: number): string | null {
  const end = Math.min(b.length, start + max);
  for (let i = start; i < end; i++) if (b[i] === 0) return new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(start, i));
  return null;
}

/** Reads a NUL-terminated string at addr, in chunks (pages may end). */
function readCString(read: ReadMemory, addr: bigint, max: number): string | null {
  for (const len of [64, 256, max]) {
    const b = read(addr, len);
    if (b === null) {
      // Near the end of a page: read what is left of it.
      const page = 4096n;
      const left = Number(page - (addr % page));
      if (left < len) {
        const part = read(addr, left);
        if (part !== null) {
          const s = cString(part, 0, left);
          if (s !== null) return s;
        }
      }
      return null;
    }
    const s = cString(b, 0, len);
    if (s !== null) return s;
  }
  return null;
}

// ECMA-335 II.22: the tables before Assembly (0x20) and their columns.
type Col = 'u16' | 'u32' | 'str' | 'guid' | 'blob' | { t: number } | { c: keyof typeof CODED };
const CODED = {
  TypeDefOrRef: [0x02, 0x01, 0x1b],
  HasConstant: [0x04, 0x08, 0x17],
  HasCustomAttribute: [0x06, 0x04, 0x01, 0x02, 0x08, 0x09, 0x0a, 0x00, 0x0e, 0x17, 0x14, 0x11, 0x1a, 0x1b, 0x20, 0x23, 0x26, 0x27, 0x28, 0x2a, 0x2c, 0x2b],
  HasFieldMarshal: [0x04, 0x08],
  HasDeclSecurity: [0x02, 0x06, 0x20],
  MemberRefParent: [0x02, 0x01, 0x1a, 0x06, 0x1b],
  HasSemantics: [0x14, 0x17],
  MethodDefOrRef: [0x06, 0x0a],
  MemberForwarded: [0x04, 0x06],
  // CustomAttributeType has 5 tags (3 bits) of which only MethodDef and MemberRef are used.
  CustomAttributeType: [-1, -1, 0x06, 0x0a, -1],
  ResolutionScope: [0x00, 0x1a, 0x23, 0x01],
} as const;
const SCHEMA: readonly (readonly Col[])[] = [
  /* 0x00 Module */ ['u16', 'str', 'guid', 'guid', 'guid'],
  /* 0x01 TypeRef */ [{ c: 'ResolutionScope' }, 'str', 'str'],
  /* 0x02 TypeDef */ ['u32', 'str', 'str', { c: 'TypeDefOrRef' }, { t: 0x04 }, { t: 0x06 }],
  /* 0x03 FieldPtr */ [{ t: 0x04 }],
  /* 0x04 Field */ ['u16', 'str', 'blob'],
  /* 0x05 MethodPtr */ [{ t: 0x06 }],
  /* 0x06 MethodDef */ ['u32', 'u16', 'u16', 'str', 'blob', { t: 0x08 }],
  /* 0x07 ParamPtr */ [{ t: 0x08 }],
  /* 0x08 Param */ ['u16', 'u16', 'str'],
  /* 0x09 InterfaceImpl */ [{ t: 0x02 }, { c: 'TypeDefOrRef' }],
  /* 0x0a MemberRef */ [{ c: 'MemberRefParent' }, 'str', 'blob'],
  /* 0x0b Constant */ ['u16', { c: 'HasConstant' }, 'blob'],
  /* 0x0c CustomAttribute */ [{ c: 'HasCustomAttribute' }, { c: 'CustomAttributeType' }, 'blob'],
  /* 0x0d FieldMarshal */ [{ c: 'HasFieldMarshal' }, 'blob'],
  /* 0x0e DeclSecurity */ ['u16', { c: 'HasDeclSecurity' }, 'blob'],
  /* 0x0f ClassLayout */ ['u16', 'u32', { t: 0x02 }],
  /* 0x10 FieldLayout */ ['u32', { t: 0x04 }],
  /* 0x11 StandAloneSig */ ['blob'],
  /* 0x12 EventMap */ [{ t: 0x02 }, { t: 0x14 }],
  /* 0x13 EventPtr */ [{ t: 0x14 }],
  /* 0x14 Event */ ['u16', 'str', { c: 'TypeDefOrRef' }],
  /* 0x15 PropertyMap */ [{ t: 0x02 }, { t: 0x17 }],
  /* 0x16 PropertyPtr */ [{ t: 0x17 }],
  /* 0x17 Property */ ['u16', 'str', 'blob'],
  /* 0x18 MethodSemantics */ ['u16', { t: 0x06 }, { c: 'HasSemantics' }],
  /* 0x19 MethodImpl */ [{ t: 0x02 }, { c: 'MethodDefOrRef' }, { c: 'MethodDefOrRef' }],
  /* 0x1a ModuleRef */ ['str'],
  /* 0x1b TypeSpec */ ['blob'],
  /* 0x1c ImplMap */ ['u16', { c: 'MemberForwarded' }, 'str', { t: 0x1a }],
  /* 0x1d FieldRVA */ ['u32', { t: 0x04 }],
  /* 0x1e EncLog */ ['u32', 'u32'],
  /* 0x1f EncMap */ ['u32'],
];

function codedSize(rows: readonly number[], tables: readonly number[]): number {
  const bits = Math.ceil(Math.log2(tables.length));
  const max = Math.max(0, ...tables.map((t) => (t < 0 ? 0 : rows[t])));
  return max < 1 << (16 - bits) ? 2 : 4;
}

/** Reads the metadata root and the Assembly row of a managed image. */
export function readCliMetadata(read: ReadMemory, h: PeHeader): PeResult<CliMetadata> {
  if (h.cli === null) return { ok: false, reason: 'no CLI header: not a managed assembly' };
  let lastReason = 'the CLI header is not in the dump';
  for (const layout of ['image', 'flat'] as const) {
    const cliAt = rvaToAddress(h, h.cli.rva, layout);
    if (cliAt === null) continue;
    const cli = read(cliAt, 16);
    if (cli === null) continue;
    const c = view(cli);
    if (c.getUint32(0, true) < 72) {
      lastReason = `the CLI header at ${hex(cliAt)} is not valid (${layout} layout)`;
      continue;
    }
    const mdRva = c.getUint32(8, true);
    const mdSize = c.getUint32(12, true);
    const mdAt = rvaToAddress(h, mdRva, layout);
    if (mdAt === null || mdSize < 32) continue;
    const root = read(mdAt, 16);
    if (root === null) {
      lastReason = `the metadata at ${hex(mdAt)} is not in the dump`;
      continue;
    }
    const r = view(root);
    if (r.getUint32(0, true) !== 0x424a5342) {
      lastReason = `no metadata signature (BSJB) at ${hex(mdAt)} (${layout} layout)`;
      continue;
    }
    return readMetadataRoot(read, mdAt, mdSize, r.getUint32(12, true), layout);
  }
  return { ok: false, reason: lastReason };
}

function readMetadataRoot(read: ReadMemory, mdAt: bigint, mdSize: number, versionLength: number, layout: 'image' | 'flat'): PeResult<CliMetadata> {
  if (versionLength > MAX_VERSION) return { ok: false, reason: `metadata version length ${versionLength} is out of range` };
  const padded = (versionLength + 3) & ~3;
  const head = read(mdAt, 16 + padded + 4);
  if (head === null) return { ok: false, reason: 'the metadata root is cut by a missing page' };
  const version = cString(head, 16, versionLength) ?? new TextDecoder().decode(head.subarray(16, 16 + versionLength));
  const streams = view(head).getUint16(16 + padded + 2, true);
  const md: CliMetadata = { version, assemblyName: null, assemblyVersion: null, layout, note: null };
  if (streams > MAX_STREAMS) return { ok: true, value: { ...md, note: `${streams} metadata streams is not plausible` } };
  const headersAt = mdAt + BigInt(16 + padded + 4);
  const hb = read(headersAt, Math.min(streams * 44, mdSize));
  if (hb === null) return { ok: true, value: { ...md, note: 'the metadata stream headers are not in the dump' } };
  const found = new Map<string, { offset: number; size: number }>();
  let p = 0;
  for (let i = 0; i < streams && p + 8 < hb.length; i++) {
    const offset = view(hb).getUint32(p, true);
    const size = view(hb).getUint32(p + 4, true);
    const name = cString(hb, p + 8, 32);
    if (name === null) break;
    found.set(name, { offset, size });
    p += 8 + ((name.length + 4) & ~3);
  }
  const tables = found.get('#~') ?? found.get('#-');
  const strings = found.get('#Strings');
  if (tables === undefined || strings === undefined) return { ok: true, value: { ...md, note: 'no #~ or #Strings stream' } };
  if (tables.offset + tables.size > mdSize || strings.offset + strings.size > mdSize) return { ok: true, value: { ...md, note: 'a metadata stream lies outside the metadata' } };
  const tAt = mdAt + BigInt(tables.offset);
  const th = read(tAt, 24);
  if (th === null) return { ok: true, value: { ...md, note: 'the metadata tables are not in the dump' } };
  const tv = view(th);
  const heapSizes = th[6];
  const valid = tv.getBigUint64(8, true);
  const present: number[] = [];
  for (let i = 0; i < 64; i++) if ((valid >> BigInt(i)) & 1n) present.push(i);
  if ((valid & (1n << 0x20n)) === 0n) return { ok: true, value: { ...md, note: 'the metadata has no Assembly row (a module, not an assembly)' } };
  const counts = read(tAt + 24n, present.length * 4);
  if (counts === null) return { ok: true, value: { ...md, note: 'the table row counts are not in the dump' } };
  const rows = new Array<number>(64).fill(0);
  present.forEach((t, i) => (rows[t] = view(counts).getUint32(i * 4, true)));
  if (rows.some((n) => n > MAX_ROWS)) return { ok: true, value: { ...md, note: 'a metadata table row count is out of range' } };
  const strSize = heapSizes & 0x01 ? 4 : 2;
  const guidSize = heapSizes & 0x02 ? 4 : 2;
  const blobSize = heapSizes & 0x04 ? 4 : 2;
  const colSize = (col: Col): number => {
    if (col === 'u16') return 2;
    if (col === 'u32') return 4;
    if (col === 'str') return strSize;
    if (col === 'guid') return guidSize;
    if (col === 'blob') return blobSize;
    if ('t' in col) return rows[col.t] < 1 << 16 ? 2 : 4;
    return codedSize(rows, CODED[col.c]);
  };
  let offset = 24 + present.length * 4 + (heapSizes & 0x40 ? 4 : 0);
  for (let t = 0; t < 0x20; t++) {
    if (rows[t] === 0) continue;
    offset += rows[t] * SCHEMA[t].reduce((s, c) => s + colSize(c), 0);
  }
  const rowSize = 4 + 8 + 4 + blobSize + 2 * strSize;
  if (offset + rowSize > tables.size) return { ok: true, value: { ...md, note: 'the Assembly row lies outside the #~ stream' } };
  const row = read(tAt + BigInt(offset), rowSize);
  if (row === null) return { ok: true, value: { ...md, note: 'the Assembly row is not in the dump' } };
  const rv = view(row);
  const ver = [rv.getUint16(4, true), rv.getUint16(6, true), rv.getUint16(8, true), rv.getUint16(10, true)].join('.');
  const nameAt = 16 + blobSize;
  const nameIdx = strSize === 4 ? rv.getUint32(nameAt, true) : rv.getUint16(nameAt, true);
  md.assemblyVersion = ver;
  if (nameIdx >= strings.size) return { ok: true, value: { ...md, note: 'the assembly name index is outside #Strings' } };
  const name = readCString(read, mdAt + BigInt(strings.offset + nameIdx), Math.min(MAX_NAME, strings.size - nameIdx));
  if (name === null) return { ok: true, value: { ...md, note: 'the assembly name is not in the dump' } };
  md.assemblyName = name;
  return { ok: true, value: md };
}
