// DWARF debugging information entries (.debug_info with .debug_abbrev, .debug_str,
// .debug_line_str, .debug_str_offsets, .debug_addr, .debug_ranges, .debug_rnglists,
// .debug_aranges), versions 2 to 5, read lazily:
// - unit headers are listed once (a few bytes each);
// - an address finds its compilation unit through .debug_aranges, or through a range index
//   built once from each unit's top DIE (low_pc/high_pc/ranges) for units aranges lacks;
// - a unit's DIE tree is walked once, when a pc first lands in it, into a small tree of
//   functions (DW_TAG_subprogram) and inlined calls (DW_TAG_inlined_subroutine) with their
//   address ranges; names are resolved only for the DIEs a lookup returns, following
//   DW_AT_abstract_origin and DW_AT_specification (also across units and into a dwz
//   supplementary file).
// Corrupt units are skipped with a note; nothing here throws out of a lookup.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DumpFormatError } from '../errors';
import { ElfImage } from '../elf';
import { demangle } from './demangle';
import { BAD_ADDRESS, DwarfCursor, stringAt, upperBound } from './dwarf-cursor';
import { BoundedCache } from './bounded-cache';
import { DEFAULT_LINE_LIMITS, parseLineProgram, type LineLimits, type LineTable } from './dwarf-line';

export type SectionGetter = (name: string) => Buffer | null;

export interface DwarfLimits {
  maxUnits: number;
  /** DIEs walked per unit. */
  maxDies: number;
  /** Nesting depth of DIEs. */
  maxDepth: number;
  /** Abbreviations per table. */
  maxAbbrevs: number;
  /** Entries per range list. */
  maxRanges: number;
  /** Steps when following abstract_origin/specification chains. */
  maxOriginChain: number;
  line: LineLimits;
}

export const DEFAULT_DWARF_LIMITS: DwarfLimits = {
  maxUnits: 1_000_000,
  maxDies: 20_000_000,
  maxDepth: 512,
  maxAbbrevs: 1_000_000,
  maxRanges: 1_000_000,
  maxOriginChain: 16,
  line: DEFAULT_LINE_LIMITS,
};

// Tags
const DW_TAG_subprogram = 0x2e;
const DW_TAG_inlined_subroutine = 0x1d;
const DW_TAG_compile_unit = 0x11;
const DW_TAG_partial_unit = 0x3c;
const DW_TAG_skeleton_unit = 0x4a;
// Attributes
const DW_AT_name = 0x03;
const DW_AT_stmt_list = 0x10;
const DW_AT_low_pc = 0x11;
const DW_AT_high_pc = 0x12;
const DW_AT_comp_dir = 0x1b;
const DW_AT_abstract_origin = 0x31;
const DW_AT_declaration = 0x3c;
const DW_AT_specification = 0x47;
const DW_AT_ranges = 0x55;
const DW_AT_call_column = 0x57;
const DW_AT_call_file = 0x58;
const DW_AT_call_line = 0x59;
const DW_AT_linkage_name = 0x6e;
const DW_AT_str_offsets_base = 0x72;
const DW_AT_addr_base = 0x73;
const DW_AT_rnglists_base = 0x74;
const DW_AT_dwo_name = 0x76;
const DW_AT_MIPS_linkage_name = 0x2007;
const DW_AT_GNU_dwo_name = 0x2130;
const DW_AT_GNU_ranges_base = 0x2132;
const DW_AT_GNU_addr_base = 0x2133;
// Forms
const F = {
  addr: 0x01,
  block2: 0x03,
  block4: 0x04,
  data2: 0x05,
  data4: 0x06,
  data8: 0x07,
  string: 0x08,
  block: 0x09,
  block1: 0x0a,
  data1: 0x0b,
  flag: 0x0c,
  sdata: 0x0d,
  strp: 0x0e,
  udata: 0x0f,
  ref_addr: 0x10,
  ref1: 0x11,
  ref2: 0x12,
  ref4: 0x13,
  ref8: 0x14,
  ref_udata: 0x15,
  indirect: 0x16,
  sec_offset: 0x17,
  exprloc: 0x18,
  flag_present: 0x19,
  strx: 0x1a,
  addrx: 0x1b,
  ref_sup4: 0x1c,
  strp_sup: 0x1d,
  data16: 0x1e,
  line_strp: 0x1f,
  ref_sig8: 0x20,
  implicit_const: 0x21,
  loclistx: 0x22,
  rnglistx: 0x23,
  ref_sup8: 0x24,
  strx1: 0x25,
  strx2: 0x26,
  strx3: 0x27,
  strx4: 0x28,
  addrx1: 0x29,
  addrx2: 0x2a,
  addrx3: 0x2b,
  addrx4: 0x2c,
  GNU_addr_index: 0x1f01,
  GNU_str_index: 0x1f02,
  GNU_ref_alt: 0x1f20,
  GNU_strp_alt: 0x1f21,
} as const;

// Unit types (DWARF 5)
const DW_UT_compile = 1;
const DW_UT_type = 2;
const DW_UT_partial = 3;
const DW_UT_skeleton = 4;
const DW_UT_split_compile = 5;
const DW_UT_split_type = 6;

interface Abbrev {
  tag: number;
  hasChildren: boolean;
  names: Uint32Array;
  forms: Uint32Array;
  implicit: Float64Array;
}

export interface Unit {
  index: number;
  offset: number;
  end: number;
  version: number;
  unitType: number;
  offsetSize: 4 | 8;
  addrSize: number;
  abbrevOffset: number;
  dieOffset: number;
  /** DWARF 5 skeleton and split units: the id that pairs them (hex). */
  dwoId: string | null;
}

