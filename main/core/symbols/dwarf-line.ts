// DWARF line-number programs (.debug_line), versions 2 to 5.
// One program (one CU's) is decoded at a time, lazily, into sequences of rows held in typed
// arrays; a lookup is a binary search. DWARF 5 headers describe their directory and file
// tables with entry formats (DW_LNCT_path as string/line_strp/strp/strx, DW_LNCT_directory_index
// as data/udata, DW_LNCT_MD5 as data16, ...), which we read generically.
//
// File names are given the way gdb prints them (see `fileName`) with the full path kept apart.
import * as path from 'node:path';
import { DumpFormatError } from '../errors';
import { BAD_ADDRESS, DwarfCursor, stringAt, upperBound } from './dwarf-cursor';

export interface LineLimits {
  /** Rows kept per line program. */
  maxRows: number;
  /** Opcodes executed per line program (bounds a program that loops without emitting rows). */
  maxOps: number;
  /** Directory and file entries per header. */
  maxFiles: number;
}

export const DEFAULT_LINE_LIMITS: LineLimits = { maxRows: 20_000_000, maxOps: 100_000_000, maxFiles: 1_000_000 };

/** The string sections a line program header may point into. */
export interface LineStrings {
  str: Buffer | null;
  lineStr: Buffer | null;
  /** For DW_FORM_strx in DWARF 5 headers (rare): the unit's .debug_str_offsets and base. */
  strOffsets?: Buffer | null;
  strOffsetsBase?: number;
}

/** What the owning compilation unit says about names. */
export interface LineUnitInfo {
  /** DW_AT_comp_dir. */
  compDir: string | null;
  /** DW_AT_name of the CU (the primary source file). */
  name: string | null;
}

export interface FileEntry {
  name: string;
  dirIndex: number;
  /** Hex MD5 when the header has DW_LNCT_MD5. */
  md5: string | null;
}

export interface LineRow {
  address: number;
  file: number;
  line: number;
  column: number;
  isStmt: boolean;
}

export interface ResolvedFile {
  /** As gdb prints it: the name relative to the CU's compilation directory as recorded. */
  name: string;
  /** Absolute (or as absolute as the record allows) path. */
  fullPath: string;
}

interface Sequence {
  start: number;
  end: number;
  addrs: Float64Array;
  lines: Uint32Array;
  cols: Uint32Array;
  files: Uint32Array;
  stmt: Uint8Array;
}

const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNS_set_column = 5;
const DW_LNS_negate_stmt = 6;
const DW_LNS_set_basic_block = 7;
const DW_LNS_const_add_pc = 8;
const DW_LNS_fixed_advance_pc = 9;
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;
const DW_LNE_define_file = 3;

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;
const DW_LNCT_MD5 = 5;

const DW_FORM_block = 0x09;
const DW_FORM_block1 = 0x0a;
const DW_FORM_block2 = 0x03;
const DW_FORM_block4 = 0x04;
const DW_FORM_data1 = 0x0b;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_data8 = 0x07;
const DW_FORM_data16 = 0x1e;
const DW_FORM_string = 0x08;
const DW_FORM_strp = 0x0e;
const DW_FORM_line_strp = 0x1f;
const DW_FORM_udata = 0x0f;
const DW_FORM_sdata = 0x0d;
const DW_FORM_strx = 0x1a;
const DW_FORM_strx1 = 0x25;
const DW_FORM_strx2 = 0x26;
const DW_FORM_strx3 = 0x27;
const DW_FORM_strx4 = 0x28;

export class LineTable {
  readonly version: number;
  readonly dirs: string[];
  readonly files: FileEntry[];
  readonly rowCount: number;
  /** Sequences sorted by start address. */
  private readonly seqs: Sequence[];
  private readonly seqStarts: Float64Array;
  private readonly seqMaxEnd: Float64Array;
  private readonly nameCache = new Map<number, ResolvedFile | null>();

  constructor(
    readonly offset: number,
    header: { version: number; dirs: string[]; files: FileEntry[] },
    seqs: Sequence[],
    private readonly unit: LineUnitInfo,
  ) {
    this.version = header.version;
    this.dirs = header.dirs;
    this.files = header.files;
    this.seqs = seqs.sort((a, b) => a.start - b.start);
    this.seqStarts = Float64Array.from(this.seqs, (s) => s.start);
    this.seqMaxEnd = new Float64Array(this.seqs.length);
    let m = 0;
    for (let i = 0; i < this.seqs.length; i++) {
      m = Math.max(m, this.seqs[i].end);
      this.seqMaxEnd[i] = m;
    }
    this.rowCount = this.seqs.reduce((n, s) => n + s.addrs.length, 0);
  }

