// DW_EH_PE pointer encodings. Real tables on this machine use pcrel|sdata4 (.eh_frame),
// datarel|sdata4 (.eh_frame_hdr), udata4 and absptr; the rest is spelled out byte by byte.
import { describe, expect, it } from 'vitest';
import { ByteCursor } from '../../../main/core/unwind/byte-cursor';
import { readEncoded } from '../../../main/core/unwind/pointer-encoding';
import { BadCfiError, parseCie, parseFde, type CfiSection } from '../../../main/core/unwind';

const at = (bytes: number[], encoding: number, pos = 0) => {
  const c = new ByteCursor(Buffer.from(bytes), 'test', pos);
  const v = readEncoded(c, encoding, { sectionAddress: 0x10000, textBase: 0x20000, dataBase: 0x30000, funcBase: 0x40000 });
  return { ...v, end: c.pos };
};

describe('readEncoded', () => {
  it('formats', () => {
    expect(at([0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0], 0x00).value).toBe(0x12345678); // absptr
    expect(at([0xe5, 0x8e, 0x26], 0x01)).toMatchObject({ value: 624485, end: 3 }); // uleb128
    expect(at([0xff, 0xff], 0x02).value).toBe(0xffff); // udata2
    expect(at([0xff, 0xff, 0xff, 0xff], 0x03).value).toBe(0xffffffff); // udata4
    expect(at([1, 0, 0, 0, 1, 0, 0, 0], 0x04).value).toBe(0x100000001); // udata8
    expect(at([0x7f], 0x09).value).toBe(-1); // sleb128
    expect(at([0xfe, 0xff], 0x0a).value).toBe(-2); // sdata2
    expect(at([0xfc, 0xff, 0xff, 0xff], 0x0b).value).toBe(-4); // sdata4
    expect(at([0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0x0c).value).toBe(-8); // sdata8
  });

  it('applications: pcrel, textrel, datarel, funcrel, aligned, indirect', () => {
    expect(at([0, 0, 0, 0, 0x10, 0, 0, 0], 0x1b, 4).value).toBe(0x10000 + 4 + 0x10); // pcrel: the field's address
    expect(at([0x10, 0, 0, 0], 0x23).value).toBe(0x20010); // textrel udata4
    expect(at([0xf0, 0xff, 0xff, 0xff], 0x3b).value).toBe(0x30000 - 0x10); // datarel sdata4
    expect(at([0x08, 0], 0x42).value).toBe(0x40008); // funcrel udata2
    // aligned: skip to the next 8-byte boundary of the section's address space, then absptr.
    expect(at([0xaa, 0xbb, 0xcc, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0], 0x50, 3)).toMatchObject({ value: 0x1234, end: 16 });
    expect(at([0x10, 0, 0, 0], 0x9b)).toMatchObject({ value: 0x10010, indirect: true }); // indirect|pcrel|sdata4
  });

  it('bad encodings and values', () => {
    expect(() => at([0], 0x05)).toThrow(/unknown pointer encoding/);
    expect(() => at([0], 0x61)).toThrow(/unknown pointer application/);
    expect(() => at([0], 0xff)).toThrow(/omitted/);
    expect(() => at([0, 0, 0, 0, 0, 0, 0, 0x80], 0x04)).toThrow(/too large/); // 2^63 is no user address
    expect(() => at([0x10, 0], 0x03)).toThrow(BadCfiError); // truncated udata4
  });
});

describe('an FDE whose initial location is indirect (DW_EH_PE_indirect)', () => {
  // CIE "zR" with FDE encoding 0x9b (indirect|pcrel|sdata4), then one FDE whose initial
  // location field points (pc-relatively) at 0x1000, where the real start, 0x2000, is stored.
  const cie = Buffer.from([
    0x10, 0, 0, 0, // length 16
    0, 0, 0, 0, // CIE id
    1, // version
    0x7a, 0x52, 0, // "zR"
    1, 0x78, 0x10, // code align 1, data align -8, return address column 16
    1, 0x9b, // augmentation data: length 1, encoding 0x9b
    0x0c, 0x07, 0x08, // def_cfa rsp+8
  ]);
  const fde = Buffer.alloc(4 + 13);
  fde.writeUInt32LE(13, 0); // length
  fde.writeUInt32LE(cie.length + 4, 4); // CIE pointer back to 0
  fde.writeInt32LE(0x1000 - (cie.length + 8), 8); // initial location field -> 0x1000 (pcrel)
  fde.writeUInt32LE(0x40, 12); // range
  fde[16] = 0; // augmentation data length
  const data = Buffer.concat([cie, fde]);

  it('is read through the pointer', () => {
    const section: CfiSection = { kind: 'eh_frame', data, address: 0, name: 'synthetic', readPointer: (a) => (a === 0x1000 ? 0x2000 : null) };
    const f = parseFde(section, cie.length, (o) => parseCie(section, o));
    expect([f.pcBegin, f.pcEnd]).toEqual([0x2000, 0x2040]);
  });

  it('without a way to read the pointer, is BadCfi', () => {
    const section: CfiSection = { kind: 'eh_frame', data, address: 0, name: 'synthetic' };
    expect(() => parseFde(section, cie.length, (o) => parseCie(section, o))).toThrow(/indirect FDE initial location/);
  });
});