/** Defaults a split unit takes from its skeleton (DWARF 5 section 3.1.3). */
export interface InheritedUnitFacts {
  addrBase: number;
  compDir: string | null;
}

/** What a unit's top DIE says. */
interface UnitTop {
  tag: number;
  name: string | null;
  compDir: string | null;
  stmtList: number;
  lowPc: number;
  ranges: number[];
  strOffsetsBase: number;
  addrBase: number;
  rnglistsBase: number;
  /** Split DWARF skeleton: its DIEs live in a .dwo file we do not read. */
  dwoName: string | null;
}

interface ScopeNode {
  die: number;
  tag: number;
  /** Flat [lo, hi) pairs. */
  ranges: number[];
  parent: number;
  children: number[];
  callFile: number;
  callLine: number;
  callColumn: number;
}

interface UnitScopes {
  nodes: ScopeNode[];
  /** Subprograms with code, by range: starts sorted; node index per range. */
  starts: Float64Array;
  ends: Float64Array;
  maxEnds: Float64Array;
  nodeOf: Int32Array;
}

/** A raw attribute value: the form and a number (an offset, index, constant or address). */
interface RawAttr {
  form: number;
  value: number;
}

/** One level of a pc's function chain, outermost (the real function) first. */
export interface ScopeAtPc {
  /** DIE offset in .debug_info. */
  die: number;
  inlined: boolean;
  /** Display name (demangled linkage name, or DW_AT_name). */
  name: string | null;
  /** Linkage (mangled) name when the DIE chain has one. */
  linkageName: string | null;
  /** Lowest address of the scope (its entry for a subprogram). */
  lowPc: number;
  /** For an inlined call: where it was called from, in the enclosing scope. */
  call: { file: number; line: number; column: number } | null;
}

export interface PcScopes {
  unit: Unit;
  scopes: ScopeAtPc[];
  /** The line table whose file names DW_AT_call_file indexes. */
  callFiles: LineTable | null;
}

export class DwarfInfo {
  private readonly units: Unit[] = [];
  private readonly unitOffsets: Float64Array;
  private readonly abbrevCache = new Map<number, Map<number, Abbrev>>();
  private readonly topCache = new Map<number, UnitTop | null>();
  // Bounded: a big library's tables are rebuilt on demand rather than kept forever.
  private readonly scopeCache = new BoundedCache<number, UnitScopes | null>(256);
  private readonly lineCache = new BoundedCache<number, LineTable | null>(256);
  private cuIndex: { starts: Float64Array; ends: Float64Array; maxEnds: Float64Array; unit: Int32Array } | null = null;
  /** Sequence ranges of every line program, for files whose units cannot be found by address. */
  private allLines: { starts: Float64Array; ends: Float64Array; maxEnds: Float64Array; offset: Float64Array } | null = null;
  private readonly lineOwners = new Map<number, { top: UnitTop; u: Unit }>();
  /** Problems met (corrupt units skipped, limits reached, unsupported features). */
  readonly notes: string[] = [];
  /** A dwz supplementary file (.gnu_debugaltlink), when found. */
  alt: DwarfInfo | null = null;

  private readonly info: Buffer | null;
  private readonly abbrev: Buffer | null;

  constructor(
    private readonly section: SectionGetter,
    readonly file: string,
    private readonly limits: DwarfLimits = DEFAULT_DWARF_LIMITS,
    /** For the DWARF of a .dwo file: what its split units take from their skeleton. */
    private readonly inherited: InheritedUnitFacts | null = null,
  ) {
    this.info = section('.debug_info');
    this.abbrev = section('.debug_abbrev');
    if (this.info && this.abbrev) this.listUnits();
    this.unitOffsets = Float64Array.from(this.units, (u) => u.offset);
  }

  get hasInfo(): boolean {
    return this.units.length > 0;
  }

  get unitCount(): number {
    return this.units.length;
  }

  private note(msg: string): void {
    if (this.notes.length < 100 && !this.notes.includes(msg)) this.notes.push(msg);
  }

  private listUnits(): void {
    const info = this.info as Buffer;
    const c = new DwarfCursor(info, { section: '.debug_info', file: this.file });
    try {
      while (c.pos + 11 <= info.length) {
        if (this.units.length >= this.limits.maxUnits) {
          this.note(`${this.file}: more than ${this.limits.maxUnits} units in .debug_info; the rest are ignored`);
          break;
        }
        const offset = c.pos;
        const { length, offsetSize } = c.initialLength();
        const end = c.pos + length;
        if (end > info.length) c.fail(`unit of ${length} bytes runs past the section end`, offset);
        const version = c.u16();
        if (version < 2 || version > 5) {
          this.note(`${this.file}: unit at 0x${offset.toString(16)} has unsupported DWARF version ${version}; skipped`);
          c.pos = end;
          continue;
        }
        let unitType = DW_UT_compile;
        let addrSize: number;
        let abbrevOffset: number;
        let dwoId: string | null = null;
        if (version >= 5) {
          unitType = c.u8();
          addrSize = c.u8();
          abbrevOffset = c.offset(offsetSize);
          if (unitType === DW_UT_skeleton || unitType === DW_UT_split_compile) {
            c.need(8);
            dwoId = info.toString('hex', c.pos, c.pos + 8);
            c.skip(8);
          } else if (unitType === DW_UT_type || unitType === DW_UT_split_type) c.skip(8 + offsetSize);
        } else {
          abbrevOffset = c.offset(offsetSize);
          addrSize = c.u8();
        }
        if (addrSize !== 4 && addrSize !== 8) {
          this.note(`${this.file}: unit at 0x${offset.toString(16)} has address size ${addrSize}; skipped`);
        } else {
          this.units.push({ index: this.units.length, offset, end, version, unitType, offsetSize, addrSize, abbrevOffset, dieOffset: c.pos, dwoId });
        }
        c.pos = end;
      }
    } catch (e) {
      if (!(e instanceof DumpFormatError)) throw e;
      this.note(`${this.file}: .debug_info is damaged after ${this.units.length} units: ${e.message}`);
    }
  }