  /** Address ranges covered by sequences (for building an address-to-program index). */
  ranges(): { start: number; end: number }[] {
    return this.seqs.map((s) => ({ start: s.start, end: s.end }));
  }

  /**
   * The row for a link-time address, chosen as gdb does: the last row at or before the
   * address in the sequence that holds it; when that row is not a statement boundary, an
   * earlier row at the same address that is. With `lastRow`, the last row at or before the
   * address whatever its is_stmt flag (binutils addr2line's choice).
   */
  lookup(address: number, opts: { lastRow?: boolean } = {}): LineRow | null {
    let i = upperBound(this.seqStarts, address);
    for (; i >= 0; i--) {
      if (this.seqMaxEnd[i] <= address) return null;
      const s = this.seqs[i];
      if (address >= s.end) continue;
      let r = upperBound(s.addrs, address);
      if (r < 0) continue;
      if (!s.stmt[r] && !opts.lastRow) {
        for (let k = r - 1; k >= 0 && s.addrs[k] === s.addrs[r]; k--) {
          if (s.stmt[k]) {
            r = k;
            break;
          }
        }
      }
      return { address: s.addrs[r], file: s.files[r], line: s.lines[r], column: s.cols[r], isStmt: s.stmt[r] === 1 };
    }
    return null;
  }

  /** All rows, in sequence order (tests and tools). */
  *rows(): Generator<LineRow & { endSequence: boolean }> {
    for (const s of this.seqs) {
      for (let r = 0; r < s.addrs.length; r++) yield { address: s.addrs[r], file: s.files[r], line: s.lines[r], column: s.cols[r], isStmt: s.stmt[r] === 1, endSequence: false };
      yield { address: s.end, file: 0, line: 0, column: 0, isStmt: false, endSequence: true };
    }
  }

  /**
   * A file index as a name, the way gdb 13 prints it: the entry's name joined to its
   * directory entry (DWARF 5 directory 0 is the compilation directory as recorded; in
   * DWARF 2-4 index 0 means "no directory"), except that a path equal to the CU's own name
   * under its compilation directory prints as the CU's name. `fullPath` is absolute when the
   * compilation directory is.
   */
  fileName(index: number): ResolvedFile | null {
    const hit = this.nameCache.get(index);
    if (hit !== undefined) return hit;
    const out = this.computeFileName(index);
    this.nameCache.set(index, out);
    return out;
  }

  private computeFileName(index: number): ResolvedFile | null {
    const fe = this.version >= 5 ? this.files[index] : this.files[index - 1];
    if (!fe) return null;
    const dirIdx = this.version >= 5 ? fe.dirIndex : fe.dirIndex - 1;
    const dir = dirIdx >= 0 && dirIdx < this.dirs.length ? this.dirs[dirIdx] : null;
    let name = !path.posix.isAbsolute(fe.name) && dir ? joinPath(dir, fe.name) : fe.name;
    const cuName = this.unit.name;
    const compDir = this.unit.compDir;
    if (cuName !== null && name !== cuName && path.posix.isAbsolute(name) && !path.posix.isAbsolute(cuName) && compDir !== null && joinPath(compDir, cuName) === name) {
      name = cuName;
    }
    let fullPath = name;
    if (!path.posix.isAbsolute(name)) fullPath = compDir ? joinPath(compDir, name) : name;
    return { name, fullPath: path.posix.isAbsolute(fullPath) ? path.posix.normalize(fullPath) : fullPath };
  }
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/**
 * Decodes the line program at `offset` of `.debug_line`. Throws DumpFormatError('BadDwarf')
 * for a header that cannot be read; a program that runs past its unit or its limits stops
 * there with the rows decoded so far (sequences not closed are dropped).
 */
export function parseLineProgram(
  debugLine: Buffer,
  offset: number,
  strings: LineStrings,
  unit: LineUnitInfo,
  file: string,
  limits: LineLimits = DEFAULT_LINE_LIMITS,
): LineTable {
  const c = new DwarfCursor(debugLine, { section: '.debug_line', file }, offset);
  const { length, offsetSize } = c.initialLength();
  const unitEnd = c.pos + length;
  if (unitEnd > debugLine.length) c.fail(`line program of ${length} bytes runs past the section end`, offset);
  c.end = unitEnd;
  const version = c.u16();
  if (version < 2 || version > 5) c.fail(`unsupported line table version ${version}`, offset);
  if (version >= 5) {
    const addrSize = c.u8();
    c.u8(); // segment_selector_size
    if (addrSize !== 4 && addrSize !== 8) c.fail(`line table address size ${addrSize}`, offset);
  }
  const headerLength = c.offset(offsetSize);
  const programStart = c.pos + headerLength;
  if (programStart > unitEnd) c.fail('line table header runs past its unit', offset);
  const minInst = c.u8();
  const maxOps = version >= 4 ? c.u8() : 1;
  const defaultIsStmt = c.u8() !== 0;
  const lineBase = c.i8();
  const lineRange = c.u8();
  const opcodeBase = c.u8();
  if (lineRange === 0) c.fail('line_range is 0', offset);
  if (maxOps === 0) c.fail('maximum_operations_per_instruction is 0', offset);
  const stdLengths: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) stdLengths.push(c.u8());

