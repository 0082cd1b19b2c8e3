// CIE and FDE parsing for .eh_frame (LSB Core "Exception Frames") and .debug_frame (DWARF 5
// section 6.4.1), and a one-time sorted index of a section's FDEs for sections without a
// usable .eh_frame_hdr. Parsing is lazy: an FDE is read when a pc needs it; instructions are
// kept as offsets into the section and run by cfi-exec.
import { ByteCursor } from './byte-cursor';
import { BadCfiError } from './errors';
import { DW_EH_PE_absptr, DW_EH_PE_omit, isValidEncoding, readEncoded, type EncodingBases } from './pointer-encoding';

export type CfiSectionKind = 'eh_frame' | 'debug_frame';

/** One unwind section and how to resolve its relative pointers. */
export interface CfiSection {
  kind: CfiSectionKind;
  data: Buffer;
  /** Address of data[0] in the table's address space (link-time for files, runtime for memory). */
  address: number;
  /** For messages: ".eh_frame of libc.so.6". */
  name: string;
  /** Base of DW_EH_PE_textrel pointers (the .text section), when known. */
  textBase?: number;
  /** Base of DW_EH_PE_datarel pointers in .eh_frame (the GOT), when known. */
  dataBase?: number;
  /** Reads a pointer at a table-space address, for DW_EH_PE_indirect initial locations. */
  readPointer?: (addr: number) => number | null;
}

export interface InstructionSpan {
  /** Offsets in the section's data: [start, end). */
  start: number;
  end: number;
}

export interface Cie {
  offset: number;
  version: number;
  augmentation: string;
  codeAlign: number;
  dataAlign: number;
  raRegister: number;
  addressSize: number;
  segmentSize: number;
  /** How FDE initial locations and ranges are encoded (DW_EH_PE_*). */
  fdeEncoding: number;
  lsdaEncoding: number;
  /** Personality routine address (or the address of the pointer when indirect). */
  personality: number | null;
  /** 'z': FDEs carry an augmentation data length. */
  hasAugmentationData: boolean;
  /** 'S': the FDEs describe signal trampolines. */
  isSignalFrame: boolean;
  instructions: InstructionSpan;
}

export interface Fde {
  offset: number;
  cie: Cie;
  /** [pcBegin, pcEnd) in the table's address space. */
  pcBegin: number;
  pcEnd: number;
  lsda: number | null;
  instructions: InstructionSpan;
}

interface EntryHeader {
  offset: number;
  /** Offset one past the entry. */
  end: number;
  /** Offset of the CIE id / CIE pointer field. */
  idOffset: number;
  /** Offset after the id field. */
  bodyOffset: number;
  is64: boolean;
  isCie: boolean;
  /** For an FDE: offset of its CIE in the section. */
  cieOffset: number;
}

/** Largest augmentation string we accept ("zPLRS" and friends are 5 bytes). */
const MAX_AUGMENTATION = 32;

/**
 * Reads the length and id of the entry at `offset`. Null at the .eh_frame terminator (a zero
 * length) or at the end of the section.
 */
export function readEntryHeader(section: CfiSection, offset: number): EntryHeader | null {
  const data = section.data;
  if (offset + 4 > data.length) return null;
  const c: ByteCursor = new ByteCursor(data, section.name, offset);
  let length = c.u32();
  if (length === 0) {
    if (section.kind === 'eh_frame') return null;
    // An empty .debug_frame entry: padding; skip it.
    return { offset, end: offset + 4, idOffset: offset + 4, bodyOffset: offset + 4, is64: false, isCie: false, cieOffset: -1 };
  }
  let is64 = false;
  if (length === 0xffffffff) {
    is64 = true;
    length = c.u64();
  } else if (length >= 0xfffffff0) {
    c.fail(`reserved initial length 0x${length.toString(16)}`, offset);
  }
  const idOffset = c.pos;
  const end = idOffset + length;
  if (end > data.length) c.fail(`entry of ${length} bytes runs past the end of the section (${data.length} bytes)`, offset);
  const ec = new ByteCursor(data, section.name, idOffset, end);
  let isCie: boolean;
  let cieOffset = -1;
  if (is64) {
    const id = ec.u64Big();
    if (section.kind === 'eh_frame') {
      isCie = id === 0n;
      if (!isCie) cieOffset = idOffset - Number(id > BigInt(data.length) ? BigInt(data.length + 1) : id);
    } else {
      isCie = id === 0xffffffffffffffffn;
      if (!isCie) cieOffset = id < BigInt(data.length) ? Number(id) : -1;
    }
  } else {
    const id = ec.u32();
    if (section.kind === 'eh_frame') {
      isCie = id === 0;
      if (!isCie) cieOffset = idOffset - id;
    } else {
      isCie = id === 0xffffffff;
      if (!isCie) cieOffset = id;
    }
  }
  return { offset, end, idOffset, bodyOffset: ec.pos, is64, isCie, cieOffset };
}