  /** The unit holding a .debug_info offset. */
  unitAtOffset(offset: number): Unit | null {
    const i = upperBound(this.unitOffsets, offset);
    if (i < 0) return null;
    const u = this.units[i];
    return offset < u.end ? u : null;
  }

  private abbrevs(offset: number): Map<number, Abbrev> {
    const hit = this.abbrevCache.get(offset);
    if (hit) return hit;
    const table = new Map<number, Abbrev>();
    const c = new DwarfCursor(this.abbrev as Buffer, { section: '.debug_abbrev', file: this.file }, offset);
    for (;;) {
      const code = c.uleb();
      if (code === 0) break;
      if (table.size >= this.limits.maxAbbrevs) c.fail('too many abbreviations');
      const tag = c.uleb();
      const hasChildren = c.u8() !== 0;
      const names: number[] = [];
      const forms: number[] = [];
      const implicit: number[] = [];
      for (let k = 0; ; k++) {
        if (k > 10_000) c.fail('abbreviation with too many attributes');
        const name = c.uleb();
        const form = c.uleb();
        if (name === 0 && form === 0) break;
        names.push(name);
        forms.push(form);
        implicit.push(form === F.implicit_const ? c.sleb() : 0);
      }
      table.set(code, { tag, hasChildren, names: Uint32Array.from(names), forms: Uint32Array.from(forms), implicit: Float64Array.from(implicit) });
    }
    this.abbrevCache.set(offset, table);
    return table;
  }

  /** Reads one attribute value, leaving the cursor after it. */
  private readForm(c: DwarfCursor, form: number, u: Unit, implicit: number, depth = 0): RawAttr {
    switch (form) {
      case F.addr:
        return { form, value: c.uN(u.addrSize) };
      case F.data1:
      case F.ref1:
      case F.flag:
      case F.strx1:
      case F.addrx1:
        return { form, value: c.u8() };
      case F.data2:
      case F.ref2:
      case F.strx2:
      case F.addrx2:
        return { form, value: c.u16() };
      case F.strx3:
      case F.addrx3:
        return { form, value: c.u24() };
      case F.data4:
      case F.ref4:
      case F.ref_sup4:
      case F.strx4:
      case F.addrx4:
        return { form, value: c.u32() };
      case F.data8:
      case F.ref8:
      case F.ref_sig8:
      case F.ref_sup8:
        return { form, value: c.u64() };
      case F.data16:
        c.skip(16);
        return { form, value: 0 };
      case F.string: {
        const at = c.pos;
        const nul = c.buf.indexOf(0, at);
        if (nul < 0 || nul >= c.end) c.fail('unterminated string');
        c.pos = nul + 1;
        return { form, value: at };
      }
      case F.block:
      case F.exprloc:
        c.skip(c.uleb());
        return { form, value: 0 };
      case F.block1:
        c.skip(c.u8());
        return { form, value: 0 };
      case F.block2:
        c.skip(c.u16());
        return { form, value: 0 };
      case F.block4:
        c.skip(c.u32());
        return { form, value: 0 };
      case F.sdata:
        return { form, value: c.sleb() };
      case F.udata:
      case F.ref_udata:
      case F.strx:
      case F.addrx:
      case F.loclistx:
      case F.rnglistx:
      case F.GNU_addr_index:
      case F.GNU_str_index:
        return { form, value: c.uleb() };
      case F.strp:
      case F.line_strp:
      case F.sec_offset:
      case F.strp_sup:
      case F.GNU_ref_alt:
      case F.GNU_strp_alt:
        return { form, value: c.offset(u.offsetSize) };
      case F.ref_addr:
        return { form, value: u.version <= 2 ? c.uN(u.addrSize) : c.offset(u.offsetSize) };
      case F.flag_present:
        return { form, value: 1 };
      case F.implicit_const:
        return { form, value: implicit };
      case F.indirect: {
        if (depth > 4) c.fail('DW_FORM_indirect chain');
        return this.readForm(c, c.uleb(), u, implicit, depth + 1);
      }
      default:
        return c.fail(`unknown attribute form 0x${form.toString(16)}`);
    }
  }

  /** Attributes of the DIE at `offset` (an absolute .debug_info offset) as a map, or null. */
  private readDieAttrs(offset: number): { unit: Unit; tag: number; attrs: Map<number, RawAttr> } | null {
    const u = this.unitAtOffset(offset);
    if (!u || offset < u.dieOffset) return null;
    const c = new DwarfCursor(this.info as Buffer, { section: '.debug_info', file: this.file }, offset, u.end);
    const code = c.uleb();
    if (code === 0) return null;
    const ab = this.abbrevs(u.abbrevOffset).get(code);
    if (!ab) return c.fail(`unknown abbreviation code ${code}`, offset);
    const attrs = new Map<number, RawAttr>();
    for (let k = 0; k < ab.names.length; k++) {
      const v = this.readForm(c, ab.forms[k], u, ab.implicit[k]);
      if (!attrs.has(ab.names[k])) attrs.set(ab.names[k], v);
    }
    return { unit: u, tag: ab.tag, attrs };
  }