  const dirs: string[] = [];
  const files: FileEntry[] = [];
  if (version >= 5) {
    const readTable = (what: string, onEntry: (fields: Map<number, { str: string | null; num: number; md5: string | null }>) => void) => {
      const formatCount = c.u8();
      const formats: { type: number; form: number }[] = [];
      for (let i = 0; i < formatCount; i++) formats.push({ type: c.uleb(), form: c.uleb() });
      const count = c.uleb();
      if (count > limits.maxFiles) c.fail(`${count} ${what} entries is over the limit`);
      for (let i = 0; i < count; i++) {
        const fields = new Map<number, { str: string | null; num: number; md5: string | null }>();
        for (const f of formats) fields.set(f.type, readEntryForm(c, f.form, offsetSize, strings));
        onEntry(fields);
      }
    };
    readTable('directory', (f) => dirs.push(f.get(DW_LNCT_path)?.str ?? ''));
    readTable('file', (f) =>
      files.push({ name: f.get(DW_LNCT_path)?.str ?? '', dirIndex: f.get(DW_LNCT_directory_index)?.num ?? 0, md5: f.get(DW_LNCT_MD5)?.md5 ?? null }),
    );
  } else {
    for (let i = 0; ; i++) {
      if (i > limits.maxFiles) c.fail('too many include directories');
      const d = c.cstr();
      if (d.length === 0) break;
      dirs.push(d);
    }
    for (let i = 0; ; i++) {
      if (i > limits.maxFiles) c.fail('too many file entries');
      const name = c.cstr();
      if (name.length === 0) break;
      const dirIndex = c.uleb();
      c.uleb(); // mtime
      c.uleb(); // length
      files.push({ name, dirIndex, md5: null });
    }
  }

  // The state machine. VLIW op_index is tracked as the spec says, though x86 has maxOps 1.
  c.pos = programStart;
  const seqs: Sequence[] = [];
  let addrs: number[] = [];
  let lines: number[] = [];
  let cols: number[] = [];
  let fileIdx: number[] = [];
  let stmts: number[] = [];
  let address = 0;
  let opIndex = 0;
  let fileNo = 1;
  let line = 1;
  let column = 0;
  let isStmt = defaultIsStmt;
  let badSequence = false;
  let rowTotal = 0;
  const reset = () => {
    address = 0;
    opIndex = 0;
    fileNo = 1;
    line = 1;
    column = 0;
    isStmt = defaultIsStmt;
    badSequence = false;
  };
  const emit = () => {
    if (rowTotal >= limits.maxRows) return;
    rowTotal++;
    addrs.push(address);
    lines.push(line >>> 0);
    cols.push(column);
    fileIdx.push(fileNo);
    stmts.push(isStmt ? 1 : 0);
  };
  const endSequence = () => {
    // A sequence at address 0 or at a tombstone belongs to a function the linker discarded.
    if (!badSequence && addrs.length > 0 && addrs[0] !== 0 && address > addrs[0]) {
      // Rows must be sorted for binary search; producers emit them sorted within a sequence.
      let sorted = true;
      for (let k = 1; k < addrs.length; k++) if (addrs[k] < addrs[k - 1]) sorted = false;
      if (sorted) {
        seqs.push({
          start: addrs[0],
          end: address,
          addrs: Float64Array.from(addrs),
          lines: Uint32Array.from(lines),
          cols: Uint32Array.from(cols),
          files: Uint32Array.from(fileIdx),
          stmt: Uint8Array.from(stmts),
        });
      }
    }
    addrs = [];
    lines = [];
    cols = [];
    fileIdx = [];
    stmts = [];
    reset();
  };
  const advance = (operationAdvance: number) => {
    if (maxOps === 1) {
      address += minInst * operationAdvance;
    } else {
      address += minInst * Math.floor((opIndex + operationAdvance) / maxOps);
      opIndex = (opIndex + operationAdvance) % maxOps;
    }
  };
  let ops = 0;
  try {
    while (c.pos < unitEnd) {
      if (++ops > limits.maxOps) break;
      const op = c.u8();
      if (op >= opcodeBase) {
        const adj = op - opcodeBase;
        advance(Math.floor(adj / lineRange));
        line += lineBase + (adj % lineRange);
        emit();
        continue;
      }
      switch (op) {
        case 0: {
          const len = c.uleb();
          if (len === 0) break;
          const next = c.pos + len;
          if (next > unitEnd || len === BAD_ADDRESS) c.fail(`extended opcode of ${len} bytes runs past the line program`);
          const sub = c.u8();
          if (sub === DW_LNE_end_sequence) {
            endSequence();
          } else if (sub === DW_LNE_set_address) {
            const a = len - 1 === 8 ? c.u64() : len - 1 === 4 ? c.u32() : c.uN(Math.min(8, len - 1));
            if (a === BAD_ADDRESS) badSequence = true;
            else address = a;
            opIndex = 0;
          } else if (sub === DW_LNE_define_file) {
            const name = c.cstr();
            const dirIndex = c.uleb();
            files.push({ name, dirIndex, md5: null });
          }
          c.pos = next;
          break;
        }
        case DW_LNS_copy:
          emit();
          break;
        case DW_LNS_advance_pc:
          advance(c.uleb());
          break;
        case DW_LNS_advance_line:
          line += c.sleb();
          break;
        case DW_LNS_set_file:
          fileNo = c.uleb();
          break;
        case DW_LNS_set_column:
          column = c.uleb();
          break;
        case DW_LNS_negate_stmt:
          isStmt = !isStmt;
          break;
        case DW_LNS_set_basic_block:
          break;
        case DW_LNS_const_add_pc:
          advance(Math.floor((255 - opcodeBase) / lineRange));
          break;
        case DW_LNS_fixed_advance_pc:
          address += c.u16();
          opIndex = 0;
          break;
        default:
          // Standard opcodes we do not know (prologue_end, epilogue_begin, set_isa, or
          // vendor ones): skip their ULEB operands as the header says.
          for (let k = 0; k < (stdLengths[op] ?? 0); k++) c.uleb();
      }
      if (address === BAD_ADDRESS || address > Number.MAX_SAFE_INTEGER) badSequence = true;
    }
  } catch (e) {
    if (!(e instanceof DumpFormatError)) throw e;
    // Keep the sequences decoded before the damage; the open one is dropped.
  }
  return new LineTable(offset, { version, dirs, files }, seqs, unit);
}

