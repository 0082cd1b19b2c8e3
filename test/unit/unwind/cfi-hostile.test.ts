// Truncated and corrupted unwind tables: every query ends quickly with a row, null, or a
// BadCfi error, never another exception and never a hang. The inputs are libc's real
// .eh_frame and .eh_frame_hdr, cut short and mutated with a seeded generator; a few synthetic
// entries (each byte commented) cover cases no real binary shows.
import { describe, expect, it } from 'vitest';
import { ElfImage } from '../../../main/core/elf';
import { BadCfiError, buildFdeIndex, cfiFromElfImage, cfiFromSections, computeRow, parseCie, parseFde, type CfiSection, type CfiTables } from '../../../main/core/unwind';

const LIBC = '/usr/lib/x86_64-linux-gnu/libc.so.6';

function realSections() {
  const image = ElfImage.open(LIBC);
  try {
    const eh = image.section('.eh_frame');
    const hdr = image.section('.eh_frame_hdr');
    const ehData = image.sectionData('.eh_frame');
    const hdrData = image.sectionData('.eh_frame_hdr');
    if (!eh || !hdr || !ehData || !hdrData) throw new Error('libc has no .eh_frame');
    const tables = cfiFromElfImage(image, 0n);
    const pcs = (tables?.listFdes('eh_frame') ?? []).map((f) => f.pcBegin + Math.floor((f.pcEnd - f.pcBegin) / 2));
    return { eh: { data: Buffer.from(ehData), address: Number(eh.addr) }, hdr: { data: Buffer.from(hdrData), address: Number(hdr.addr) }, pcs };
  } finally {
    image.close();
  }
}

/** xorshift32: a reproducible stream of mutations. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** Queries pcs; returns counts by outcome; throws if anything but BadCfi escapes. */
function probe(tables: CfiTables, pcs: number[]): { rows: number; none: number; bad: number } {
  const out = { rows: 0, none: 0, bad: 0 };
  for (const pc of pcs) {
    try {
      if (tables.rowAt(pc)) out.rows++;
      else out.none++;
    } catch (e) {
      if (!(e instanceof BadCfiError)) throw e;
      out.bad++;
    }
  }
  return out;
}

function tablesOf(eh: { data: Buffer; address: number }, hdr: { data: Buffer; address: number } | null): CfiTables {
  return cfiFromSections({ name: 'libc (mutated)', bias: 0, ehFrame: { kind: 'eh_frame', data: eh.data, address: eh.address, name: '.eh_frame (mutated)' }, ehFrameHdr: hdr });
}