  private unitTop(u: Unit): UnitTop | null {
    if (this.topCache.has(u.offset)) return this.topCache.get(u.offset) ?? null;
    let top: UnitTop | null = null;
    try {
      const d = this.readDieAttrs(u.dieOffset);
      if (d) {
        const a = d.attrs;
        const num = (id: number, dflt: number) => a.get(id)?.value ?? dflt;
        top = {
          tag: d.tag,
          name: null,
          compDir: null,
          stmtList: a.has(DW_AT_stmt_list) ? num(DW_AT_stmt_list, -1) : -1,
          lowPc: 0,
          ranges: [],
          strOffsetsBase: num(DW_AT_str_offsets_base, u.version >= 5 ? 8 : 0),
          addrBase: num(DW_AT_addr_base, num(DW_AT_GNU_addr_base, this.inherited?.addrBase ?? 8)),
          // A split unit's rnglistx indexes the offset table right after the one header of
          // .debug_rnglists.dwo.
          rnglistsBase: num(DW_AT_rnglists_base, num(DW_AT_GNU_ranges_base, u.unitType === DW_UT_split_compile ? (u.offsetSize === 8 ? 20 : 12) : 0)),
          dwoName: null,
        };
        // Strings and addresses need the bases just read, so they come second.
        const str = (id: number) => {
          const v = a.get(id);
          return v ? this.stringOf(v, u, top as UnitTop) : null;
        };
        top.name = str(DW_AT_name);
        top.compDir = str(DW_AT_comp_dir) ?? this.inherited?.compDir ?? null;
        top.dwoName = str(DW_AT_dwo_name) ?? str(DW_AT_GNU_dwo_name);
        const low = a.get(DW_AT_low_pc);
        top.lowPc = low ? this.addressOf(low, u, top) : 0;
        top.ranges = this.rangesOf(a, u, top, top.lowPc);
      }
    } catch (e) {
      if (!(e instanceof DumpFormatError)) throw e;
      this.note(`${this.file}: unit at 0x${u.offset.toString(16)} skipped: ${e.message}`);
      top = null;
    }
    this.topCache.set(u.offset, top);
    return top;
  }

  private stringOf(v: RawAttr, u: Unit, top: UnitTop | null): string | null {
    switch (v.form) {
      case F.string:
        return stringAt(this.info, v.value);
      case F.strp:
        return stringAt(this.section('.debug_str'), v.value);
      case F.line_strp:
        return stringAt(this.section('.debug_line_str'), v.value);
      case F.strx:
      case F.strx1:
      case F.strx2:
      case F.strx3:
      case F.strx4:
      case F.GNU_str_index: {
        const so = this.section('.debug_str_offsets');
        const base = top ? top.strOffsetsBase : 8;
        const at = base + v.value * u.offsetSize;
        if (!so || at + u.offsetSize > so.length) return null;
        const off = u.offsetSize === 8 ? Number(so.readBigUInt64LE(at)) : so.readUInt32LE(at);
        return stringAt(this.section('.debug_str'), off);
      }
      case F.GNU_strp_alt:
      case F.strp_sup:
        return this.alt ? stringAt(this.alt.section('.debug_str'), v.value) : null;
      default:
        return null;
    }
  }

  private addressOf(v: RawAttr, u: Unit, top: UnitTop | null): number {
    switch (v.form) {
      case F.addrx:
      case F.addrx1:
      case F.addrx2:
      case F.addrx3:
      case F.addrx4:
      case F.GNU_addr_index:
        return this.addrIndex(v.value, u, top);
      default:
        return v.value;
    }
  }

  private addrIndex(index: number, u: Unit, top: UnitTop | null): number {
    const sec = this.section('.debug_addr');
    const at = (top ? top.addrBase : 8) + index * u.addrSize;
    if (!sec || at + u.addrSize > sec.length) return BAD_ADDRESS;
    if (u.addrSize === 4) return sec.readUInt32LE(at);
    const hi = sec.readUInt32LE(at + 4);
    return hi < 1 << 21 ? hi * 4294967296 + sec.readUInt32LE(at) : BAD_ADDRESS;
  }

  /** Address ranges of a DIE with these attributes, as flat [lo, hi) pairs. */
  private rangesOf(a: Map<number, RawAttr>, u: Unit, top: UnitTop, base: number): number[] {
    const low = a.get(DW_AT_low_pc);
    const high = a.get(DW_AT_high_pc);
    const out: number[] = [];
    if (low && high) {
      const lo = this.addressOf(low, u, top);
      const isAddr = high.form === F.addr || high.form === F.addrx || (high.form >= F.addrx1 && high.form <= F.addrx4) || high.form === F.GNU_addr_index;
      const hi = isAddr ? this.addressOf(high, u, top) : lo + high.value;
      if (lo !== BAD_ADDRESS && lo > 0 && hi > lo) out.push(lo, hi);
      return out;
    }
    const r = a.get(DW_AT_ranges);
    if (r) this.readRanges(r, u, top, base, out);
    else if (low && !high) {
      const lo = this.addressOf(low, u, top);
      if (lo > 0) out.push(lo, lo + 1);
    }
    return out;
  }

  private readRanges(r: RawAttr, u: Unit, top: UnitTop, base: number, out: number[]): void {
    if (u.version >= 5 || r.form === F.rnglistx) {
      const sec = this.section('.debug_rnglists');
      if (!sec) return;
      let offset: number;
      if (r.form === F.rnglistx) {
        const at = top.rnglistsBase + r.value * u.offsetSize;
        if (at + u.offsetSize > sec.length) return;
        offset = top.rnglistsBase + (u.offsetSize === 8 ? Number(sec.readBigUInt64LE(at)) : sec.readUInt32LE(at));
      } else offset = r.value;
      this.readRngList(sec, offset, u, top, base, out);
      return;
    }
    const sec = this.section('.debug_ranges');
    if (!sec) return;
    const c = new DwarfCursor(sec, { section: '.debug_ranges', file: this.file }, r.value);
    let b = base;
    for (let n = 0; n < this.limits.maxRanges; n++) {
      c.need(2 * u.addrSize);
      // A start of all ones selects a new base address (DWARF 2-4).
      const isMax = u.addrSize === 8 ? sec.readUInt32LE(c.pos) === 0xffffffff && sec.readUInt32LE(c.pos + 4) === 0xffffffff : sec.readUInt32LE(c.pos) === 0xffffffff;
      const lo = c.uN(u.addrSize);
      const hi = c.uN(u.addrSize);
      if (lo === 0 && hi === 0) break;
      if (isMax) {
        b = hi;
        continue;
      }
      if (lo === BAD_ADDRESS || hi === BAD_ADDRESS || b === BAD_ADDRESS) continue;
      if (hi > lo && b + lo > 0) out.push(b + lo, b + hi);
    }
  }