function readEntryForm(c: DwarfCursor, form: number, offsetSize: 4 | 8, s: LineStrings): { str: string | null; num: number; md5: string | null } {
  switch (form) {
    case DW_FORM_string:
      return { str: c.cstr(), num: 0, md5: null };
    case DW_FORM_line_strp:
      return { str: stringAt(s.lineStr, c.offset(offsetSize)), num: 0, md5: null };
    case DW_FORM_strp:
      return { str: stringAt(s.str, c.offset(offsetSize)), num: 0, md5: null };
    case DW_FORM_strx:
    case DW_FORM_strx1:
    case DW_FORM_strx2:
    case DW_FORM_strx3:
    case DW_FORM_strx4: {
      const idx = form === DW_FORM_strx ? c.uleb() : form === DW_FORM_strx1 ? c.u8() : form === DW_FORM_strx2 ? c.u16() : form === DW_FORM_strx3 ? c.u24() : c.u32();
      const so = s.strOffsets;
      const at = (s.strOffsetsBase ?? 8) + idx * offsetSize;
      if (!so || at + offsetSize > so.length) return { str: null, num: 0, md5: null };
      const off = offsetSize === 8 ? Number(so.readBigUInt64LE(at)) : so.readUInt32LE(at);
      return { str: stringAt(s.str, off), num: 0, md5: null };
    }
    case DW_FORM_udata:
      return { str: null, num: c.uleb(), md5: null };
    case DW_FORM_sdata:
      return { str: null, num: c.sleb(), md5: null };
    case DW_FORM_data1:
      return { str: null, num: c.u8(), md5: null };
    case DW_FORM_data2:
      return { str: null, num: c.u16(), md5: null };
    case DW_FORM_data4:
      return { str: null, num: c.u32(), md5: null };
    case DW_FORM_data8:
      return { str: null, num: c.u64(), md5: null };
    case DW_FORM_data16: {
      c.need(16);
      const md5 = c.buf.toString('hex', c.pos, c.pos + 16);
      c.pos += 16;
      return { str: null, num: 0, md5 };
    }
    case DW_FORM_block:
      c.skip(c.uleb());
      return { str: null, num: 0, md5: null };
    case DW_FORM_block1:
      c.skip(c.u8());
      return { str: null, num: 0, md5: null };
    case DW_FORM_block2:
      c.skip(c.u16());
      return { str: null, num: 0, md5: null };
    case DW_FORM_block4:
      c.skip(c.u32());
      return { str: null, num: 0, md5: null };
    default:
      return c.fail(`unsupported form 0x${form.toString(16)} in a line table entry format`);
  }
}