describe('truncated and corrupted real tables', () => {
  const real = realSections();
  const sample = real.pcs.filter((_, i) => i % 7 === 0);

  it('intact: the hdr path and the one-time index find the same FDEs', () => {
    const withHdr = tablesOf(real.eh, real.hdr);
    const withoutHdr = tablesOf(real.eh, null);
    expect(withHdr.hasEhFrameHdr).toBe(true);
    expect(withoutHdr.hasEhFrameHdr).toBe(false);
    for (const pc of real.pcs) expect(withoutHdr.findFde(pc)?.fde.offset, `0x${pc.toString(16)}`).toBe(withHdr.findFde(pc)?.fde.offset);
    expect(probe(withHdr, real.pcs)).toEqual({ rows: real.pcs.length, none: 0, bad: 0 });
  });

  it('a truncated .eh_frame_hdr is refused with a warning and the index takes over', () => {
    for (const cut of [0, 1, 3, 4, 7, 8, 11, 12, 100, real.hdr.data.length - 1]) {
      const t = tablesOf(real.eh, { data: real.hdr.data.subarray(0, cut), address: real.hdr.address });
      expect(t.hasEhFrameHdr, `cut at ${cut}`).toBe(false);
      expect(t.warnings.join('\n')).toMatch(/eh_frame_hdr|\.eh_frame_hdr|indexing/);
      expect(probe(t, sample).bad).toBe(0);
    }
  });

  it('a truncated .eh_frame: FDEs past the cut are BadCfi or absent, the rest still work', () => {
    for (const frac of [0, 0.001, 0.25, 0.5, 0.9, 0.999]) {
      const cut = Math.floor(real.eh.data.length * frac);
      const eh = { data: real.eh.data.subarray(0, cut), address: real.eh.address };
      for (const hdr of [real.hdr, null]) {
        const t = tablesOf(eh, hdr);
        const t0 = performance.now();
        const r = probe(t, sample);
        expect(performance.now() - t0).toBeLessThan(2000);
        expect(r.rows + r.none + r.bad).toBe(sample.length);
        if (frac === 0) expect(r.rows).toBe(0);
      }
    }
  });

  it('200 mutated copies (random bytes overwritten): only rows, nulls or BadCfi, in bounded time', () => {
    const next = rng(0x5eed);
    const t0 = performance.now();
    let bad = 0;
    for (let round = 0; round < 200; round++) {
      const eh = Buffer.from(real.eh.data);
      const hdr = Buffer.from(real.hdr.data);
      const flips = 1 + Math.floor(next() * 64);
      for (let i = 0; i < flips; i++) {
        const target = next() < 0.8 ? eh : hdr;
        target[Math.floor(next() * target.length)] = Math.floor(next() * 256);
      }
      const t = tablesOf({ data: eh, address: real.eh.address }, round % 3 === 0 ? null : { data: hdr, address: real.hdr.address });
      bad += probe(t, sample.slice(0, 60)).bad;
    }
    const ms = performance.now() - t0;
    console.log(`200 mutated tables: ${bad} queries ended in BadCfi, ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(30_000);
  });

  it('the FDE index survives garbage lengths (stops at the first unreadable length)', () => {
    const eh = Buffer.from(real.eh.data);
    eh.writeUInt32LE(0xfffffff5, 0x18); // a reserved initial length at the first FDE
    const section: CfiSection = { kind: 'eh_frame', data: eh, address: real.eh.address, name: '.eh_frame' };
    const idx = buildFdeIndex(section, (o) => parseCie(section, o));
    expect(idx.count).toBe(0);
    expect(idx.errors).toBe(1);
    expect(idx.firstError).toMatch(/reserved initial length/);
  });
});

// --- Synthetic entries ---------------------------------------------------------------------

/** A CIE "zR" (pcrel|sdata4) with def_cfa rsp+8, rip at cfa-8, followed by one FDE. */
function synthetic(fdeInstructions: number[], augmentation = 'zR'): CfiSection {
  const aug = Buffer.from(`${augmentation}\0`, 'latin1');
  const cieBody = Buffer.concat([
    Buffer.from([0, 0, 0, 0]), // CIE id 0
    Buffer.from([1]), // version 1
    aug, // augmentation string
    Buffer.from([0x01]), // code alignment 1
    Buffer.from([0x78]), // data alignment -8 (SLEB128)
    Buffer.from([0x10]), // return address column 16
    ...(augmentation.startsWith('z') ? [Buffer.from([0x01, 0x1b])] : []), // aug data: length 1, DW_EH_PE_pcrel|sdata4
    Buffer.from([0x0c, 0x07, 0x08]), // DW_CFA_def_cfa rsp, 8
    Buffer.from([0x90, 0x01]), // DW_CFA_offset rip, 1*-8
  ]);
  const cie = Buffer.concat([u32(cieBody.length), cieBody]);
  const fdeStart = cie.length;
  const fdeBody = Buffer.concat([
    u32(fdeStart + 4), // CIE pointer: back to offset 0
    i32(0x1000 - (fdeStart + 8)), // pc_begin (pcrel): 0x1000
    u32(0x100), // pc_range
    Buffer.from([0x00]), // augmentation data length 0
    Buffer.from(fdeInstructions),
  ]);
  const fde = Buffer.concat([u32(fdeBody.length), fdeBody]);
  return { kind: 'eh_frame', data: Buffer.concat([cie, fde, u32(0)]), address: 0, name: '.eh_frame (synthetic)' };
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}
function i32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
}

describe('synthetic entries for cases no real binary shows', () => {
  const fdeOffset = (s: CfiSection) => s.data.readUInt32LE(0) + 4;
  const rowAt = (s: CfiSection, pc: number) => computeRow(s, parseFde(s, fdeOffset(s), (o) => parseCie(s, o)), pc);

  it('every instruction form runs (the builder itself is sound)', () => {
    const s = synthetic([
      0x41, // advance_loc 1
      0x0e, 0x10, // def_cfa_offset 16
      0x86, 0x02, // offset rbp, 2*-8
      0x0a, // remember_state
      0x42, // advance_loc 2 -> 0x1003
      0x0d, 0x06, // def_cfa_register rbp
      0x07, 0x03, // undefined rbx
      0x08, 0x0c, // same_value r12
      0x09, 0x0d, 0x0e, // register r13 in r14
      0x14, 0x0f, 0x02, // val_offset r15, 2*-8
      0x2f, 0x0e, 0x01, // GNU_negative_offset_extended r14, -(1*-8) = +8
      0x2e, 0x20, // GNU_args_size 32
      0x02, 0x04, // advance_loc1 4 -> 0x1007
      0x0b, // restore_state
      0x03, 0x10, 0x00, // advance_loc2 16 -> 0x1017
      0xc6, // restore rbp
      0x12, 0x07, 0x7e, // def_cfa_sf rsp, -2*-8 = 16
      0x04, 0x08, 0x00, 0x00, 0x00, // advance_loc4 8 -> 0x101f
      0x13, 0x7d, // def_cfa_offset_sf -3*-8 = 24
      0x15, 0x03, 0x7f, // val_offset_sf rbx, -1*-8 = 8
      0x11, 0x0c, 0x7e, // offset_extended_sf r12, -2*-8 = 16
      0x05, 0x0d, 0x03, // offset_extended r13, 3*-8
      0x06, 0x0d, // restore_extended r13
      0x10, 0x03, 0x02, 0x77, 0x10, // expression rbx: breg7 16
      0x16, 0x0c, 0x02, 0x77, 0x08, // val_expression r12: breg7 8
      0x01, 0xaa, 0xbb, 0xcc, 0xdd, // set_loc 0x1030 (pcrel sdata4; patched below once its offset is known)
      0x0f, 0x02, 0x77, 0x08, // def_cfa_expression breg7 8
      0x00, 0x00, // nop nop
    ]);
    const at = s.data.indexOf(Buffer.from([0x01, 0xaa, 0xbb, 0xcc, 0xdd])) + 1;
    s.data.writeInt32LE(0x1030 - at, at);
    expect(rowAt(s, 0x1000).cfa).toEqual({ kind: 'regOffset', reg: 7, offset: 8 });
    const r1 = rowAt(s, 0x1003);
    expect(r1.cfa).toEqual({ kind: 'regOffset', reg: 6, offset: 16 });
    expect(r1.registers.get(3)).toEqual({ kind: 'undefined' });
    expect(r1.registers.get(12)).toEqual({ kind: 'sameValue' });
    expect(r1.registers.get(13)).toEqual({ kind: 'register', reg: 14 });
    expect(r1.registers.get(15)).toEqual({ kind: 'valOffset', offset: -16 });
    expect(r1.registers.get(14)).toEqual({ kind: 'offset', offset: 8 });
    expect(r1.argsSize).toBe(32);
    const r2 = rowAt(s, 0x1007); // restore_state: back to the remembered row
    expect(r2.cfa).toEqual({ kind: 'regOffset', reg: 7, offset: 16 });
    expect(r2.registers.get(6)).toEqual({ kind: 'offset', offset: -16 });
    expect(r2.registers.has(3)).toBe(false);
    expect(r2.argsSize).toBe(0);
    const r3 = rowAt(s, 0x1017);
    expect(r3.cfa).toEqual({ kind: 'regOffset', reg: 7, offset: 16 });
    expect(r3.registers.has(6)).toBe(false); // restored to the CIE's (no rule)
    const r4 = rowAt(s, 0x101f);
    expect(r4.cfa.kind).toBe('regOffset');
    expect(r4.registers.get(3)?.kind).toBe('expression');
    expect(r4.registers.get(12)?.kind).toBe('valExpression');
    expect(r4.registers.has(13)).toBe(false);
    expect(rowAt(s, 0x102f).cfa.kind).toBe('regOffset');
    const r5 = rowAt(s, 0x1030);
    expect(r5.start).toBe(0x1030);
    expect(r5.cfa.kind).toBe('expression');
  });

  it('malformed instruction streams fail with BadCfi', () => {
    const cases: [number[], RegExp][] = [
      [[0x0b], /restore_state without/], // restore_state with nothing remembered
      [Array(65).fill(0x0a), /nested deeper/], // 65 x remember_state
      [[0x0e], /truncated/], // def_cfa_offset without its operand
      [[0x10, 0x03, 0x7f], /truncated/], // expression claiming 127 bytes
      [[0x3f], /unknown DW_CFA/], // 0x3f is not an opcode
      [[0x2d], /unknown DW_CFA/], // GNU_window_save (SPARC) is not x86-64
      [[0x05, 0xff, 0xff, 0x7f, 0x00], /out of range/], // offset_extended of register 2097151
      [[0x0f, 0x01, 0x96, 0x0e, 0x08], /after DW_CFA_def_cfa_expression/], // def_cfa_offset after an expression
    ];
    for (const [bytes, re] of cases) {
      const s = synthetic(bytes);
      expect(() => rowAt(s, 0x10ff), JSON.stringify(bytes)).toThrow(re);
      expect(() => rowAt(s, 0x10ff)).toThrow(BadCfiError);
    }
  });

  it('an unknown augmentation without z cannot be parsed; with z it is skipped', () => {
    expect(() => parseCie(synthetic([], 'xyz'), 0)).toThrow(/unknown CIE augmentation/);
    const s = synthetic([], 'zQ'); // 'z' gives the data length, so 'Q' is skipped safely
    expect(parseCie(s, 0).augmentation).toBe('zQ');
  });
});