  private readRngList(sec: Buffer, offset: number, u: Unit, top: UnitTop, base: number, out: number[]): void {
    const c = new DwarfCursor(sec, { section: '.debug_rnglists', file: this.file }, offset);
    let b = base;
    const push = (lo: number, hi: number) => {
      if (lo !== BAD_ADDRESS && hi !== BAD_ADDRESS && lo > 0 && hi > lo) out.push(lo, hi);
    };
    for (let n = 0; n < this.limits.maxRanges; n++) {
      const kind = c.u8();
      switch (kind) {
        case 0: // DW_RLE_end_of_list
          return;
        case 1: // base_addressx
          b = this.addrIndex(c.uleb(), u, top);
          break;
        case 2: {
          // startx_endx
          const s = this.addrIndex(c.uleb(), u, top);
          push(s, this.addrIndex(c.uleb(), u, top));
          break;
        }
        case 3: {
          // startx_length
          const s = this.addrIndex(c.uleb(), u, top);
          push(s, s + c.uleb());
          break;
        }
        case 4: {
          // offset_pair
          const lo = c.uleb();
          const hi = c.uleb();
          if (b !== BAD_ADDRESS) push(b + lo, b + hi);
          break;
        }
        case 5: // base_address
          b = c.uN(u.addrSize);
          break;
        case 6: {
          // start_end
          const s = c.uN(u.addrSize);
          push(s, c.uN(u.addrSize));
          break;
        }
        case 7: {
          // start_length
          const s = c.uN(u.addrSize);
          push(s, s + c.uleb());
          break;
        }
        default:
          c.fail(`unknown range list entry kind ${kind}`);
      }
    }
  }

  /** The compilation unit whose code holds a link-time address. */
  unitForAddress(address: number): Unit | null {
    if (!this.cuIndex) this.buildCuIndex();
    const idx = this.cuIndex as NonNullable<DwarfInfo['cuIndex']>;
    let i = upperBound(idx.starts, address);
    for (; i >= 0; i--) {
      if (idx.maxEnds[i] <= address) return null;
      if (address < idx.ends[i]) return this.units[idx.unit[i]];
    }
    return null;
  }

  private buildCuIndex(): void {
    const entries: { start: number; end: number; unit: number }[] = [];
    const covered = new Set<number>();
    const ar = this.section('.debug_aranges');
    if (ar) {
      try {
        const c = new DwarfCursor(ar, { section: '.debug_aranges', file: this.file });
        while (c.pos + 12 <= ar.length) {
          const setStart = c.pos;
          const { length, offsetSize } = c.initialLength();
          const end = c.pos + length;
          if (end > ar.length) break;
          c.u16(); // version
          const infoOffset = c.offset(offsetSize);
          const addrSize = c.u8();
          const segSize = c.u8();
          const u = this.unitAtOffset(infoOffset);
          if ((addrSize === 4 || addrSize === 8) && u && u.offset === infoOffset) {
            const tuple = 2 * addrSize + segSize;
            c.pos = setStart + Math.ceil((c.pos - setStart) / tuple) * tuple;
            while (c.pos + tuple <= end) {
              c.skip(segSize);
              const lo = c.uN(addrSize);
              const len = c.uN(addrSize);
              if (lo === 0 && len === 0) break;
              if (lo > 0 && lo !== BAD_ADDRESS && len > 0 && len !== BAD_ADDRESS) entries.push({ start: lo, end: lo + len, unit: u.index });
            }
            covered.add(u.index);
          }
          c.pos = end;
        }
      } catch (e) {
        if (!(e instanceof DumpFormatError)) throw e;
        this.note(`${this.file}: .debug_aranges is damaged: ${e.message}; unit ranges read from .debug_info instead`);
      }
    }
    for (const u of this.units) {
      if (covered.has(u.index)) continue;
      if (u.unitType === DW_UT_type || u.unitType === DW_UT_split_type) continue;
      const top = this.unitTop(u);
      if (!top || (top.tag !== DW_TAG_compile_unit && top.tag !== DW_TAG_partial_unit && top.tag !== DW_TAG_skeleton_unit)) continue;
      for (let k = 0; k < top.ranges.length; k += 2) entries.push({ start: top.ranges[k], end: top.ranges[k + 1], unit: u.index });
    }
    entries.sort((a, b) => a.start - b.start);
    const maxEnds = new Float64Array(entries.length);
    let m = 0;
    for (let i = 0; i < entries.length; i++) {
      m = Math.max(m, entries[i].end);
      maxEnds[i] = m;
    }
    this.cuIndex = {
      starts: Float64Array.from(entries, (e) => e.start),
      ends: Float64Array.from(entries, (e) => e.end),
      maxEnds,
      unit: Int32Array.from(entries, (e) => e.unit),
    };
  }

