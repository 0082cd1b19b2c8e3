// .eh_frame_hdr (PT_GNU_EH_FRAME): a pointer to .eh_frame and a sorted table of
// (initial location, FDE address) pairs. The usual table encoding is DW_EH_PE_datarel|sdata4
// (relative to the header's start); we binary-search it in its buffer without decoding it.
// binutils' elf-eh-frame.c documents the layout:
//   u8 version (1), u8 eh_frame_ptr_enc, u8 fde_count_enc, u8 table_enc,
//   [eh_frame_ptr] [fde_count] fde_count x ([initial_loc] [fde_address])
import { ByteCursor } from './byte-cursor';
import { BadCfiError } from './errors';
import { DW_EH_PE_datarel, DW_EH_PE_omit, DW_EH_PE_sdata4, encodedSize, readEncoded, type EncodingBases } from './pointer-encoding';

const DATAREL_SDATA4 = DW_EH_PE_datarel | DW_EH_PE_sdata4;

export class EhFrameHdr {
  /** Address of .eh_frame in the table's address space. */
  readonly ehFramePtr: number;
  /** Number of entries in the search table (0 when there is none). */
  readonly fdeCount: number;
  readonly tableEncoding: number;
  private readonly tableOffset: number;
  private readonly entrySize: number;

  private constructor(
    readonly data: Buffer,
    readonly address: number,
    readonly name: string,
    ehFramePtr: number,
    fdeCount: number,
    tableEncoding: number,
    tableOffset: number,
  ) {
    this.ehFramePtr = ehFramePtr;
    this.fdeCount = fdeCount;
    this.tableEncoding = tableEncoding;
    this.tableOffset = tableOffset;
    this.entrySize = 2 * encodedSize(tableEncoding);
  }

  get hasTable(): boolean {
    return this.fdeCount > 0;
  }

  /** Parses and checks the header; throws BadCfi when it is malformed or its table is cut short. */
  static parse(data: Buffer, address: number, name: string): EhFrameHdr {
    const c: ByteCursor = new ByteCursor(data, name);
    const version = c.u8();
    if (version !== 1) c.fail(`.eh_frame_hdr version ${version} is not 1`, 0);
    const ptrEnc = c.u8();
    const countEnc = c.u8();
    const tableEnc = c.u8();
    const bases: EncodingBases = { sectionAddress: address, dataBase: address };
    if (ptrEnc === DW_EH_PE_omit) c.fail('.eh_frame_hdr has no .eh_frame pointer', 1);
    const ptr = readEncoded(c, ptrEnc, bases);
    if (ptr.indirect) c.fail('indirect .eh_frame pointer is not supported', 4);
    let count = 0;
    if (countEnc !== DW_EH_PE_omit && tableEnc !== DW_EH_PE_omit) {
      count = readEncoded(c, countEnc, bases).value;
      const size = encodedSize(tableEnc);
      if (size <= 0) c.fail(`.eh_frame_hdr table encoding 0x${tableEnc.toString(16)} has no fixed size`, 3);
      if ((tableEnc & 0x80) !== 0) c.fail('indirect .eh_frame_hdr table entries are not supported', 3);
      if (count < 0 || count * 2 * size > c.remaining) {
        throw new BadCfiError(`${name}: .eh_frame_hdr claims ${count} entries but holds ${Math.floor(c.remaining / (2 * size))}`, {
          where: name,
          offset: c.pos,
        });
      }
    }
    return new EhFrameHdr(data, address, name, ptr.value, count, tableEnc, c.pos);
  }

  /** Initial location (table address space) of entry i. */
  initialLocation(i: number): number {
    if (this.tableEncoding === DATAREL_SDATA4) return this.address + this.data.readInt32LE(this.tableOffset + i * 8);
    const c: ByteCursor = new ByteCursor(this.data, this.name, this.tableOffset + i * this.entrySize);
    return readEncoded(c, this.tableEncoding, { sectionAddress: this.address, dataBase: this.address }).value;
  }

  /** FDE address (table address space) of entry i. */
  fdeAddress(i: number): number {
    if (this.tableEncoding === DATAREL_SDATA4) return this.address + this.data.readInt32LE(this.tableOffset + i * 8 + 4);
    const c: ByteCursor = new ByteCursor(this.data, this.name, this.tableOffset + i * this.entrySize + this.entrySize / 2);
    return readEncoded(c, this.tableEncoding, { sectionAddress: this.address, dataBase: this.address }).value;
  }

  /**
   * The address of the FDE whose initial location is the greatest one <= pc, or null when pc
   * is below the first entry. The caller checks that the FDE's range covers pc.
   */
  lookup(pc: number): number | null {
    const n = this.fdeCount;
    if (n === 0) return null;
    let lo = 0;
    let hi = n - 1;
    let found = -1;
    if (this.tableEncoding === DATAREL_SDATA4) {
      // Hot path: compare in the header's relative space, straight from the buffer.
      const rel = pc - this.address;
      const buf = this.data;
      const base = this.tableOffset;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (buf.readInt32LE(base + mid * 8) <= rel) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
    } else {
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (this.initialLocation(mid) <= pc) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
    }
    return found < 0 ? null : this.fdeAddress(found);
  }
}