/** Parses the CIE at `offset`. */
export function parseCie(section: CfiSection, offset: number): Cie {
  const h = readEntryHeader(section, offset);
  if (h === null || !h.isCie) throw new BadCfiError(`${section.name}: no CIE at offset 0x${offset.toString(16)}`, { where: section.name, offset });
  const c: ByteCursor = new ByteCursor(section.data, section.name, h.bodyOffset, h.end);
  const version = c.u8();
  const okVersion = section.kind === 'eh_frame' ? version === 1 || version === 3 : version === 1 || version === 3 || version === 4;
  if (!okVersion) c.fail(`CIE version ${version} is not supported`, h.bodyOffset);
  const augmentation = c.cString(MAX_AUGMENTATION);
  // Old GCC ("eh"): a pointer-sized EH data word follows the string.
  if (augmentation.startsWith('eh')) c.skip(8);
  let addressSize = 8;
  let segmentSize = 0;
  if (version >= 4) {
    addressSize = c.u8();
    segmentSize = c.u8();
    if (addressSize !== 4 && addressSize !== 8) c.fail(`CIE address size ${addressSize} is not supported`);
    if (segmentSize !== 0) c.fail(`CIE segment selector size ${segmentSize} is not supported`);
  }
  const codeAlign = c.uleb();
  const dataAlign = c.sleb();
  const raRegister = version === 1 ? c.u8() : c.uleb();
  let fdeEncoding = section.kind === 'eh_frame' ? DW_EH_PE_absptr : addressSize === 4 ? 0x03 : DW_EH_PE_absptr;
  let lsdaEncoding = DW_EH_PE_omit;
  let personality: number | null = null;
  let isSignalFrame = false;
  const hasAugmentationData = augmentation.startsWith('z');
  if (hasAugmentationData) {
    const len = c.uleb();
    const augEnd = c.pos + len;
    if (augEnd > h.end) c.fail(`CIE augmentation data of ${len} bytes runs past the entry`);
    const ac: ByteCursor = new ByteCursor(section.data, section.name, c.pos, augEnd);
    const bases = basesFor(section);
    scan: for (let i = 1; i < augmentation.length; i++) {
      switch (augmentation[i]) {
        case 'L':
          lsdaEncoding = ac.u8();
          if (!isValidEncoding(lsdaEncoding)) ac.fail(`bad LSDA encoding 0x${lsdaEncoding.toString(16)}`, ac.pos - 1);
          break;
        case 'R':
          fdeEncoding = ac.u8();
          if (!isValidEncoding(fdeEncoding) || fdeEncoding === DW_EH_PE_omit) ac.fail(`bad FDE pointer encoding 0x${fdeEncoding.toString(16)}`, ac.pos - 1);
          break;
        case 'P': {
          const enc = ac.u8();
          if (!isValidEncoding(enc)) ac.fail(`bad personality encoding 0x${enc.toString(16)}`, ac.pos - 1);
          personality = enc === DW_EH_PE_omit ? null : readEncoded(ac, enc, bases).value;
          break;
        }
        case 'S':
          isSignalFrame = true;
          break;
        case 'B': // AArch64 BTI
        case 'G': // memory tagging
          break;
        default:
          // Unknown letter: 'z' tells us the data length, so the rest can be skipped safely.
          break scan;
      }
    }
    c.pos = augEnd;
  } else if (augmentation !== '' && !augmentation.startsWith('eh')) {
    c.fail(`unknown CIE augmentation "${augmentation}" without 'z'`, h.bodyOffset);
  }
  if (codeAlign === 0) c.fail('CIE code alignment factor is 0');
  return {
    offset,
    version,
    augmentation,
    codeAlign,
    dataAlign,
    raRegister,
    addressSize,
    segmentSize,
    fdeEncoding,
    lsdaEncoding,
    personality,
    hasAugmentationData,
    isSignalFrame,
    instructions: { start: c.pos, end: h.end },
  };
}

export function basesFor(section: CfiSection, funcBase?: number): EncodingBases {
  return { sectionAddress: section.address, textBase: section.textBase, dataBase: section.dataBase, funcBase };
}

/** Parses the FDE at `offset`; `cieAt` supplies (and caches) CIEs. */
export function parseFde(section: CfiSection, offset: number, cieAt: (offset: number) => Cie): Fde {
  const h = readEntryHeader(section, offset);
  if (h === null || h.isCie || h.cieOffset < 0) throw new BadCfiError(`${section.name}: no FDE at offset 0x${offset.toString(16)}`, { where: section.name, offset });
  return parseFdeBody(section, h, cieAt);
}