  /** The unit's line table (cached), or null when it has none or it cannot be read. */
  lineTable(u: Unit): LineTable | null {
    const top = this.unitTop(u);
    if (!top) return null;
    // A split unit has no DW_AT_stmt_list: its .debug_line.dwo holds one header (file names
    // for DW_AT_call_file) at offset 0.
    const at = top.stmtList >= 0 ? top.stmtList : u.unitType === DW_UT_split_compile ? 0 : -1;
    if (at < 0) return null;
    return this.lineTableAt(at, top, u);
  }

  private lineTableAt(offset: number, top: UnitTop | null, u: Unit | null): LineTable | null {
    if (this.lineCache.has(offset)) return this.lineCache.get(offset) ?? null;
    const line = this.section('.debug_line');
    let t: LineTable | null = null;
    if (line) {
      try {
        t = parseLineProgram(
          line,
          offset,
          {
            str: this.section('.debug_str'),
            lineStr: this.section('.debug_line_str'),
            strOffsets: this.section('.debug_str_offsets'),
            strOffsetsBase: top?.strOffsetsBase ?? 8,
          },
          { compDir: top?.compDir ?? null, name: top?.name ?? null },
          this.file,
          this.limits.line,
        );
      } catch (e) {
        if (!(e instanceof DumpFormatError)) throw e;
        this.note(`${this.file}: line table at 0x${offset.toString(16)}${u ? ` (unit ${top?.name ?? u.offset.toString(16)})` : ''} skipped: ${e.message}`);
      }
    }
    this.lineCache.set(offset, t);
    return t;
  }

  /**
   * The line table covering an address: the table of the address's unit. When no unit can be
   * found by address at all (no .debug_info, or units without ranges and no .debug_aranges),
   * an index of every line program's sequence ranges, built once by decoding them all, finds
   * the program; the tables themselves stay in the bounded cache.
   */
  lineTableFor(address: number): LineTable | null {
    const u = this.unitForAddress(address);
    if (u) return this.lineTable(u);
    if (this.units.length > 0 && this.cuIndexSize() > 0) return null;
    if (!this.allLines) this.buildAllLines();
    const idx = this.allLines as NonNullable<DwarfInfo['allLines']>;
    let i = upperBound(idx.starts, address);
    for (; i >= 0; i--) {
      if (idx.maxEnds[i] <= address) return null;
      if (address < idx.ends[i]) {
        const off = idx.offset[i];
        const owner = this.lineOwners.get(off);
        return this.lineTableAt(off, owner?.top ?? null, owner?.u ?? null);
      }
    }
    return null;
  }

  private cuIndexSize(): number {
    if (!this.cuIndex) this.buildCuIndex();
    return (this.cuIndex as NonNullable<DwarfInfo['cuIndex']>).starts.length;
  }

  private buildAllLines(): void {
    const entries: { start: number; end: number; offset: number }[] = [];
    const line = this.section('.debug_line');
    for (const u of this.units) {
      const top = this.unitTop(u);
      if (top && top.stmtList >= 0 && !this.lineOwners.has(top.stmtList)) this.lineOwners.set(top.stmtList, { top, u });
    }
    if (line) {
      let pos = 0;
      for (let n = 0; pos + 4 <= line.length && n < this.limits.maxUnits; n++) {
        let len = line.readUInt32LE(pos);
        let hdr = 4;
        if (len === 0xffffffff) {
          if (pos + 12 > line.length) break;
          len = Number(line.readBigUInt64LE(pos + 4));
          hdr = 12;
        } else if (len >= 0xfffffff0) break;
        const owner = this.lineOwners.get(pos);
        const t = this.lineTableAt(pos, owner?.top ?? null, owner?.u ?? null);
        if (t) for (const r of t.ranges()) entries.push({ start: r.start, end: r.end, offset: pos });
        if (len === 0) break;
        pos += hdr + len;
      }
    }
    entries.sort((a, b) => a.start - b.start);
    const maxEnds = new Float64Array(entries.length);
    let m = 0;
    for (let i = 0; i < entries.length; i++) {
      m = Math.max(m, entries[i].end);
      maxEnds[i] = m;
    }
    this.allLines = { starts: Float64Array.from(entries, (e) => e.start), ends: Float64Array.from(entries, (e) => e.end), maxEnds, offset: Float64Array.from(entries, (e) => e.offset) };
  }

  /** Walks a unit's DIEs once into its function/inline tree. */
  private unitScopes(u: Unit): UnitScopes | null {
    if (this.scopeCache.has(u.offset)) return this.scopeCache.get(u.offset) ?? null;
    let result: UnitScopes | null = null;
    const top = this.unitTop(u);
    if (top) {
      try {
        result = this.walkUnit(u, top);
      } catch (e) {
        if (!(e instanceof DumpFormatError)) throw e;
        this.note(`${this.file}: functions of unit ${top.name ?? `0x${u.offset.toString(16)}`} skipped: ${e.message}`);
      }
    }
    this.scopeCache.set(u.offset, result);
    return result;
  }

