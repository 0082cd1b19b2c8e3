// DW_EH_PE_* pointer encodings used by .eh_frame and .eh_frame_hdr (LSB Core, "DWARF Extensions";
// GCC's unwind-pe.h). Low nibble: the value's format; bits 4-6: what it is relative to;
// bit 7: the value is the address of the pointer rather than the pointer.
import { type ByteCursor } from './byte-cursor';

export const DW_EH_PE_absptr = 0x00;
export const DW_EH_PE_uleb128 = 0x01;
export const DW_EH_PE_udata2 = 0x02;
export const DW_EH_PE_udata4 = 0x03;
export const DW_EH_PE_udata8 = 0x04;
export const DW_EH_PE_sleb128 = 0x09;
export const DW_EH_PE_sdata2 = 0x0a;
export const DW_EH_PE_sdata4 = 0x0b;
export const DW_EH_PE_sdata8 = 0x0c;
export const DW_EH_PE_pcrel = 0x10;
export const DW_EH_PE_textrel = 0x20;
export const DW_EH_PE_datarel = 0x30;
export const DW_EH_PE_funcrel = 0x40;
export const DW_EH_PE_aligned = 0x50;
export const DW_EH_PE_indirect = 0x80;
export const DW_EH_PE_omit = 0xff;

/** Bases the relative encodings need. Addresses are in the table's address space. */
export interface EncodingBases {
  /** Address of buf[0] of the cursor being read (pcrel = address of the field itself). */
  sectionAddress: number;
  /** DW_EH_PE_textrel base (the .text section), when known. */
  textBase?: number;
  /** DW_EH_PE_datarel base: the .eh_frame_hdr start inside the hdr; the GOT elsewhere. */
  dataBase?: number;
  /** DW_EH_PE_funcrel base: the FDE's initial location (only inside an FDE). */
  funcBase?: number;
}

export interface EncodedValue {
  value: number;
  /** DW_EH_PE_indirect: `value` is the address of the pointer, not the pointer. */
  indirect: boolean;
}

/** Size in bytes of a fixed-size format, or 0 for LEB128 (and -1 for unknown formats). */
export function encodedSize(encoding: number): number {
  if (encoding === DW_EH_PE_omit) return 0;
  switch (encoding & 0x0f) {
    case DW_EH_PE_absptr:
    case DW_EH_PE_udata8:
    case DW_EH_PE_sdata8:
      return 8;
    case DW_EH_PE_udata2:
    case DW_EH_PE_sdata2:
      return 2;
    case DW_EH_PE_udata4:
    case DW_EH_PE_sdata4:
      return 4;
    case DW_EH_PE_uleb128:
    case DW_EH_PE_sleb128:
      return 0;
    default:
      return -1;
  }
}

/** Checks that an encoding byte is one we can decode (for CIE augmentation data). */
export function isValidEncoding(encoding: number): boolean {
  if (encoding === DW_EH_PE_omit) return true;
  if (encodedSize(encoding) < 0) return false;
  const app = encoding & 0x70;
  return app <= DW_EH_PE_aligned;
}

/** Reads the raw value of a format (no base applied). */
function readFormat(c: ByteCursor, encoding: number): number {
  switch (encoding & 0x0f) {
    case DW_EH_PE_absptr:
    case DW_EH_PE_udata8:
      return c.u64();
    case DW_EH_PE_uleb128:
      return c.uleb();
    case DW_EH_PE_udata2:
      return c.u16();
    case DW_EH_PE_udata4:
      return c.u32();
    case DW_EH_PE_sleb128:
      return c.sleb();
    case DW_EH_PE_sdata2:
      return c.i16();
    case DW_EH_PE_sdata4:
      return c.i32();
    case DW_EH_PE_sdata8:
      return c.i64();
    default:
      return c.fail(`unknown pointer encoding 0x${encoding.toString(16)}`);
  }
}

/**
 * Reads one encoded pointer at the cursor. Addresses are numbers: unwind tables describe
 * user-space code, below 2^47 on x86-64, which a double holds exactly.
 */
export function readEncoded(c: ByteCursor, encoding: number, bases: EncodingBases): EncodedValue {
  if (encoding === DW_EH_PE_omit) c.fail('read of an omitted (0xff) pointer');
  const app = encoding & 0x70;
  if (app === DW_EH_PE_aligned) {
    // Aligned to the address size, relative to the section's address.
    const addr = bases.sectionAddress + c.pos;
    const pad = (8 - (addr % 8)) % 8;
    c.skip(pad);
    return { value: c.u64(), indirect: (encoding & DW_EH_PE_indirect) !== 0 };
  }
  const fieldAddress = bases.sectionAddress + c.pos;
  const raw = readFormat(c, encoding);
  let base = 0;
  switch (app) {
    case 0:
      break;
    case DW_EH_PE_pcrel:
      base = fieldAddress;
      break;
    case DW_EH_PE_textrel:
      if (bases.textBase === undefined) c.fail('DW_EH_PE_textrel pointer without a text base');
      base = bases.textBase;
      break;
    case DW_EH_PE_datarel:
      if (bases.dataBase === undefined) c.fail('DW_EH_PE_datarel pointer without a data base');
      base = bases.dataBase;
      break;
    case DW_EH_PE_funcrel:
      if (bases.funcBase === undefined) c.fail('DW_EH_PE_funcrel pointer outside an FDE');
      base = bases.funcBase;
      break;
    default:
      c.fail(`unknown pointer application 0x${app.toString(16)}`);
  }
  // A negative sum is no user-space address: lookups simply never match it.
  return { value: base + raw, indirect: (encoding & DW_EH_PE_indirect) !== 0 };
}