function parseFdeBody(section: CfiSection, h: EntryHeader, cieAt: (offset: number) => Cie): Fde {
  if (h.cieOffset < 0 || h.cieOffset >= section.data.length) {
    throw new BadCfiError(`${section.name}: FDE at 0x${h.offset.toString(16)} points to a CIE outside the section`, { where: section.name, offset: h.offset });
  }
  const cie = cieAt(h.cieOffset);
  const c: ByteCursor = new ByteCursor(section.data, section.name, h.bodyOffset, h.end);
  let pcBegin: number;
  let range: number;
  if (section.kind === 'eh_frame' || cie.hasAugmentationData) {
    const begin = readEncoded(c, cie.fdeEncoding, basesFor(section));
    pcBegin = begin.value;
    if (begin.indirect) {
      const p = section.readPointer ? section.readPointer(begin.value) : null;
      if (p === null) c.fail('indirect FDE initial location cannot be read');
      pcBegin = p;
    }
    range = readEncoded(c, cie.fdeEncoding & 0x0f, { sectionAddress: 0 }).value;
  } else {
    pcBegin = cie.addressSize === 4 ? c.u32() : c.u64();
    range = cie.addressSize === 4 ? c.u32() : c.u64();
  }
  if (range < 0) c.fail(`negative FDE address range ${range}`, h.offset);
  let lsda: number | null = null;
  if (cie.hasAugmentationData) {
    const len = c.uleb();
    const augEnd = c.pos + len;
    if (augEnd > h.end) c.fail(`FDE augmentation data of ${len} bytes runs past the entry`);
    if (cie.lsdaEncoding !== DW_EH_PE_omit && len > 0) {
      const ac: ByteCursor = new ByteCursor(section.data, section.name, c.pos, augEnd);
      lsda = readEncoded(ac, cie.lsdaEncoding, basesFor(section, pcBegin)).value;
    }
    c.pos = augEnd;
  }
  return { offset: h.offset, cie, pcBegin, pcEnd: pcBegin + range, lsda, instructions: { start: c.pos, end: h.end } };
}

/** A sorted table of a section's FDEs: [begin, end) -> FDE offset. */
export interface FdeIndex {
  count: number;
  begins: Float64Array;
  ends: Float64Array;
  offsets: Float64Array;
  /** Entries that could not be parsed (skipped). */
  errors: number;
  firstError: string | null;
}

export interface IndexLimits {
  /** Most entries (CIEs + FDEs) read before giving up. */
  maxEntries: number;
}

export const DEFAULT_INDEX_LIMITS: IndexLimits = { maxEntries: 4_000_000 };

/**
 * Walks every entry of a section once and returns its FDEs sorted by initial location.
 * Bad entries are counted and skipped when their length still lets us find the next one.
 * FDEs with an empty range or a zero initial location (--gc-sections leftovers) are dropped.
 */
export function buildFdeIndex(section: CfiSection, cieAt: (offset: number) => Cie, limits: IndexLimits = DEFAULT_INDEX_LIMITS): FdeIndex {
  const begins: number[] = [];
  const ends: number[] = [];
  const offsets: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let offset = 0;
  let entries = 0;
  while (offset < section.data.length) {
    if (++entries > limits.maxEntries) {
      throw new BadCfiError(`${section.name}: more than ${limits.maxEntries} entries`, { where: section.name, offset });
    }
    let h: EntryHeader | null;
    try {
      h = readEntryHeader(section, offset);
    } catch (e) {
      // The length itself is bad: nothing after it can be located.
      errors++;
      firstError ??= (e as Error).message;
      break;
    }
    if (h === null) break;
    if (!h.isCie && h.cieOffset >= 0) {
      try {
        const fde = parseFdeBody(section, h, cieAt);
        if (fde.pcEnd > fde.pcBegin && fde.pcBegin !== 0) {
          begins.push(fde.pcBegin);
          ends.push(fde.pcEnd);
          offsets.push(fde.offset);
        }
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
    }
    offset = h.end;
  }
  const order = begins.map((_, i) => i).sort((a, b) => begins[a] - begins[b] || offsets[a] - offsets[b]);
  const n = order.length;
  const idx: FdeIndex = { count: n, begins: new Float64Array(n), ends: new Float64Array(n), offsets: new Float64Array(n), errors, firstError };
  order.forEach((o, i) => {
    idx.begins[i] = begins[o];
    idx.ends[i] = ends[o];
    idx.offsets[i] = offsets[o];
  });
  return idx;
}

/** The offset of the FDE covering `pc` in an index, or -1. */
export function lookupFdeIndex(idx: FdeIndex, pc: number): number {
  let lo = 0;
  let hi = idx.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (idx.begins[mid] <= pc) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Overlapping FDEs are rare; look back a few entries for one that covers pc.
  for (let i = found, k = 0; i >= 0 && k < 8; i--, k++) {
    if (pc < idx.ends[i]) return idx.offsets[i];
  }
  return -1;
}