  private walkUnit(u: Unit, top: UnitTop): UnitScopes {
    const c = new DwarfCursor(this.info as Buffer, { section: '.debug_info', file: this.file }, u.dieOffset, u.end);
    const abbrevs = this.abbrevs(u.abbrevOffset);
    const nodes: ScopeNode[] = [];
    // For each open DIE with children: the scope node index that encloses its children.
    const stack: number[] = [];
    let scope = -1;
    let dies = 0;
    const attrs = new Map<number, RawAttr>();
    while (c.pos < c.end) {
      if (++dies > this.limits.maxDies) {
        this.note(`${this.file}: unit ${top.name ?? ''} has more than ${this.limits.maxDies} DIEs; the rest are ignored`);
        break;
      }
      const dieOffset = c.pos;
      const code = c.uleb();
      if (code === 0) {
        if (stack.length === 0) break;
        scope = stack.pop() as number;
        continue;
      }
      const ab = abbrevs.get(code);
      if (!ab) return c.fail(`unknown abbreviation code ${code}`, dieOffset);
      const interesting = ab.tag === DW_TAG_subprogram || ab.tag === DW_TAG_inlined_subroutine;
      let nodeIndex = -1;
      if (interesting) {
        attrs.clear();
        for (let k = 0; k < ab.names.length; k++) {
          const v = this.readForm(c, ab.forms[k], u, ab.implicit[k]);
          const name = ab.names[k];
          if (
            name === DW_AT_low_pc ||
            name === DW_AT_high_pc ||
            name === DW_AT_ranges ||
            name === DW_AT_call_file ||
            name === DW_AT_call_line ||
            name === DW_AT_call_column ||
            name === DW_AT_declaration
          )
            attrs.set(name, v);
        }
        if (!attrs.has(DW_AT_declaration)) {
          const ranges = this.rangesOf(attrs, u, top, top.lowPc);
          if (ranges.length > 0) {
            nodeIndex = nodes.length;
            nodes.push({
              die: dieOffset,
              tag: ab.tag,
              ranges,
              parent: scope,
              children: [],
              callFile: attrs.get(DW_AT_call_file)?.value ?? -1,
              callLine: attrs.get(DW_AT_call_line)?.value ?? 0,
              callColumn: attrs.get(DW_AT_call_column)?.value ?? 0,
            });
            if (scope >= 0) nodes[scope].children.push(nodeIndex);
          }
        }
      } else {
        for (let k = 0; k < ab.forms.length; k++) this.skipForm(c, ab.forms[k], u);
      }
      if (ab.hasChildren) {
        if (stack.length >= this.limits.maxDepth) c.fail(`DIEs nested deeper than ${this.limits.maxDepth}`, dieOffset);
        stack.push(scope);
        if (nodeIndex >= 0) scope = nodeIndex;
      }
    }
    const fr: { start: number; end: number; node: number }[] = [];
    for (let i = 0; i < nodes.length; i++) {
      if (nodes[i].tag !== DW_TAG_subprogram) continue;
      const r = nodes[i].ranges;
      for (let k = 0; k < r.length; k += 2) fr.push({ start: r[k], end: r[k + 1], node: i });
    }
    fr.sort((a, b) => a.start - b.start);
    const maxEnds = new Float64Array(fr.length);
    let m = 0;
    for (let i = 0; i < fr.length; i++) {
      m = Math.max(m, fr[i].end);
      maxEnds[i] = m;
    }
    return { nodes, starts: Float64Array.from(fr, (f) => f.start), ends: Float64Array.from(fr, (f) => f.end), maxEnds, nodeOf: Int32Array.from(fr, (f) => f.node) };
  }

  private skipForm(c: DwarfCursor, form: number, u: Unit): void {
    switch (form) {
      case F.flag_present:
      case F.implicit_const:
        return;
      case F.data1:
      case F.ref1:
      case F.flag:
      case F.strx1:
      case F.addrx1:
        c.pos += 1;
        break;
      case F.data2:
      case F.ref2:
      case F.strx2:
      case F.addrx2:
        c.pos += 2;
        break;
      case F.strx3:
      case F.addrx3:
        c.pos += 3;
        break;
      case F.data4:
      case F.ref4:
      case F.ref_sup4:
      case F.strx4:
      case F.addrx4:
        c.pos += 4;
        break;
      case F.data8:
      case F.ref8:
      case F.ref_sig8:
      case F.ref_sup8:
        c.pos += 8;
        break;
      case F.strp:
      case F.line_strp:
      case F.sec_offset:
      case F.strp_sup:
      case F.GNU_ref_alt:
      case F.GNU_strp_alt:
        c.pos += u.offsetSize;
        break;
      case F.addr:
        c.pos += u.addrSize;
        break;
      default:
        this.readForm(c, form, u, 0);
        return;
    }
    if (c.pos > c.end) c.fail('attribute runs past the end of its unit');
  }

  /**
   * The chain of functions at a link-time address, outermost first: the innermost
   * DW_TAG_subprogram whose ranges hold it, then each DW_TAG_inlined_subroutine inside it
   * that holds it. Null when no unit or function covers the address.
   */
  scopesAt(address: number): PcScopes | null {
    const u = this.unitForAddress(address);
    if (!u) return null;
    const top = this.unitTop(u);
    if (top?.dwoName) {
      const d = this.dwoFor(u, top);
      return d ? d.info.scopesInUnit(d.unit, address) : null;
    }
    return this.scopesInUnit(u, address);
  }

  private scopesInUnit(u: Unit, address: number): PcScopes | null {
    const s = this.unitScopes(u);
    if (!s) return null;
    // The innermost subprogram holding the address (nested functions sit inside others).
    let best = -1;
    let bestSize = Infinity;
    for (let i = upperBound(s.starts, address); i >= 0; i--) {
      if (s.maxEnds[i] <= address) break;
      if (address < s.ends[i] && s.ends[i] - s.starts[i] < bestSize) {
        best = s.nodeOf[i];
        bestSize = s.ends[i] - s.starts[i];
      }
    }
    if (best < 0) return null;
    const chain: ScopeNode[] = [s.nodes[best]];
    for (let depth = 0; depth < this.limits.maxDepth; depth++) {
      const cur = chain[chain.length - 1];
      let next: ScopeNode | null = null;
      for (const ci of cur.children) {
        const n = s.nodes[ci];
        if (n.tag === DW_TAG_inlined_subroutine && inRanges(n.ranges, address)) {
          next = n;
          break;
        }
      }
      if (!next) break;
      chain.push(next);
    }
    const scopes = chain.map((n) => {
      const names = this.namesOf(n.die);
      return {
        die: n.die,
        inlined: n.tag === DW_TAG_inlined_subroutine,
        name: names.name,
        linkageName: names.linkageName,
        lowPc: Math.min(...n.ranges.filter((_, k) => k % 2 === 0)),
        call: n.tag === DW_TAG_inlined_subroutine ? { file: n.callFile, line: n.callLine, column: n.callColumn } : null,
      };
    });
    return { unit: u, scopes, callFiles: this.lineTable(u) };
  }

  private readonly dwoCache = new Map<number, { info: DwarfInfo; unit: Unit } | null>();

  /**
   * The split unit of a skeleton, from its .dwo file: <comp_dir>/<dwo_name>, or the dwo name
   * next to the file we read (a copied tree). Only a unit whose DWO id matches is used.
   */
  private dwoFor(u: Unit, top: UnitTop): { info: DwarfInfo; unit: Unit } | null {
    if (this.dwoCache.has(u.offset)) return this.dwoCache.get(u.offset) ?? null;
    let found: { info: DwarfInfo; unit: Unit } | null = null;
    const name = top.dwoName as string;
    const candidates = [...new Set([path.isAbsolute(name) ? name : path.resolve(top.compDir ?? path.dirname(this.file), name), path.join(path.dirname(this.file), path.basename(name))])];
    const tried: string[] = [];
    for (const p of candidates) {
      if (!fs.existsSync(p)) {
        tried.push(`${p} (absent)`);
        continue;
      }
      try {
        const img = ElfImage.open(p);
        const skeletonAddr = this.section('.debug_addr');
        const loaded = new Map<string, Buffer | null>();
        let open = true;
        const get: SectionGetter = (n) => {
          if (n === '.debug_addr') return skeletonAddr;
          if (loaded.has(n)) return loaded.get(n) ?? null;
          let data: Buffer | null = null;
          if (open) {
            try {
              data = img.sectionData(`${n}.dwo`);
            } catch {
              data = null;
            }
          }
          loaded.set(n, data);
          return data;
        };
        const info = new DwarfInfo(get, p, this.limits, { addrBase: top.addrBase, compDir: top.compDir });
        const unit = info.units.find((x) => x.unitType === DW_UT_split_compile && (u.dwoId === null || x.dwoId === u.dwoId)) ?? null;
        if (unit) {
          // Force the sections we need now so the file can be closed.
          for (const n of ['.debug_info', '.debug_abbrev', '.debug_str', '.debug_str_offsets', '.debug_line', '.debug_rnglists', '.debug_loclists']) get(n);
          found = { info, unit };
        } else tried.push(`${p} (no unit with DWO id ${u.dwoId ?? '?'})`);
        open = false;
        img.close();
        if (found) break;
      } catch (e) {
        tried.push(`${p} (${(e as Error).message})`);
      }
    }
    if (!found) this.note(`${this.file}: split DWARF unit ${top.name ?? ''}: its .dwo file was not found (${tried.join('; ')}); inline frames there are unavailable`);
    this.dwoCache.set(u.offset, found);
    return found;
  }

  private readonly nameCache = new Map<number, { name: string | null; linkageName: string | null }>();

  /** A DIE's display and linkage names, following abstract_origin and specification. */
  namesOf(die: number): { name: string | null; linkageName: string | null } {
    const hit = this.nameCache.get(die);
    if (hit) return hit;
    let name: string | null = null;
    let linkage: string | null = null;
    let at: { info: DwarfInfo; offset: number } | null = { info: this, offset: die };
    for (let step = 0; at && step < this.limits.maxOriginChain && (name === null || linkage === null); step++) {
      const info: DwarfInfo = at.info;
      const offset: number = at.offset;
      at = null;
      let d: ReturnType<DwarfInfo['readDieAttrs']>;
      try {
        d = info.readDieAttrs(offset);
      } catch (e) {
        if (!(e instanceof DumpFormatError)) throw e;
        break;
      }
      if (!d) break;
      const top = info.unitTop(d.unit);
      const ln = d.attrs.get(DW_AT_linkage_name) ?? d.attrs.get(DW_AT_MIPS_linkage_name);
      if (ln && linkage === null) linkage = info.stringOf(ln, d.unit, top);
      const nm = d.attrs.get(DW_AT_name);
      if (nm && name === null) name = info.stringOf(nm, d.unit, top);
      const next: RawAttr | undefined = d.attrs.get(DW_AT_abstract_origin) ?? d.attrs.get(DW_AT_specification);
      if (next) at = info.refTarget(next, d.unit);
    }
    const out = { name: linkage ? demangle(linkage) : name, linkageName: linkage };
    if (out.name === linkage && name) out.name = name; // a linkage name no demangler reads
    this.nameCache.set(die, out);
    return out;
  }

  private refTarget(v: RawAttr, u: Unit): { info: DwarfInfo; offset: number } | null {
    switch (v.form) {
      case F.ref1:
      case F.ref2:
      case F.ref4:
      case F.ref8:
      case F.ref_udata:
        return { info: this, offset: u.offset + v.value };
      case F.ref_addr:
        return { info: this, offset: v.value };
      case F.GNU_ref_alt:
      case F.ref_sup4:
      case F.ref_sup8:
        return this.alt ? { info: this.alt, offset: v.value } : null;
      default:
        return null;
    }
  }
}

function inRanges(r: number[], address: number): boolean {
  for (let k = 0; k < r.length; k += 2) if (address >= r[k] && address < r[k + 1]) return true;
  return false;
}

/** The unit types and tags above, for tests and diagnostics. */
export const DWARF_UNIT_TYPES = { DW_UT_compile, DW_UT_type, DW_UT_partial, DW_UT_skeleton, DW_UT_split_compile, DW_UT_split_type } as const;
